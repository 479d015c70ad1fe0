import Fluent

/// The SUSI phase verdicts: one per initiative and phase judged, written, proposed and decided by two people.
/// A new table only: the previous release never reads it.
struct CreatePhaseVerdicts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("phase_verdicts")
            .id()
            .field("initiative_year", .int, .required)
            .field("initiative_number", .string, .required)
            .field("phase", .string, .required)
            .field("status", .string, .required)
            .field("assessments_json", .string, .required)
            .field("outcome", .string)
            .field("note", .string, .required)
            .field("proposed_by_id", .uuid)
            .field("proposed_by", .string)
            .field("proposed_at", .datetime)
            .field("decision", .string)
            .field("decision_note", .string)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "initiative_year", "initiative_number", "phase")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("phase_verdicts").delete()
    }
}
