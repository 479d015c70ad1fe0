import Fluent
import SQLKit

/// The indexes of the keyset lists: each order of the staff list of applications is a walk along one.
/// Indexes only: the previous release reads and writes exactly as before.
struct AddListIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("applications_submitted_id", "applications", ["submitted_at", "id"]),
        ("applications_call_submitted", "applications", ["call_id", "submitted_at", "id"]),
        ("applications_organisation_submitted", "applications", ["organisation_id", "submitted_at", "id"]),
        ("applications_organisation_id", "applications", ["organisation_id", "id"]),
        ("applications_call_id", "applications", ["call_id", "id"]),
        ("organisations_name_id", "organisations", ["name", "id"]),
        ("calls_title", "calls", ["title"]),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            var builder = sql.create(index: index.name).on(index.table)
            for column in index.columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes { try await sql.drop(index: index.name).run() }
    }
}
