import Fluent

/// Award and rejection letters in each case.
struct CreateLetters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LetterRecord.schema).id()
            .applicationReference()
            .field("kind", .string, .required)
            .field("body", .sql(.text), .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LetterRecord.schema).delete()
    }
}
