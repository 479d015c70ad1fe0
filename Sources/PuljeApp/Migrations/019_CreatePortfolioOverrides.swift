import Fluent

/// Staff adjustments of the selection: forced in or out, granted amounts.
struct CreatePortfolioOverrides: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PortfolioOverrideRecord.schema).id()
            .applicationReference()
            .field("call_id", .uuid, .required, .references(CallRecord.schema, "id", onDelete: .cascade))
            .field("choice", .string, .required)
            .field("granted_ore", .int64)
            .field("reason", .sql(.text), .required)
            .field("changed_by", .string, .required)
            .field("changed_at", .datetime, .required)
            .unique(on: "application_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PortfolioOverrideRecord.schema).delete()
    }
}
