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

    static func user(_ id: UUID, on db: any Database) async throws -> UserRecord? {
        try await UserRecord.find(id, on: db)
    }

    /// An active user of the organisation with the e-mail address (already lowercased).
    static func activeUser(email: String, in organisation: UUID, on db: any Database) async throws -> UserRecord? {
        try await UserRecord.query(on: db).filter(\.$email == email).filter(\.$organisation.$id == organisation)
            .filter(\.$isActive == true).first()
    }

    /// Active users holding the role.
    static func active(withRole role: Role, on db: any Database) async throws -> [UserRecord] {
        try await UserRecord.query(on: db).filter(\.$isActive == true).all().filter { $0.roleSet.contains(role) }
    }

    /// A user by e-mail address (lowercased), with the organisation.
    static func user(email: String, on db: any Database) async throws -> UserRecord? {
        try await UserRecord.query(on: db).filter(\.$email == email).with(\.$organisation).first()
    }

    /// The times of failed sign-ins since a moment: for the account, and from the address.
    static func failedSignIns(
        email: String, address: String, since: Date, on db: any Database
    ) async throws -> (account: [Date], address: [Date]) {
        let account = try await SignInAttemptRecord.query(on: db)
            .filter(\.$email == email).filter(\.$succeeded == false).filter(\.$at > since).all().map(\.at)
        let fromAddress = try await SignInAttemptRecord.query(on: db)
            .filter(\.$address == address).filter(\.$succeeded == false).filter(\.$at > since).all().map(\.at)
        return (account, fromAddress)
    }

    static func recordSignIn(
        email: String, address: String, succeeded: Bool, at now: Date, on db: any Database
    ) async throws {
        try await SignInAttemptRecord(email: email, address: address, succeeded: succeeded, at: now).create(on: db)
    }

    /// Sets (or, with nil, removes) the user's TOTP secret and the step its first code was used in.
    static func setTwoFactor(_ id: UUID, secret: String?, step: Int64?, on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE \(ident: UserRecord.schema) SET \(ident: "totp_secret") = \(bind: secret),
            \(ident: "totp_last_step") = \(bind: step) WHERE \(ident: "id") = \(bind: id)
            """
        ).run()
    }

    /// Records the step a code was used in; false when that step or a later one was used already (a code
    /// counts once, also when two instances receive it at the same moment).
    static func useTwoFactorStep(_ id: UUID, step: Int64, on db: any Database) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: UserRecord.schema) SET \(ident: "totp_last_step") = \(bind: step)
            WHERE \(ident: "id") = \(bind: id)
            AND (\(ident: "totp_last_step") IS NULL OR \(ident: "totp_last_step") < \(bind: step))
            RETURNING \(ident: "id")
            """)
    }

    /// Changes a user and saves it; "not found" if the user is gone.
    static func update(_ id: UUID, on db: any Database, _ change: (UserRecord) -> Void) async throws {
        guard let record = try await UserRecord.find(id, on: db) else {
            throw PuljeError(.notFound, "Brugeren findes ikke.")
        }
        try await update(record, on: db, change)
    }

    static func update(_ record: UserRecord, on db: any Database, _ change: (UserRecord) -> Void) async throws {
        change(record)
        try await record.save(on: db)
    }

    /// Every user with the organisation, by e-mail address.
    static func all(on db: any Database) async throws -> [UserRecord] {
        try await UserRecord.query(on: db).with(\.$organisation).sort(\.$email).all()
    }

    static func userWithOrganisation(_ id: UUID, on db: any Database) async throws -> UserRecord? {
        try await UserRecord.query(on: db).filter(\.$id == id).with(\.$organisation).first()
    }

    static func create(_ user: UserRecord, on db: any Database) async throws {
        try await user.create(on: db)
    }

    static func organisations(on db: any Database) async throws -> [OrganisationRecord] {
        try await OrganisationRecord.query(on: db).all()
    }

    /// The organisations as the user form lists them: the agency first, then municipalities, regions,
    /// evaluators and providers, each by name in Danish order.
    static func sortedOrganisations(on db: any Database) async throws -> [OrganisationRecord] {
        let order: [OrganisationKind] = [.agency, .municipality, .region, .evaluator, .provider]
        return try await organisations(on: db).sorted {
            let a = order.firstIndex(of: $0.organisationKind) ?? 9
            let b = order.firstIndex(of: $1.organisationKind) ?? 9
            return a != b ? a < b : $0.name.compare($1.name, locale: Locale(identifier: "da_DK")) == .orderedAscending
        }
    }

    static func organisation(_ id: UUID, on db: any Database) async throws -> OrganisationRecord? {
        try await OrganisationRecord.find(id, on: db)
    }

    /// A new password hash; the new session epoch ends the user's other sessions.
    static func setPassword(_ hash: String, of user: UUID, epoch: Int, on db: any Database) async throws {
        try await UserRecord.query(on: db).filter(\.$id == user).set(\.$passwordHash, to: hash)
            .set(\.$sessionEpoch, to: epoch).update()
    }

    /// Replaces an old-kind password hash with a new hash of the same password (`PrehashedBcrypt`), where it is
    /// still the one read: not a change of password, so the sessions stay.
    static func upgradeHash(of user: UUID, from old: String, to new: String, on db: any Database) async throws {
        try await UserRecord.query(on: db).filter(\.$id == user).filter(\.$passwordHash == old)
            .set(\.$passwordHash, to: new).update()
    }

    /// A cheap query that proves the database answers (the readiness check).
    static func organisationCount(on db: any Database) async throws -> Int {
        try await OrganisationRecord.query(on: db).count()
    }
}
