import Fluent
import SQLKit

struct CreateAuditEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntryRecord.schema)
            .id()
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("organisation_id", .uuid)
            .field("organisation_name", .string, .required)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string, .required)
            .field("summary", .sql(.text), .required)
            .field("address", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "audit_entries_entity").on(AuditEntryRecord.schema).column("entity_type")
                .column("entity_id").run()
        }
    }
    func revert(on database: any Database) async throws {
        try await database.schema(AuditEntryRecord.schema).delete()
    }
}
