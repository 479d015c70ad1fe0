import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

/// Steps after the award on the demo call: Aarhus granted what it asked for, Esbjerg 750.000 kr. of 900.000 kr.
enum Grants {
    static let secondGrantAdministrator = "tilskud2@styrelsen.demo"

    /// Assessed, proposed with Esbjerg cut to 750.000 kr., approved by a director: two grant cases open.
    static func decided(_ app: Application) async throws {
        try await Assess.readyForPortfolio(app)
        let manager = try await Assess.signedIn(app, Demo.programmeManager)
        let call = try await Assess.call(app)
        try await manager.get(Assess.callPath(call) + "/udvaelgelse")
        let esbjerg = try await Assess.application(app, "Esbjerg Kommune")
        let adjusted = try await manager.post(
            Assess.callPath(call) + "/udvaelgelse/justering",
            [
                ("applicationID", esbjerg.uuidString), ("choice", ""), ("granted", "750.000"),
                ("reason", "Transportudgifterne er sat for højt."),
            ])
        #expect(adjusted.status == .seeOther)
        #expect(try await Assess.propose(app).status == .seeOther)
        let director = try await Assess.signedIn(app, Demo.director)
        try await director.get(Assess.callPath(call) + "/udvaelgelse")
        #expect(try await director.post(Assess.callPath(call) + "/afgoerelse/godkend").status == .seeOther)
    }

    static func grantCase(_ app: Application, _ organisation: String) async throws -> GrantCaseRecord {
        let application = try await Assess.application(app, organisation)
        return try #require(
            try await GrantCaseRecord.query(on: app.db).filter(\.$application.$id == application).first())
    }

    static func path(_ record: GrantCaseRecord) -> String { SiteURL.grantCase(record.id!).path }

    /// A browser signed in that has loaded the case page (for its CSRF token).
    static func on(_ app: Application, _ email: String, _ record: GrantCaseRecord) async throws -> Browser {
        let browser = try await Assess.signedIn(app, email)
        try await browser.get(path(record))
        return browser
    }

    static func round(
        _ app: Application, title: String = "Statusrapport 1", final: Bool = false
    ) async throws -> ReportRoundRecord {
        let staff = try await Assess.signedIn(app, Assess.grantAdministrator)
        try await staff.get(SiteURL.grantCases.path)
        let call = try await Assess.call(app)
        let created = try await staff.post(
            SiteURL.reportRounds(call).path,
            [("round.title", title), ("round.date", "2099-03-01"), ("round.time", "12.00"), ("round.questions", "")]
                + (final ? [("round.final[]", "true")] : []))
        #expect(created.status == .seeOther)
        return try #require(
            try await ReportRoundRecord.query(on: app.db).filter(\.$call.$id == call).filter(\.$title == title).first())
    }

    /// A final report asked for, submitted by the case's municipality and approved (straight in the database:
    /// the report's own flow is tested on its own).
    static func finalReportApproved(_ app: Application, _ record: GrantCaseRecord) async throws {
        let round = try await Self.round(app, title: "Slutrapport", final: true)
        let report = StatusReportRecord()
        report.$grantCase.id = try record.requireID()
        report.$round.id = try round.requireID()
        report.status = StatusReportStatus.approved.rawValue
        report.answersJSON = "{}"
        report.version = 1
        report.comment = ""
        report.submittedAt = app.now()
        report.submittedBy = "Test"
        report.decidedBy = "Test"
        report.decidedAt = app.now()
        try await report.create(on: app.db)
    }

    /// Approved accounts for every project year of the case, spending the award in the first year (set
    /// straight in the database: the accounts' own flow is tested on its own).
    static func accountsApproved(_ app: Application, _ record: GrantCaseRecord) async throws {
        let rules = try #require(try await CallRecord.find(record.$call.id, on: app.db)).rules()
        for (index, year) in (try #require(rules.projectYears)).enumerated() {
            let accounts = GrantAccountsRecord()
            accounts.$grantCase.id = record.id!
            accounts.year = year
            let spent = index == 0 ? record.awardOre : 0
            accounts.actualJSON = "{\"\(rules.budget.eligibleCategories[0].rawValue)\":\(spent)}"
            accounts.status = AccountsStatus.approved.rawValue
            accounts.auditorStatement = "Revisor A/S"
            accounts.submittedBy = "Test"
            accounts.submittedAt = Date()
            try await accounts.create(on: app.db)
        }
    }

    /// Every required role of the call's terms filled by Aarhus's applicant.
    static func fillRoles(_ app: Application, _ record: GrantCaseRecord) async throws {
        let amalie = try await on(app, Demo.applicant, record)
        for role in GrantTerms.standard.teamRoles {
            let added = try await amalie.post(
                path(record) + "/organisering",
                [
                    ("member.name", "Person \(role.id)"), ("member.email", "\(role.id)@aarhus.dk"),
                    ("member.role", role.id), ("member.group", "projectGroup"),
                ])
            #expect(added.status == .seeOther)
        }
    }
}

extension AppTests {
    @Suite struct GrantCaseTests {
        @Test func theDecisionOpensACasePerAwardAndACutAwardWaitsForARevisedBudget() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                let call = try await Assess.call(app)
                #expect(try await GrantCaseRecord.query(on: app.db).filter(\.$call.$id == call).count() == 2)
                let aarhus = try await Grants.grantCase(app, "Aarhus Kommune")
                let esbjerg = try await Grants.grantCase(app, "Esbjerg Kommune")
                #expect(aarhus.caseStatus == .active)
                #expect(esbjerg.caseStatus == .revisedBudgetDue && esbjerg.award == Money(kroner: 750_000))
                #expect(try esbjerg.budget().total == Money(kroner: 900_000))
                // The case's timeline starts with its opening.
                let opened = try await AuditEntryRecord.query(on: app.db)
                    .filter(\.$action == AuditAction.grantOpen.rawValue)
                    .filter(\.$entityID ~~ [aarhus.id!.pathValue, esbjerg.id!.pathValue]).all()
                #expect(opened.count == 2)

                // Esbjerg's budget must add up to the award.
                let ebba = try await Grants.on(app, "ansoger@esbjerg.demo", esbjerg)
                let page = try await ebba.get(Grants.path(esbjerg)).body.string
                #expect(page.contains("Afventer revideret budget") && page.contains("Send revideret budget"))
                let budget = try esbjerg.budget()
                var fields = budget.cells.map {
                    ("budget.\($0.category.rawValue).\($0.year)", DanishAmount.plain($0.amount))
                }
                let wrong = try await ebba.post(Grants.path(esbjerg) + "/budget", fields)
                #expect(wrong.status == .unprocessableEntity)
                #expect(
                    wrong.body.string.contains(
                        "Budgettet skal give tilskuddet på 750.000 kr. i alt; det giver 900.000 kr."))
                // Cut the largest cell by 150.000 kr.
                let largest = try #require(budget.cells.max { $0.amount < $1.amount })
                fields = budget.cells.map { cell in
                    let amount = cell == largest ? cell.amount - Money(kroner: 150_000) : cell.amount
                    return ("budget.\(cell.category.rawValue).\(cell.year)", DanishAmount.plain(amount))
                }
                #expect(try await ebba.post(Grants.path(esbjerg) + "/budget", fields).status == .seeOther)
                // The municipality cannot approve its own budget; the grant administrator does.
                #expect(try await ebba.post(Grants.path(esbjerg) + "/budget/godkend").status == .forbidden)
                let tine = try await Grants.on(app, Assess.grantAdministrator, esbjerg)
                #expect(try await tine.post(Grants.path(esbjerg) + "/budget/godkend").status == .seeOther)
                let approved = try await Grants.grantCase(app, "Esbjerg Kommune")
                #expect(approved.caseStatus == .active && approved.budgetVersion == 2)
                #expect(try approved.budget().total == Money(kroner: 750_000))
                #expect(
                    try await GrantBudgetVersionRecord.query(on: app.db).filter(\.$grantCase.$id == esbjerg.id!).count()
                        == 2)
                // Approving again is a conflict, not a second version.
                #expect(try await tine.post(Grants.path(esbjerg) + "/budget/godkend").status == .conflict)
                // The municipality was told by e-mail.
                let mail = try await OutboxMessageRecord.query(on: app.db).filter(\.$kind == "grant-case").all()
                #expect(mail.contains { $0.recipient == "ansoger@esbjerg.demo" && $0.body.contains("godkendt") })
                // Both see one timeline of the case.
                let timeline = try await ebba.get(Grants.path(esbjerg)).body.string
                #expect(timeline.contains("Tilskudssag oprettet") && timeline.contains("Budget godkendt"))
            }
        }

        @Test func theOrganisationNeedsEveryRequiredRoleAndASignatory() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                let aarhus = try await Grants.grantCase(app, "Aarhus Kommune")
                let amalie = try await Grants.on(app, Demo.applicant, aarhus)
                let page = try await amalie.get(Grants.path(aarhus)).body.string
                #expect(page.contains("Mangler: Projektansvarlig leder, Projektleder."))
                let half = try await amalie.post(
                    Grants.path(aarhus) + "/organisering",
                    [
                        ("member.name", ""), ("member.email", "ikke en adresse"), ("member.role", "projektleder"),
                        ("member.group", "projectGroup"),
                    ])
                #expect(half.status == .unprocessableEntity)
                #expect(
                    half.body.string.contains("Skriv personens navn.")
                        && half.body.string.contains("gyldig e-mailadresse"))
                // Only a signatory confirms, and only when every role is filled.
                let camilla = try await Grants.on(app, "chef@aarhus.demo", aarhus)
                let early = try await camilla.post(Grants.path(aarhus) + "/organisering/godkend")
                #expect(early.status == .unprocessableEntity)
                #expect(early.body.string.contains("Organiseringen mangler: Projektansvarlig leder, Projektleder."))
                try await Grants.fillRoles(app, aarhus)
                #expect(try await amalie.post(Grants.path(aarhus) + "/organisering/godkend").status == .forbidden)
                #expect(try await camilla.post(Grants.path(aarhus) + "/organisering/godkend").status == .seeOther)
                #expect(try await Grants.grantCase(app, "Aarhus Kommune").organisationConfirmedBy == "Camilla Chef")
                // A change to the organisation needs a new confirmation.
                let member = try #require(
                    try await GrantTeamMemberRecord.query(on: app.db).filter(\.$grantCase.$id == aarhus.id!).first())
                #expect(
                    try await amalie.post(SiteURL.removeTeamMember(aarhus.id!, member.id!).path).status == .seeOther)
                #expect(try await Grants.grantCase(app, "Aarhus Kommune").organisationConfirmedBy == nil)
            }
        }

        @Test func aStatusReportIsSavedSubmittedWithAReceiptAndApprovedOrReturned() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                let aarhus = try await Grants.grantCase(app, "Aarhus Kommune")
                let round = try await Grants.round(app)
                // Everyone on the case is told.
                let mail = try await OutboxMessageRecord.query(on: app.db).filter(\.$subject ~~ "Statusrapport 1").all()
                #expect(mail.contains { $0.recipient == Demo.applicant })
                let amalie = try await Grants.on(app, Demo.applicant, aarhus)
                let reportPath = SiteURL.statusReport(aarhus.id!, round.id!).path
                #expect(try await amalie.get(reportPath).body.string.contains("Hvordan går implementeringen?"))
                // A half-written report is kept as a draft and refused at submission with what is missing.
                let half = try await amalie.post(
                    reportPath + "/indsend", [("version", "0"), ("answer.fremdrift", "Vi er i gang med tre teams.")])
                #expect(half.status == .unprocessableEntity)
                #expect(half.body.string.contains("Spørgsmål 2 skal besvares"))
                let draft = try #require(try await StatusReportRecord.query(on: app.db).first())
                #expect(draft.reportStatus == .draft && draft.answers()["fremdrift"] == "Vi er i gang med tre teams.")
                // A stale version is refused and nothing is overwritten.
                let stale = try await amalie.post(reportPath, [("version", "0"), ("answer.fremdrift", "Gammel")])
                #expect(stale.status == .conflict)
                let answers = [
                    ("version", String(draft.version)), ("answer.fremdrift", "Vi er i gang med tre teams."),
                    ("answer.tilpasninger", "Mødefrekvensen er halveret."), ("answer.data", ""),
                    ("answer.naeste", "Læringsloop 1."),
                ]
                #expect(try await amalie.post(reportPath + "/indsend", answers).status == .seeOther)
                let submitted = try #require(try await StatusReportRecord.query(on: app.db).first())
                #expect(submitted.reportStatus == .submitted && submitted.receiptNumber?.hasPrefix("SR-") == true)
                #expect(
                    try await amalie.get(reportPath).body.string.contains(
                        "Kvitteringsnummer: \(submitted.receiptNumber!)"))
                // The municipality cannot approve; the agency must say why it returns a report.
                #expect(try await amalie.post(reportPath + "/vurder", [("decision", "approve")]).status == .forbidden)
                let tine = try await Assess.signedIn(app, Assess.grantAdministrator)
                try await tine.get(reportPath)
                let noReason = try await tine.post(reportPath + "/vurder", [("decision", "return"), ("comment", "")])
                #expect(noReason.status == .unprocessableEntity)
                #expect(
                    try await tine.post(reportPath + "/vurder", [("decision", "approve"), ("comment", "")]).status
                        == .seeOther)
                #expect(try await StatusReportRecord.query(on: app.db).first()?.reportStatus == .approved)
                #expect(try await tine.post(reportPath + "/vurder", [("decision", "approve")]).status == .conflict)
            }
        }

        @Test func aLargeReallocationNeedsTwoPeopleAndASmallOneIsANotice() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                let aarhus = try await Grants.grantCase(app, "Aarhus Kommune")
                let budget = try aarhus.budget()
                let amalie = try await Grants.on(app, Demo.applicant, aarhus)
                func moving(_ kroner: Int64) -> [(String, String)] {
                    let from = budget.cells.max { $0.amount < $1.amount }!
                    let to = budget.cells.first { $0 != from }!
                    return budget.cells.map { cell in
                        var amount = cell.amount
                        if cell == from { amount = amount - Money(kroner: kroner) }
                        if cell == to { amount = amount + Money(kroner: kroner) }
                        return ("budget.\(cell.category.rawValue).\(cell.year)", DanishAmount.plain(amount))
                    }
                }
                // 10.000 kr. is within 10 % of the budget: registered, the budget changes at once.
                let small = try await amalie.post(
                    Grants.path(aarhus) + "/aendringer",
                    [("change.kind", "reallocation"), ("change.description", "Flere kursusdage.")] + moving(10_000))
                #expect(small.status == .seeOther)
                #expect(try await Grants.grantCase(app, "Aarhus Kommune").budgetVersion == 2)
                // A reallocation that changes the total is refused.
                var more = moving(0)
                more[0].1 = DanishAmount.plain(budget.cells[0].amount + Money(kroner: 1))
                let changedTotal = try await amalie.post(
                    Grants.path(aarhus) + "/aendringer",
                    [("change.kind", "reallocation"), ("change.description", "Mere.")] + more)
                #expect(changedTotal.status == .unprocessableEntity)
                #expect(changedTotal.body.string.contains("samme i alt"))
                // Moving 150.000 kr. needs two approvers (above 100.000 kr.).
                let current = try await Grants.grantCase(app, "Aarhus Kommune")
                let now = try current.budget()
                let from = now.cells.max { $0.amount < $1.amount }!
                let to = now.cells.first { $0 != from }!
                let large = now.cells.map { cell -> (String, String) in
                    var amount = cell.amount
                    if cell == from { amount = amount - Money(kroner: 150_000) }
                    if cell == to { amount = amount + Money(kroner: 150_000) }
                    return ("budget.\(cell.category.rawValue).\(cell.year)", DanishAmount.plain(amount))
                }
                let asked = try await amalie.post(
                    Grants.path(aarhus) + "/aendringer",
                    [("change.kind", "reallocation"), ("change.description", "Ny medarbejder i stedet for konsulent.")]
                        + large)
                #expect(asked.status == .seeOther)
                let change = try #require(
                    try await ChangeRequestRecord.query(on: app.db).filter(\.$grantCase.$id == aarhus.id!)
                        .filter(\.$status == ChangeStatus.pending.rawValue).first())
                #expect(change.changeHandling == .approvalByTwo && change.movedOre == 15_000_000)
                let decide = SiteURL.decideChange(aarhus.id!, change.id!).path
                #expect(try await amalie.post(decide, [("decision", "approve")]).status == .forbidden)
                let tine = try await Grants.on(app, Assess.grantAdministrator, aarhus)
                #expect(try await tine.post(decide, [("decision", "approve")]).status == .seeOther)
                #expect(
                    try await ChangeRequestRecord.find(change.id, on: app.db)?.changeStatus == .awaitingSecondApproval)
                // Not the same person twice; the budget is unchanged until the second approval.
                let twice = try await tine.post(decide, [("decision", "approve")])
                #expect(twice.status == .forbidden && twice.body.string.contains("En anden person"))
                #expect(try await Grants.grantCase(app, "Aarhus Kommune").budgetVersion == 2)
                let dorte = try await Grants.on(app, Demo.director, aarhus)
                #expect(try await dorte.post(decide, [("decision", "approve")]).status == .seeOther)
                let after = try await Grants.grantCase(app, "Aarhus Kommune")
                #expect(after.budgetVersion == 3)
                #expect(
                    try after.budget().amount(from.category, year: from.year) == from.amount - Money(kroner: 150_000))
                #expect(try await ChangeRequestRecord.find(change.id, on: app.db)?.decidedBy == "Dorte Direktør")
                // Earlier versions stay readable.
                #expect(try await amalie.get(Grants.path(aarhus)).body.string.contains("Tidligere budgetversioner"))
            }
        }

        @Test func accountsAndPaymentsByTwoPeopleNeverBeyondTheAward() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                let aarhus = try await Grants.grantCase(app, "Aarhus Kommune")
                let award = aarhus.award
                let budget = try aarhus.budget()
                let year = try #require(budget.years.first)
                let amalie = try await Grants.on(app, Demo.applicant, aarhus)
                // Accounts: the variance per category; an auditor's statement where the award asks for one.
                var fields = [("accounts.year", String(year))]
                for category in budget.categories where budget.amount(category, year: year) > .zero {
                    fields.append(
                        (
                            "actual.\(category.rawValue)",
                            DanishAmount.plain(budget.amount(category, year: year) - Money(kroner: 1_000))
                        ))
                }
                if award >= Money(kroner: 500_000) {
                    let missing = try await amalie.post(Grants.path(aarhus) + "/regnskab", fields)
                    #expect(missing.status == .unprocessableEntity && missing.body.string.contains("revisorerklæring"))
                    fields.append(("accounts.auditor", "Revisionsfirma A/S: regnskabet giver et retvisende billede."))
                }
                let hostile = try await amalie.post(
                    Grants.path(aarhus) + "/regnskab", fields + [("actual.salaries", "9223372036854775807")])
                #expect(hostile.status == .unprocessableEntity)
                #expect(try await amalie.post(Grants.path(aarhus) + "/regnskab", fields).status == .seeOther)
                let tine = try await Grants.on(app, Assess.grantAdministrator, aarhus)
                let accounts = try #require(try await GrantAccountsRecord.query(on: app.db).first())
                #expect(
                    try await tine.post(
                        SiteURL.decideAccounts(aarhus.id!, accounts.id!).path, [("decision", "approve")]
                    )
                    .status == .seeOther)
                #expect(try await tine.get(Grants.path(aarhus)).body.string.contains("Regnskab \(year) – Godkendt"))

                // Payments: an account first; the one who changed it or prepared a payment cannot release it.
                let noAccount = try await tine.post(
                    Grants.path(aarhus) + "/udbetalinger", [("payment.amount", "100.000")])
                #expect(noAccount.status == .unprocessableEntity)
                #expect(
                    try await tine.post(Grants.path(aarhus) + "/konto", [("payee.account", "12\r\n34")]).status
                        == .unprocessableEntity)
                #expect(
                    try await tine.post(Grants.path(aarhus) + "/konto", [("payee.account", "1234 0001234567")]).status
                        == .seeOther)
                let over = try await tine.post(
                    Grants.path(aarhus) + "/udbetalinger",
                    [("payment.amount", DanishAmount.plain(award + Money(kroner: 1)))])
                #expect(
                    over.status == .unprocessableEntity && over.body.string.contains("kan ikke overstige tilskuddet"))
                #expect(
                    try await tine.post(Grants.path(aarhus) + "/udbetalinger", [("payment.amount", "0")]).status
                        == .unprocessableEntity)
                #expect(
                    try await tine.post(Grants.path(aarhus) + "/udbetalinger", [("payment.amount", "-5")]).status
                        == .unprocessableEntity)
                #expect(
                    try await tine.post(Grants.path(aarhus) + "/udbetalinger", [("payment.amount", "100.000")]).status
                        == .seeOther)
                let payment = try #require(
                    try await GrantPaymentRecord.query(on: app.db).filter(\.$grantCase.$id == aarhus.id!).first())
                let release = SiteURL.releasePayment(aarhus.id!, payment.id!).path
                let own = try await tine.post(release)
                #expect(own.status == .forbidden && own.body.string.contains("kan ikke selv frigive"))
                // The municipality sees the case but cannot touch payments.
                #expect(try await amalie.post(release).status == .forbidden)
                let torben = try await Grants.on(app, Grants.secondGrantAdministrator, aarhus)
                #expect(try await torben.post(release).status == .seeOther)
                #expect(try await torben.post(release).status == .conflict)
                #expect(try await GrantPaymentRecord.find(payment.id, on: app.db)?.paymentStatus == .released)
                // Torben changes the account: he may then not release to the recipient.
                #expect(
                    try await torben.post(Grants.path(aarhus) + "/konto", [("payee.account", "4321 0007654321")]).status
                        == .seeOther)
                #expect(
                    try await tine.post(Grants.path(aarhus) + "/udbetalinger", [("payment.amount", "50.000")]).status
                        == .seeOther)
                let second = try #require(
                    try await GrantPaymentRecord.query(on: app.db).filter(\.$status == PaymentStatus.prepared.rawValue)
                        .first())
                let changedAccount = try await torben.post(SiteURL.releasePayment(aarhus.id!, second.id!).path)
                #expect(changedAccount.status == .forbidden && changedAccount.body.string.contains("kontooplysninger"))
                // The payment file for the finance system holds the released payment.
                let csv = try await tine.get(SiteURL.grantPaymentsCSV.path)
                #expect(
                    csv.status == .ok && csv.body.string.contains("Aarhus Kommune")
                        && csv.body.string.contains("100000"))
                #expect(try await amalie.get(SiteURL.grantPaymentsCSV.path).status == .forbidden)
                // Repayment: 100.000 kr. paid, fewer expenses approved in the year than paid? Shown when so.
                let page = try await tine.get(Grants.path(aarhus)).body.string
                #expect(page.contains("Udbetalt") && page.contains("100.000 kr."))
            }
        }

        /// Staff schedule an activity for the call's cases; a municipality registers its people until it begins
        /// (and sees the required roles it has not registered); staff record attendance once it has begun;
        /// the case shows its obligations; the calendar file is for the call's parties only.
        @Test func activitiesAreScheduledRegisteredAndAttended() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                let clock = TestClock(Date())
                app.now = { clock.now }
                let aarhus = try await Grants.grantCase(app, "Aarhus Kommune")
                try await Grants.fillRoles(app, aarhus)
                let call = try await Assess.call(app)
                let staff = try await Assess.signedIn(app, Assess.grantAdministrator)
                try await staff.get(SiteURL.grantCases.path)
                var plan: [(String, String)] = [
                    ("activity.kind", "crossMunicipalStartUp"), ("activity.title", "Fælles opstart"),
                    ("activity.date", "2099-03-02"), ("activity.start", "9.30"), ("activity.end", "9.00"),
                    ("activity.place", "Odense"), ("activity.mandatory[]", "true"),
                    ("activity.roles[]", "projektleder"),
                ]
                let refused = try await staff.post(SiteURL.callActivities(call).path, plan)
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("Aktiviteten skal slutte, efter den er begyndt."))
                plan = plan.map { $0.0 == "activity.end" ? ($0.0, "15.00") : $0 }
                #expect(try await staff.post(SiteURL.callActivities(call).path, plan).status == .seeOther)
                let activity = try #require(
                    try await GrantActivityRecord.query(on: app.db).filter(\.$call.$id == call).first())
                // 9.30 Danish winter time is 8.30 UTC.
                #expect(ICSCalendar.utc(activity.startsAt) == "20990302T083000Z")
                #expect(activity.requiredRoleIDs == ["projektleder"] && activity.mandatory)
                let told = try await OutboxMessageRecord.query(on: app.db).filter(\.$kind == "grant-case").all()
                #expect(told.contains { $0.recipient == Demo.applicant && $0.subject.contains("Fælles opstart") })

                // The municipality registers the project leader; twice is refused.
                let amalie = try await Grants.on(app, Demo.applicant, aarhus)
                let page = try await amalie.get(Grants.path(aarhus)).body.string
                #expect(page.contains("Mangler tilmelding af: Projektleder."))
                let leader = try #require(
                    try await GrantTeamMemberRecord.query(on: app.db).filter(\.$roleID == "projektleder").first())
                let register = SiteURL.activityRegistration(aarhus.id!, activity.id!).path
                let field = "participant.\(activity.id!.pathValue)"
                #expect(try await amalie.post(register, [(field, leader.id!.pathValue)]).status == .seeOther)
                let twice = try await amalie.post(register, [(field, leader.id!.pathValue)])
                #expect(twice.status == .unprocessableEntity)
                #expect(twice.body.string.contains("er allerede tilmeldt"))
                #expect(!(try await amalie.get(Grants.path(aarhus)).body.string.contains("Mangler tilmelding af")))
                // Another municipality registers nothing in Aarhus's case and gets no calendar file.
                let vejle = try await Assess.signedIn(app, "ansoger@odense.demo")
                try await vejle.get("/")
                #expect(try await vejle.post(register, [(field, leader.id!.pathValue)]).status == .notFound)
                #expect(try await vejle.get(SiteURL.activityCalendar(activity.id!).path).status == .notFound)
                let ics = try await amalie.get(SiteURL.activityCalendar(activity.id!).path)
                #expect(ics.status == .ok && ics.headers.contentType?.subType == "calendar")
                #expect(
                    ics.body.string.contains("DTSTART:20990302T083000Z") && ics.body.string.contains("LOCATION:Odense"))
                // Attendance waits for the start; the municipality never records it.
                try await staff.get(SiteURL.activity(activity.id!).path)
                let early = try await staff.post(SiteURL.activityAttendance(activity.id!).path, [])
                #expect(early.status == .conflict)
                #expect(try await amalie.get(SiteURL.activity(activity.id!).path).status == .notFound)

                // The day comes: registration closes, staff record who came.
                clock.now = activity.startsAt.addingTimeInterval(600)
                let late = try await amalie.post(register, [(field, leader.id!.pathValue)])
                #expect(late.status == .conflict)
                let participant = try #require(try await ActivityParticipantRecord.query(on: app.db).first())
                let sheet = try await staff.get(SiteURL.activity(activity.id!).path).body.string
                #expect(sheet.contains("Gem fremmødet") && sheet.contains("Aarhus Kommune"))
                #expect(
                    try await staff.post(
                        SiteURL.activityAttendance(activity.id!).path, [("present[]", participant.id!.pathValue)]
                    ).status == .seeOther)
                #expect(try await ActivityParticipantRecord.find(participant.id, on: app.db)?.attended == true)
                let after = try await amalie.get(Grants.path(aarhus)).body.string
                #expect(after.contains("Deltaget i 1 af 1 obligatoriske aktiviteter."))
                #expect(after.contains("Fremmøde registreret"))
                // Esbjerg registered nobody: it missed the mandatory start-up.
                let esbjerg = try await Grants.grantCase(app, "Esbjerg Kommune")
                let ebba = try await Grants.on(app, "ansoger@esbjerg.demo", esbjerg)
                #expect(
                    try await ebba.get(Grants.path(esbjerg)).body.string.contains(
                        "Deltaget i 0 af 1 obligatoriske aktiviteter. Ikke deltaget: Fælles opstart."))
            }
        }

        /// A week before a report is due, and again once it is overdue, the municipality's people get one
        /// reminder each; a delivered report gets none, and looking again (or from another instance) sends
        /// nothing twice.
        @Test func remindersGoOutOnceBeforeTheDueDateAndWhenOverdue() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                let round = try await Grants.round(app)
                let reminders = {
                    try await OutboxMessageRecord.query(on: app.db).filter(\.$kind == "grant-reminder").all()
                }
                // A month before: nothing yet.
                #expect(try await GrantReminders.send(app, at: round.dueAt.addingTimeInterval(-30 * 86_400)) == 0)
                // Three days before: one reminder per case, once, even when two look at the same time.
                let soon = round.dueAt.addingTimeInterval(-3 * 86_400)
                async let first = GrantReminders.send(app, at: soon)
                async let second = GrantReminders.send(app, at: soon)
                #expect(try await first + second == 2)
                #expect(try await GrantReminders.send(app, at: soon) == 0)
                let before = try await reminders()
                #expect(
                    before.contains {
                        $0.recipient == Demo.applicant && $0.subject.hasPrefix("Påmindelse: Statusrapport 1")
                    })
                // Aarhus delivers; Esbjerg does not.
                let aarhus = try await Grants.grantCase(app, "Aarhus Kommune")
                let amalie = try await Grants.on(app, Demo.applicant, aarhus)
                let path = SiteURL.statusReport(aarhus.id!, round.id!).path
                try await amalie.get(path)
                let answers = try round.questions().map { ("answer.\($0.id)", "Det går godt.") }
                #expect(try await amalie.post(path + "/indsend", [("version", "0")] + answers).status == .seeOther)
                // After the due date: only Esbjerg hears, once.
                let late = round.dueAt.addingTimeInterval(3600)
                #expect(try await GrantReminders.send(app, at: late) == 1)
                #expect(try await GrantReminders.send(app, at: late.addingTimeInterval(86_400)) == 0)
                let overdue = try await reminders().filter { $0.subject.hasPrefix("Fristen er overskredet") }
                #expect(overdue.count == 1 && overdue[0].recipient == "ansoger@esbjerg.demo")
            }
        }

        /// A case closes only when the anchoring plan is in, a final report asked for, every report approved (the
        /// final one among them), every year's accounts approved, no change undecided and no payment waiting;
        /// then the municipality can no longer change it.
        @Test func aCaseClosesWhenNothingStandsInTheWay() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                let aarhus = try await Grants.grantCase(app, "Aarhus Kommune")
                let tine = try await Grants.on(app, Assess.grantAdministrator, aarhus)
                let early = try await tine.post(
                    Grants.path(aarhus) + "/afslut", [("closing.note", "Indsatsen er i drift.")])
                #expect(early.status == .unprocessableEntity)
                #expect(early.body.string.contains("Kommunen har ikke indsendt forankringsplanen."))
                #expect(early.body.string.contains("Regnskabet er ikke godkendt for"))
                #expect(early.body.string.contains("Der er ikke bedt om en slutrapport"))
                // The municipality cannot close; it delivers its anchoring plan (an empty one is refused).
                let amalie = try await Grants.on(app, Demo.applicant, aarhus)
                #expect(try await amalie.post(Grants.path(aarhus) + "/afslut", []).status == .forbidden)
                let empty = try await amalie.post(Grants.path(aarhus) + "/forankringsplan", [("anchoring.plan", " ")])
                #expect(empty.status == .unprocessableEntity && empty.body.string.contains("Skriv forankringsplanen"))
                let plan = "Familieafdelingen ejer indsatsen; den finansieres af driftsbudgettet fra 2027."
                #expect(
                    try await amalie.post(Grants.path(aarhus) + "/forankringsplan", [("anchoring.plan", plan)]).status
                        == .seeOther)
                try await Grants.accountsApproved(app, aarhus)
                // The final report: asked for with the final questions, written and submitted by Aarhus, and
                // until the agency approves it, the case cannot close.
                let final = try await Grants.round(app, title: "Slutrapport", final: true)
                #expect(try final.isFinal && final.questions() == ReportQuestion.finalStandard)
                let finalPath = SiteURL.statusReport(aarhus.id!, final.id!).path
                let page = try await amalie.get(finalPath).body.string
                #expect(page.contains("Hvordan fortsætter indsatsen efter projektperioden?"))
                #expect(page.contains("Det er slutrapporten: styrelsen skal godkende den, før sagen kan afsluttes."))
                #expect(
                    try await amalie.get(Grants.path(aarhus)).body.string.contains("Slutrapport</a> (slutrapporten) –"))
                let answers = try final.questions().map { ("answer.\($0.id)", "Det er beskrevet.") }
                #expect(try await amalie.post(finalPath + "/indsend", [("version", "0")] + answers).status == .seeOther)
                let waiting = try await tine.post(
                    Grants.path(aarhus) + "/afslut", [("closing.note", "Indsatsen er i drift.")])
                #expect(
                    waiting.status == .unprocessableEntity
                        && waiting.body.string.contains("Ikke godkendt: Slutrapport."))
                try await tine.get(finalPath)
                #expect(
                    try await tine.post(finalPath + "/vurder", [("decision", "approve"), ("comment", "")]).status
                        == .seeOther)
                let ready = try await tine.get(Grants.path(aarhus)).body.string
                #expect(ready.contains("Alt er på plads: sagen kan afsluttes.") && ready.contains(plan))
                #expect(
                    try await tine.post(Grants.path(aarhus) + "/afslut", [("closing.note", "")]).status
                        == .unprocessableEntity)
                #expect(
                    try await tine.post(Grants.path(aarhus) + "/afslut", [("closing.note", "Indsatsen er i drift.")])
                        .status == .seeOther)
                let closed = try await Grants.grantCase(app, "Aarhus Kommune")
                #expect(closed.caseStatus == .closed && closed.closedBy != nil)
                // Closed: read only for the municipality, and closing twice is a conflict.
                #expect(
                    try await amalie.post(Grants.path(aarhus) + "/forankringsplan", [("anchoring.plan", "Ny")]).status
                        == .forbidden)
                #expect(
                    try await tine.post(Grants.path(aarhus) + "/afslut", [("closing.note", "Igen.")]).status
                        == .conflict)
                let closedPage = try await amalie.get(Grants.path(aarhus)).body.string
                #expect(closedPage.contains("Sagen blev afsluttet") && closedPage.contains("Sag afsluttet"))
                let mail = try await OutboxMessageRecord.query(on: app.db).filter(\.$kind == "grant-case").all()
                #expect(mail.contains { $0.recipient == Demo.applicant && $0.body.contains("Sagen er afsluttet.") })
            }
        }

        /// The status report saves by itself: the page's script gets the new version in JSON, a stale save
        /// gets 409 and writes nothing; the page is set up for the script (and works without it).
        @Test func aStatusReportAutosavesAndAStaleSaveIsRefused() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                let aarhus = try await Grants.grantCase(app, "Aarhus Kommune")
                let round = try await Grants.round(app)
                let amalie = try await Grants.on(app, Demo.applicant, aarhus)
                let path = SiteURL.statusReport(aarhus.id!, round.id!).path
                let page = try await amalie.get(path).body.string
                #expect(page.contains("data-autosave=\"\(path)\"") && page.contains("id=\"gem-status\""))
                let first = try await SecurityDefectTests.autosave(
                    amalie, path, [("version", "0"), ("answer.fremdrift", "Tre teams er i gang.")])
                #expect(first.status == .ok && first.body.string.contains("\"version\":1"))
                #expect(first.headers.contentType == .json)
                let stale = try await SecurityDefectTests.autosave(
                    amalie, path, [("version", "0"), ("answer.fremdrift", "Gammel tekst")])
                #expect(stale.status == .conflict && stale.body.string.contains("\"conflict\":true"))
                let report = try #require(try await StatusReportRecord.query(on: app.db).first())
                #expect(report.version == 1 && report.answers()["fremdrift"] == "Tre teams er i gang.")
            }
        }

        /// Mine sager lists the municipality's grant cases with their status and what is due next, and only
        /// its own.
        @Test func mineSagerShowsTheGrantCasesAndWhatIsDueNext() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                _ = try await Grants.round(app)
                let amalie = try await Assess.signedIn(app, Demo.applicant)
                let page = try await amalie.get(SiteURL.myCases.path).body.string
                #expect(page.contains("Tilskudssager") && page.contains("I gang"))
                let aarhus = try await Grants.grantCase(app, "Aarhus Kommune")
                #expect(page.contains(SiteURL.grantCase(aarhus.id!).path))
                #expect(page.contains("Organiseringen skal godkendes af en tegningsberettiget"))
                let esbjerg = try await Grants.grantCase(app, "Esbjerg Kommune")
                #expect(!page.contains(SiteURL.grantCase(esbjerg.id!).path))
            }
        }

        /// An initiative's calls are overseen together: the rounds with cases, their totals and downloads.
        @Test func theAgencySeesAnInitiativeAcrossItsCalls() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                let call = try #require(try await CallRecord.find(try await Assess.call(app), on: app.db))
                call.initiativeNumber = "1.8"
                try await call.save(on: app.db)
                let director = try await Assess.signedIn(app, Demo.director)
                let list = try await director.get(SiteURL.grantCases.path).body.string
                #expect(list.contains(SiteURL.initiativeGrantOverview("1.8").path))
                let page = try await director.get(SiteURL.initiativeGrantOverview("1.8").path)
                #expect(page.status == .ok)
                let html = page.body.string
                #expect(html.contains("Overblik over initiativ 1.8"))
                #expect(html.contains(SiteURL.callGrantOverview(try call.requireID()).path))
                #expect(html.contains(call.title))
                let cases = try await GrantCaseRecord.query(on: app.db).filter(\.$call.$id == call.requireID()).all()
                #expect(html.contains(DanishAmount.kroner(cases.map(\.award).sum())))
                let csv = try await director.get(SiteURL.initiativeGrantOverviewCSV("1.8").path)
                #expect(csv.body.string.hasPrefix("\u{FEFF}Pulje;Sager;Tilsagn (kr.)"))
                #expect(csv.body.string.contains("I alt;\(cases.count);"))
                #expect(csv.headers.first(name: .contentDisposition)?.contains("initiativ-1.8.csv") == true)
                let xlsx = try await director.get(SiteURL.initiativeGrantOverviewXLSX("1.8").path)
                #expect(xlsx.status == .ok && xlsx.body.readableBytes > 500)
                // No call names 9.9 (said so); a number written otherwise is not found; municipalities get none.
                let none = try await director.get(SiteURL.initiativeGrantOverview("9.9").path)
                #expect(none.status == .ok && none.body.string.contains("Ingen puljer hører til initiativ 9.9 endnu."))
                #expect(try await director.get("/tilskudssager/initiativ/01.8").status == .notFound)
                // The initiative's page leads there, for staff.
                let initiative = try await director.get(SiteURL.initiative(year: 2022, number: "1.1").path).body.string
                #expect(initiative.contains(SiteURL.initiativeGrantOverview("1.1").path))
                #expect(try await director.get("/tilskudssager/initiativ/1.8%0d%0a").status == .notFound)
                let applicant = try await Assess.signedIn(app, Demo.applicant)
                #expect(try await applicant.get(SiteURL.initiativeGrantOverview("1.8").path).status == .forbidden)
            }
        }

        @Test func theAgencySeesEveryCaseOfACallWithSpendOverdueAndAttendance() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                let call = try await Assess.call(app)
                let aarhus = try await Grants.grantCase(app, "Aarhus Kommune")
                try await Grants.accountsApproved(app, aarhus)
                // A round already past its due time: overdue for both cases.
                let round = ReportRoundRecord()
                round.$call.id = call
                round.title = "Statusrapport forår"
                round.dueAt = app.now().addingTimeInterval(-3600)
                round.questionsJSON = "[]"
                round.createdBy = "Test"
                round.createdAt = app.now()
                try await round.create(on: app.db)

                let director = try await Assess.signedIn(app, Demo.director)
                let list = try await director.get(SiteURL.grantCases.path).body.string
                #expect(list.contains(SiteURL.callGrantOverview(call).path))
                let page = try await director.get(SiteURL.callGrantOverview(call).path)
                #expect(page.status == .ok)
                let html = page.body.string
                #expect(html.contains("Aarhus Kommune") && html.contains("Esbjerg Kommune"))
                #expect(html.contains(SiteURL.grantCase(aarhus.id!).path))
                #expect(html.contains("Statusrapport forår"))
                #expect(html.contains("<svg") && html.contains("Søjlediagram over budget og forbrug pr. år"))
                #expect(html.contains(DanishAmount.kroner(aarhus.award) + " (100 %)"))
                #expect(html.contains("Sager der kræver opmærksomhed") && html.contains("2 (overskredne frister"))

                let csv = try await director.get(SiteURL.callGrantOverviewCSV(call).path)
                #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
                let text = csv.body.string
                #expect(text.hasPrefix("\u{FEFF}Modtager;Status;Tilsagn (kr.)"))
                #expect(text.contains("Esbjerg Kommune;Afventer revideret budget;750000;"))
                #expect(text.contains("Statusrapport forår"))
                let xlsx = try await director.get(SiteURL.callGrantOverviewXLSX(call).path)
                #expect(xlsx.status == .ok && xlsx.body.readableBytes > 500)
                #expect(xlsx.headers.first(name: .contentDisposition)?.contains("tilskudssager.xlsx") == true)

                // Municipalities, assessors and the evaluator get no overview; an unknown call is not found.
                for email in [Demo.applicant, Demo.evaluator, Assess.assessors[0]] {
                    let someone = try await Assess.signedIn(app, email)
                    for path in [
                        SiteURL.callGrantOverview(call).path, SiteURL.callGrantOverviewCSV(call).path,
                        SiteURL.callGrantOverviewXLSX(call).path,
                    ] {
                        #expect(try await someone.get(path).status == .forbidden, "\(email) \(path)")
                    }
                }
                #expect(try await director.get(SiteURL.callGrantOverview(UUID()).path).status == .notFound)
                #expect(try await director.get("/puljer/ikke-et-id/tilskudssager").status == .notFound)
            }
        }

        @Test func theImplementationDemoIsAFirstYearUnderWay() async throws {
            try await withTestApp { app in
                try await Startup.seed(app)
                try await Startup.seed(app)
                let call = try #require(
                    try await CallRecord.query(on: app.db).filter(\.$title == GrantDemo.title).first())
                let cases = try await GrantStore.cases(ofCall: call.id!, on: app.db)
                #expect(
                    cases.map(\.organisation.name).sorted() == ["Aalborg Kommune", "Aarhus Kommune", "Vejle Kommune"])
                #expect(cases.allSatisfy { $0.caseStatus == .active })
                let rules = try call.rules()
                #expect(rules.projectStart < GrantDemo.iso(app.now()) && GrantDemo.iso(app.now()) < rules.projectEnd)

                let director = try await Assess.signedIn(app, Demo.director)
                let overview = try await director.get(SiteURL.callGrantOverview(call.id!).path).body.string
                #expect(overview.contains("Udeblev: Kompetencedag 1"))
                #expect(overview.components(separatedBy: "<li class=\"warning-text\">Statusrapport 2</li>").count == 3)
                #expect(overview.contains("Sager der kræver opmærksomhed</dt><dd>2 "))

                let vejle = try #require(cases.first { $0.organisation.name == "Vejle Kommune" })
                let changes = try await GrantStore.changes(of: vejle.id!, on: app.db)
                #expect(changes.count == 1 && changes[0].changeStatus == .pending && changes[0].movedOre == 6_000_000)
                let aarhus = try #require(cases.first { $0.organisation.name == "Aarhus Kommune" })
                #expect(aarhus.organisationConfirmedBy == "Camilla Chef")
                let reports = try await GrantStore.reports(of: aarhus.id!, on: app.db).map(\.reportStatus)
                #expect(Set(reports) == [.approved, .submitted])
                let payments = try await GrantStore.payments(of: aarhus.id!, on: app.db)
                #expect(payments.count == 1 && payments[0].paymentStatus == .released)
                #expect(payments[0].preparedBy != payments[0].releasedBy)
                #expect(payments[0].amount == Money.share(of: aarhus.award, percent: 40))

                let amalie = try await Assess.signedIn(app, Demo.applicant)
                let page = try await amalie.get(SiteURL.grantCase(aarhus.id!).path)
                #expect(page.status == .ok && page.body.string.contains("Tilskudssagen er oprettet for Aarhus Kommune"))
                let viggo = try await Assess.signedIn(app, "ansoger@vejle.demo")
                let vejlePage = try await viggo.get(SiteURL.grantCase(vejle.id!).path).body.string
                #expect(vejlePage.contains("Statusrapport 2") && vejlePage.contains("Overskredet"))
            }
        }

        @Test func anotherMunicipalityGetsNothingOfACase() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                let aarhus = try await Grants.grantCase(app, "Aarhus Kommune")
                let ole = try await Assess.signedIn(app, "ansoger@odense.demo")
                try await ole.get("/")
                #expect(try await ole.get(Grants.path(aarhus)).status == .notFound)
                #expect(!(try await ole.get(SiteURL.grantCases.path).body.string.contains("Aarhus Kommune")))
                for path in [
                    "/organisering", "/organisering/godkend", "/budget", "/aendringer", "/regnskab", "/udbetalinger",
                    "/konto",
                ] {
                    #expect(
                        try await ole.post(Grants.path(aarhus) + path, [("member.name", "X")]).status == .notFound,
                        "\(path)")
                }
                let before = try await auditCount(app)
                #expect(try await auditCount(app) == before)
                // An assessor and the evaluator have no grant cases either.
                let vera = try await Assess.signedIn(app, Demo.evaluator)
                #expect(try await vera.get(Grants.path(aarhus)).status == .notFound)
                #expect(try await vera.get(SiteURL.grantCases.path).status == .forbidden)
                let bent = try await Assess.signedIn(app, Assess.assessors[0])
                #expect(try await bent.get(Grants.path(aarhus)).status == .notFound)
                // Aarhus sees its own case in its list.
                let amalie = try await Assess.signedIn(app, Demo.applicant)
                #expect(try await amalie.get(SiteURL.grantCases.path).body.string.contains(aarhus.id!.pathValue))
                // A garbage id is "not found", not a server error.
                #expect(try await amalie.get("/tilskudssager/ikke-et-id").status == .notFound)
            }
        }
    }
}
