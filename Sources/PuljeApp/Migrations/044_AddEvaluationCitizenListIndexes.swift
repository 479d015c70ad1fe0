import Fluent

/// The list of an evaluation's citizens pages in the order they were enrolled: for the evaluator over all
/// of them, for a municipality over its own. Indexes only.
struct AddEvaluationCitizenListIndexes: IndexMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("evaluation_citizens_enrolled", "evaluation_citizens", ["evaluation_id", "enrolled_at", "id"]),
        (
            "evaluation_citizens_organisation_enrolled", "evaluation_citizens",
            ["evaluation_id", "organisation_id", "enrolled_at", "id"]
        ),
    ]
}
