import Fluent

/// A call's decision: proposed, then approved by another person.
struct CreateDecisions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DecisionRecord.schema).id()
            .field("call_id", .uuid, .required, .references(CallRecord.schema, "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("selection_json", .sql(.text), .required)
            .field("conditions", .sql(.text), .required)
            .field("note", .sql(.text), .required)
            .field("proposed_by_id", .uuid, .required)
            .field("proposed_by", .string, .required)
            .field("proposed_at", .datetime, .required)
            .field("approved_by", .string)
            .field("approved_at", .datetime)
            .unique(on: "call_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DecisionRecord.schema).delete()
    }
}
