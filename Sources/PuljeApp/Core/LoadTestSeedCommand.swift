import Fluent
import Foundation
import PuljeDomain
import Vapor

/// `pulje seed-loadtest --users 500 --deadline-in 120`: accounts and calls for `benchmarks/deadline_surge.py`.
/// Users are spread over the 98 municipalities, one call per 98 users (one application per municipality
/// and call), all calls with the same deadline at the first whole minute at least `deadline-in` seconds ahead.
/// The accounts share one password hashed at bcrypt cost 4, so that signing in 500 users measures Pulje
/// rather than bcrypt. Refused in production.
struct LoadTestSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "users", help: "Number of municipal users (default 500)")
        var users: Int?
        @Option(name: "deadline-in", help: "Seconds from now to the deadline, at least (default 120)")
        var deadlineIn: Int?
    }

    static let password = "belastning-og-frist"

    var help: String { "Creates users and calls for the deadline benchmark (not in production)." }

    struct Output: Encodable {
        var password: String
        var deadline: Date
        var deadlineText: String
        var calls: [String]
        var users: [[String]]
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard app.environment != .production else {
            throw PuljeError(.forbidden, "seed-loadtest kan ikke bruges i produktion.")
        }
        let count = signature.users ?? 500
        guard (1...5000).contains(count) else { throw PuljeError(.badRequest, "--users skal være mellem 1 og 5000.") }
        try await app.autoMigrate()
        try await Startup.seed(app)
        let now = Date()
        let earliest = now.addingTimeInterval(Double(signature.deadlineIn ?? 120))
        var c = DanishTime.calendar.dateComponents(
            [.year, .month, .day, .hour, .minute], from: earliest.addingTimeInterval(59))
        c.second = 0
        let deadlineDate = DanishTime.calendar.date(from: c)!
        let deadline = Deadline(instant: deadlineDate)
        let municipalities = try await OrganisationRecord.query(on: app.db).filter(
            \.$kind == OrganisationKind.municipality.rawValue
        )
        .sort(\.$municipalityCode).all()
        let hash = try PrehashedBcrypt(cost: 4).hash(Self.password)
        let run = Int(now.timeIntervalSince1970)
        let callCount = (count + municipalities.count - 1) / municipalities.count
        var callIDs: [String] = []
        for index in 0..<callCount {
            let rules = CallRules(
                applicantKinds: [.municipality], targetAreas: [TargetArea(code: "handicap", name: "Handicapområdet")],
                funds: Money(kroner: 10_000_000), projectStart: "2030-01-01", projectEnd: "2031-12-31",
                opensAt: now.addingTimeInterval(-3600), deadline: deadline,
                answerExpected: .week(ISOWeek(containing: deadlineDate.addingTimeInterval(30 * 86_400))),
                contacts: [ContactPerson(name: "Belastningstest")],
                minimumConditions: [MinimumCondition(id: "projektleder", text: "Vi udpeger en projektleder.")],
                criteria: [AwardCriterion(id: "motivation", name: "Motivation", description: "")],
                questions: [
                    FormQuestion(id: "motivation", text: "Motivation", maxLength: 5000, criterionID: "motivation")
                ],
                budget: BudgetRules(eligibleCategories: [.salaries, .training], maximumTotal: Money(kroner: 2_000_000)))
            let title = "Belastningstest \(run) pulje \(index + 1)"
            try await CallSeeds.load(
                [
                    CallSeeds.Seed(
                        title: title, summary: "Til belastningstest.", targetGroup: "", initiativeNumber: nil,
                        rules: rules)
                ],
                on: app.db, now: now)
            callIDs.append(
                try await CallRecord.query(on: app.db).filter(\.$title == title).first()!.requireID().uuidString
                    .lowercased())
        }
        var users: [UserRecord] = []
        var assignments: [[String]] = []
        for index in 0..<count {
            let municipality = municipalities[index % municipalities.count]
            let email = "bruger\(index)-\(run)@\(municipality.municipalityCode ?? 0).belastning"
            users.append(
                UserRecord(
                    email: email, name: "Testbruger \(index)", passwordHash: hash,
                    organisationID: try municipality.requireID(),
                    roles: [.municipalApplicant]))
            assignments.append([email, callIDs[index / municipalities.count]])
        }
        for chunk in stride(from: 0, to: users.count, by: 200) {
            try await Array(users[chunk..<min(chunk + 200, users.count)]).create(on: app.db)
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let output = Output(
            password: Self.password, deadline: deadlineDate, deadlineText: deadline.danishText, calls: callIDs,
            users: assignments)
        print(String(decoding: try encoder.encode(output), as: UTF8.self))
    }
}
