import Foundation
import Testing

@testable import PuljeDomain

/// The rules of a grant case after the award: organisation, budget revision, changes, accounts, payments and
/// what is due, each as the guides and the call's grant terms state them.
@Suite struct GrantTests {
    static func kr(_ kroner: Int64) -> Money { Money(kroner: kroner) }
    static func budget(_ cells: [(ExpenseCategory, Int, Int64)]) -> GrantBudget {
        GrantBudget(cells.map { GrantBudget.Cell(category: $0.0, year: $0.1, amount: kr($0.2)) })
    }

    // MARK: Organisation

    @Test func theRequiredRolesOf000AreCoveredOnlyWhenEveryOneIsFilled() {
        let roles = GrantTerms.partnership000.teamRoles
        #expect(roles.map(\.name).contains("Medarbejderrepræsentant"))
        var members = [
            TeamMember(name: "Lene", email: "lene@x.dk", roleID: "projektleder", group: .implementationTeam),
            TeamMember(name: "Per", email: "per@x.dk", roleID: "projektansvarlig", group: .steeringGroup),
        ]
        #expect(
            TeamComposition.missingRoles(roles, members: members).map(\.id) == [
                "lokale-ledere", "social", "sundhed", "medarbejder",
            ])
        #expect(
            TeamComposition.confirmationProblem(roles, members: members)?.hasPrefix("Organiseringen mangler: ") == true)
        for id in ["lokale-ledere", "social", "sundhed", "medarbejder"] {
            members.append(TeamMember(name: id, email: "", roleID: id, group: .implementationTeam))
        }
        #expect(TeamComposition.confirmationProblem(roles, members: members) == nil)
    }

    @Test func optionalRolesAreNeverMissing() {
        let roles = GrantTerms.familyModels003.teamRoles
        let required = roles.filter(\.required).map(\.id)
        let members = required.map { TeamMember(name: $0, email: "", roleID: $0, group: .projectGroup) }
        #expect(TeamComposition.missingRoles(roles, members: members).isEmpty)
        #expect(roles.contains { $0.id == "dh" && !$0.required })
    }

    // MARK: The grant case and its budget

    @Test func aCaseWhoseAwardIsBelowTheRequestWaitsForARevisedBudget() {
        let asked = Self.budget([(.salaries, 2024, 600_000), (.travel, 2024, 300_000)])
        #expect(GrantCaseStatus.opening(award: Self.kr(900_000), approvedBudget: asked) == .active)
        #expect(GrantCaseStatus.opening(award: Self.kr(750_000), approvedBudget: asked) == .revisedBudgetDue)
        // A call of support (no money) opens active.
        #expect(GrantCaseStatus.opening(award: .zero, approvedBudget: GrantBudget([])) == .active)
        #expect(GrantCaseTransition.approveRevisedBudget.applies(to: .revisedBudgetDue))
        #expect(!GrantCaseTransition.approveRevisedBudget.applies(to: .active))
        #expect(!GrantCaseTransition.close.applies(to: .revisedBudgetDue))
    }

    @Test func aRevisedBudgetMustAddUpToTheAwardInTheCallsYearsAndCategories() {
        let revised = Self.budget([(.salaries, 2024, 500_000), (.travel, 2024, 200_000)])
        let award = Self.kr(750_000)
        #expect(
            revised.problems(award: award, years: 2024...2025, categories: [.salaries, .travel]) == [
                "Budgettet skal give tilskuddet på 750.000 kr. i alt; det giver 700.000 kr."
            ])
        let right = Self.budget([(.salaries, 2024, 550_000), (.travel, 2025, 200_000)])
        #expect(right.problems(award: award, years: 2024...2025, categories: [.salaries, .travel]).isEmpty)
        let outside = Self.budget([(.salaries, 2027, 750_000)])
        #expect(outside.problems(award: award, years: 2024...2025, categories: []).first?.contains("2027") == true)
        let negative = Self.budget([(.salaries, 2024, 800_000), (.travel, 2024, -50_000)])
        #expect(
            negative.problems(award: award, years: nil, categories: []).contains("Beløbene kan ikke være negative."))
        let otherCategory = Self.budget([(.materials, 2024, 750_000)])
        #expect(otherCategory.problems(award: award, years: nil, categories: [.salaries]).count == 1)
    }

    @Test func theBudgetSumsTheApplicationsLinesPerCategoryAndYear() {
        let lines = [
            BudgetLine(
                category: .salaries, description: "Projektleder", unitsHundredths: 50, unitPrice: Self.kr(600_000),
                year: 2024, months: [1, 2, 3]),
            BudgetLine(
                category: .salaries, description: "Medarbejder", unitsHundredths: 100, unitPrice: Self.kr(100_000),
                year: 2024, months: [4]),
            BudgetLine(
                category: .travel, description: "Rejser", unitsHundredths: 100, unitPrice: Self.kr(10_000), year: 2025,
                months: [1]),
        ]
        let budget = GrantBudget(lines: lines)
        #expect(budget.amount(.salaries, year: 2024) == Self.kr(400_000))
        #expect(budget.total == Self.kr(410_000))
        #expect(budget.years == [2024, 2025])
        #expect(budget.categories == [.salaries, .travel])
    }

    // MARK: Change requests

    @Test func aReallocationWithinTheNoticeShareIsANoticeAndMoreNeedsOneOrTwo() {
        let terms = GrantTerms(
            teamRoles: [], reallocationNoticePercent: 10, secondApprovalAbove: Self.kr(100_000))
        let old = Self.budget([(.salaries, 2024, 600_000), (.travel, 2024, 300_000)])
        // 90.000 kr. of 900.000 kr. is exactly 10 %: notice.
        let small = Self.budget([(.salaries, 2024, 690_000), (.travel, 2024, 210_000)])
        let moved = ChangeRules.movedAmount(from: old, to: small)
        #expect(moved == Self.kr(90_000))
        #expect(ChangeRules.handling(.reallocation, moved: moved, approvedTotal: old.total, terms: terms) == .notice)
        // One krone more: approval.
        #expect(
            ChangeRules.handling(.reallocation, moved: Self.kr(90_001), approvedTotal: old.total, terms: terms)
                == .approval)
        // Above the second-approval limit: two persons.
        #expect(
            ChangeRules.handling(.reallocation, moved: Self.kr(100_001), approvedTotal: old.total, terms: terms)
                == .approvalByTwo)
        // A cap in kroner as well as the share.
        var capped = terms
        capped.reallocationNoticeAmount = Self.kr(50_000)
        #expect(ChangeRules.handling(.reallocation, moved: moved, approvedTotal: old.total, terms: capped) == .approval)
        #expect(
            ChangeRules.handling(.periodExtension, moved: .zero, approvedTotal: old.total, terms: terms) == .approval)
        #expect(ChangeRules.handling(.personnel, moved: .zero, approvedTotal: old.total, terms: terms) == .notice)
    }

    @Test func movingBetweenYearsCountsAsMoving() {
        let old = Self.budget([(.salaries, 2024, 500_000), (.salaries, 2025, 500_000)])
        let new = Self.budget([(.salaries, 2024, 300_000), (.salaries, 2025, 700_000)])
        #expect(ChangeRules.movedAmount(from: old, to: new) == Self.kr(200_000))
        #expect(ChangeRules.reallocationProblem(old: old, new: new) == nil)
    }

    @Test func aReallocationKeepsTheTotalAndChangesSomething() {
        let old = Self.budget([(.salaries, 2024, 500_000), (.travel, 2024, 100_000)])
        let more = Self.budget([(.salaries, 2024, 600_000), (.travel, 2024, 100_000)])
        #expect(ChangeRules.reallocationProblem(old: old, new: more)?.contains("samme i alt") == true)
        #expect(ChangeRules.reallocationProblem(old: old, new: old) == "Omfordelingen ændrer ikke noget i budgettet.")
    }

    @Test func twoPersonsMustApproveAndNeitherMayBeTheRequester() {
        typealias R = Result<ChangeStatus, ChangeRefusal>
        let first: R = ChangeRules.approve(
            status: .pending, handling: .approvalByTwo, requestedBy: "kommune", firstApprover: nil, approver: "anne")
        #expect(first == .success(.awaitingSecondApproval))
        let again: R = ChangeRules.approve(
            status: .awaitingSecondApproval, handling: .approvalByTwo, requestedBy: "kommune", firstApprover: "anne",
            approver: "anne")
        #expect(again == .failure(ChangeRefusal(ChangeRules.sameApproverMessage)))
        let second: R = ChangeRules.approve(
            status: .awaitingSecondApproval, handling: .approvalByTwo, requestedBy: "kommune", firstApprover: "anne",
            approver: "bent")
        #expect(second == .success(.approved))
        let one: R = ChangeRules.approve(
            status: .pending, handling: .approval, requestedBy: "kommune", firstApprover: nil, approver: "anne")
        #expect(one == .success(.approved))
        let own: R = ChangeRules.approve(
            status: .pending, handling: .approval, requestedBy: "anne", firstApprover: nil, approver: "anne")
        #expect(own == .failure(ChangeRefusal(ChangeRules.ownRequestMessage)))
        let decided: R = ChangeRules.approve(
            status: .rejected, handling: .approval, requestedBy: "kommune", firstApprover: nil, approver: "anne")
        #expect(decided == .failure(ChangeRefusal("Ændringen er allerede afgjort.")))
    }

    @Test func theShareOfAnyAmountNeverTraps() {
        #expect(Money.share(of: Money(ore: .max), percent: 100) == Money(ore: .max))
        #expect(Money.share(of: Money(ore: .max), percent: 10).ore > 0)
        #expect(Money.share(of: Money(ore: .min), percent: 50).ore < 0)
        #expect(Money.share(of: Self.kr(900_000), percent: 10) == Self.kr(90_000))
        #expect(Money.share(of: Self.kr(900_000), percent: Int.max) == Self.kr(900_000))
        #expect(Money.share(of: Self.kr(900_000), percent: -5) == .zero)
    }

    // MARK: Accounts and repayment

    @Test func accountsShowTheVariancePerCategoryOfTheYear() {
        let budget = Self.budget([(.salaries, 2024, 400_000), (.travel, 2024, 100_000), (.salaries, 2025, 400_000)])
        let variance = AccountsVariance(
            approved: budget,
            actual: [.salaries: Self.kr(380_000), .travel: Self.kr(110_000), .materials: Self.kr(5_000)],
            year: 2024)
        #expect(variance.lines.map(\.category) == [.salaries, .travel, .materials])
        #expect(variance.lines[0].variance == Self.kr(-20_000) && variance.lines[0].percent == -5)
        #expect(variance.lines[1].variance == Self.kr(10_000) && variance.lines[1].percent == 10)
        #expect(variance.lines[2].approved == .zero && variance.lines[2].percent == nil)
        #expect(variance.approvedTotal == Self.kr(500_000))
        #expect(variance.actualTotal == Self.kr(495_000))
        #expect(variance.variance == Self.kr(-5_000))
    }

    @Test func whatWasPaidBeyondTheApprovedExpensesIsRepaid() {
        #expect(
            Repayment.due(paid: Self.kr(750_000), approvedExpenses: Self.kr(700_000), award: Self.kr(750_000))
                == Self.kr(50_000))
        // An overspend is not paid for: expenses count up to the award.
        #expect(
            Repayment.due(paid: Self.kr(750_000), approvedExpenses: Self.kr(800_000), award: Self.kr(750_000)) == .zero)
        #expect(
            Repayment.due(paid: Self.kr(300_000), approvedExpenses: Self.kr(400_000), award: Self.kr(750_000)) == .zero)
        let terms = GrantTerms(teamRoles: [], auditorStatementFrom: Self.kr(500_000))
        #expect(Repayment.needsAuditorStatement(award: Self.kr(500_000), terms: terms))
        #expect(!Repayment.needsAuditorStatement(award: Self.kr(499_999), terms: terms))
        #expect(
            !Repayment.needsAuditorStatement(
                award: Self.kr(9_000_000), terms: GrantTerms(teamRoles: [], auditorStatementFrom: nil)))
    }

    // MARK: Payments

    @Test func paymentsNeverExceedTheAward() {
        let award = Self.kr(750_000)
        #expect(PaymentRules.preparationProblem(amount: Self.kr(375_000), committed: .zero, award: award) == nil)
        #expect(
            PaymentRules.preparationProblem(amount: Self.kr(375_000), committed: Self.kr(375_000), award: award) == nil)
        let over = PaymentRules.preparationProblem(amount: Self.kr(1), committed: award, award: award)
        #expect(
            over == "Udbetalingerne kan ikke overstige tilskuddet på 750.000 kr. Der kan højst udbetales 0 kr. mere.")
        #expect(PaymentRules.preparationProblem(amount: .zero, committed: .zero, award: award) != nil)
        #expect(PaymentRules.preparationProblem(amount: Self.kr(-5), committed: .zero, award: award) != nil)
        // The largest amount does not trap.
        #expect(PaymentRules.preparationProblem(amount: Money(ore: .max), committed: Self.kr(1), award: award) != nil)
    }

    @Test func aPaymentIsReleasedByAnotherThanTheOneWhoPreparedItOrChangedTheAccount() {
        #expect(
            PaymentRules.releaseProblem(preparedBy: "anne", releaser: "anne", accountChangedBy: nil)
                == PaymentRules.samePersonMessage)
        #expect(
            PaymentRules.releaseProblem(preparedBy: "anne", releaser: "bent", accountChangedBy: "bent")
                == PaymentRules.accountChangedMessage)
        #expect(PaymentRules.releaseProblem(preparedBy: "anne", releaser: "bent", accountChangedBy: "anne") == nil)
        #expect(PaymentRules.releaseProblem(preparedBy: "anne", releaser: "bent", accountChangedBy: nil) == nil)
    }

    // MARK: Due and overdue, in Danish time

    @Test func dueAndOverdueFollowTheServerClockInDanishTime() throws {
        // 1 March 2027 at 12.00 in Copenhagen is 11.00 UTC.
        let due = try #require(Deadline(year: 2027, month: 3, day: 1, hour: 12, minute: 0)).instant
        #expect(DueState.of(due: due, done: false, at: due.addingTimeInterval(-8 * 86400)) == .upcoming)
        #expect(DueState.of(due: due, done: false, at: due.addingTimeInterval(-86400)) == .dueSoon)
        #expect(DueState.of(due: due, done: false, at: due.addingTimeInterval(-1)) == .dueSoon)
        #expect(DueState.of(due: due, done: false, at: due) == .overdue)
        #expect(DueState.of(due: due, done: true, at: due.addingTimeInterval(86400)) == .done)
        #expect(DueState.overdue.danishText(due: due) == "Overskredet – fristen var 1. marts 2027 kl. 12.00")
    }

    @Test func termsWithNonsenseAreRefusedInDanish() {
        let bad = GrantTerms(
            teamRoles: [TeamRole(id: "a", name: "A"), TeamRole(id: "a", name: "B")], reallocationNoticePercent: 101,
            secondApprovalAbove: Money(kroner: -1))
        #expect(bad.problems.count == 3)
        #expect(GrantTerms.standard.problems.isEmpty)
        #expect(bad.fieldProblems.map(\.field) == [.teamRoles, .reallocationNoticePercent, .secondApprovalAbove])
        let onlyOptional = GrantTerms(teamRoles: [TeamRole(id: "borger", name: "Borger", required: false)])
        #expect(onlyOptional.fieldProblems.map(\.message) == ["Angiv mindst én påkrævet rolle i organiseringen."])
    }

    @Test func teamRolesAreWrittenOneALineAndReadBack() throws {
        let text = "projektleder; Projektleder; ja\nborger; Borgerrepræsentant; NEJ\n\nsundhed; Sundhedskoordinator"
        let roles = try CallRulesText.teamRoles(text)
        #expect(roles.map(\.id) == ["projektleder", "borger", "sundhed"])
        #expect(roles.map(\.required) == [true, false, true])
        #expect(try CallRulesText.teamRoles(CallRulesText.format(roles)) == roles)
        #expect(
            try CallRulesText.teamRoles(CallRulesText.format(GrantTerms.partnership001.teamRoles))
                == GrantTerms.partnership001.teamRoles)
        #expect(
            throws: CallRulesText.LineError(
                line: 2, message: "Skriv \"kode; navn; ja/nej (påkrævet)\", fx \"projektleder; Projektleder; ja\".")
        ) {
            try CallRulesText.teamRoles("a; A\nb; B; måske")
        }
        #expect(throws: CallRulesText.LineError.self) { try CallRulesText.teamRoles("../x; Sti") }
        #expect(throws: CallRulesText.LineError.self) { try CallRulesText.teamRoles("kode;") }
    }
}

/// Activities: what a plan must hold (in Danish time), when registration and attendance are possible, the
/// required roles not registered, and whether a municipality met its obligation to attend.
@Suite struct ActivityTests {
    static func plan(
        kind: String = "networkMeeting", title: String = "Netværksmøde 1", date: String = "2027-03-02",
        start: String = "9.30", end: String = "15.00", place: String = "Odense", roles: [String] = []
    ) -> Result<ActivityPlan, ActivityProblems> {
        ActivityRules.plan(
            kind: kind, title: title, date: date, start: start, end: end, place: place, mandatory: true,
            roleIDs: roles, terms: .partnership000)
    }

    @Test func aPlanIsInDanishTimeWithTheRolesInTheCallsOrder() throws {
        let plan = try Self.plan(roles: ["projektleder", "projektansvarlig"]).get()
        #expect(ICSCalendar.utc(plan.startsAt) == "20270302T083000Z")  // winter: UTC+1
        #expect(ICSCalendar.utc(plan.endsAt) == "20270302T140000Z")
        let roles = GrantTerms.partnership000.teamRoles.map(\.id)
        #expect(plan.requiredRoleIDs == roles.filter { ["projektleder", "projektansvarlig"].contains($0) })
        let summer = try Self.plan(date: "2027-06-15").get()
        #expect(ICSCalendar.utc(summer.startsAt) == "20270615T073000Z")  // summer: UTC+2
    }

    @Test func aBadPlanNamesEveryProblemByItsField() {
        guard case .failure(let problems) = Self.plan(kind: "party", title: "", date: "2027-02-30", place: "")
        else {
            Issue.record("accepted")
            return
        }
        #expect(Set(problems.messages.map(\.field)) == ["kind", "title", "date", "place"])
        guard case .failure(let backwards) = Self.plan(start: "15.00", end: "9.30", roles: ["ukendt"]) else {
            Issue.record("accepted")
            return
        }
        #expect(backwards.messages.map(\.field) == ["roles", "end"])
        guard case .failure(let long) = Self.plan(title: String(repeating: "x", count: 201)) else {
            Issue.record("accepted")
            return
        }
        #expect(long.messages.map(\.message) == ["Titlen må højst være 200 tegn."])
    }

    @Test func registrationClosesAndAttendanceOpensAtTheStart() throws {
        let start = try #require(Deadline(year: 2027, month: 3, day: 2, hour: 9, minute: 30)).instant
        #expect(ActivityRules.registrationProblem(startsAt: start, at: start.addingTimeInterval(-1)) == nil)
        #expect(ActivityRules.registrationProblem(startsAt: start, at: start) != nil)
        #expect(ActivityRules.attendanceProblem(startsAt: start, at: start.addingTimeInterval(-1)) != nil)
        #expect(ActivityRules.attendanceProblem(startsAt: start, at: start) == nil)
    }

    @Test func theRequiredRolesNobodyRegisteredAreMissing() {
        let roles = GrantTerms.partnership000.teamRoles
        let missing = ActivityRules.missingRoles(Array(roles.prefix(2)), registered: [roles[1].id, "andet"])
        #expect(missing == [roles[0]])
    }

    @Test func aMunicipalityAttendedWhenAnyOfItsPeopleDid() {
        #expect(AttendanceObligations.attended([]) == false)
        #expect(AttendanceObligations.attended([nil, true]) == true)
        #expect(AttendanceObligations.attended([false, false]) == false)
        #expect(AttendanceObligations.attended([false, nil]) == nil)
        let now = Date(timeIntervalSince1970: 2_000_000_000)
        let obligations = AttendanceObligations.of(
            [
                ("Opstart", now.addingTimeInterval(-86_400), true, [true]),
                ("Netværk", now.addingTimeInterval(-3600), true, []),
                ("Frivillig", now.addingTimeInterval(-3600), false, []),
                ("Senere", now.addingTimeInterval(3600), true, []),
            ], at: now)
        #expect(obligations.held == 2 && obligations.attended == 1)
        #expect(obligations.missed.map(\.title) == ["Netværk"])
        #expect(obligations.danishSummary == "Deltaget i 1 af 2 obligatoriske aktiviteter.")
    }

    @Test func calendarLinesAreFoldedAndTextEscaped() {
        let long = String(repeating: "æ", count: 60)
        let file = ICSCalendar.event(
            uid: "x", stamp: Date(timeIntervalSince1970: 0), start: Date(timeIntervalSince1970: 0),
            end: Date(timeIntervalSince1970: 3600), summary: long, description: "a;b,c\nd", location: "Sted",
            product: "Test")
        for line in file.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
        #expect(file.contains("DESCRIPTION:a\\;b\\,c\\nd"))
        #expect(file.hasSuffix("END:VCALENDAR\r\n"))
    }
}

@Suite struct ReminderTests {
    /// One reminder when a thing comes within a week of its due date, one when it is overdue; none before,
    /// none once it is done.
    @Test func aReminderFollowsFromTheDueState() throws {
        let due = try #require(Deadline(year: 2027, month: 3, day: 1, hour: 12, minute: 0)).instant
        let kind = { (now: Date, done: Bool) in ReminderKind(DueState.of(due: due, done: done, at: now)) }
        #expect(kind(due.addingTimeInterval(-8 * 86_400), false) == nil)
        #expect(kind(due.addingTimeInterval(-6 * 86_400), false) == .dueSoon)
        #expect(kind(due.addingTimeInterval(1), false) == .overdue)
        #expect(kind(due.addingTimeInterval(1), true) == nil)
    }
}

@Suite struct ClosingTests {
    @Test func everythingThatStandsInTheWayIsNamed() {
        let facts = ClosingFacts(
            anchoringPlanDelivered: false, finalReportRequested: false,
            reportsNotApproved: ["Statusrapport 1", "Slutrapport"],
            yearsWithoutApprovedAccounts: [2026, 2027], undecidedChanges: 1, unreleasedPayments: 2)
        #expect(
            GrantClosing.problems(facts) == [
                "Kommunen har ikke indsendt forankringsplanen.",
                "Der er ikke bedt om en slutrapport: opret en rapportering, der er slutrapporten.",
                "Ikke godkendt: Statusrapport 1, Slutrapport.",
                "Regnskabet er ikke godkendt for 2026, 2027.", "1 ændringsanmodning er ikke afgjort.",
                "2 udbetalinger er klargjort, men ikke frigivet.",
            ])
        let ready = ClosingFacts(
            anchoringPlanDelivered: true, finalReportRequested: true, reportsNotApproved: [],
            yearsWithoutApprovedAccounts: [], undecidedChanges: 0, unreleasedPayments: 0)
        #expect(GrantClosing.problems(ready).isEmpty)
    }

    @Test func anAnchoringPlanMustSaySomethingAndNotTooMuch() {
        #expect(GrantClosing.anchoringPlanProblem(" \n") != nil)
        #expect(GrantClosing.anchoringPlanProblem(String(repeating: "x", count: 20_001)) != nil)
        #expect(GrantClosing.anchoringPlanProblem("Driften overtager indsatsen.") == nil)
    }

    @Test func onlyAnActiveCaseCloses() {
        #expect(GrantCaseTransition.close.applies(to: .active))
        #expect(!GrantCaseTransition.close.applies(to: .revisedBudgetDue))
        #expect(!GrantCaseTransition.close.applies(to: .closed))
    }
}

@Suite struct StatusReportRuleTests {
    /// Each problem is tied to its question, so the page shows it by the question's field.
    @Test func problemsAreNamedByTheirQuestion() {
        let questions = [
            ReportQuestion(id: "fremdrift", text: "Hvordan går det?"),
            ReportQuestion(id: "data", text: "Data", required: false, maxLength: 5),
        ]
        let problems = StatusReportRules.problems(["data": "for lang tekst"], questions: questions)
        #expect(problems.map(\.field) == ["fremdrift", "data"])
        #expect(problems[0].message == "Spørgsmål 1 skal besvares: Hvordan går det?")
        #expect(problems[1].message == "Svaret på spørgsmål 2 er for langt: 14 tegn, højst 5.")
        #expect(StatusReportRules.problems(["fremdrift": "Godt."], questions: questions).isEmpty)
    }

}

/// The agency's overview across a call's grant cases.
@Suite struct GrantOverviewTests {
    static func kr(_ kroner: Int64) -> Money { Money(kroner: kroner) }

    static func overviewRow(
        _ name: String, award: Int64, budget: [Int: Int64], spent: [Int: Int64], overdue: [String] = [],
        attended: [Bool?] = []
    ) -> GrantOverview.Row {
        GrantOverview.Row(
            caseID: UUID(), organisation: name, status: .active, award: kr(award),
            budgetByYear: budget.mapValues { kr($0) }, spentByYear: spent.mapValues { kr($0) }, released: kr(award / 2),
            overdue: overdue,
            obligations: AttendanceObligations(
                items: attended.enumerated().map {
                    .init(title: "Aktivitet \($0.offset + 1)", startsAt: Date(), attended: $0.element)
                }))
    }

    @Test func theOverviewAddsUpByYearAndSortsTheDanishWay() {
        let overview = GrantOverview(rows: [
            Self.overviewRow("Århus", award: 1_000, budget: [2027: 600, 2028: 400], spent: [2027: 500]),
            Self.overviewRow("Ærø", award: 500, budget: [2027: 500], spent: [:], overdue: ["Statusrapport 1"]),
            Self.overviewRow("Odense", award: 300, budget: [2028: 300], spent: [2028: 300], attended: [true, false]),
        ])
        #expect(overview.rows.map(\.organisation) == ["Odense", "Ærø", "Århus"])
        #expect(overview.years == [2027, 2028])
        #expect(overview.budget(year: 2027) == Self.kr(1_100) && overview.spent(year: 2027) == Self.kr(500))
        #expect(overview.budget(year: 2028) == Self.kr(700) && overview.spent(year: 2028) == Self.kr(300))
        #expect(overview.award == Self.kr(1_800) && overview.spent == Self.kr(800))
        #expect(overview.overdueCount == 1)
        // Ærø is overdue, Odense missed an activity.
        #expect(overview.casesNeedingAttention == 2)
        #expect(overview.rows[0].spentPercent == 100 && overview.rows[2].spentPercent == 50)
        let table = overview.table()
        #expect(table.count == 5)
        #expect(table[0].count == 4 + 2 * 2 + 5)
        #expect(table[0][4] == .text("Budget 2027 (kr.)") && table[0][5] == .text("Forbrug 2027 (kr.)"))
        #expect(table[2][0] == .text("Ærø") && table[2].last == .text("Statusrapport 1"))
        #expect(table[4][0] == .text("I alt") && table[4][2] == .amount(Self.kr(1_800)))
        #expect(BudgetTable.csv(rows: table).contains("Århus;I gang;1000;500;600;500;400;0;500;50;0;0;"))
    }

    @Test func theOverviewsPercentagesNeverTrap() {
        #expect(GrantOverview.percent(Money(ore: .max), of: Money(ore: 1)) == 1_000_000)
        #expect(GrantOverview.percent(Money(ore: 5), of: .zero) == 0)
        #expect(GrantOverview.percent(Money(ore: -5), of: Money(ore: 10)) == 0)
        #expect(GrantOverview.percent(Money(ore: 1), of: Money(ore: .max)) == 0)
        let huge = GrantOverview(rows: [
            Self.overviewRow("A", award: 1, budget: [2027: 1], spent: [2027: 1]),
            GrantOverview.Row(
                caseID: UUID(), organisation: "B", status: .active, award: Money(ore: .max),
                budgetByYear: [2027: Money(ore: .max)], spentByYear: [2027: Money(ore: .max)],
                released: Money(ore: .max),
                overdue: [], obligations: AttendanceObligations(items: [])),
        ])
        #expect(huge.award == Money(ore: .max) && huge.table().count == 4)
    }

    @Test func anInitiativeAddsUpItsRoundsAndLeavesOutThoseWithoutCases() {
        let first = GrantOverview(rows: [
            Self.overviewRow("Aarhus", award: 1_000, budget: [2027: 1_000], spent: [2027: 300], overdue: ["Rapport"]),
            Self.overviewRow("Vejle", award: 600, budget: [2027: 600], spent: [2027: 600]),
        ])
        let second = GrantOverview(rows: [
            Self.overviewRow("Odense", award: 400, budget: [2028: 400], spent: [:], attended: [false])
        ])
        let overview = InitiativeGrantOverview(rounds: [
            .init(callID: UUID(), title: "Runde 2", overview: second),
            .init(callID: UUID(), title: "Runde 3 (uden sager)", overview: GrantOverview(rows: [])),
            .init(callID: UUID(), title: "Runde 1", overview: first),
        ])
        #expect(overview.rounds.map(\.title) == ["Runde 1", "Runde 2"])
        #expect(overview.caseCount == 3)
        #expect(overview.award == Self.kr(2_000))
        #expect(overview.spent == Self.kr(900))
        #expect(overview.released == Self.kr(1_000))
        #expect(overview.spentPercent == 45)
        #expect(overview.rounds[0].spentPercent == 56)
        #expect(overview.overdueCount == 1)
        #expect(overview.casesNeedingAttention == 2)
        let table = overview.table()
        #expect(table.count == 4)
        #expect(table[1][0] == .text("Runde 1") && table[3][0] == .text("I alt"))
        #expect(table[3][2] == .amount(Self.kr(2_000)))
        // Amounts at the edge of Int64 saturate; nothing traps.
        let huge = GrantOverview(rows: [
            GrantOverview.Row(
                caseID: UUID(), organisation: "B", status: .active, award: Money(ore: .max),
                budgetByYear: [:], spentByYear: [2027: Money(ore: .max)], released: Money(ore: .max), overdue: [],
                obligations: AttendanceObligations(items: []))
        ])
        let twice = InitiativeGrantOverview(rounds: [
            .init(callID: UUID(), title: "A", overview: huge), .init(callID: UUID(), title: "B", overview: huge),
        ])
        #expect(twice.award == Money(ore: .max) && twice.spentPercent == 100)
    }
}

/// The grant case list's query string: its orders, their cursors, and what is not one of them.
@Suite struct GrantCaseListQueryTests {
    @Test func eachOrderReadsOnlyItsOwnCursorAndWritesItBack() {
        let id = UUID()
        let byCall = GrantCaseListQuery.cursor(
            after: id, call: "Pulje \"Ærø\"", recipient: "Ærø Kommune", openedSeconds: 1_795_315_704.123_456_7,
            in: .call)
        #expect(GrantCaseListQuery.keys(of: byCall, in: .call) == .titles("Pulje \"Ærø\"", "Ærø Kommune"))
        let byRecipient = GrantCaseListQuery.cursor(
            after: id, call: "Pulje", recipient: "Ærø Kommune", openedSeconds: 0, in: .recipient)
        #expect(GrantCaseListQuery.keys(of: byRecipient, in: .recipient) == .titles("Ærø Kommune", "Pulje"))
        let byOpened = GrantCaseListQuery.cursor(
            after: id, call: "Pulje", recipient: "Ærø Kommune", openedSeconds: 1_795_315_704.123_456_7, in: .opened)
        #expect(GrantCaseListQuery.keys(of: byOpened, in: .opened) == .opened(1_795_315_704.123_456_7))
        // A cursor of another order is not read as one of this (the list starts from its first page).
        #expect(GrantCaseListQuery.keys(of: byCall, in: .opened) == nil)
        #expect(GrantCaseListQuery.keys(of: byOpened, in: .call) == nil)
        #expect(GrantCaseListQuery(parameters: ["sortering": "aabnet", "efter": byCall.token]).after == nil)
        let read = GrantCaseListQuery(
            parameters: ["sortering": "aabnet", "efter": byOpened.token, "status": "active", "q": " Ærø\r\n "])
        #expect(read.after == byOpened && read.sort == .opened && read.status == .active && read.text == "Ærø")
        #expect(read.parameters(after: byOpened).map(\.0) == ["sortering", "status", "q", "efter"])
        #expect(read.firstPage.after == nil && read.firstPage.sort == .opened)
        // What cannot be read is left out: the default order, unfiltered.
        let hostile = GrantCaseListQuery(
            parameters: ["sortering": "'; DROP TABLE grant_cases;--", "status": "x", "efter": "\u{0}"])
        #expect(hostile == GrantCaseListQuery())
        #expect(hostile.parameters().isEmpty && !hostile.isFiltered)
        // A time cursor out of range is none.
        #expect(GrantCaseListQuery.keys(of: ListCursor(value: "1e300", id: id), in: .opened) == nil)
    }
}
