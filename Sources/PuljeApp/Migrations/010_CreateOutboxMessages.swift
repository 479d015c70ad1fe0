import Fluent
import SQLKit

struct CreateOutboxMessages: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMessageRecord.schema)
            .id()
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .sql(.text), .required)
            .field("kind", .string, .required)
            .field("created_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("claimed_until", .datetime)
            .field("claim_token", .uuid)
            .field("sent_at", .datetime)
            .field("last_error", .sql(.text))
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "outbox_due").on(OutboxMessageRecord.schema).column("sent_at")
                .column("next_attempt_at").run()
        }
    }
    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMessageRecord.schema).delete()
    }
}
