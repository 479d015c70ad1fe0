import Fluent
import SQLKit

/// A migration that adds indexes only: the previous release reads and writes exactly as before.
protocol IndexMigration: AsyncMigration {
    static var indexes: [(name: String, table: String, columns: [String])] { get }
}

extension IndexMigration {
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
