import Fluent
import PuljeDomain
import Vapor

/// `pulje create-admin --email … --name …`: the first administrator for a production start.
/// The password is read from standard input (or PULJE_ADMIN_PASSWORD) so it never shows in the process list.
struct CreateAdministratorCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "E-mail address of the administrator")
        var email: String?
        @Option(name: "name", help: "Full name of the administrator")
        var name: String?
    }

    var help: String { "Creates an agency administrator." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let email = (signature.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let name = (signature.name ?? "").trimmingCharacters(in: .whitespaces)
        var problems: [String] = []
        if !UserForm.isValidEmail(email) { problems.append("--email skal være en gyldig e-mailadresse.") }
        if name.isEmpty { problems.append("--name skal angives.") }
        let password =
            Environment.get("PULJE_ADMIN_PASSWORD")
            ?? context.console.ask(
                ConsoleText(stringLiteral: "Adgangskode (mindst \(PasswordPolicy.minimumLength) tegn):"), isSecure: true
            )
        if let problem = PasswordPolicy.problem(with: password, email: email) { problems.append(problem.danishMessage) }
        guard problems.isEmpty else { throw PuljeError(.badRequest, problems.joined(separator: " ")) }
        try await app.autoMigrate()
        try await ReferenceData.load(on: app.db)
        guard
            let agency = try await OrganisationRecord.query(on: app.db).filter(
                \.$kind == OrganisationKind.agency.rawValue
            )
            .first()
        else { throw PuljeError(.internalServerError, "The agency organisation is missing.") }
        if try await UserRecord.query(on: app.db).filter(\.$email == email).first() != nil {
            throw PuljeError(.conflict, "Der findes allerede en bruger med e-mailadressen \(email).")
        }
        let user = UserRecord(
            email: email, name: name, passwordHash: try await app.password.async.hash(password),
            organisationID: try agency.requireID(), roles: [.agencyAdministrator])
        try await app.writeTransaction { db in
            try await user.create(on: db)
            try await AuditLog.record(
                .userCreate, subject: .user(try user.requireID()),
                summary: "Administrator \(name) <\(email)> oprettet.",
                actor: .command("Kommandolinjen (pulje create-admin)", at: app.now()), on: db)
        }
        context.console.print("Administrator \(email) oprettet.")
    }
}
