import Fluent

/// The reminders sent, one row per case, thing due and kind: the unique key makes each reminder go out once,
/// however many instances look for them at the same time.
struct CreateGrantReminders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("grant_reminders")
            .id()
            .field("case_id", .uuid, .required, .references(GrantCaseRecord.schema, "id", onDelete: .cascade))
            .field("subject_key", .string, .required)
            .field("kind", .string, .required)
            .field("sent_at", .datetime, .required)
            .unique(on: "case_id", "subject_key", "kind")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("grant_reminders").delete()
    }
}
