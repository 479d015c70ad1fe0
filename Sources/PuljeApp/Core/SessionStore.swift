import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

extension Application {
    private struct SessionClockKey: StorageKey {
        typealias Value = @Sendable () -> Date
    }

    /// The clock session lifetimes are measured by: real time, apart from the programme's clock (`now`),
    /// which tests move to deadline day and back. A test of the lifetimes sets this one.
    var sessionClock: @Sendable () -> Date {
        get { storage[SessionClockKey.self] ?? { Date() } }
        set { storage[SessionClockKey.self] = newValue }
    }
}

/// Sessions in the database, so that several instances share them. The database keeps only the SHA-256
/// of each session id: a copy of the database (a backup, a stolen file) opens no session. A session ends
/// on the server after `idleLifetime` without a request and at the latest `absoluteLifetime` after it
/// began, whatever the browser keeps. Data is written only when it changed, and the last-seen time at most
/// every `touchInterval`: at the deadline surge a write per autosave for nothing would show.
struct DatabaseSessions: SessionDriver {
    static let table = "sessions"
    static let idleLifetime: TimeInterval = 8 * 3_600
    static let absoluteLifetime: TimeInterval = 24 * 3_600
    static let touchInterval: TimeInterval = 5 * 60
    /// How often expired sessions are swept away (on the next new session after this long).
    static let sweepInterval: TimeInterval = 10 * 60
    private static let lastSweep = NIOLockedValueBox<Date>(.distantPast)

    private struct ReadKey: StorageKey { typealias Value = SessionData }

    /// The stored form of a session id.
    static func hash(_ id: SessionID) -> String { SHA256Hex.of(Data(id.string.utf8)) }

    static func encode(_ data: SessionData) throws -> String {
        String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
    }

    /// Whether a session begun at `created` and last seen at `seen` has ended at `now`.
    static func hasExpired(created: Date, seen: Date, now: Date) -> Bool {
        now.timeIntervalSince(seen) >= idleLifetime || now.timeIntervalSince(created) >= absoluteLifetime
    }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask {
            let id = SessionID(string: [UInt8].random(count: 32).base64URLEncoded)
            let now = request.application.sessionClock()
            let json = try Self.encode(data)
            try await request.writeTransaction { db in
                try await db.sql.raw(
                    """
                    INSERT INTO \(ident: Self.table) (\(ident: "key_hash"), \(ident: "data"), \(ident: "created_at"),
                    \(ident: "seen_at")) VALUES (\(bind: Self.hash(id)), \(bind: json), \(bind: now), \(bind: now))
                    """
                ).run()
            }
            try await Self.sweepIfDue(request, now: now)
            return id
        }
    }

    /// Reads the session with one plain query (every signed-in request does this).
    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        request.eventLoop.makeFutureWithTask {
            let key = Self.hash(sessionID)
            // Written as SQL text: the query builder's serialisation showed in profiles of the autosave.
            guard
                let row = try await request.db.sql.raw(
                    """
                    SELECT \(ident: "data"), \(ident: "created_at"), \(ident: "seen_at") FROM \(ident: Self.table)
                    WHERE \(ident: "key_hash") = \(bind: key)
                    """
                ).first()
            else { return nil }
            let now = request.application.sessionClock()
            let created = try row.decode(column: "created_at", as: Date.self)
            let seen = try row.decode(column: "seen_at", as: Date.self)
            if Self.hasExpired(created: created, seen: seen, now: now) {
                try await request.writeTransaction { db in
                    try await db.sql.raw("DELETE FROM \(ident: Self.table) WHERE \(ident: "key_hash") = \(bind: key)")
                        .run()
                }
                return nil
            }
            if now.timeIntervalSince(seen) >= Self.touchInterval {
                try await request.writeTransaction { db in
                    try await db.sql.raw(
                        """
                        UPDATE \(ident: Self.table) SET \(ident: "seen_at") = \(bind: now)
                        WHERE \(ident: "key_hash") = \(bind: key)
                        """
                    ).run()
                }
            }
            let json = try row.decode(column: "data", as: String.self)
            let data = try JSONDecoder().decode(SessionData.self, from: Data(json.utf8))
            request.storage[ReadKey.self] = data
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID>
    {
        if request.storage[ReadKey.self] == data { return request.eventLoop.makeSucceededFuture(sessionID) }
        return request.eventLoop.makeFutureWithTask {
            let json = try Self.encode(data)
            let now = request.application.sessionClock()
            try await request.writeTransaction { db in
                try await db.sql.raw(
                    """
                    UPDATE \(ident: Self.table) SET \(ident: "data") = \(bind: json), \(ident: "seen_at") = \(bind: now)
                    WHERE \(ident: "key_hash") = \(bind: Self.hash(sessionID))
                    """
                ).run()
            }
            return sessionID
        }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.eventLoop.makeFutureWithTask {
            try await request.writeTransaction { db in
                try await db.sql.raw(
                    "DELETE FROM \(ident: Self.table) WHERE \(ident: "key_hash") = \(bind: Self.hash(sessionID))"
                ).run()
            }
        }
    }

    /// Deletes every expired session, at most once per `sweepInterval` per instance.
    static func sweepIfDue(_ request: Request, now: Date) async throws {
        let due = lastSweep.withLockedValue { last in
            guard now.timeIntervalSince(last) >= sweepInterval || now < last else { return false }
            last = now
            return true
        }
        guard due else { return }
        let idleCutoff = now.addingTimeInterval(-idleLifetime)
        let absoluteCutoff = now.addingTimeInterval(-absoluteLifetime)
        try await request.writeTransaction { db in
            try await db.sql.raw(
                """
                DELETE FROM \(ident: table) WHERE \(ident: "seen_at") <= \(bind: idleCutoff)
                OR \(ident: "created_at") <= \(bind: absoluteCutoff)
                """
            ).run()
        }
    }
}
