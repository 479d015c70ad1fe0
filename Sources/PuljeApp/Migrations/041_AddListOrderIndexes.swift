import Fluent

/// The grant case list ordered by when each case opened walks this index, newest first (the other orders
/// walk the calls or the recipients by name and each one's cases, by the indexes of migrations 035 and 040).
/// Mine sager's order by last save has no index of its own: it sorts one organisation's rows, found by
/// (organisation_id, created_at, id), and an index on the save time would be written by every autosave.
struct AddListOrderIndexes: IndexMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("grant_cases_opened", "grant_cases", ["opened_at", "id"])
    ]
}
