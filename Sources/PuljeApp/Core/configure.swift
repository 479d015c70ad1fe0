import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOSSL
import Vapor

/// Sets up the application: database, sessions, middleware, migrations, commands and routes.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.storage[AppConfigKey.self] = config
    app.secureCookies = config.secureCookies

    switch config.database {
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
        app.writeGate = WriteGate()
    case .sqliteFile(let path):
        try DataDirectory.prepare((path as NSString).deletingLastPathComponent)
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
        app.writeGate = WriteGate()
    case .postgres(let url):
        try DataDirectory.prepare(config.dataDirectory)
        var configuration = try SQLPostgresConfiguration(url: url)
        // Loopback and private networks usually run without TLS; require it by adding sslmode=require to the URL.
        if !url.contains("sslmode=require") { configuration.coreConfiguration.tls = .disable }
        // Each instance names its connections, so that /metrics can count this instance's own in
        // pg_stat_activity (several instances share one server).
        configuration.coreConfiguration.options.additionalStartupParameters = [
            ("application_name", app.databaseConnectionName)
        ]
        // One connection per event loop (the default) lets only as many transactions run at once as there
        // are cores; a save holds its connection for a few round trips, so the deadline surge wants more
        // (measured: 1 → 655, 4 → 954, 8 → 1.026 autosaves/s on two cores).
        // Tests wait longer for a connection: on a shared two-core machine under load, opening one has taken
        // more than the default 10 seconds (a CI run failed on `connectionRequestTimeout`).
        app.databases.use(
            .postgres(
                configuration: configuration, maxConnectionsPerEventLoop: DatabaseStore.connectionsPerEventLoop,
                connectionPoolTimeout: app.environment == .testing ? .seconds(60) : .seconds(10)), as: .psql)
    }

    // Plain JSON: "/api/v1/…" rather than "\/api\/v1\/…", and ISO 8601 dates.
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    ContentConfiguration.global.use(encoder: encoder, for: .json)
    try NULBytes.dropFromRequestBodies(&ContentConfiguration.global)

    app.sessions.use { _ in DatabaseSessions() }
    // Over https the cookie carries the __Host- prefix: browsers then accept it only Secure, for this host
    // and path "/", so a neighbouring subdomain cannot set or shadow it.
    app.sessions.configuration = SessionsConfiguration(
        cookieName: config.secureCookies ? "__Host-pulje_session" : "pulje_session"
    ) { id in
        HTTPCookies.Value(
            string: id.string, expires: nil, maxAge: nil, domain: nil, path: "/", isSecure: config.secureCookies,
            isHTTPOnly: true, sameSite: .lax)
    }

    // Order matters: errors are rendered last so that they also carry the security headers.
    app.middleware = .init()
    // Outermost: every answer carries the request's id and is counted, errors included.
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(MetricsMiddleware(metrics: app.metrics))
    app.middleware.use(
        SecurityHeadersMiddleware(
            formActionOrigins: config.openIDConnect.flatMap { SecurityHeadersMiddleware.origin(of: $0.issuer) }
                .map { [$0] } ?? []))
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(ErrorMiddleware())
    app.middleware.use(MethodFilterMiddleware())
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(CurrentUserMiddleware())
    app.middleware.use(CSRFMiddleware())

    app.pseudonymKey = try PseudonymKey.resolve(config)
    app.configureOpenIDConnect()

    app.routes.defaultMaxBodySize = "1mb"
    app.passwords.use(.prehashedBcrypt(cost: app.environment == .testing ? 4 : 12))

    for migration in Migrations.all { app.migrations.add(migration) }

    app.asyncCommands.use(SeedCommand(), as: "seed")
    app.asyncCommands.use(CreateAdministratorCommand(), as: "create-admin")
    app.asyncCommands.use(LoadTestSeedCommand(), as: "seed-loadtest")
    app.asyncCommands.use(ListSeedCommand(), as: "seed-lists")
    app.asyncCommands.use(EvaluationSeedCommand(), as: "seed-evaluation")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")

    try routes(app)
}

struct AppConfigKey: StorageKey { typealias Value = AppConfig }

extension Application {
    var config: AppConfig {
        get {
            guard let config = storage[AppConfigKey.self] else { fatalError("configure(_:config:) has not run") }
            return config
        }
        set { storage[AppConfigKey.self] = newValue }
    }
}

/// Every migration, in the order they run: one per file in `Migrations/`, numbered as they stand here.
/// Add new ones at the end; never reorder. (The fourth is Fluent's own session table, replaced by 024.)
enum Migrations {
    static let all: [any Migration] = [
        CreateRegions(),
        CreateOrganisations(),
        CreateUsers(),
        SessionRecord.migration,
        CreateSignInAttempts(),
        CreateAuditEntries(),
        CreateInitiatives(),
        CreateCalls(),
        CreateApplications(),
        CreateOutboxMessages(),
        CreateApplicationMessages(),
        CreateApplicationAttachments(),
        CreateMessageAttachments(),
        CreateScreenings(),
        CreateAssessorAssignments(),
        CreateScores(),
        CreateConsensus(),
        CreateInformationRequests(),
        CreatePortfolioOverrides(),
        CreateDecisions(),
        CreateLetters(),
        CreateLetterTemplates(),
        CreateInvitations(),
        CreateHashedSessions(),
        AddUnreadDraftInput(),
        AddInitiativeFacts(),
        AddApplicationApproval(),
        CreateGrantCases(),
        AddLetterJournalNumber(),
        CreateGrantActivities(),
        CreateGrantReminders(),
        AddGrantClosing(),
        CreateBusinessCases(),
        CreatePhaseVerdicts(),
        AddListIndexes(),
        CreateEvaluations(),
        CreatePhaseCriteria(),
        AddExternalSignIn(),
        AddTwoFactor(),
        AddCaseListIndexes(),
        AddListOrderIndexes(),
        AddFinalReportRounds(),
        CreateEvaluationExports(),
        AddEvaluationCitizenListIndexes(),
    ]
}
