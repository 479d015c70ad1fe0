import Fluent

struct CreateMessageAttachments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MessageAttachmentRecord.schema)
            .id()
            .field(
                "message_id", .uuid, .required, .references(ApplicationMessageRecord.schema, "id", onDelete: .cascade)
            )
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("bytes", .int, .required)
            .field("sha256", .string, .required)
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(MessageAttachmentRecord.schema).delete()
    }
}
