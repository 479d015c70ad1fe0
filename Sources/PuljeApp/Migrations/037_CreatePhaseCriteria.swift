import Fluent

/// The phase criteria as the agency's data: every version of a phase's set is kept (insert only), and a verdict
/// keeps the set it was rated against. A new table and a new nullable column: the previous release neither
/// reads the table nor writes the column, and its verdicts read as judged on the standard set.
struct CreatePhaseCriteria: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PhaseCriteriaRecord.schema)
            .id()
            .field("phase", .string, .required)
            .field("version", .int, .required)
            .field("criteria_json", .sql(.text), .required)
            .field("note", .sql(.text), .required)
            .field("changed_by", .string, .required)
            .field("changed_at", .datetime, .required)
            .unique(on: "phase", "version")
            .create()
        try await database.schema(PhaseVerdictRecord.schema).field("criteria_json", .sql(.text)).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PhaseVerdictRecord.schema).deleteField("criteria_json").update()
        try await database.schema(PhaseCriteriaRecord.schema).delete()
    }
}
