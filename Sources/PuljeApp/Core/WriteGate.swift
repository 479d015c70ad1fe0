import Fluent
import Vapor

/// SQLite lets one connection write at a time, sqlite-nio's busy handler retries at once (so two pooled
/// connections wanting to write make one of them spin on a core), and every commit waits for the disk.
/// Write transactions on SQLite therefore queue here and are committed in groups: what is waiting when a
/// commit finishes goes into the next transaction together, one after another as if alone (group commit:
/// one disk sync for many saves at the deadline surge). Each write of a group runs inside a savepoint of its
/// own: if it fails, only its own writes are rolled back to that savepoint and only it gets the error, so one
/// failure never takes another's write with it, and no write ever runs twice (a body may therefore build and
/// change models as it likes). PostgreSQL has row locks and its own group commit, and needs no gate.
actor WriteGate {
    typealias Body = @Sendable (any Database) async throws -> any Sendable

    struct Job: Sendable {
        let body: Body
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    /// At most this many writes share one transaction.
    static let groupLimit = 64

    private var pending: [Job] = []
    private var draining = false
    /// The writes in the transaction being committed now.
    private var committing = 0

    /// Writes waiting for the next transaction, and those in the one being committed (for `/metrics`).
    var load: (waiting: Int, committing: Int) { (pending.count, committing) }

    func submit(_ body: @escaping Body, on db: any Database) async throws -> any Sendable {
        try await withCheckedThrowingContinuation { continuation in
            pending.append(Job(body: body, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain(on: db) }
            }
        }
    }

    private func drain(on db: any Database) async {
        while !pending.isEmpty {
            let group = Array(pending.prefix(Self.groupLimit))
            pending.removeFirst(group.count)
            committing = group.count
            // While this group runs, new writes queue up for the next one.
            await Self.run(group, on: db)
            committing = 0
        }
        draining = false
    }

    private static func run(_ group: [Job], on db: any Database) async {
        let outcomes = Outcomes()
        do {
            try await db.transaction { db in
                let sql = try db.sql
                for (index, job) in group.enumerated() {
                    let savepoint = "write_\(index)"
                    try await sql.raw("SAVEPOINT \(ident: savepoint)").run()
                    do {
                        let result = try await job.body(db)
                        try await sql.raw("RELEASE SAVEPOINT \(ident: savepoint)").run()
                        outcomes.results.append(.success(result))
                    } catch {
                        try await sql.raw("ROLLBACK TO SAVEPOINT \(ident: savepoint)").run()
                        try await sql.raw("RELEASE SAVEPOINT \(ident: savepoint)").run()
                        outcomes.results.append(.failure(error))
                    }
                }
            }
        } catch {
            // The transaction itself failed (the commit, or a savepoint statement): nothing of the group is
            // kept, and every write in it hears so.
            for job in group { job.continuation.resume(throwing: error) }
            return
        }
        for (job, outcome) in zip(group, outcomes.results) { job.continuation.resume(with: outcome) }
    }

    /// What each write of a group came to, in order.
    private final class Outcomes: @unchecked Sendable {
        var results: [Result<any Sendable, any Error>] = []
    }
}

extension Application {
    private struct WriteGateKey: StorageKey { typealias Value = WriteGate }

    var writeGate: WriteGate? {
        get { storage[WriteGateKey.self] }
        set { storage[WriteGateKey.self] = newValue }
    }
}

extension Application {
    /// The one write path: a write transaction, committed in a group with other waiting writes on SQLite,
    /// straight through on PostgreSQL. The body runs once; if it throws, none of its writes are kept.
    func writeTransaction<T: Sendable>(_ body: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        guard let gate = writeGate else { return try await db.transaction(body) }
        let result = try await gate.submit({ db in try await body(db) }, on: db)
        guard let typed = result as? T else {
            throw PuljeError(.internalServerError, "Intern fejl: uventet resultat af en skrivning.")
        }
        return typed
    }
}

extension Request {
    /// The one write path (`Application.writeTransaction`).
    func writeTransaction<T: Sendable>(_ body: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        try await application.writeTransaction(body)
    }
}

extension Application {
    /// A write that is a single SQL statement, atomic by itself: on PostgreSQL it is sent alone, without
    /// BEGIN and COMMIT around it; on SQLite it queues through the gate like every write. The body must send
    /// exactly one statement that writes.
    func writeStatement<T: Sendable>(_ body: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        guard writeGate == nil, case .postgres = config.database else { return try await writeTransaction(body) }
        return try await body(db)
    }
}
