import Fluent
import Foundation
import PuljeDomain
import Vapor

/// `pulje seed-lists --applications 100000`: submitted applications over many closed calls, for
/// `benchmarks/list_pages.py`. One application per municipality and call (98 per call), spread over four
/// statuses and over the calls' deadlines, with unique submission numbers, and a grant case for each
/// awarded one (a fifth). Refused in production.
struct ListSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "applications", help: "Number of submitted applications (default 1000, at most 200000)")
        var applications: Int?
    }

    var help: String { "Creates submitted applications over many calls for the list benchmark (not in production)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard app.environment != .production else {
            throw PuljeError(.forbidden, "seed-lists kan ikke bruges i produktion.")
        }
        let count = signature.applications ?? 1000
        guard (1...200_000).contains(count) else {
            throw PuljeError(.badRequest, "--applications skal være mellem 1 og 200000.")
        }
        try await app.autoMigrate()
        try await Startup.seed(app)
        let made = try await Self.seed(app, applications: count, grantCases: true)
        print("{\"applications\": \(made.applications), \"calls\": \(made.calls)}")
    }

    /// The applications and calls, on a database with its reference data.
    static func seed(
        _ app: Application, applications count: Int, grantCases: Bool = false
    ) async throws -> (applications: Int, calls: Int) {
        let municipalities = try await OrganisationRecord.query(on: app.db)
            .filter(\.$kind == OrganisationKind.municipality.rawValue).sort(\.$municipalityCode).all()
        let now = Date()
        let run = Int(now.timeIntervalSince1970)
        // One responsible applicant per municipality.
        let hash = try PrehashedBcrypt(cost: 4).hash("liste-\(run)")
        var responsible: [UUID] = []
        for municipality in municipalities {
            let user = UserRecord(
                email: "liste-\(run)@\(municipality.municipalityCode ?? 0).belastning", name: "Listebruger",
                passwordHash: hash, organisationID: try municipality.requireID(), roles: [.municipalApplicant])
            try await user.create(on: app.db)
            responsible.append(try user.requireID())
        }
        let callCount = (count + municipalities.count - 1) / municipalities.count
        var seeds: [CallSeeds.Seed] = []
        for index in 0..<callCount {
            let deadline = now.addingTimeInterval(-Double(callCount - index) * 86_400)
            let rules = CallRules(
                applicantKinds: [.municipality], targetAreas: [TargetArea(code: "handicap", name: "Handicapområdet")],
                funds: Money(kroner: 10_000_000), projectStart: "2030-01-01", projectEnd: "2031-12-31",
                opensAt: deadline.addingTimeInterval(-30 * 86_400), deadline: Deadline(instant: deadline),
                answerExpected: nil, contacts: [ContactPerson(name: "Listetest")], minimumConditions: [],
                criteria: [], questions: [],
                budget: BudgetRules(eligibleCategories: [.salaries], maximumTotal: Money(kroner: 2_000_000)))
            seeds.append(
                .init(
                    title: "Listetest \(run) pulje \(String(format: "%05d", index + 1))", summary: "Til listetest.",
                    targetGroup: "", initiativeNumber: nil, rules: rules))
        }
        try await CallSeeds.load(seeds, on: app.db, now: now)
        let titles = Set(seeds.map(\.title))
        let calls = try await CallRecord.query(on: app.db).filter(\.$title ~~ "Listetest \(run) ").all()
            .filter { titles.contains($0.title) }.sorted { $0.title < $1.title }
        let content = ApplicationStore.encode(ApplicationContent(projectTitle: "Listetest"))
        let statuses: [ApplicationStatus] = [.submitted, .submitted, .underAssessment, .awarded, .rejected]
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var batch: [ApplicationRecord] = []
        for index in 0..<count {
            let call = calls[index / municipalities.count]
            let m = index % municipalities.count
            let submittedAt = ((try call.rules()).deadline?.instant ?? now).addingTimeInterval(-Double(m * 600 + 60))
            let record = ApplicationRecord()
            record.$call.id = try call.requireID()
            record.$organisation.id = try municipalities[m].requireID()
            record.$responsible.id = responsible[m]
            record.status = statuses[index % statuses.count].rawValue
            record.version = 1
            record.saveToken = UUID()
            record.contentJSON = content
            record.lastSavedAt = submittedAt
            record.lastSavedBy = "Listebruger"
            var code = ""
            var rest = index + run * 1_000_000
            for _ in 0..<8 {
                code.append(alphabet[rest % alphabet.count])
                rest /= alphabet.count
            }
            record.submissionNumber = "UIP-\(DanishTime.calendar.component(.year, from: submittedAt))-\(code)"
            record.submittedAt = submittedAt
            record.submittedBy = "Listebruger"
            record.digest = ApplicationStore.digest(content)
            record.submittedContentJSON = content
            record.callVersion = 1
            record.createdAt = submittedAt.addingTimeInterval(-86_400)
            record.id = UUID()
            batch.append(record)
            if batch.count == 500 || index == count - 1 {
                let rows = batch
                let cases =
                    grantCases
                    ? rows.filter { $0.status == ApplicationStatus.awarded.rawValue }.map(Self.grantCase) : []
                try await app.db.transaction { db in
                    try await rows.create(on: db)
                    if !cases.isEmpty { try await cases.create(on: db) }
                }
                batch.removeAll(keepingCapacity: true)
            }
        }
        return (count, calls.count)
    }

    /// An active grant case for an awarded application, opened after the call's deadline.
    static func grantCase(_ application: ApplicationRecord) -> GrantCaseRecord {
        let record = GrantCaseRecord()
        record.$application.id = application.id ?? UUID()
        record.$call.id = application.$call.id
        record.$organisation.id = application.$organisation.id
        record.status = GrantCaseStatus.active.rawValue
        record.awardOre = 1_000_000_00
        record.projectStart = "2030-01-01"
        record.projectEnd = "2031-12-31"
        record.conditions = ""
        record.budgetJSON = GrantStore.encode(GrantBudget([]))
        record.budgetVersion = 1
        record.payeeAccount = ""
        record.openedAt = (application.submittedAt ?? Date()).addingTimeInterval(30 * 86_400)
        return record
    }
}
