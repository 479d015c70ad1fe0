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

    /// The key of the advisory lock that start-ups take turns under ("pulje" in ASCII).
    static let startupLockKey: Int64 = 0x70_75_6c_6a_65

    /// Several instances may start at once on one PostgreSQL database (a rolling deploy, a restart of all):
    /// their migrations and seeding take turns under a session-level advisory lock held on one connection,
    /// so no two create the same table or seed the same rows. PostgreSQL releases the lock when that
    /// connection closes, so an instance killed meanwhile never leaves it held. SQLite serves one instance.
    static func oneInstanceAtATime(
        _ app: Application, _ work: @escaping @Sendable () async throws -> Void
    )
        async throws
    {
        guard case .postgres = app.config.database else { return try await work() }
        let key = startupLockKey
        try await app.db.withConnection { connection in
            try await connection.sql.raw("SELECT pg_advisory_lock(\(bind: key))").run()
            do {
                try await work()
            } catch {
                try? await connection.sql.raw("SELECT pg_advisory_unlock(\(bind: key))").run()
                throw error
            }
            try await connection.sql.raw("SELECT pg_advisory_unlock(\(bind: key))").run()
        }
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

    /// A time read back from the database, to bind in a keyset condition so that it matches the stored value
    /// exactly. PostgreSQL keeps microseconds and its driver truncates a Date when binding it, so the time
    /// read back could bind one microsecond early; half a microsecond later binds exactly the stored value.
    /// SQLite keeps the Double itself, which round-trips as it is.
    func cursorTime(_ time: Date) throws -> Date {
        try sql.dialect.name == "postgresql" ? time.addingTimeInterval(0.000_000_5) : time
    }

    /// Runs an `UPDATE … WHERE <condition> RETURNING …` and tells whether it changed a row. This is how a
    /// conditional update says which of two concurrent writers won (SQLite 3.35 and PostgreSQL have RETURNING).
    func changedRow(_ update: SQLQueryString) async throws -> Bool {
        try await sql.raw(update).first() != nil
    }
}
