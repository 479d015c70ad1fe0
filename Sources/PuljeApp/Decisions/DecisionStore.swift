import Fluent
import Foundation
import PuljeDomain
import SQLKit

/// The SQL of decisions.
enum DecisionStore {
    /// Approves a proposed decision; false when it is no longer a proposal (of two directors approving at
    /// the same time, one wins).
    static func approve(_ id: UUID, by name: String, at now: Date, on db: any Database) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: DecisionRecord.schema) SET \(ident: "status") = \(bind: DecisionStatus.approved.rawValue),
            \(ident: "approved_by") = \(bind: name), \(ident: "approved_at") = \(bind: now)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "status") = \(bind: DecisionStatus.proposed.rawValue)
            RETURNING \(ident: "id")
            """)
    }
}
