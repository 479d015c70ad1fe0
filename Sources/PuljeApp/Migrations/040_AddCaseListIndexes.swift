import Fluent

/// Mine sager pages through an organisation's applications and grant cases newest first, and the staff list
/// of grant cases walks the calls by title and each call's cases: each page is a walk along one of these.
struct AddCaseListIndexes: IndexMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("applications_organisation_created", "applications", ["organisation_id", "created_at", "id"]),
        ("grant_cases_organisation_opened", "grant_cases", ["organisation_id", "opened_at", "id"]),
        ("grant_cases_call_id", "grant_cases", ["call_id", "id"]),
    ]
}
