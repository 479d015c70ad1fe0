import Fluent

/// The reference a letter carries in its letterhead: the call's journal number when the letter was written.
struct AddLetterJournalNumber: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LetterRecord.schema).field("journal_number", .sql(.text)).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LetterRecord.schema).deleteField("journal_number").update()
    }
}
