import Fluent
import Foundation
import SQLKit
import Vapor

/// SQL that belongs to the database as a whole rather than to a feature.
enum DatabaseStore {
    /// WAL lets readers go on while one writer writes; it is a property of the file, so once is enough.
    static func enableWriteAheadLog(_ app: Application) async throws {
        if case .sqliteFile = app.config.database { try await app.db.sql.raw("PRAGMA journal_mode=WAL").run() }
    }
}

extension Database {
    /// The database as SQLKit sees it. Both drivers Pulje uses are SQL databases; the hot paths (saves, audit
    /// entries, the signed-in user) are written as SQL text there.
    var sql: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else {
                throw PuljeError(.internalServerError, "Intern fejl: databasen understøtter ikke SQL.")
            }
            return sql
        }
    }

    /// Runs an `UPDATE … WHERE <condition> RETURNING …` and tells whether it changed a row. This is how a
    /// conditional update says which of two concurrent writers won (SQLite 3.35 and PostgreSQL have RETURNING).
    func changedRow(_ update: SQLQueryString) async throws -> Bool {
        try await sql.raw(update).first() != nil
    }
}
