import Fluent
import Foundation
import Vapor

/// The outbox's queries: what is due, claiming a message (so that of several instances only one sends it),
/// and recording the result.
enum OutboxStore {
    static func recent(on db: any Database) async throws -> [OutboxMessageRecord] {
        try await OutboxMessageRecord.query(on: db).sort(\.$createdAt, .descending).limit(200).all()
    }

    static func due(at now: Date, limit: Int, on db: any Database) async throws -> [OutboxMessageRecord] {
        try await OutboxMessageRecord.query(on: db)
            .filter(\.$sentAt == nil).filter(\.$nextAttemptAt <= now)
            .group(.or) { $0.filter(\.$claimedUntil == nil).filter(\.$claimedUntil < now) }
            .sort(\.$nextAttemptAt).limit(limit).all()
    }

    /// Claims an unsent message that nobody holds; the message if this claim won, nil if another did.
    static func claim(
        _ id: UUID, token: UUID, until: Date, at now: Date, on db: any Database
    ) async throws -> OutboxMessageRecord? {
        try await OutboxMessageRecord.query(on: db).filter(\.$id == id).filter(\.$sentAt == nil)
            .group(.or) { $0.filter(\.$claimedUntil == nil).filter(\.$claimedUntil < now) }
            .set(\.$claimedUntil, to: until).set(\.$claimToken, to: token).update()
        guard let claimed = try await OutboxMessageRecord.find(id, on: db), claimed.claimToken == token else {
            return nil
        }
        return claimed
    }

    static func failed(_ id: UUID, attempts: Int, error: String, retryAt: Date, on db: any Database) async throws {
        try await OutboxMessageRecord.query(on: db).filter(\.$id == id)
            .set(\.$attempts, to: attempts).set(\.$lastError, to: error)
            .set(\.$nextAttemptAt, to: retryAt).set(\.$claimedUntil, to: nil).update()
    }

    static func sent(_ id: UUID, attempts: Int, at now: Date, on db: any Database) async throws {
        try await OutboxMessageRecord.query(on: db).filter(\.$id == id)
            .set(\.$attempts, to: attempts).set(\.$sentAt, to: now).set(\.$lastError, to: nil)
            .set(\.$claimedUntil, to: nil).update()
    }

    /// How many messages wait to be sent, and how many of them failed at their last attempt.
    static func backlog(on db: any Database) async throws -> (unsent: Int, failing: Int) {
        let unsent = try await OutboxMessageRecord.query(on: db).filter(\.$sentAt == nil).count()
        let failing = try await OutboxMessageRecord.query(on: db).filter(\.$sentAt == nil)
            .filter(\.$lastError != nil).count()
        return (unsent, failing)
    }

    static func add(_ messages: [OutboxMessageRecord], on db: any Database) async throws {
        try await messages.create(on: db)
    }
}
