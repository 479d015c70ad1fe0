import Fluent
import Foundation
import PuljeDomain
import SQLKit

/// The SQL of users and invitations.
enum UserStore {
    /// One plain query per request: the user joined with their organisation.
    static func signedIn(_ id: UUID, on db: any Database) async throws -> CurrentUserMiddleware.Loaded? {
        let sql = try db.sql
        guard
            let row = try await sql.raw(
                """
                SELECT u.\(ident: "email"), u.\(ident: "name"), u.\(ident: "organisation_id"), u.\(ident: "roles"),
                u.\(ident: "session_epoch"), u.\(ident: "is_active"), o.\(ident: "name") AS \(ident: "organisation_name"),
                o.\(ident: "kind") AS \(ident: "organisation_kind")
                FROM \(ident: UserRecord.schema) u JOIN \(ident: OrganisationRecord.schema) o
                ON o.\(ident: "id") = u.\(ident: "organisation_id") WHERE u.\(ident: "id") = \(bind: id)
                """
            ).first()
        else { return nil }
        let roles = try row.decode(column: "roles", as: [String].self)
        return CurrentUserMiddleware.Loaded(
            current: CurrentUser(
                id: id, email: try row.decode(column: "email", as: String.self),
                name: try row.decode(column: "name", as: String.self),
                organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                organisationName: try row.decode(column: "organisation_name", as: String.self),
                organisationKind: OrganisationKind(
                    rawValue: try row.decode(column: "organisation_kind", as: String.self))
                    ?? .provider,
                roles: Set(roles.compactMap(Role.init(rawValue:)))),
            isActive: try row.decode(column: "is_active", as: Bool.self),
            epoch: try row.decode(column: "session_epoch", as: Int.self))
    }

    /// Marks an invitation used; false when it already was (of two posts of the same link, one wins).
    static func useInvitation(_ id: UUID, at now: Date, on db: any Database) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: InvitationRecord.schema) SET \(ident: "used_at") = \(bind: now)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "used_at") IS NULL RETURNING \(ident: "id")
            """)
    }
}
