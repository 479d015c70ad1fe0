import Fluent
import PuljeDomain
import PuljeHTML
import Vapor

enum SignInController {
    struct Form: Content {
        var email: String?
        var password: String?
        var naeste: String?
    }

    static let throttle = SignInThrottle()

    @Sendable static func show(req: Request) async throws -> Response {
        // An unsafe target is dropped here, so the form's hidden field never carries it either.
        let next = LocalRedirect.path(try? req.query.get(String.self, at: "naeste"))
        if req.currentUser != nil { return req.redirect(to: safeNext(next)) }
        _ = req.csrfToken()
        return SignInPage.view(
            context: req.pageContext(), email: "", next: next, error: nil,
            external: req.application.config.openIDConnect?.label,
            passwordForAll: req.application.config.municipalPasswordSignIn
        ).response(status: .ok)
    }

    @Sendable static func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = form.password ?? ""
        let now = req.application.now()
        let address = req.clientAddress

        func refuse(_ message: String, status: HTTPStatus) -> Response {
            SignInPage.view(
                context: req.pageContext(), email: email, next: LocalRedirect.path(form.naeste), error: message,
                external: req.application.config.openIDConnect?.label
            )
            .response(status: status)
        }
        guard !email.isEmpty, !password.isEmpty else {
            return refuse("Skriv både e-mailadresse og adgangskode.", status: .unprocessableEntity)
        }

        let since = now.addingTimeInterval(-throttle.window)
        let (accountFailures, addressFailures) = try await UserStore.failedSignIns(
            email: email, address: address, since: since, on: req.db)
        switch throttle.verdict(accountFailures: accountFailures, addressFailures: addressFailures, now: now) {
        case .refusedUntil(let until):
            return refuse(SignInThrottle.danishRetryMessage(until: until, now: now), status: .tooManyRequests)
        case .delayed(let seconds):
            // Slows a guesser at this address down without locking out the others who share it.
            try await Task.sleep(for: .seconds(seconds))
        case .allowed:
            break
        }

        let user = try await UserStore.user(email: email, on: req.db)
        // Verify against a dummy hash when there is no such user, so timing does not reveal which accounts exist.
        let hash = try user?.passwordHash ?? req.application.dummyPasswordHash()
        let verified = try await req.password.async.verify(password, created: hash)
        let config = req.application.config
        // Where municipal users sign in with the e-ID only, their password is refused like a wrong one (the
        // answer must not tell that a password was right), and every refusal says where they sign in.
        let passwordAllowed =
            user.map {
                ExternalSignIn.passwordSignInAllowed(
                    for: $0.organisation.organisationKind, municipalPasswordSignIn: config.municipalPasswordSignIn)
            } ?? true
        guard let user, user.isActive, verified, passwordAllowed else {
            try await req.writeTransaction { db in
                try await UserStore.recordSignIn(email: email, address: address, succeeded: false, at: now, on: db)
                try await AuditLog.record(
                    .signInFailed, subject: .session(email: email),
                    summary: passwordAllowed
                        ? "Mislykket forsøg på at logge ind."
                        : "Adgangskode afvist: brugeren logger ind med \(config.openIDConnect?.label ?? "MitID Erhverv").",
                    by: nil, on: db, request: req)
            }
            return refuse(
                "E-mailadressen eller adgangskoden er forkert."
                    + (config.municipalPasswordSignIn
                        ? ""
                        : " Kommuner, regioner og leverandører logger ind med \(config.openIDConnect?.label ?? "MitID Erhverv") ovenfor."),
                status: .unauthorized)
        }

        // The password is right: a hash of the old kind (bcrypt over its first 72 bytes) is replaced now.
        if PrehashedBcrypt.isLegacy(hash) {
            let upgraded = try await req.password.async.hash(password)
            try await UserStore.upgradeHash(of: try user.requireID(), from: hash, to: upgraded, on: req.db)
        }

        // The password is right; a code from the authenticator app comes next where the user has one, or must.
        if user.totpSecret != nil
            || SecondFactor.required(
                for: user.organisation.organisationKind,
                staffMustUseIt: req.application.config.staffTwoFactor)
        {
            try await req.startPendingSignIn(
                for: user, next: LocalRedirect.path(form.naeste), at: req.application.sessionClock())
            return req.redirect(to: SiteURL.signInCode.path)
        }
        let current = CurrentUser(
            id: try user.requireID(), email: user.email, name: user.name, organisationID: user.$organisation.id,
            organisationName: user.organisation.name, organisationKind: user.organisation.organisationKind,
            roles: user.roleSet)
        try await req.writeTransaction { db in
            try await UserStore.recordSignIn(email: email, address: address, succeeded: true, at: now, on: db)
            try await AuditLog.record(
                .signIn, subject: .session(email: email), summary: "Logget ind.", by: current, on: db,
                request: req)
        }
        try await req.startNewSession(for: user)
        return req.redirect(to: safeNext(form.naeste))
    }

    @Sendable static func signOut(req: Request) async throws -> Response {
        if let user = req.currentUser {
            try await AuditLog.record(
                .signOut, subject: .session(email: user.email), summary: "Logget ud.", by: user, on: req.db,
                request: req)
        }
        let idToken = req.hasSession ? req.session.data[SessionKey.idToken] : nil
        req.session.destroy()
        // Signed in through the provider: its session is ended too, where it offers that.
        // (Only at the issuer's origin, which the pages' form-action allows; elsewhere the browser would
        // refuse the redirect, and the provider's session ends when it expires.)
        if idToken != nil, let provider = req.application.openIDConnect,
            let target = await provider.endSessionURL(
                idToken: idToken, returnTo: req.application.config.publicURL + SiteURL.home.path),
            let issuer = req.application.config.openIDConnect?.issuer,
            SecurityHeadersMiddleware.origin(of: target) == SecurityHeadersMiddleware.origin(of: issuer)
        {
            return req.redirect(to: target)
        }
        return req.redirect(to: SiteURL.home.path)
    }

    /// Ends every session of the user, on every device and every instance, by raising the session epoch.
    @Sendable static func signOutEverywhere(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await req.writeTransaction { db in
            try await UserStore.update(user.id, on: db) { $0.sessionEpoch += 1 }
            try await AuditLog.record(
                .signOutEverywhere, subject: .user(user.id), summary: "Logget ud på alle enheder.", by: user,
                on: db, request: req)
        }
        req.session.destroy()
        return req.redirect(to: SiteURL.signIn.path)
    }

    /// Only paths on this site (`LocalRedirect`); anything else goes to the front page.
    static func safeNext(_ next: String?) -> String {
        LocalRedirect.path(next) ?? SiteURL.home.path
    }
}

enum SignInPage {
    /// `external`: the name of the e-ID to sign in with ("MitID Erhverv"), when it is configured.
    /// `passwordForAll`: false where municipal users sign in with the e-ID only.
    static func view(
        context: PageContext, email: String, next: String?, error: String?, external: String? = nil,
        passwordForAll: Bool = true
    ) -> Node {
        Layout.page(title: "Log ind", context: context) {
            tag("h1") { "Log ind" }
            if let error {
                tag("div", .class("error-summary"), .init("role", "alert")) { tag("p") { error } }
            }
            if let external {
                tag("section", .class("narrow")) {
                    tag("h2") { "Kommuner, regioner og leverandører" }
                    tag("p") {
                        tag(
                            "a",
                            .href(
                                SiteURL.externalSignIn.path
                                    + (next.map { "?naeste=" + OpenIDConnect.formEncode($0) } ?? "")),
                            .class("button")
                        ) { "Log ind med \(external)" }
                    }
                    tag("h2") { "Med e-mail og adgangskode" }
                    if !passwordForAll {
                        tag("p") { "For styrelsens medarbejdere, evaluator og administratorer." }
                    }
                }
            }
            tag("form", .init("method", "post"), .init("action", SiteURL.signIn.path), .class("narrow")) {
                Layout.csrfField(context)
                if let next { tag("input", .type("hidden"), .name("naeste"), .value(next)) }
                FormField.text(
                    "email", label: "E-mailadresse", value: email, errors: FormErrors(), type: "email", required: true,
                    autocomplete: "email")
                FormField.text(
                    "password", label: "Adgangskode", value: nil, errors: FormErrors(), type: "password",
                    required: true, autocomplete: "current-password")
                tag("button", .type("submit"), .class("button")) { "Log ind" }
            }
        }
    }
}
