import Fluent
import Foundation
import PuljeDomain
import Vapor

/// A demo call in its first project year: decided about ten months ago, with grant cases for Aarhus, Vejle
/// and Aalborg, activities held with attendance recorded, a status report approved, one overdue, a payment
/// released and a change request waiting for the agency. Loaded straight into the database in the state the
/// real actions would have left it (the assessment that led to it is not part of this demo: see the
/// assessment demo for that).
enum GrantDemo {
    static let title = "Demo: Sundhed på botilbud, runde 0 – første projektår i gang"
    static let actor = "Demodata"

    struct Recipient {
        var applicant: AssessmentDemo.Applicant
        /// Whether the municipality's signatory has confirmed a complete organisation.
        var confirmed: Bool
        /// The first report approved; the second submitted, drafted or not begun.
        var secondReport: StatusReportStatus?
    }

    static let recipients = [
        Recipient(applicant: AssessmentDemo.applicants[0], confirmed: true, secondReport: .submitted),
        Recipient(applicant: AssessmentDemo.applicants[2], confirmed: false, secondReport: .draft),
        Recipient(applicant: AssessmentDemo.applicants[1], confirmed: true, secondReport: nil),
    ]

    /// The project starts on the first day of the month about ten months before `now`.
    struct Start {
        var year: Int
        var month: Int
        var instant: Date { DanishTime.instant(year: year, month: month, day: 1, hour: 0, minute: 0) ?? Date() }
    }

    static func projectStart(now: Date) -> Start {
        let back = DanishTime.calendar.date(byAdding: .month, value: -10, to: now) ?? now
        let c = DanishTime.calendar.dateComponents([.year, .month], from: back)
        return Start(year: c.year ?? 2026, month: c.month ?? 1)
    }

    /// "2026-01-01".
    static func iso(_ instant: Date) -> String {
        let c = DanishTime.calendar.dateComponents([.year, .month, .day], from: instant)
        return CalendarDate(year: c.year ?? 2026, month: c.month ?? 1, day: c.day ?? 1)?.iso ?? ""
    }

    static func seed(now: Date) -> CallSeeds.Seed {
        var seed = AssessmentDemo.seed(now: now)
        let start = projectStart(now: now)
        let deadlineDay = start.instant.addingTimeInterval(-60 * 86_400)
        let d = DanishTime.calendar.dateComponents([.year, .month, .day], from: deadlineDay)
        seed.title = title
        seed.summary =
            "Demonstrationspulje i Pulje, der er afgjort: Aarhus, Vejle og Aalborg er i gang med første projektår, med aktiviteter, statusrapporter, udbetalinger og en ændringsanmodning."
        seed.rules.projectStart = iso(start.instant)
        let twoYears = Start(year: start.year + 2, month: start.month).instant
        seed.rules.projectEnd = iso(twoYears.addingTimeInterval(-12 * 3600))
        seed.rules.deadline = Deadline(year: d.year!, month: d.month!, day: d.day!, hour: 12, minute: 0)
        seed.rules.opensAt = deadlineDay.addingTimeInterval(-30 * 86_400)
        seed.rules.answerExpected = .week(ISOWeek(containing: deadlineDay.addingTimeInterval(21 * 86_400)))
        return seed
    }

    static func load(on db: any Database, now: Date) async throws {
        let seed = seed(now: now)
        guard let call = try await AssessmentDemo.newCall(seed, on: db, now: now), let deadline = seed.rules.deadline
        else { return }
        let start = projectStart(now: now)
        let callID = try call.requireID()
        let decided = start.instant.addingTimeInterval(-30 * 86_400)
        let agency = try await users(["tilskud@styrelsen.demo", "tilskud2@styrelsen.demo"], on: db)
        guard agency.count == 2 else { return }

        let activities = try await scheduleActivities(callID, from: start.instant, now: now, on: db)
        let rounds = try await reportRounds(callID, from: start.instant, now: now, on: db)

        for (index, recipient) in recipients.enumerated() {
            guard let user = try await UserRecord.query(on: db).filter(\.$email == recipient.applicant.email).first()
            else { continue }
            var content = AssessmentDemo.content(recipient.applicant, index: index, user: user, year: start.year)
            content.budget = budget(recipient.applicant, from: start)
            let application = try AssessmentDemo.submitted(
                content, to: call, by: user, at: deadline.instant.addingTimeInterval(-Double(3600 * (index + 2))))
            application.status = ApplicationStatus.awarded.rawValue
            try await application.create(on: db)
            application.$organisation.value = try await OrganisationRecord.find(user.$organisation.id, on: db)

            let award = GrantBudget(lines: content.budget).total
            let caseID = try await GrantStore.open(
                application: application, call: call, rules: seed.rules, award: award,
                budget: GrantBudget(lines: content.budget),
                conditions: "Tilskuddet anvendes efter det godkendte budget og puljens vilkår.", by: actor,
                at: decided, on: db)
            try await audit(
                .grantOpen, caseID,
                "Tilskudssagen er oprettet for \(application.organisation.name) med et tilskud på \(DanishAmount.kroner(award)).",
                at: decided, on: db)
            let members = try await team(caseID, of: user, complete: recipient.confirmed, at: decided, on: db)
            if recipient.confirmed {
                try await GrantStore.confirmOrganisation(
                    caseID, by: "Camilla Chef", at: decided.addingTimeInterval(14 * 86_400), on: db)
            }
            try await attend(activities, caseID, members: members, missesSecond: !recipient.confirmed, on: db)
            try await reports(
                caseID, rounds: rounds, second: recipient.secondReport, by: user.name, now: now, on: db)
            try await pay(caseID, award: award, agency: agency, at: start.instant, on: db)
            if !recipient.confirmed {
                try await askForReallocation(
                    caseID, budget: GrantBudget(lines: content.budget), terms: seed.rules.terms, by: user,
                    at: now.addingTimeInterval(-3 * 86_400), on: db)
            }
        }
    }

    static func users(_ emails: [String], on db: any Database) async throws -> [UserRecord] {
        try await UserRecord.query(on: db).filter(\.$email ~~ emails).all().sorted { $0.email < $1.email }
    }

    static func audit(
        _ action: AuditAction, _ caseID: UUID, _ summary: String, at: Date, on db: any Database
    ) async throws {
        try await AuditLog.record(
            action, subject: .grantCase(caseID), summary: summary, actor: .command(actor, at: at), on: db)
    }

    /// The applied budget over the first two project years: the first year from the start month.
    static func budget(_ applicant: AssessmentDemo.Applicant, from start: Start) -> [BudgetLine] {
        let salaries = applicant.price - 200_000
        return [
            BudgetLine(
                category: .salaries, description: "Projektleder, 0,5 årsværk", unitsHundredths: 100,
                unitPrice: Money(kroner: salaries / 2), year: start.year, months: Array(start.month...12)),
            BudgetLine(
                category: .salaries, description: "Projektleder, 0,5 årsværk", unitsHundredths: 100,
                unitPrice: Money(kroner: salaries - salaries / 2), year: start.year + 1, months: Array(1...12)),
            BudgetLine(
                category: .training, description: "Fire lokale kompetencedage for 20 medarbejdere",
                unitsHundredths: 400, unitPrice: Money(kroner: 25_000), year: start.year, months: [start.month]),
            BudgetLine(
                category: .travel, description: "Transport til netværksmøder", unitsHundredths: 100,
                unitPrice: Money(kroner: 100_000), year: start.year + 1, months: [3, 9]),
        ]
    }

    static func at(_ day: Date, hour: Int) -> Date {
        let c = DanishTime.calendar.dateComponents([.year, .month, .day], from: day)
        return DanishTime.instant(year: c.year ?? 2026, month: c.month ?? 1, day: c.day ?? 1, hour: hour, minute: 0)
            ?? day
    }

    /// A start-up and a competence day already held (mandatory), and a network meeting to come.
    static func scheduleActivities(
        _ callID: UUID, from start: Date, now: Date, on db: any Database
    ) async throws -> [GrantActivityRecord] {
        let plan: [(ActivityKind, String, Date, Bool, String)] = [
            (
                .crossMunicipalStartUp, "Fælles opstartsmøde", at(start.addingTimeInterval(20 * 86_400), hour: 10),
                true, "Styrelsen, Edisonsvej 18, 5000 Odense C"
            ),
            (
                .competenceDay, "Kompetencedag 1: sundhedsblikket i hverdagen",
                at(now.addingTimeInterval(-60 * 86_400), hour: 9), true, "Online (link sendes)"
            ),
            (
                .networkMeeting, "Netværksmøde", at(now.addingTimeInterval(21 * 86_400), hour: 13), false,
                "Aarhus Rådhus"
            ),
        ]
        var records: [GrantActivityRecord] = []
        for (kind, title, startsAt, mandatory, place) in plan {
            let activity = GrantActivityRecord()
            activity.$call.id = callID
            activity.kind = kind.rawValue
            activity.title = title
            activity.startsAt = startsAt
            activity.endsAt = startsAt.addingTimeInterval(5 * 3600)
            activity.place = place
            activity.mandatory = mandatory
            activity.requiredRolesJSON = mandatory ? "[\"projektleder\"]" : "[]"
            activity.createdBy = actor
            activity.createdAt = start.addingTimeInterval(-20 * 86_400)
            try await activity.create(on: db)
            records.append(activity)
        }
        return records
    }

    /// The first report round (past) and the second (due ten days ago).
    static func reportRounds(
        _ callID: UUID, from start: Date, now: Date, on db: any Database
    ) async throws -> [ReportRoundRecord] {
        var rounds: [ReportRoundRecord] = []
        for (title, due) in [
            ("Statusrapport 1", at(start.addingTimeInterval(120 * 86_400), hour: 12)),
            ("Statusrapport 2", at(now.addingTimeInterval(-10 * 86_400), hour: 12)),
        ] {
            let round = ReportRoundRecord()
            round.$call.id = callID
            round.title = title
            round.dueAt = due
            round.questionsJSON = GrantStore.encode(ReportQuestion.standard)
            round.createdBy = actor
            round.createdAt = start
            try await round.create(on: db)
            rounds.append(round)
        }
        return rounds
    }

    /// The project leader and the responsible head; `complete` adds the rest of the team.
    static func team(
        _ caseID: UUID, of user: UserRecord, complete: Bool, at: Date, on db: any Database
    ) async throws -> [GrantTeamMemberRecord] {
        var people = [(user.name, user.email, "projektleder", TeamGroup.implementationTeam)]
        if complete {
            people.append(
                ("Camilla Chef", "chef@" + user.email.split(separator: "@")[1], "projektansvarlig", .steeringGroup))
        }
        for (name, email, role, group) in people {
            try await GrantStore.addMember(
                TeamMember(name: name, email: email, roleID: role, group: group), to: caseID, at: at, on: db)
        }
        return try await GrantStore.members(of: caseID, on: db)
    }

    /// Registered for every activity; attended the held ones (but the second when `missesSecond`).
    static func attend(
        _ activities: [GrantActivityRecord], _ caseID: UUID, members: [GrantTeamMemberRecord], missesSecond: Bool,
        on db: any Database
    ) async throws {
        guard let leader = members.first else { return }
        for (index, activity) in activities.enumerated() {
            let participant = ActivityParticipantRecord()
            participant.$activity.id = try activity.requireID()
            participant.$grantCase.id = caseID
            participant.memberID = try leader.requireID()
            participant.name = leader.name
            participant.roleID = leader.roleID
            participant.registeredBy = leader.name
            participant.registeredAt = activity.createdAt
            if activity.mandatory {
                participant.attended = !(missesSecond && index == 1)
                participant.attendanceBy = actor
            }
            try await participant.create(on: db)
        }
    }

    static func reports(
        _ caseID: UUID, rounds: [ReportRoundRecord], second: StatusReportStatus?, by name: String, now: Date,
        on db: any Database
    ) async throws {
        let answers = [
            "fremdrift": "Implementeringsteamet er på plads, og de første medarbejdere er i gang med sundhedsblikket.",
            "tilpasninger": "Kompetencedagene er delt i to halve dage, fordi vagtplanerne gjorde hele dage svære.",
            "naeste": "Vi afholder de lokale kompetencedage og følger op på de første borgerforløb.",
        ]
        for (round, status) in zip(rounds, [StatusReportStatus.approved, second]) {
            guard let status else { continue }
            let report = StatusReportRecord()
            let roundID = try round.requireID()
            report.$grantCase.id = caseID
            report.$round.id = roundID
            report.status = status.rawValue
            report.answersJSON = GrantStore.encode(answers)
            report.version = status == .draft ? 1 : 2
            report.comment = ""
            if status != .draft {
                let submitted = round.dueAt.addingTimeInterval(-2 * 86_400)
                report.submittedAt = submitted
                report.submittedBy = name
                report.receiptNumber = StatusReportRules.receiptNumber(caseID: caseID, roundID: roundID, version: 2)
                try await audit(
                    .statusReportSubmit, caseID,
                    "\(round.title) er indsendt med kvittering \(report.receiptNumber ?? "").", at: submitted, on: db)
            }
            if status == .approved {
                let approved = round.dueAt.addingTimeInterval(7 * 86_400)
                report.decidedBy = "Tine Tilskudsforvalter"
                report.decidedAt = approved
                report.comment = "Tak for en grundig rapport."
                try await audit(.statusReportDecide, caseID, "\(round.title) er godkendt.", at: approved, on: db)
            }
            try await report.create(on: db)
        }
    }

    /// The first instalment, 40 % of the award, prepared by one grant administrator and released by another.
    static func pay(
        _ caseID: UUID, award: Money, agency: [UserRecord], at start: Date, on db: any Database
    ) async throws {
        guard let record = try await GrantStore.grantCase(caseID, on: db) else { return }
        record.payeeAccount = "1551 0012345678"
        try await record.save(on: db)
        let payment = GrantPaymentRecord()
        payment.$grantCase.id = caseID
        payment.amountOre = Money.share(of: award, percent: 40).ore
        payment.note = "1. rate ved projektstart"
        payment.status = PaymentStatus.released.rawValue
        payment.preparedByID = try agency[0].requireID()
        payment.preparedBy = agency[0].name
        payment.preparedAt = start
        payment.releasedBy = agency[1].name
        payment.releasedAt = start.addingTimeInterval(86_400)
        try await payment.create(on: db)
        try await audit(
            .paymentRelease, caseID, "1. rate på \(DanishAmount.kroner(payment.amount)) er frigivet.",
            at: start.addingTimeInterval(86_400), on: db)
    }

    /// Moves 60.000 kr. from salaries to training in the first year: waiting for the agency.
    static func askForReallocation(
        _ caseID: UUID, budget: GrantBudget, terms: GrantTerms, by user: UserRecord, at: Date, on db: any Database
    ) async throws {
        guard let year = budget.cells.map(\.year).min() else { return }
        let moved = Money(kroner: 60_000)
        let cells = budget.cells.map { cell -> GrantBudget.Cell in
            var cell = cell
            if cell.year == year && cell.category == .salaries { cell.amount = cell.amount - moved }
            if cell.year == year && cell.category == .training { cell.amount = cell.amount + moved }
            return cell
        }
        let change = ChangeRequestRecord()
        change.$grantCase.id = caseID
        change.kind = ChangeKind.reallocation.rawValue
        change.description =
            "Flere lokale kompetencedage i stedet for projektlederløn, der ikke blev brugt i opstarten."
        change.budgetJSON = GrantStore.encode(GrantBudget(cells))
        change.newEnd = ""
        change.movedOre = moved.ore
        change.handling =
            ChangeRules.handling(.reallocation, moved: moved, approvedTotal: budget.total, terms: terms).rawValue
        change.status = ChangeStatus.pending.rawValue
        change.requestedByID = try user.requireID()
        change.requestedBy = user.name
        change.requestedAt = at
        change.decisionNote = ""
        try await change.create(on: db)
        try await audit(.changeRequest, caseID, "Anmodning om omfordeling af budgettet.", at: at, on: db)
    }
}
