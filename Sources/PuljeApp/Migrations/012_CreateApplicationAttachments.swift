import Fluent

struct CreateApplicationAttachments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ApplicationAttachmentRecord.schema)
            .id()
            .field("application_id", .uuid, .required, .references(ApplicationRecord.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("bytes", .int, .required)
            .field("sha256", .string, .required)
            .field("uploaded_by", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(ApplicationAttachmentRecord.schema).delete()
    }
}
