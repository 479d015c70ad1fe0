import Fluent
import SQLKit

struct CreateApplications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ApplicationRecord.schema)
            .id()
            .field("call_id", .uuid, .required, .references(CallRecord.schema, "id"))
            .field("organisation_id", .uuid, .required, .references(OrganisationRecord.schema, "id"))
            .field("responsible_id", .uuid, .required, .references(UserRecord.schema, "id"))
            .field("status", .string, .required)
            .field("version", .int, .required)
            .field("save_token", .uuid, .required)
            .field("content_json", .sql(.text), .required)
            .field("last_saved_at", .datetime, .required)
            .field("last_saved_by", .string, .required)
            .field("submission_number", .string)
            .field("submitted_at", .datetime)
            .field("submitted_by", .string)
            .field("digest", .string)
            .field("submitted_content_json", .sql(.text))
            .field("call_version", .int)
            .field("withdrawn_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "submission_number")
            .create()
        try await database.schema(ApplicationContributorRecord.schema)
            .id()
            .field(
                "application_id", .uuid, .required, .references(ApplicationRecord.schema, "id", onDelete: .cascade)
            )
            .field("user_id", .uuid, .required, .references(UserRecord.schema, "id"))
            .unique(on: "application_id", "user_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "applications_call_org").on(ApplicationRecord.schema).column("call_id")
                .column("organisation_id").run()
        }
    }
    func revert(on database: any Database) async throws {
        try await database.schema(ApplicationContributorRecord.schema).delete()
        try await database.schema(ApplicationRecord.schema).delete()
    }
}
