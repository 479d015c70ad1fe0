import Fluent
import SQLKit

/// The indexes of the keyset lists: each order of the staff list of applications is a walk along one.
struct AddListIndexes: IndexMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("applications_submitted_id", "applications", ["submitted_at", "id"]),
        ("applications_call_submitted", "applications", ["call_id", "submitted_at", "id"]),
        ("applications_organisation_submitted", "applications", ["organisation_id", "submitted_at", "id"]),
        ("applications_organisation_id", "applications", ["organisation_id", "id"]),
        ("applications_call_id", "applications", ["call_id", "id"]),
        ("organisations_name_id", "organisations", ["name", "id"]),
        ("calls_title", "calls", ["title"]),
    ]
}
