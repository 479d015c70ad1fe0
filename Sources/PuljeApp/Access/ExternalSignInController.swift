import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// Sign-in through the OpenID Connect provider: the authorisation-code flow with PKCE, `state` bound to the
/// browser by a cookie, and `nonce`. The provider says who someone is; `ExternalSignIn.decide` what follows.
enum ExternalSignInController {
    /// The cookie that binds a sign-in begun to the browser that began it (a returned `state` from another
    /// browser is refused: no one can sign a victim in as themselves with a link).
    static let bindingCookie = "pulje_oidc"

    static func redirectURI(_ req: Request) -> String {
        req.application.config.publicURL + SiteURL.externalSignInReturn.path
    }

    static func provider(_ req: Request) throws -> OpenIDConnect {
        guard let provider = req.application.openIDConnect else {
            throw PuljeError(.notFound, "Log ind med MitID Erhverv er ikke slået til i denne installation.")
        }
        return provider
    }

    /// Begins a sign-in: keeps state, nonce and verifier, and sends the browser to the provider.
    @Sendable static func start(req: Request) async throws -> Response {
        let provider = try provider(req)
        let next = LocalRedirect.path(req.query[String.self, at: "naeste"])
        if req.currentUser != nil { return req.redirect(to: LocalRedirect.path(next) ?? SiteURL.home.path) }
        let state = PKCE.randomValue()
        let nonce = PKCE.randomValue()
        let verifier = PKCE.randomValue()
        let browser = PKCE.randomValue()
        let target: String
        do {
            target = try await provider.authorizationURL(
                state: state, nonce: nonce, verifier: verifier, redirectURI: redirectURI(req))
        } catch let failure as OpenIDFailure {
            return failurePage(req, failure)
        }
        let now = req.application.now()
        guard try await ExternalSignInStore.pendingRequests(since: now, on: req.db) < ExternalSignInStore.maximumPending
        else {
            return failurePage(
                req,
                OpenIDFailure(
                    log: "too many sign-ins pending", message: "Der er travlt lige nu. Prøv igen om et øjeblik.",
                    status: .serviceUnavailable))
        }
        try await req.writeTransaction { db in
            try await ExternalSignInStore.saveRequest(
                stateHash: SHA256Hex.of(Data(state.utf8)), browserHash: SHA256Hex.of(Data(browser.utf8)),
                nonce: nonce, verifier: verifier, next: next, at: now, on: db)
        }
        let response = req.redirect(to: target)
        response.cookies[bindingCookie] = HTTPCookies.Value(
            string: browser, maxAge: Int(ExternalSignInStore.requestLifetime), path: "/log-ind",
            isSecure: req.application.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return response
    }

    /// The provider's return: the request taken once, its browser checked, the code exchanged, the ID token
    /// verified, the rule applied, and a new session begun.
    @Sendable static func finish(req: Request) async throws -> Response {
        let provider = try provider(req)
        let response = try await finish(req, provider: provider)
        response.cookies[bindingCookie] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/log-ind",
            isSecure: req.application.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return response
    }

    static func finish(_ req: Request, provider: OpenIDConnect) async throws -> Response {
        let query = req.queryFields
        let startOver =
            "Log ind kunne ikke gøres færdigt: forespørgslen er ukendt, allerede brugt eller begyndt i en anden browser. Begynd forfra."
        guard let state = query["state"], !state.isEmpty, state.utf8.count <= 512,
            let request = try await req.writeTransaction({ db in
                try await ExternalSignInStore.takeRequest(stateHash: SHA256Hex.of(Data(state.utf8)), on: db)
            })
        else {
            return failurePage(
                req, OpenIDFailure(log: "unknown or used state", message: startOver, status: .badRequest))
        }
        guard let browser = req.cookies[bindingCookie]?.string,
            SHA256Hex.of(Data(browser.utf8)) == request.browserHash
        else {
            return failurePage(
                req, OpenIDFailure(log: "state returned to another browser", message: startOver, status: .badRequest))
        }
        let now = req.application.now()
        guard now.timeIntervalSince(request.createdAt) <= ExternalSignInStore.requestLifetime else {
            return failurePage(
                req,
                OpenIDFailure(
                    log: "sign-in took too long", message: "Log ind tog for lang tid. Begynd forfra.",
                    status: .badRequest))
        }
        if let error = query["error"] {
            let cancelled = error == "access_denied"
            return failurePage(
                req,
                OpenIDFailure(
                    log: "provider answered error \(error.prefix(100))",
                    message: cancelled
                        ? "Du afbrød log ind hos identitetsudbyderen." : "Identitetsudbyderen afviste log ind.",
                    status: cancelled ? .ok : .badRequest))
        }
        guard let code = query["code"], !code.isEmpty, code.utf8.count <= 4096 else {
            return failurePage(
                req, OpenIDFailure(log: "return without a code", message: startOver, status: .badRequest))
        }
        let identity: ExternalIdentity
        let idToken: String
        do {
            (identity, idToken) = try await provider.identity(
                code: code, verifier: request.codeVerifier, nonce: request.nonce, redirectURI: redirectURI(req))
        } catch let failure as OpenIDFailure {
            return failurePage(req, failure)
        }
        return try await signIn(req, identity: identity, idToken: idToken, next: request.next)
    }

    /// Applies the rule to a verified identity: refuses, or signs in the linked, the linked-now or a new user.
    static func signIn(
        _ req: Request, identity: ExternalIdentity, idToken: String, next: String?
    ) async throws
        -> Response
    {
        let linked = try await ExternalSignInStore.linkedUser(
            issuer: identity.issuer, subject: identity.subject, on: req.db)
        var organisation: OrganisationRecord?
        if let cvr = identity.cvr.flatMap(CVRNumber.parse) {
            organisation = try await ExternalSignInStore.organisation(cvr: cvr, on: req.db)
        }
        var sameEmail: UserRecord?
        if let email = identity.email { sameEmail = try await ExternalSignInStore.user(email: email, on: req.db) }
        func known(_ user: UserRecord?) throws -> ExternalSignIn.KnownUser? {
            try user.map { .init(id: try $0.requireID(), organisationID: $0.$organisation.id, isActive: $0.isActive) }
        }
        let outcome = ExternalSignIn.decide(
            identity, linked: try known(linked),
            organisation: try organisation.map {
                .init(id: try $0.requireID(), name: $0.name, kind: $0.organisationKind)
            }, sameEmail: try known(sameEmail))
        let label = req.application.config.openIDConnect?.label ?? "MitID Erhverv"
        let now = req.application.now()
        let address = req.clientAddress
        let who = identity.email ?? identity.subject
        let userID: UUID
        switch outcome {
        case .refused(let message):
            try await req.writeTransaction { db in
                try await UserStore.recordSignIn(email: who, address: address, succeeded: false, at: now, on: db)
                try await AuditLog.record(
                    .signInFailed, subject: .session(email: who),
                    summary: "Log ind med \(label) afvist: \(message)", by: nil, on: db, request: req)
            }
            return failurePage(req, OpenIDFailure(log: "refused: \(message)", message: message, status: .forbidden))
        case .signIn(let id):
            userID = id
        case .link(let id):
            userID = id
            let notify = sameEmail.map { (email: $0.email, name: $0.name) }
            try await req.writeTransaction { db in
                guard
                    try await ExternalSignInStore.link(
                        id, issuer: identity.issuer, subject: identity.subject, on: db)
                else { throw PuljeError(.conflict, "Brugeren er allerede knyttet til et andet MitID Erhverv.") }
                try await AuditLog.record(
                    .userUpdate, subject: .user(id), summary: "Knyttet til \(label) ved første log ind.", by: nil,
                    on: db, request: req)
                if let notify {
                    try await SecurityNotice.send(
                        .linkedToEID(label), to: notify.email, name: notify.name, at: now,
                        publicURL: req.application.config.publicURL, on: db)
                }
            }
        case .create(let organisationID, let roles):
            let id = UUID()
            userID = id
            // A password no one knows: the user signs in through the provider (an administrator can invite
            // them to choose one where passwords are allowed).
            let hash = try await req.password.async.hash(PKCE.randomValue())
            let email = identity.email ?? ""
            // The provider's name, without control characters and at most 200 characters; else the address.
            let cleaned = identity.name.map {
                String(String.UnicodeScalarView($0.unicodeScalars.filter { $0.value >= 32 && $0.value != 127 }))
                    .trimmingCharacters(in: .whitespaces).prefix(200)
            }
            let name = cleaned.flatMap { $0.isEmpty ? nil : String($0) } ?? email
            try await req.writeTransaction { db in
                let user = UserRecord(
                    email: email, name: name, passwordHash: hash, organisationID: organisationID, roles: roles)
                user.id = id
                user.externalIssuer = identity.issuer
                user.externalSubject = identity.subject
                try await UserStore.create(user, on: db)
                try await AuditLog.record(
                    .userCreate, subject: .user(id),
                    summary:
                        "Oprettet ved første log ind med \(label): \(name) <\(email)>, roller: \(roles.map(\.danishName).sorted().joined(separator: ", ")).",
                    by: nil, on: db, request: req)
            }
        }
        guard let user = try await UserStore.userWithOrganisation(userID, on: req.db) else {
            throw PuljeError(.notFound, "Brugeren findes ikke.")
        }
        let current = CurrentUser(
            id: userID, email: user.email, name: user.name, organisationID: user.$organisation.id,
            organisationName: user.organisation.name, organisationKind: user.organisation.organisationKind,
            roles: user.roleSet)
        try await req.writeTransaction { db in
            try await UserStore.recordSignIn(email: user.email, address: address, succeeded: true, at: now, on: db)
            try await AuditLog.record(
                .signIn, subject: .session(email: user.email), summary: "Logget ind med \(label).", by: current,
                on: db, request: req)
        }
        try await req.startNewSession(for: user)
        req.session.data[SessionKey.idToken] = idToken
        return req.redirect(to: LocalRedirect.path(next) ?? SiteURL.home.path)
    }

    static func failurePage(_ req: Request, _ failure: OpenIDFailure) -> Response {
        req.logger.warning("OpenID Connect sign-in failed: \(failure.log)")
        return ExternalSignInPage.failure(
            message: failure.message, passwordAllowed: req.application.config.municipalPasswordSignIn,
            context: req.pageContext()
        ).response(status: failure.status)
    }
}

enum ExternalSignInPage {
    static func failure(message: String, passwordAllowed: Bool, context: PageContext) -> Node {
        Layout.page(title: "Log ind mislykkedes", context: context) {
            tag("h1") { "Log ind mislykkedes" }
            tag("div", .class("error-summary"), .init("role", "alert")) { tag("p") { message } }
            tag("p") {
                tag("a", .href(SiteURL.externalSignIn.path), .class("button")) { "Prøv igen" }
            }
            tag("p") {
                tag("a", .href(SiteURL.signIn.path)) {
                    passwordAllowed ? "Log ind med e-mail og adgangskode" : "Til log ind"
                }
            }
        }
    }
}
