import Fluent

/// The end of a grant case: the municipality's anchoring plan and the agency's close.
struct AddGrantClosing: AsyncMigration {
    static let fields: [(String, DatabaseSchema.DataType)] = [
        ("anchoring_plan", .sql(.text)), ("anchoring_plan_by", .string), ("anchoring_plan_at", .datetime),
        ("closed_by", .string), ("closed_at", .datetime), ("closing_note", .sql(.text)),
    ]

    func prepare(on database: any Database) async throws {
        // One column at a time: SQLite adds one column per ALTER TABLE.
        for (name, type) in Self.fields {
            try await database.schema(GrantCaseRecord.schema).field(.string(name), type).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (name, _) in Self.fields.reversed() {
            try await database.schema(GrantCaseRecord.schema).deleteField(.string(name)).update()
        }
    }
}
