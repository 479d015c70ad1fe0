import Fluent
import PuljeDomain
import PuljeHTML
import Vapor

/// The form an administrator fills to create or change a user.
struct UserForm: Content {
    var name: String?
    var email: String?
    var organisationID: String?
    var roles: [String]?
    var password: String?
    var isActive: String?

    static func isValidEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), email.count <= 254
        else { return false }
        return !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
    }
}

enum UsersController {
    @Sendable static func index(req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        let users = try await UserStore.all(on: req.db)
        return UserPages.list(users: users, context: req.pageContext()).response(status: .ok)
    }

    @Sendable static func new(req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        let organisations = try await sortedOrganisations(req.db)
        return UserPages.form(
            form: UserForm(), errors: FormErrors(), organisations: organisations, existing: nil,
            context: req.pageContext()
        ).response(status: .ok)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let admin = try req.authorize(.manageUsers)
        let form = try req.content.decode(UserForm.self)
        let organisations = try await sortedOrganisations(req.db)
        let (validated, errors) = try await validate(form, organisations: organisations, existing: nil, db: req.db)
        guard let validated else {
            return UserPages.form(
                form: form, errors: errors, organisations: organisations, existing: nil,
                context: req.pageContext()
            ).response(status: .unprocessableEntity)
        }
        // Without a temporary password the user is invited by e-mail and chooses one; until then the account
        // has a random password nobody knows.
        let invite = (form.password ?? "").isEmpty
        let hash = try await req.password.async.hash(
            invite ? [UInt8].random(count: 32).base64URLEncoded : (form.password ?? ""))
        let user = UserRecord(
            email: validated.email, name: validated.name, passwordHash: hash,
            organisationID: try validated.organisation.requireID(), roles: validated.roles)
        let now = req.application.now()
        let baseURL = req.application.config.publicURL
        try await req.writeTransaction { db in
            try await UserStore.create(user, on: db)
            if invite {
                try await Invitations.send(
                    to: user, organisation: validated.organisation.name, by: admin, baseURL: baseURL, at: now, on: db)
            }
            try await AuditLog.record(
                .userCreate, subject: .user(try user.requireID()),
                summary:
                    "Bruger \(validated.name) <\(validated.email)> oprettet i \(validated.organisation.name) med rollerne "
                    + validated.roles.map(\.danishName).sorted().joined(separator: ", ")
                    + (invite ? "; invitation sendt pr. e-mail." : "."),
                by: admin, on: db, request: req)
        }
        req.flash(
            invite
                ? "Brugeren \(validated.email) er oprettet, og en invitation er sendt pr. e-mail. Linket virker i 7 dage."
                : "Brugeren \(validated.email) er oprettet. Giv brugeren den midlertidige adgangskode ad en sikker vej."
        )
        return req.redirect(to: SiteURL.users.path)
    }

    /// Sends a new invitation (an earlier one stops working), for a user who lost or never used theirs.
    @Sendable static func invite(req: Request) async throws -> Response {
        let admin = try req.authorize(.manageUsers)
        let user = try await find(req)
        guard user.isActive else {
            throw PuljeError(.conflict, "Brugeren er deaktiveret. Aktivér brugeren, før du sender en invitation.")
        }
        let now = req.application.now()
        let baseURL = req.application.config.publicURL
        try await req.writeTransaction { db in
            try await Invitations.send(
                to: user, organisation: user.organisation.name, by: admin, baseURL: baseURL, at: now, on: db)
            try await AuditLog.record(
                .userInvite, subject: .user(try user.requireID()),
                summary: "Ny invitation sendt til \(user.email).", by: admin, on: db, request: req)
        }
        req.flash("En ny invitation er sendt til \(user.email). Tidligere links virker ikke længere.")
        return req.redirect(to: SiteURL.user(try user.requireID()).path)
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        let user = try await find(req)
        var form = UserForm()
        form.name = user.name
        form.email = user.email
        form.organisationID = user.$organisation.id.uuidString
        form.roles = user.roles
        form.isActive = user.isActive ? "true" : nil
        let organisations = try await sortedOrganisations(req.db)
        let history = try await AuditLog.history(of: .user(try user.requireID()), on: req.db)
        return UserPages.form(
            form: form, errors: FormErrors(), organisations: organisations, existing: user,
            history: history, context: req.pageContext()
        ).response(status: .ok)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let admin = try req.authorize(.manageUsers)
        let user = try await find(req)
        var form = try req.content.decode(UserForm.self)
        form.email = user.email
        let organisations = try await sortedOrganisations(req.db)
        let (validated, errors) = try await validate(form, organisations: organisations, existing: user, db: req.db)
        guard let validated else {
            return UserPages.form(
                form: form, errors: errors, organisations: organisations, existing: user,
                context: req.pageContext()
            ).response(status: .unprocessableEntity)
        }
        let userID = try user.requireID()
        if userID == admin.id && (!validated.isActive || !validated.roles.contains(.agencyAdministrator)) {
            var errors = FormErrors()
            errors.add("roles", "Du kan ikke fjerne din egen administratorrolle eller deaktivere dig selv.")
            return UserPages.form(
                form: form, errors: errors, organisations: organisations, existing: user,
                context: req.pageContext()
            ).response(status: .unprocessableEntity)
        }
        var changes: [String] = []
        if user.name != validated.name { changes.append("Navn: \"\(user.name)\" → \"\(validated.name)\"") }
        if user.$organisation.id != (try validated.organisation.requireID()) {
            changes.append("Organisation → \(validated.organisation.name)")
        }
        if user.roleSet != validated.roles {
            changes.append("Roller: " + validated.roles.map(\.danishName).sorted().joined(separator: ", "))
        }
        if user.isActive != validated.isActive { changes.append(validated.isActive ? "Aktiveret" : "Deaktiveret") }
        let newPassword = (form.password ?? "").isEmpty ? nil : form.password
        if newPassword != nil { changes.append("Ny midlertidig adgangskode sat; brugerens sessioner er afsluttet.") }
        if !changes.isEmpty {
            let summary = changes.joined(separator: "\n")
            let hash = try await newPassword.asyncMap { try await req.password.async.hash($0) }
            try await req.writeTransaction { db in
                user.name = validated.name
                user.$organisation.id = try validated.organisation.requireID()
                user.roles = validated.roles.map(\.rawValue).sorted()
                user.isActive = validated.isActive
                if let hash {
                    user.passwordHash = hash
                    user.sessionEpoch += 1
                }
                try await UserStore.update(user, on: db) { _ in }
                try await AuditLog.record(
                    .userUpdate, subject: .user(userID), summary: summary,
                    by: admin, on: db, request: req)
            }
        }
        req.flash(changes.isEmpty ? "Der var ingen ændringer at gemme." : "Brugeren \(user.email) er opdateret.")
        return req.redirect(to: SiteURL.users.path)
    }

    struct ValidUser {
        var name: String
        var email: String
        var organisation: OrganisationRecord
        var roles: Set<Role>
        var isActive: Bool
    }

    static func validate(
        _ form: UserForm, organisations: [OrganisationRecord], existing: UserRecord?, db: any Database
    )
        async throws -> (ValidUser?, FormErrors)
    {
        var errors = FormErrors()
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors.add("name", "Navn skal udfyldes.") }
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if !UserForm.isValidEmail(email) {
            errors.add("email", "Skriv en gyldig e-mailadresse, fx navn@kommune.dk.")
        } else if existing == nil, try await UserStore.user(email: email, on: db) != nil {
            errors.add("email", "Der findes allerede en bruger med e-mailadressen \(email).")
        }
        let organisation = organisations.first { $0.id?.uuidString == form.organisationID }
        if organisation == nil { errors.add("organisationID", "Vælg en organisation.") }
        let roles = Set((form.roles ?? []).compactMap(Role.init(rawValue:)))
        if roles.isEmpty { errors.add("roles", "Vælg mindst én rolle.") }
        if let organisation {
            let wrong = roles.filter { !$0.organisationKinds.contains(organisation.organisationKind) }
            if !wrong.isEmpty {
                errors.add(
                    "roles",
                    "Rollen \(wrong.map(\.danishName).sorted().joined(separator: ", ")) passer ikke til en organisation af typen \(organisation.organisationKind.danishName.lowercased())."
                )
            }
        }
        let password = form.password ?? ""
        if !password.isEmpty {
            if let problem = PasswordPolicy.problem(with: password, email: email) {
                errors.add("password", problem.danishMessage)
            }
        }
        guard errors.isEmpty, let organisation else { return (nil, errors) }
        let isActive = existing == nil ? true : form.isActive == "true"
        return (
            ValidUser(name: name, email: email, organisation: organisation, roles: roles, isActive: isActive), errors
        )
    }

    static func find(_ req: Request) async throws -> UserRecord {
        guard let id = req.parameters.get("userID", as: UUID.self),
            let user = try await UserStore.userWithOrganisation(id, on: req.db)
        else { throw PuljeError(.notFound, "Brugeren findes ikke.") }
        return user
    }

    static func sortedOrganisations(_ db: any Database) async throws -> [OrganisationRecord] {
        let order: [OrganisationKind] = [.agency, .municipality, .region, .evaluator, .provider]
        return try await UserStore.organisations(on: db).sorted {
            let a = order.firstIndex(of: $0.organisationKind) ?? 9
            let b = order.firstIndex(of: $1.organisationKind) ?? 9
            return a != b ? a < b : $0.name.compare($1.name, locale: Locale(identifier: "da_DK")) == .orderedAscending
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

enum UserPages {
    static func list(users: [UserRecord], context: PageContext) -> Node {
        Layout.page(title: "Brugere", context: context) {
            tag("h1") { "Brugere" }
            tag("p") { tag("a", .class("button"), .href(SiteURL.newUser.path)) { "Opret bruger" } }
            tag("table", .class("data")) {
                tag("caption", .class("visually-hidden")) { "Brugere" }
                tag("thead") {
                    tag("tr") {
                        for heading in ["Navn", "E-mail", "Organisation", "Roller", "Status"] {
                            tag("th", .init("scope", "col")) { heading }
                        }
                    }
                }
                tag("tbody") {
                    for user in users {
                        tag("tr") {
                            tag("td") { tag("a", .href(SiteURL.user(user.id!).path)) { user.name } }
                            tag("td") { user.email }
                            tag("td") { user.organisation.name }
                            tag("td") { user.roleSet.map(\.danishName).sorted().joined(separator: ", ") }
                            tag("td") { user.isActive ? "Aktiv" : "Deaktiveret" }
                        }
                    }
                }
            }
        }
    }

    static func form(
        form: UserForm, errors: FormErrors, organisations: [OrganisationRecord], existing: UserRecord?,
        history: [AuditEntryRecord] = [], context: PageContext
    ) -> Node {
        let title = existing.map { "Redigér \($0.name)" } ?? "Opret bruger"
        let action = existing.map { SiteURL.user($0.id!).path } ?? SiteURL.users.path
        return Layout.page(title: title, context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.users.path)) { "Brugere" } }
            tag("h1") { title }
            FormField.errorSummary(errors)
            tag("form", .init("method", "post"), .init("action", action), .class("narrow"), .noValidate) {
                Layout.csrfField(context)
                FormField.text("name", label: "Navn", value: form.name, errors: errors, required: true)
                if existing == nil {
                    FormField.text(
                        "email", label: "E-mailadresse", value: form.email, errors: errors, type: "email",
                        required: true)
                } else {
                    tag("p") { "E-mailadresse: " + (form.email ?? "") }
                }
                FormField.select(
                    "organisationID", label: "Organisation",
                    options: [("", "Vælg organisation")]
                        + organisations.map {
                            ($0.id!.uuidString, $0.name + " (" + $0.organisationKind.danishName.lowercased() + ")")
                        },
                    selected: form.organisationID, errors: errors, required: true)
                FormField.checkboxes(
                    "roles", legend: "Roller", options: Role.allCases.map { ($0.rawValue, $0.danishName) },
                    checked: Set(form.roles ?? []), errors: errors,
                    hint:
                        "Styrelsens roller kræver en bruger i styrelsen, kommunale roller en kommune, region eller leverandør, og evaluatorrollen en evaluator."
                )
                FormField.text(
                    "password", label: existing == nil ? "Midlertidig adgangskode" : "Ny midlertidig adgangskode",
                    value: nil, errors: errors,
                    hint: existing == nil
                        ? "Lad feltet stå tomt for at sende brugeren en invitation pr. e-mail, så brugeren selv vælger sin adgangskode. Ellers mindst \(PasswordPolicy.minimumLength) tegn; brugeren skifter den under Min profil."
                        : "Udfyld kun for at nulstille adgangskoden. Brugerens sessioner afsluttes.",
                    type: "password", autocomplete: "new-password")
                if existing != nil {
                    tag("div", .class("checkbox")) {
                        tag(
                            "input", .type("checkbox"), .id("felt-isActive"), .name("isActive"), .value("true"),
                            .flag("checked", form.isActive == "true"))
                        tag("label", .for("felt-isActive")) { "Aktiv (kan logge ind)" }
                    }
                }
                tag("button", .type("submit"), .class("button")) { existing == nil ? "Opret bruger" : "Gem ændringer" }
            }
            if let existing, existing.isActive {
                tag("h2") { "Invitation" }
                tag("p") {
                    "Send brugeren et nyt link pr. e-mail, så brugeren selv kan vælge en adgangskode. Tidligere links holder op med at virke."
                }
                Layout.postButton(
                    .inviteUser(existing.id!), label: "Send ny invitation", context: context, style: "button secondary")
            }
            if existing != nil {
                tag("h2") { "Historik" }
                if history.isEmpty {
                    tag("p") { "Ingen registrerede ændringer." }
                } else {
                    tag("ul") {
                        for entry in history {
                            tag("li") {
                                DanishTime.dateTimeWithSeconds(entry.at) + " – " + AuditHistory.actionName(entry.action)
                                    + " af " + entry.actorName + ": " + entry.summary
                            }
                        }
                    }
                }
            }
        }
    }
}
