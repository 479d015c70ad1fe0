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

    /// The PostgreSQL connections each event loop may open (the pool's limit is this times the loops).
    static let connectionsPerEventLoop = 8

    /// How the database is used now, for `/metrics`: on PostgreSQL this instance's connections by state
    /// (from pg_stat_activity, by the connections' application_name; the scrape's own query counts as an
    /// active one) and the pool's limit; on SQLite the writes waiting at the write gate and those being
    /// committed, and its connections (one per event loop).
    struct Use: Sendable {
        var connections: [String: Int] = [:]
        var limit = 0
        var writesWaiting = 0
        var writesCommitting = 0
    }

    static func use(_ app: Application, on db: any Database) async throws -> Use {
        let loops = app.eventLoopGroup.makeIterator().reduce(0) { count, _ in count + 1 }
        var use = Use()
        if case .postgres = app.config.database {
            use.limit = connectionsPerEventLoop * loops
            let rows = try await db.sql.raw(
                """
                SELECT COALESCE(\(ident: "state"), 'unknown') AS \(ident: "state"), count(*) AS \(ident: "n")
                FROM pg_stat_activity WHERE \(ident: "application_name") = \(bind: app.databaseConnectionName)
                GROUP BY 1
                """
            ).all()
            for row in rows {
                use.connections[try row.decode(column: "state", as: String.self)] = try row.decode(
                    column: "n", as: Int.self)
            }
        } else {
            use.limit = loops
            if let gate = app.writeGate { (use.writesWaiting, use.writesCommitting) = await gate.load }
        }
        return use
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

    /// A row's time exactly as the database holds it, in seconds since 1970, for a keyset cursor. SQLite keeps
    /// a Date as a Double finer than a microsecond and gives it back as a Date rounded to microseconds, which
    /// can lie on either side of the stored value (a row shown twice, or skipped, across pages); so the column
    /// is read here as the number it is. PostgreSQL keeps microseconds, which a Date carries.
    func storedTime(_ table: String, _ column: String, of id: UUID) async throws -> Double? {
        let row = try await sql.raw(
            "SELECT \(ident: column) AS \(ident: "t") FROM \(ident: table) WHERE \(ident: "id") = \(bind: id)"
        ).first()
        guard let row else { return nil }
        return try storedSeconds(row, "t")
    }

    /// A time column of a row read as `storedTime` reads it (a query may select it with the rest of a row).
    func storedSeconds(_ row: any SQLRow, _ column: String) throws -> Double? {
        if try sql.dialect.name == "postgresql" {
            return try row.decode(column: column, as: Date?.self)?.timeIntervalSince1970
        }
        return try row.decode(column: column, as: Double?.self)
    }

    /// A cursor's time to bind in a keyset condition so that it matches the stored value exactly: the
    /// number itself on SQLite; on PostgreSQL a Date half a microsecond later, because its driver truncates a
    /// Date to microseconds when binding it and the time read back could bind one microsecond early.
    func cursorTime(_ seconds: Double) throws -> any Encodable & Sendable {
        guard try sql.dialect.name == "postgresql" else { return seconds }
        return Date(timeIntervalSince1970: seconds).addingTimeInterval(0.000_000_5)
    }

    /// Runs an `UPDATE … WHERE <condition> RETURNING …` and tells whether it changed a row. This is how a
    /// conditional update says which of two concurrent writers won (SQLite 3.35 and PostgreSQL have RETURNING).
    func changedRow(_ update: SQLQueryString) async throws -> Bool {
        try await sql.raw(update).first() != nil
    }
}

extension Application {
    private struct ConnectionNameKey: StorageKey { typealias Value = String }

    /// This instance's name for its PostgreSQL connections ("pulje-" and 8 random hex digits), set when the
    /// database is configured: `/metrics` finds this instance's connections by it.
    var databaseConnectionName: String {
        if let name = storage[ConnectionNameKey.self] { return name }
        let name = "pulje-" + [UInt8].random(count: 4).map { String(format: "%02x", $0) }.joined()
        storage[ConnectionNameKey.self] = name
        return name
    }
}
