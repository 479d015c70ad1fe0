import Fluent
import Foundation
import PuljeHTML
import Testing
import Vapor

@testable import PuljeApp

final class RunCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
}

extension AppTests {
    @Suite struct WriteGateTests {
        /// Writes waiting together share a commit; one that fails is rolled back to its own savepoint, so it
        /// never takes the others with it, what it wrote before failing is not kept, and no write runs twice.
        @Test func aFailingWriteInAGroupDoesNotTakeTheOthersWithIt() async throws {
            try await withTestApp { app in
                let gate = WriteGate()
                let now = Date()
                let runs = RunCounter()
                let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<40 {
                        group.addTask {
                            do {
                                let value = try await gate.submit(
                                    { db in
                                        runs.add()
                                        try await OutboxMessageRecord(
                                            recipient: "test\(index)@aarhus.demo", subject: "\(index)", body: "",
                                            kind: "gate-test", at: now
                                        ).create(on: db)
                                        if index == 7 { throw PuljeError(.conflict, "Nummer 7 fejler.") }
                                        return index
                                    }, on: app.db)
                                return (value as? Int) == index
                            } catch {
                                return false
                            }
                        }
                    }
                    var results: [Bool] = []
                    for try await result in group { results.append(result) }
                    return results
                }
                #expect(outcomes.filter { $0 }.count == 39)
                let written = try await OutboxMessageRecord.query(on: app.db).filter(\.$kind == "gate-test").all()
                #expect(written.count == 39)
                #expect(!written.contains { $0.subject == "7" })
                #expect(runs.count == 40)
            }
        }

        /// `/metrics` tells the writes waiting and those being committed: one write held in its commit, two
        /// behind it.
        @Test func theGateTellsWhatWaitsAndWhatIsBeingCommitted() async throws {
            try await withTestApp { app in
                let gate = WriteGate()
                let held = AsyncStream<Void>.makeStream()
                let released = AsyncStream<Void>.makeStream()
                let first = Task {
                    try await gate.submit(
                        { _ in
                            held.continuation.yield()
                            for await _ in released.stream { break }
                            return 0
                        }, on: app.db)
                }
                for await _ in held.stream { break }
                #expect(await gate.load == (0, 1))
                let behind = (0..<2).map { index in Task { try await gate.submit({ _ in index }, on: app.db) } }
                while await gate.load.waiting < 2 { await Task.yield() }
                #expect(await gate.load == (2, 1))
                released.continuation.yield()
                _ = try await first.value
                for task in behind { _ = try await task.value }
                // The writers hear of their commit before the gate counts it done: it is idle soon after.
                var waited = 0
                while await gate.load != (0, 0), waited < 2_000 {
                    try await Task.sleep(for: .milliseconds(1))
                    waited += 1
                }
                #expect(await gate.load == (0, 0))
            }
        }
    }
}
