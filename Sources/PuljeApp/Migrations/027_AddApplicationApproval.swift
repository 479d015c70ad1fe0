import Fluent

/// A municipal signatory's approval of a draft before submission, where the call requires one: who, when,
/// and the version approved (a later save needs a new approval).
struct AddApplicationApproval: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column at a time: SQLite adds one column per ALTER TABLE.
        try await database.schema(ApplicationRecord.schema).field("approved_by", .sql(.text)).update()
        try await database.schema(ApplicationRecord.schema).field("approved_at", .datetime).update()
        try await database.schema(ApplicationRecord.schema).field("approved_version", .int).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["approved_by", "approved_at", "approved_version"] {
            try await database.schema(ApplicationRecord.schema).deleteField(.string(field)).update()
        }
    }
}
