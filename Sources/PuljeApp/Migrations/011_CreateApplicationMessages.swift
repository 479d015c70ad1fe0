import Fluent
import SQLKit

struct CreateApplicationMessages: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ApplicationMessageRecord.schema)
            .id()
            .field("application_id", .uuid, .required, .references(ApplicationRecord.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references(UserRecord.schema, "id"))
            .field("author_name", .string, .required)
            .field("organisation_name", .string, .required)
            .field("from_agency", .bool, .required)
            .field("body", .sql(.text), .required)
            .field("created_at", .datetime, .required)
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(ApplicationMessageRecord.schema).delete()
    }
}
