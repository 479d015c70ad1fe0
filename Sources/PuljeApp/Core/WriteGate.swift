import Fluent
import Vapor

/// SQLite lets one connection write at a time, sqlite-nio's busy handler retries at once (so two pooled
/// connections wanting to write make one of them spin on a core), and every commit waits for the disk.
/// Write transactions on SQLite therefore queue here and are committed in groups: what is waiting when a
/// commit finishes goes into the next transaction together, one after another as if alone (group commit:
/// one disk sync for many saves at the deadline surge). If any write of a group fails, the whole group is
/// rolled back and each of its writes runs again in a transaction of its own, so one failure never takes
/// another's write with it. PostgreSQL has row locks and its own group commit, and needs no gate.
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
            // While this group runs, new writes queue up for the next one.
            await Self.run(group, on: db)
        }
        draining = false
    }

    private static func run(_ group: [Job], on db: any Database) async {
        if group.count > 1 {
            do {
                let results = try await db.transaction { db in
                    var results: [any Sendable] = []
                    for job in group { results.append(try await job.body(db)) }
                    return results
                }
                for (job, result) in zip(group, results) { job.continuation.resume(returning: result) }
                return
            } catch {
                // Rolled back as a whole: run each alone below, so only the failing one fails.
            }
        }
        for job in group {
            do {
                job.continuation.resume(returning: try await db.transaction(job.body))
            } catch {
                job.continuation.resume(throwing: error)
            }
        }
    }
}

extension Application {
    private struct WriteGateKey: StorageKey { typealias Value = WriteGate }

    var writeGate: WriteGate? {
        get { storage[WriteGateKey.self] }
        set { storage[WriteGateKey.self] = newValue }
    }
}

extension Request {
    /// A write transaction: committed in a group with other waiting writes on SQLite, straight through on
    /// PostgreSQL. The body may run twice (see `WriteGate`), so it must only write to the database.
    func writeTransaction<T: Sendable>(_ body: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        guard let gate = application.writeGate else { return try await db.transaction(body) }
        let result = try await gate.submit({ db in try await body(db) }, on: application.db)
        guard let typed = result as? T else {
            throw PuljeError(.internalServerError, "Intern fejl: uventet resultat af en skrivning.")
        }
        return typed
    }
}
