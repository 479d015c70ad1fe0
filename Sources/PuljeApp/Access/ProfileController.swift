import Fluent
import PuljeDomain
import PuljeHTML
import Vapor

enum ProfileController {
    struct ProfileForm: Content {
        var name: String?
    }

    struct PasswordForm: Content {
        var currentPassword: String?
        var newPassword: String?
        var repeatPassword: String?
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        return ProfilePage.view(user: user, name: user.name, errors: FormErrors(), context: req.pageContext())
            .response(status: .ok)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(ProfileForm.self)
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FormErrors()
        if name.isEmpty { errors.add("name", "Navn skal udfyldes.") }
        if name.count > 200 { errors.add("name", "Navn må højst være 200 tegn.") }
        guard errors.isEmpty else {
            return ProfilePage.view(user: user, name: name, errors: errors, context: req.pageContext())
                .response(status: .unprocessableEntity)
        }
        if name != user.name {
            try await req.writeTransaction { db in
                try await UserStore.update(user.id, on: db) { $0.name = name }
                try await AuditLog.record(
                    .userProfile, subject: .user(user.id), summary: "Navn: \"\(user.name)\" → \"\(name)\"", by: user,
                    on: db, request: req)
            }
        }
        req.flash("Din profil er gemt.")
        return req.redirect(to: SiteURL.profile.path)
    }

    @Sendable static func changePassword(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(PasswordForm.self)
        var errors = FormErrors()
        guard let record = try await UserStore.user(user.id, on: req.db) else {
            throw PuljeError(.notFound, "Brugeren findes ikke.")
        }
        let newPassword = form.newPassword ?? ""
        if !(try await req.password.async.verify(form.currentPassword ?? "", created: record.passwordHash)) {
            errors.add("currentPassword", "Den nuværende adgangskode er forkert.")
        }
        if let problem = PasswordPolicy.problem(with: newPassword, email: user.email) {
            errors.add("newPassword", problem.danishMessage)
        } else if newPassword != form.repeatPassword {
            errors.add("repeatPassword", "De to nye adgangskoder er ikke ens.")
        }
        guard errors.isEmpty else {
            return ProfilePage.view(user: user, name: user.name, errors: errors, context: req.pageContext())
                .response(status: .unprocessableEntity)
        }
        let hash = try await req.password.async.hash(newPassword)
        try await req.writeTransaction { db in
            // Other sessions end: whoever knew the old password is signed out everywhere.
            try await UserStore.update(record, on: db) {
                $0.passwordHash = hash
                $0.sessionEpoch += 1
            }
            try await AuditLog.record(
                .userPassword, subject: .user(user.id), summary: "Adgangskode skiftet; andre sessioner er afsluttet.",
                by: user, on: db, request: req)
            try await SecurityNotice.send(
                .password, to: user.email, name: user.name, at: req.application.now(),
                publicURL: req.application.config.publicURL, on: db)
        }
        try await req.startNewSession(for: record)
        req.flash("Din adgangskode er skiftet. Du er logget ud på alle andre enheder.")
        return req.redirect(to: SiteURL.profile.path)
    }
}

enum ProfilePage {
    static func view(user: CurrentUser, name: String, errors: FormErrors, context: PageContext) -> Node {
        Layout.page(title: "Min profil", context: context) {
            tag("h1") { "Min profil" }
            FormField.errorSummary(errors)
            tag("dl", .class("facts")) {
                tag("dt") { "E-mailadresse" }
                tag("dd") { user.email }
                tag("dt") { "Organisation" }
                tag("dd") { user.organisationName }
                tag("dt") { "Roller" }
                tag("dd") { user.roles.map(\.danishName).sorted().joined(separator: ", ") }
            }
            tag("form", .init("method", "post"), .init("action", SiteURL.profile.path), .class("narrow")) {
                Layout.csrfField(context)
                tag("h2") { "Oplysninger" }
                FormField.text("name", label: "Navn", value: name, errors: errors, required: true, autocomplete: "name")
                tag("button", .type("submit"), .class("button")) { "Gem profil" }
            }
            tag("form", .init("method", "post"), .init("action", SiteURL.profilePassword.path), .class("narrow")) {
                Layout.csrfField(context)
                tag("h2") { "Skift adgangskode" }
                FormField.text(
                    "currentPassword", label: "Nuværende adgangskode", value: nil, errors: errors,
                    type: "password", required: true, autocomplete: "current-password")
                FormField.text(
                    "newPassword", label: "Ny adgangskode", value: nil, errors: errors,
                    hint: "Mindst \(PasswordPolicy.minimumLength) tegn. Brug gerne en sætning på flere ord.",
                    type: "password", required: true, autocomplete: "new-password")
                FormField.text(
                    "repeatPassword", label: "Gentag ny adgangskode", value: nil, errors: errors,
                    type: "password", required: true, autocomplete: "new-password")
                tag("button", .type("submit"), .class("button")) { "Skift adgangskode" }
            }
            tag("h2") { "Totrinsbekræftelse" }
            tag("p") {
                "Log ind med adgangskode og en kode fra en godkendelsesapp på din telefon, så en stjålet adgangskode ikke er nok. "
                tag("a", .href(SiteURL.profileTwoFactor.path)) { "Totrinsbekræftelse" }
            }
            tag("h2") { "Sessioner" }
            tag("p") {
                "Log ud på alle computere og telefoner, hvor du er logget ind, fx hvis du har glemt at logge ud et sted."
            }
            Layout.postButton(
                .signOutEverywhere, label: "Log ud på alle enheder", context: context, style: "button secondary")
        }
    }
}
