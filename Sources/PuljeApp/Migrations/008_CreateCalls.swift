import Fluent
import SQLKit

struct CreateCalls: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CallRecord.schema)
            .id()
            .field("title", .string, .required)
            .field("summary", .sql(.text), .required)
            .field("target_group", .sql(.text), .required)
            .field("initiative_number", .string)
            .field("status", .string, .required)
            .field("version", .int, .required)
            .field("rules_json", .sql(.text), .required)
            .field("opens_at", .datetime)
            .field("deadline_at", .datetime)
            .field("published_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "title")
            .create()
        try await database.schema(CallVersionRecord.schema)
            .id()
            .field("call_id", .uuid, .required, .references(CallRecord.schema, "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("title", .string, .required)
            .field("rules_json", .sql(.text), .required)
            .field("created_at", .datetime)
            .unique(on: "call_id", "version")
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(CallVersionRecord.schema).delete()
        try await database.schema(CallRecord.schema).delete()
    }
}
