import Fluent
import PuljeDomain
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
        let users = try await UserRecord.query(on: req.db).with(\.$organisation).sort(\.$email).all()
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
        let hash = try await req.password.async.hash(form.password ?? "")
        let user = UserRecord(
            email: validated.email, name: validated.name, passwordHash: hash,
            organisationID: try validated.organisation.requireID(), roles: validated.roles)
        try await req.db.transaction { db in
            try await user.create(on: db)
            try await AuditLog.record(
                "user.create", subject: .user(try user.requireID()),
                summary:
                    "Bruger \(validated.name) <\(validated.email)> oprettet i \(validated.organisation.name) med rollerne "
                    + validated.roles.map(\.danishName).sorted().joined(separator: ", ") + ".",
                by: admin, on: db, request: req)
        }
        req.flash(
            "Brugeren \(validated.email) er oprettet. Giv brugeren den midlertidige adgangskode ad en sikker vej.")
        return req.redirect(to: SiteURL.users.path)
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
            try await req.db.transaction { db in
                user.name = validated.name
                user.$organisation.id = try validated.organisation.requireID()
                user.roles = validated.roles.map(\.rawValue).sorted()
                user.isActive = validated.isActive
                if let hash {
                    user.passwordHash = hash
                    user.sessionEpoch += 1
                }
                try await user.save(on: db)
                try await AuditLog.record(
                    "user.update", subject: .user(userID), summary: summary,
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
        } else if existing == nil, try await UserRecord.query(on: db).filter(\.$email == email).first() != nil {
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
        if existing == nil || !password.isEmpty {
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
            let user = try await UserRecord.query(on: req.db).filter(\.$id == id).with(\.$organisation).first()
        else { throw PuljeError(.notFound, "Brugeren findes ikke.") }
        return user
    }

    static func sortedOrganisations(_ db: any Database) async throws -> [OrganisationRecord] {
        let order: [OrganisationKind] = [.agency, .municipality, .region, .evaluator, .provider]
        return try await OrganisationRecord.query(on: db).all().sorted {
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
            tag("form", .init("method", "post"), .init("action", action), .class("narrow"), .init("novalidate", nil)) {
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
                        ? "Mindst \(PasswordPolicy.minimumLength) tegn. Brugeren skifter den under Min profil."
                        : "Udfyld kun for at nulstille adgangskoden. Brugerens sessioner afsluttes.",
                    type: "password", required: existing == nil, autocomplete: "new-password")
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
