import Fluent

/// The agreed score per criterion.
struct CreateConsensus: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ConsensusRecord.schema).id()
            .applicationReference()
            .field("criterion_id", .string, .required)
            .field("score", .double, .required)
            .field("justification", .sql(.text), .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "application_id", "criterion_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ConsensusRecord.schema).delete()
    }
}
