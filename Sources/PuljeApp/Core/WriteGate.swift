import Fluent
import Vapor

/// SQLite lets one connection write at a time, and sqlite-nio's busy handler retries at once, so two
/// pooled connections wanting to write make one of them spin on a core. Write transactions on SQLite
/// therefore queue here, in order; PostgreSQL has row locks and needs no gate.
actor WriteGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
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
    /// A write transaction: queued behind other writes on SQLite, straight through on PostgreSQL.
    func writeTransaction<T: Sendable>(_ body: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        guard let gate = application.writeGate else { return try await db.transaction(body) }
        await gate.enter()
        do {
            let result = try await db.transaction(body)
            await gate.leave()
            return result
        } catch {
            await gate.leave()
            throw error
        }
    }
}
