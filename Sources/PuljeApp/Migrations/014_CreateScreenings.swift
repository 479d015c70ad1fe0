import Fluent

/// Formal screening: one decision per application.
struct CreateScreenings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ScreeningRecord.schema).id()
            .applicationReference()
            .field("outcome", .string, .required)
            .field("reason", .sql(.text), .required)
            .field("checks_json", .sql(.text), .required)
            .field("decided_by", .string, .required)
            .field("decided_at", .datetime, .required)
            .unique(on: "application_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ScreeningRecord.schema).delete()
    }
}

/// The applications' foreign key, shared by the assessment's tables: gone with its application.
extension SchemaBuilder {
    func applicationReference() -> SchemaBuilder {
        field("application_id", .uuid, .required, .references(ApplicationRecord.schema, "id", onDelete: .cascade))
    }
}
