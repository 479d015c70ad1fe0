import Fluent

/// A draft keeps what the user typed even where it cannot be read yet (a budget line without a category,
/// "abc" as a price): the form's fields as posted, beside the content that could be read.
struct AddUnreadDraftInput: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ApplicationRecord.schema).field("unread_input_json", .sql(.text)).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ApplicationRecord.schema).deleteField("unread_input_json").update()
    }
}
