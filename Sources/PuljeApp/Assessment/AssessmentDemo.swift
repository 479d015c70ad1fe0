import Fluent
import Foundation
import PuljeDomain
import Vapor

/// A demo call whose deadline passed a week before the demo started, with four submitted applications
/// ready for screening, assessment and a decision, and one draft that was never submitted (so the refusal
/// after the deadline can be tried).
enum AssessmentDemo {
    static let title = "Demo: Sundhed på botilbud – ansøgninger til vurdering"

    static func seed(now: Date) -> CallSeeds.Seed {
        let deadlineDay = now.addingTimeInterval(-7 * 86_400)
        let c = DanishTime.calendar.dateComponents([.year, .month, .day], from: deadlineDay)
        let year = (c.year ?? 2026) + 1
        let criteria = [
            AwardCriterion(
                id: "motivation", name: "Kommunens motivation",
                description: "Nuværende udfordringer og forventninger til projektet.", weight: 2, minimumScore: 2),
            AwardCriterion(
                id: "parathed", name: "Kommunens parathed", description: "Ledelsens forpligtelse og organisering.",
                weight: 1),
        ]
        return CallSeeds.Seed(
            title: title,
            summary:
                "Demonstrationspulje i Pulje, hvis frist er udløbet: fire kommuner har søgt. Styrelsen screener, bedømmer, vælger 2–3 kommuner inden for 2.000.000 kr., så både handicapområdet og socialpsykiatrien er dækket, og træffer afgørelse.",
            targetGroup: "Voksne med handicap og/eller psykiske vanskeligheder på botilbud.",
            initiativeNumber: nil,
            rules: CallRules(
                applicantKinds: [.municipality], legalBases: ["SEL § 107", "SEL § 108"],
                targetAreas: [
                    TargetArea(code: "handicap", name: "Handicapområdet", minimumSelected: 1),
                    TargetArea(code: "socialpsykiatri", name: "Socialpsykiatrien", minimumSelected: 1),
                ],
                municipalitiesSought: 2...3, funds: Money(kroner: 2_000_000), financeLawAccount: "§ 15.75.55.10",
                projectStart: "\(year)-01-01", projectEnd: "\(year + 1)-12-31",
                opensAt: deadlineDay.addingTimeInterval(-30 * 86_400),
                deadline: Deadline(year: c.year!, month: c.month!, day: c.day!, hour: 12, minute: 0),
                answerExpected: .week(ISOWeek(containing: now.addingTimeInterval(14 * 86_400))),
                startUpMeeting: "Obligatorisk opstartsmøde for projektkommunerne.",
                contacts: [ContactPerson(name: "Frederik Fagkonsulent", email: "fagkonsulent@styrelsen.demo")],
                minimumConditions: [
                    MinimumCondition(id: "projektleder", text: "Vi udpeger en projektleder og et implementeringsteam.")
                ],
                criteria: criteria, questions: criteria.map { CallSeeds.question($0, maxLength: 3000) },
                budget: BudgetRules(
                    eligibleCategories: [.salaries, .training, .travel, .meetings],
                    maximumTotal: Money(kroner: 1_000_000), requiresMonthlySpread: true)))
    }

    struct Applicant {
        var email: String
        var area: String
        var title: String
        var price: Int64
        var submitted: Bool
    }

    static let applicants = [
        Applicant(
            email: "ansoger@aarhus.demo", area: "handicap", title: "Sundhed i hverdagen på Bostedet Åen",
            price: 800_000, submitted: true),
        Applicant(
            email: "ansoger@aalborg.demo", area: "socialpsykiatri", title: "Fælles sundhedsblik i socialpsykiatrien",
            price: 700_000, submitted: true),
        Applicant(
            email: "ansoger@vejle.demo", area: "handicap", title: "Tidlig opsporing på Vejle botilbud",
            price: 600_000, submitted: true),
        Applicant(
            email: "ansoger@esbjerg.demo", area: "socialpsykiatri", title: "Sundhed og trivsel på Esbjerg bosteder",
            price: 900_000, submitted: true),
        Applicant(
            email: "ansoger@odense.demo", area: "handicap", title: "Ikke indsendt: sundhed på Odense botilbud",
            price: 500_000, submitted: false),
    ]

    static func load(on db: any Database, now: Date) async throws {
        let seed = seed(now: now)
        guard let call = try await AssessmentDemo.newCall(seed, on: db, now: now), let deadline = seed.rules.deadline
        else { return }
        let year = seed.rules.projectYears?.lowerBound ?? 2027
        for (index, applicant) in applicants.enumerated() {
            guard let user = try await UserRecord.query(on: db).filter(\.$email == applicant.email).first() else {
                continue
            }
            let content = content(applicant, index: index, user: user, year: year)
            let application: ApplicationRecord
            if applicant.submitted {
                application = try submitted(
                    content, to: call, by: user, at: deadline.instant.addingTimeInterval(-Double(3600 * (index + 2))))
            } else {
                application = try draft(content, to: call, by: user)
                application.lastSavedAt = deadline.instant.addingTimeInterval(-86_400)
            }
            try await application.create(on: db)
        }
    }

    /// The demo call of `seed`, loaded now; nil when a call of that title exists already (a demo loads once).
    static func newCall(_ seed: CallSeeds.Seed, on db: any Database, now: Date) async throws -> CallRecord? {
        guard try await CallRecord.query(on: db).filter(\.$title == seed.title).first() == nil else { return nil }
        try await CallSeeds.load([seed], on: db, now: now)
        return try await CallRecord.query(on: db).filter(\.$title == seed.title).first()
    }

    /// What a demo municipality applied for: its project, one service, the answers and a budget of two lines
    /// in `year`.
    static func content(_ applicant: Applicant, index: Int, user: UserRecord, year: Int) -> ApplicationContent {
        ApplicationContent(
            projectTitle: applicant.title, targetAreaCodes: [applicant.area],
            services: [
                ParticipatingService(name: "Botilbud \(index + 1)", legalBasis: "SEL § 108", citizens: 20 + index * 4)
            ],
            contacts: [ContactPerson(name: user.name, role: "Projektleder", email: user.email)],
            answers: [
                "motivation":
                    "Vi ser mange borgere med uopdagede sundhedsproblemer og vil styrke personalets blik for sundhed i hverdagen.",
                "parathed":
                    "Direktionen har godkendt projektet, og der er afsat en projektleder og et implementeringsteam.",
            ],
            declarations: ["projektleder"],
            budget: [
                BudgetLine(
                    category: .salaries, description: "Projektleder, 0,5 årsværk", unitsHundredths: 100,
                    unitPrice: Money(kroner: applicant.price - 100_000), year: year, months: Array(1...12)),
                BudgetLine(
                    category: .training, description: "Fire lokale kompetencedage for 20 medarbejdere",
                    unitsHundredths: 400, unitPrice: Money(kroner: 25_000), year: year, months: [3, 5, 9, 11]),
            ])
    }

    /// A draft of `content` in the call, by the user.
    static func draft(
        _ content: ApplicationContent, to call: CallRecord, by user: UserRecord
    ) throws
        -> ApplicationRecord
    {
        let application = ApplicationRecord()
        application.$call.id = try call.requireID()
        application.$organisation.id = user.$organisation.id
        application.$responsible.id = try user.requireID()
        application.contentJSON = ApplicationStore.encode(content)
        application.saveToken = UUID()
        application.lastSavedBy = user.name
        application.status = ApplicationStatus.draft.rawValue
        application.version = 1
        return application
    }

    /// `content` submitted to the call at `at`, with its number and digest as a real submission gets them.
    static func submitted(
        _ content: ApplicationContent, to call: CallRecord, by user: UserRecord, at: Date
    ) throws
        -> ApplicationRecord
    {
        let application = try draft(content, to: call, by: user)
        application.status = ApplicationStatus.submitted.rawValue
        application.version = 2
        application.lastSavedAt = at
        application.submittedAt = at
        application.submittedBy = user.name
        application.submissionNumber = ApplicationStore.submissionNumber(at: at)
        application.digest = ApplicationStore.digest(application.contentJSON)
        application.submittedContentJSON = application.contentJSON
        application.callVersion = call.version
        return application
    }
}
