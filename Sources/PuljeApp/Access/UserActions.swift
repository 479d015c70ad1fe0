import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// An administrator's use cases for users: create (with an invitation by e-mail or a temporary password),
/// change, and invite again. Each writes through the write path with its audit entry and returns the
/// message for the user; field errors are thrown as `FormErrors`, nothing saved.
enum UserActions {
    struct ValidUser {
        var name: String
        var email: String
        var organisation: OrganisationRecord
        var roles: Set<Role>
        var isActive: Bool
    }

    /// The form checked: a name, a valid e-mail not in use, an organisation, roles that fit its kind, and a
    /// temporary password (if one is given) that passes the password policy.
    static func validate(
        _ form: UserForm, organisations: [OrganisationRecord], existing: UserRecord?, db: any Database
    ) async throws -> ValidUser {
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
        if !password.isEmpty, let problem = PasswordPolicy.problem(with: password, email: email) {
            errors.add("password", problem.danishMessage)
        }
        guard errors.isEmpty, let organisation else { throw errors }
        let isActive = existing == nil ? true : form.isActive == "true"
        return ValidUser(name: name, email: email, organisation: organisation, roles: roles, isActive: isActive)
    }

    /// Creates the user. Without a temporary password the user is invited by e-mail and chooses one; until
    /// then the account has a random password nobody knows.
    static func create(_ form: UserForm, by admin: CurrentUser, req: Request) async throws -> String {
        let organisations = try await UserStore.sortedOrganisations(on: req.db)
        let validated = try await validate(form, organisations: organisations, existing: nil, db: req.db)
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
        return invite
            ? "Brugeren \(validated.email) er oprettet, og en invitation er sendt pr. e-mail. Linket virker i 7 dage."
            : "Brugeren \(validated.email) er oprettet. Giv brugeren den midlertidige adgangskode ad en sikker vej."
    }

    /// Sends a new invitation (an earlier one stops working), for a user who lost or never used theirs.
    static func invite(_ user: UserRecord, by admin: CurrentUser, req: Request) async throws -> String {
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
        return "En ny invitation er sendt til \(user.email). Tidligere links virker ikke længere."
    }

    /// Changes name, organisation, roles and whether the user is active, and perhaps sets a new temporary
    /// password (which ends the user's sessions). The e-mail address does not change. An administrator
    /// cannot remove their own administrator role or deactivate themselves.
    static func update(
        _ user: UserRecord, _ typed: UserForm, by admin: CurrentUser, req: Request
    ) async throws -> String {
        var form = typed
        form.email = user.email
        let organisations = try await UserStore.sortedOrganisations(on: req.db)
        let validated = try await validate(form, organisations: organisations, existing: user, db: req.db)
        let userID = try user.requireID()
        if userID == admin.id && (!validated.isActive || !validated.roles.contains(.agencyAdministrator)) {
            throw FormErrors("roles", "Du kan ikke fjerne din egen administratorrolle eller deaktivere dig selv.")
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
        guard !changes.isEmpty else { return "Der var ingen ændringer at gemme." }
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
                .userUpdate, subject: .user(userID), summary: summary, by: admin, on: db, request: req)
        }
        return "Brugeren \(user.email) er opdateret."
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
