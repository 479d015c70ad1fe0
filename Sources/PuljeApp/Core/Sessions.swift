import Fluent
import SQLKit
import Vapor

/// Fluent's database sessions, written only when the data changed. Vapor's middleware saves the session
/// after every request; at the deadline surge that is a database write per autosave for nothing.
struct WriteOnChangeSessions: SessionDriver {
    let inner: any SessionDriver

    private struct ReadKey: StorageKey { typealias Value = SessionData }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        inner.createSession(data, for: request)
    }

    /// Reads the session with one plain query (every signed-in request does this).
    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        let promise = request.eventLoop.makePromise(of: SessionData?.self)
        promise.completeWithTask {
            // Written as SQL text: the query builder's serialisation showed in profiles of the autosave.
            let row = try await request.db.sql.raw(
                "SELECT \(ident: "data") FROM \(ident: SessionRecord.schema) WHERE \(ident: "key") = \(bind: sessionID.string)"
            ).first()
            let data = try row?.decode(column: "data", as: SessionData.self)
            if let data { request.storage[ReadKey.self] = data }
            return data
        }
        return promise.futureResult
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID>
    {
        if request.storage[ReadKey.self] == data { return request.eventLoop.makeSucceededFuture(sessionID) }
        return inner.updateSession(sessionID, to: data, for: request)
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        inner.deleteSession(sessionID, for: request)
    }
}
