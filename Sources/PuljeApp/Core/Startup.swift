import Fluent
import FluentSQLiteDriver
import SQLKit
import Vapor

/// What `pulje serve` does before it listens: migrate, load the reference data and the catalogue,
/// and demo accounts where demo data is on. Safe to run on every start.
enum Startup {
    static func prepare(_ app: Application) async throws {
        try await DatabaseStore.enableWriteAheadLog(app)
        try await DatabaseStore.oneInstanceAtATime(app) {
            try await app.autoMigrate()
            try await seed(app)
        }
        if app.environment == .production, try await DemoAccounts.present(on: app.db) {
            throw AppConfig.Invalid(problems: [
                "Databasen indeholder demokontoer med kendte adgangskoder. Slet dem, før Pulje startes i produktion."
            ])
        }
    }

    /// `implementationDemo` adds the demo call in its first project year (`GrantDemo`); tests leave it out so
    /// that each builds the grant cases it looks at.
    static func seed(_ app: Application, implementationDemo: Bool = true) async throws {
        try await ReferenceData.load(on: app.db)
        try await CatalogueFile.loadMissing(on: app.db)
        try await CallSeeds.load(CallSeeds.realCalls, on: app.db, now: app.now())
        if app.config.loadDemoData {
            try await DemoAccounts.load(on: app.db, hasher: app.password.async)
            try await CallSeeds.load(CallSeeds.demoCalls(now: app.now()), on: app.db, now: app.now())
            try await AssessmentDemo.load(on: app.db, now: app.now())
            if implementationDemo {
                try await GrantDemo.load(on: app.db, now: app.now())
                try await EvaluationDemo.load(on: app.db, now: app.now(), key: app.pseudonymKey)
            }
        }
    }
}

/// `pulje seed`: loads reference data, the catalogue and (in development) the demo accounts.
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Loads the reference data, the 2022 catalogue and, where demo data is on, the demo accounts." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Startup.seed(context.application)
        context.console.print("Reference data and catalogue loaded.")
    }
}

/// Runs the start-up work when the command is `serve` (also the default when no command is given).
extension Startup {
    /// Whether the command line starts the server (and so migrates and seeds first): `pulje`, `pulje serve …`
    /// or serve's own options (`pulje --port 8080`), but never a request for help.
    static func serves(_ arguments: [String]) -> Bool {
        let rest = arguments.dropFirst()
        if rest.contains(where: { $0 == "--help" || $0 == "-h" }) { return false }
        let command = rest.first ?? "serve"
        return command == "serve" || command.hasPrefix("-")
    }
}

public func prepareIfServing(_ app: Application) async throws {
    guard Startup.serves(app.environment.arguments) else { return }
    try await Startup.prepare(app)
    app.lifecycle.use(ReminderService(interval: app.config.reminderPollSeconds))
    let exports = ExportWorker(interval: 1)
    app.exportWorker = exports
    app.lifecycle.use(exports)
    if let sendmail = app.config.sendmailCommand {
        app.lifecycle.use(
            MailDeliveryService(
                deliverer: MailDeliverer(command: sendmail, from: app.config.mailFrom),
                interval: app.config.mailPollSeconds))
    } else {
        app.logger.notice("PULJE_SENDMAIL is not set: e-mail stays in the outbox (see /admin/udbakke in the demo).")
    }
}
