import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// The second factor (TOTP): the second step of a password sign-in, and setting it up or switching it off on
/// the profile. The codes are `TOTP`'s; the rule of who must use one is `SecondFactor`'s.
enum TwoFactorController {
    /// How long the second step may take after the password.
    static let pendingLifetime: TimeInterval = 5 * 60
    static let throttle = SignInThrottle()
    static let issuer = "Pulje"

    /// The user whose password was right and who now gives a code; nil when there is none, it took too long,
    /// or the user was closed or signed out everywhere meanwhile.
    static func pending(_ req: Request) async throws -> UserRecord? {
        guard req.hasSession, let raw = req.session.data[SessionKey.pendingUserID], let id = UUID(uuidString: raw),
            let at = req.session.data[SessionKey.pendingAt].flatMap(Double.init),
            req.application.sessionClock().timeIntervalSince1970 - at <= pendingLifetime,
            let user = try await UserStore.userWithOrganisation(id, on: req.db),
            user.isActive, String(user.sessionEpoch) == req.session.data[SessionKey.pendingEpoch]
        else { return nil }
        return user
    }

    static func secretBytes(_ base32: String?) -> [UInt8]? {
        base32.flatMap(Base32.decode).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The second step: the code, or (for staff who must and have none) setting the app up first.
    @Sendable static func codePage(req: Request) async throws -> Response {
        guard let user = try await pending(req) else {
            req.flash("Log ind igen: det tog for lang tid, eller du er ikke nået til koden endnu.")
            return req.redirect(to: SiteURL.signIn.path)
        }
        return try page(req, user: user, errors: FormErrors(), status: .ok)
    }

    static func page(_ req: Request, user: UserRecord, errors: FormErrors, status: HTTPStatus) throws -> Response {
        if user.totpSecret != nil {
            return TwoFactorPages.code(errors: errors, context: req.pageContext()).response(status: status)
        }
        let secret =
            secretBytes(req.session.data[SessionKey.pendingSecret])
            ?? {
                let fresh = TOTP.newSecret()
                req.session.data[SessionKey.pendingSecret] = Base32.encode(fresh)
                return fresh
            }()
        return TwoFactorPages.setup(
            secret: secret, account: user.email, action: SiteURL.signInCode.path, atSignIn: true,
            errors: errors, context: req.pageContext()
        ).response(status: status)
    }

    @Sendable static func checkCode(req: Request) async throws -> Response {
        guard let user = try await pending(req) else {
            req.flash("Log ind igen: det tog for lang tid.")
            return req.redirect(to: SiteURL.signIn.path)
        }
        let id = try user.requireID()
        let now = req.application.now()
        let address = req.clientAddress
        let (accountFailures, addressFailures) = try await UserStore.failedSignIns(
            email: user.email, address: address, since: now.addingTimeInterval(-throttle.window), on: req.db)
        switch throttle.verdict(accountFailures: accountFailures, addressFailures: addressFailures, now: now) {
        case .refusedUntil(let until):
            var errors = FormErrors()
            errors.add("code", SignInThrottle.danishRetryMessage(until: until, now: now))
            return try page(req, user: user, errors: errors, status: .tooManyRequests)
        case .delayed(let seconds):
            try await Task.sleep(for: .seconds(seconds))
        case .allowed:
            break
        }
        let enrolling = user.totpSecret == nil
        let secret = secretBytes(user.totpSecret ?? req.session.data[SessionKey.pendingSecret])
        let typed = req.formFields["code"] ?? ""
        let step = secret.flatMap {
            TOTP.matchingStep(typed, secret: $0, at: req.application.sessionClock(), after: user.totpLastStep)
        }
        let current = CurrentUser(
            id: id, email: user.email, name: user.name, organisationID: user.$organisation.id,
            organisationName: user.organisation.name, organisationKind: user.organisation.organisationKind,
            roles: user.roleSet)
        let accepted: Bool
        if let step, let secret {
            accepted = try await req.writeTransaction { db -> Bool in
                if enrolling {
                    try await UserStore.setTwoFactor(id, secret: Base32.encode(secret), step: step, on: db)
                    try await AuditLog.record(
                        .userTwoFactor, subject: .user(id), summary: "Totrinsbekræftelse slået til ved log ind.",
                        by: current, on: db, request: req)
                    try await SecurityNotice.send(
                        .twoFactorOn, to: user.email, name: user.name, at: now,
                        publicURL: req.application.config.publicURL, on: db)
                } else if !(try await UserStore.useTwoFactorStep(id, step: step, on: db)) {
                    return false
                }
                try await UserStore.recordSignIn(email: user.email, address: address, succeeded: true, at: now, on: db)
                try await AuditLog.record(
                    .signIn, subject: .session(email: user.email),
                    summary: "Logget ind med adgangskode og kode fra app.", by: current, on: db, request: req)
                return true
            }
        } else {
            accepted = false
        }
        guard accepted else {
            try await req.writeTransaction { db in
                try await UserStore.recordSignIn(email: user.email, address: address, succeeded: false, at: now, on: db)
                try await AuditLog.record(
                    .signInFailed, subject: .session(email: user.email),
                    summary: "Forkert eller brugt kode fra app.", by: nil, on: db, request: req)
            }
            var errors = FormErrors()
            errors.add("code", "Koden er forkert eller allerede brugt. Skriv den kode, appen viser nu (6 cifre).")
            return try page(req, user: user, errors: errors, status: .unprocessableEntity)
        }
        let next = req.session.data[SessionKey.pendingNext]
        try await req.startNewSession(for: user)
        return req.redirect(to: LocalRedirect.path(next) ?? SiteURL.home.path)
    }

    // MARK: On the profile

    @Sendable static func setupPage(req: Request) async throws -> Response {
        let current = try req.requireUser()
        guard let user = try await UserStore.userWithOrganisation(current.id, on: req.db) else {
            throw PuljeError(.notFound, "Brugeren findes ikke.")
        }
        return try profilePage(req, user: user, errors: FormErrors(), status: .ok)
    }

    static func required(_ req: Request, _ user: UserRecord) -> Bool {
        SecondFactor.required(
            for: user.organisation.organisationKind, staffMustUseIt: req.application.config.staffTwoFactor)
    }

    static func profilePage(
        _ req: Request, user: UserRecord, errors: FormErrors, status: HTTPStatus
    ) throws
        -> Response
    {
        if user.totpSecret != nil {
            return TwoFactorPages.switchOff(required: required(req, user), errors: errors, context: req.pageContext())
                .response(status: status)
        }
        let secret =
            secretBytes(req.session.data[SessionKey.newSecret])
            ?? {
                let fresh = TOTP.newSecret()
                req.session.data[SessionKey.newSecret] = Base32.encode(fresh)
                return fresh
            }()
        return TwoFactorPages.setup(
            secret: secret, account: user.email, action: SiteURL.profileTwoFactor.path, atSignIn: false,
            errors: errors, context: req.pageContext()
        ).response(status: status)
    }

    /// Switches the second factor on (with a code from the new secret) or off (with a current code, and not
    /// for staff who must use it).
    @Sendable static func saveSetup(req: Request) async throws -> Response {
        let current = try req.requireUser()
        guard let user = try await UserStore.userWithOrganisation(current.id, on: req.db) else {
            throw PuljeError(.notFound, "Brugeren findes ikke.")
        }
        let typed = req.formFields["code"] ?? ""
        let clock = req.application.sessionClock()
        var errors = FormErrors()
        if let existing = secretBytes(user.totpSecret) {
            guard !required(req, user) else {
                throw PuljeError(.forbidden, "Styrelsens medarbejdere skal bruge totrinsbekræftelse.")
            }
            guard TOTP.matchingStep(typed, secret: existing, at: clock, after: user.totpLastStep) != nil else {
                errors.add("code", "Koden er forkert eller allerede brugt. Skriv den kode, appen viser nu.")
                return try profilePage(req, user: user, errors: errors, status: .unprocessableEntity)
            }
            try await req.writeTransaction { db in
                try await UserStore.setTwoFactor(current.id, secret: nil, step: nil, on: db)
                try await AuditLog.record(
                    .userTwoFactor, subject: .user(current.id), summary: "Totrinsbekræftelse slået fra.", by: current,
                    on: db, request: req)
                try await SecurityNotice.send(
                    .twoFactorOff, to: current.email, name: current.name, at: req.application.now(),
                    publicURL: req.application.config.publicURL, on: db)
            }
            req.flash("Totrinsbekræftelse er slået fra.")
            return req.redirect(to: SiteURL.profile.path)
        }
        guard let secret = secretBytes(req.session.data[SessionKey.newSecret]),
            let step = TOTP.matchingStep(typed, secret: secret, at: clock, after: nil)
        else {
            errors.add("code", "Koden passer ikke. Skriv den kode, appen viser nu, efter at du har tilføjet nøglen.")
            return try profilePage(req, user: user, errors: errors, status: .unprocessableEntity)
        }
        try await req.writeTransaction { db in
            try await UserStore.setTwoFactor(current.id, secret: Base32.encode(secret), step: step, on: db)
            try await AuditLog.record(
                .userTwoFactor, subject: .user(current.id), summary: "Totrinsbekræftelse slået til.", by: current,
                on: db, request: req)
            try await SecurityNotice.send(
                .twoFactorOn, to: current.email, name: current.name, at: req.application.now(),
                publicURL: req.application.config.publicURL, on: db)
        }
        req.session.data[SessionKey.newSecret] = nil
        req.flash("Totrinsbekræftelse er slået til. Næste gang du logger ind, skal du også skrive en kode fra appen.")
        return req.redirect(to: SiteURL.profile.path)
    }
}

enum TwoFactorPages {
    static func codeField(_ errors: FormErrors) -> Node {
        FormField.text(
            "code", label: "Kode fra appen", value: nil, errors: errors,
            hint: "6 cifre; koden skifter hvert 30. sekund.",
            required: true, autocomplete: "off", inputMode: "numeric", width: "medium")
    }

    static func code(errors: FormErrors, context: PageContext) -> Node {
        Layout.page(title: "Kode fra app", context: context) {
            tag("h1") { "Skriv koden fra din app" }
            FormField.errorSummary(errors)
            tag("p") {
                "Din adgangskode er godkendt. Åbn din godkendelsesapp (fx Microsoft Authenticator eller Google Authenticator), og skriv den kode, den viser for Pulje."
            }
            tag("form", .init("method", "post"), .init("action", SiteURL.signInCode.path), .class("narrow")) {
                Layout.csrfField(context)
                codeField(errors)
                tag("button", .type("submit"), .class("button")) { "Log ind" }
            }
        }
    }

    static func setup(
        secret: [UInt8], account: String, action: String, atSignIn: Bool, errors: FormErrors, context: PageContext
    ) -> Node {
        let uri = TOTP.provisioningURI(secret: secret, account: account, issuer: TwoFactorController.issuer)
        return Layout.page(title: "Totrinsbekræftelse", context: context) {
            tag("h1") { "Slå totrinsbekræftelse til" }
            FormField.errorSummary(errors)
            if atSignIn {
                tag("p", .class("lead")) {
                    "Styrelsens medarbejdere logger ind med adgangskode og en kode fra en godkendelsesapp. Din adgangskode er godkendt; sæt appen op nu."
                }
            }
            tag("ol") {
                tag("li") {
                    "Åbn en godkendelsesapp på din telefon (fx Microsoft Authenticator eller Google Authenticator), og vælg at tilføje en konto."
                }
                tag("li") {
                    "Skriv nøglen herunder i appen (tidsbaseret), eller åbn "
                    tag("a", .href(uri)) { "linket til appen" }
                    " på telefonen."
                }
                tag("li") { "Skriv den kode på 6 cifre, appen viser, og tryk Bekræft." }
            }
            tag("p") {
                "Nøgle: "
                tag("code", .id("totp-noegle")) { Base32.grouped(secret) }
            }
            tag("form", .init("method", "post"), .init("action", action), .class("narrow")) {
                Layout.csrfField(context)
                codeField(errors)
                tag("button", .type("submit"), .class("button")) { "Bekræft" }
            }
        }
    }

    static func switchOff(required: Bool, errors: FormErrors, context: PageContext) -> Node {
        Layout.page(title: "Totrinsbekræftelse", context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.profile.path)) { "Min profil" } }
            tag("h1") { "Totrinsbekræftelse" }
            FormField.errorSummary(errors)
            tag("p") { "Totrinsbekræftelse er slået til: du logger ind med adgangskode og en kode fra din app." }
            if required {
                tag("p") { "Styrelsens medarbejdere skal bruge totrinsbekræftelse, så den kan ikke slås fra." }
            } else {
                tag("form", .init("method", "post"), .init("action", SiteURL.profileTwoFactor.path), .class("narrow")) {
                    Layout.csrfField(context)
                    codeField(errors)
                    tag("button", .type("submit"), .class("button secondary")) { "Slå totrinsbekræftelse fra" }
                }
            }
        }
    }
}
