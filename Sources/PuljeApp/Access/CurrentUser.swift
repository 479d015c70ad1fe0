import Fluent
import PuljeDomain
import SQLKit
import Vapor

/// The signed-in user, as every handler sees it.
struct CurrentUser: Sendable {
    var id: UUID
    var email: String
    var name: String
    var organisationID: UUID
    var organisationName: String
    var organisationKind: OrganisationKind
    var roles: Set<Role>

    var actor: Actor { Actor(roles: roles, organisationKind: organisationKind) }

    func may(_ action: Action, ownedBy organisation: UUID? = nil) -> Bool {
        AccessPolicy.permits(actor, action, on: organisation == nil || organisation == organisationID ? .own : .other)
    }
}

enum SessionKey {
    static let userID = "uid"
    static let epoch = "epoch"
    /// The ID token of a sign-in through OpenID Connect, sent back as the hint when the provider's session is
    /// ended at sign-out.
    static let idToken = "oidc"
    /// A sign-in with a correct password that waits for the second factor: the user, their epoch, when,
    /// where to go after, and a new secret being set up at sign-in (base32).
    static let pendingUserID = "pending-uid"
    static let pendingEpoch = "pending-epoch"
    static let pendingAt = "pending-at"
    static let pendingNext = "pending-next"
    static let pendingSecret = "pending-totp"
    /// A new secret being set up on the profile page (base32).
    static let newSecret = "new-totp"
    static let csrf = "csrf"
    static let flash = "flash"
}

extension Request {
    private struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }

    var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }

    /// The signed-in user, or a refusal that sends a browser to the sign-in page.
    func requireUser() throws -> CurrentUser {
        guard let user = currentUser else { throw PuljeError(.unauthorized, "Du skal logge ind for at se siden.") }
        return user
    }

    /// The signed-in user if the policy lets them do the action, else 401 or 403.
    @discardableResult
    func authorize(_ action: Action, ownedBy organisation: UUID? = nil) throws -> CurrentUser {
        let user = try requireUser()
        guard user.may(action, ownedBy: organisation) else {
            throw PuljeError(.forbidden, "Du har ikke adgang til at gøre dette.")
        }
        return user
    }
}

/// Loads the signed-in user from the session. A session whose epoch is older than the user's
/// (after "log ud overalt" or a password change) or whose user is deactivated counts as signed out.
struct CurrentUserMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.hasSession, let raw = request.session.data[SessionKey.userID], let id = UUID(uuidString: raw) {
            let epoch = Int(request.session.data[SessionKey.epoch] ?? "") ?? -1
            if let user = try await UserStore.signedIn(id, on: request.db), user.isActive, user.epoch == epoch {
                request.currentUser = user.current
            } else {
                request.session.data[SessionKey.userID] = nil
                request.session.data[SessionKey.epoch] = nil
            }
        }
        return try await next.respond(to: request)
    }

    struct Loaded {
        var current: CurrentUser
        var isActive: Bool
        var epoch: Int
    }
}

extension Request {
    /// A fresh session that only waits for the second factor: the password was right, nobody is signed in yet.
    func startPendingSignIn(for user: UserRecord, next: String?, at now: Date) async throws {
        if hasSession, let old = session.id {
            try await application.sessions.driver.deleteSession(old, for: self).get()
            session.id = nil
        }
        session.data = SessionData()
        session.data[SessionKey.pendingUserID] = try user.requireID().uuidString
        session.data[SessionKey.pendingEpoch] = String(user.sessionEpoch)
        session.data[SessionKey.pendingAt] = String(now.timeIntervalSince1970)
        session.data[SessionKey.pendingNext] = next
        _ = csrfToken()
    }

    /// A fresh session id on sign-in, so a session id planted before sign-in is worthless after it.
    func startNewSession(for user: UserRecord) async throws {
        if hasSession, let old = session.id {
            try await application.sessions.driver.deleteSession(old, for: self).get()
            session.id = nil
        }
        session.data = SessionData()
        session.data[SessionKey.userID] = try user.requireID().uuidString
        session.data[SessionKey.epoch] = String(user.sessionEpoch)
        _ = csrfToken()
    }
}
