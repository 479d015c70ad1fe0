import Fluent

/// Each assessor's score per criterion.
struct CreateScores: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ScoreRecord.schema).id()
            .applicationReference()
            .field("assessor_id", .uuid, .required, .references(UserRecord.schema, "id"))
            .field("criterion_id", .string, .required)
            .field("score", .double, .required)
            .field("justification", .sql(.text), .required)
            .field("scored_at", .datetime, .required)
            .unique(on: "application_id", "assessor_id", "criterion_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ScoreRecord.schema).delete()
    }
}
