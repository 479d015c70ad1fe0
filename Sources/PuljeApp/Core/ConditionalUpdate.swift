import Fluent
import Foundation
import SQLKit
import Vapor

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

/// SHA-256 as lowercase hex, for digests of submissions and files and for stored token hashes.
enum SHA256Hex {
    static func of(_ data: some DataProtocol) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
