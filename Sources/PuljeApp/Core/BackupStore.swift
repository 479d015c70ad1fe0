import Fluent
import Foundation
import SQLKit

/// The backup's queries: a consistent copy of an SQLite database, and whether a PostgreSQL database is empty.
enum BackupStore {
    /// Copies the SQLite database to `path` with `VACUUM INTO`: one consistent copy while others write.
    static func copySQLite(to path: String, on db: any Database) async throws {
        try await db.sql.raw("VACUUM INTO \(bind: path)").run()
    }

    /// How many tables the PostgreSQL database's public schema has (0 for a database ready for a restore).
    static func postgresTableCount(on db: any Database) async throws -> Int {
        struct Count: Decodable { var n: Int }
        return try await db.sql.raw(
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'"
        ).first(decoding: Count.self)?.n ?? 0
    }
}
