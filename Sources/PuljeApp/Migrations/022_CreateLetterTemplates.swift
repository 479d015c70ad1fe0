import Fluent

/// The agency's edited letter templates.
struct CreateLetterTemplates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LetterTemplateRecord.schema).id()
            .field("kind", .string, .required)
            .field("body", .sql(.text), .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "kind")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LetterTemplateRecord.schema).delete()
    }
}
