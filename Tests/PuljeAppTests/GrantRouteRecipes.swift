import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

/// The grant cases' state-changing routes, each with a valid request by a user who may make it.
extension AppTests.StateChangingRouteTests {
    static func aarhus(_ app: Application) async throws -> (GrantCaseRecord, String) {
        try await Grants.decided(app)
        let record = try await Grants.grantCase(app, "Aarhus Kommune")
        return (record, Grants.path(record))
    }

    /// A mandatory start-up scheduled for the call by the grant administrator, for 2 March 2099.
    static func activity(_ app: Application) async throws -> GrantActivityRecord {
        let staff = try await Assess.signedIn(app, Assess.grantAdministrator)
        try await staff.get(SiteURL.grantCases.path)
        let created = try await staff.post(
            SiteURL.callActivities(try await Assess.call(app)).path,
            [
                ("activity.kind", "crossMunicipalStartUp"), ("activity.title", "Fælles opstart"),
                ("activity.date", "2099-03-02"), ("activity.start", "9.30"), ("activity.end", "15.00"),
                ("activity.place", "Odense"), ("activity.mandatory[]", "true"),
            ])
        #expect(created.status == .seeOther)
        return try #require(try await GrantActivityRecord.query(on: app.db).first())
    }

    /// Aarhus's project leader registered for the start-up.
    static func registered(_ app: Application) async throws -> (GrantCaseRecord, GrantActivityRecord) {
        let (record, _) = try await aarhus(app)
        try await Grants.fillRoles(app, record)
        let activity = try await activity(app)
        let leader = try #require(
            try await GrantTeamMemberRecord.query(on: app.db).filter(\.$roleID == "projektleder").first())
        let amalie = try await Grants.on(app, Demo.applicant, record)
        let done = try await amalie.post(
            SiteURL.activityRegistration(record.id!, activity.id!).path,
            [("participant.\(activity.id!.pathValue)", leader.id!.pathValue)])
        #expect(done.status == .seeOther)
        return (record, activity)
    }

    static let grantRecipes: [String: Recipe] = [
        "POST /tilskudssager/:caseID/forankringsplan": { app, _ in
            let (record, path) = try await aarhus(app)
            let amalie = try await Grants.on(app, Demo.applicant, record)
            try await expectAudited(app) {
                try await amalie.post(path + "/forankringsplan", [("anchoring.plan", "Indsatsen fortsætter i drift.")])
            }
        },
        "POST /tilskudssager/:caseID/afslut": { app, _ in
            let (record, path) = try await aarhus(app)
            let amalie = try await Grants.on(app, Demo.applicant, record)
            #expect(
                try await amalie.post(path + "/forankringsplan", [("anchoring.plan", "I drift fra 2027.")]).status
                    == .seeOther)
            try await Grants.accountsApproved(app, record)
            try await Grants.finalReportApproved(app, record)
            let tine = try await Grants.on(app, Assess.grantAdministrator, record)
            try await expectAudited(app) { try await tine.post(path + "/afslut", [("closing.note", "I drift.")]) }
        },
        "POST /puljer/:callID/aktiviteter": { app, _ in
            _ = try await aarhus(app)
            let staff = try await Assess.signedIn(app, Assess.grantAdministrator)
            try await staff.get(SiteURL.grantCases.path)
            try await expectAudited(app) {
                try await staff.post(
                    SiteURL.callActivities(try await Assess.call(app)).path,
                    [
                        ("activity.kind", "networkMeeting"), ("activity.title", "Netværksmøde"),
                        ("activity.date", "2099-05-02"), ("activity.start", "10.00"), ("activity.end", "14.00"),
                        ("activity.place", "Online"),
                    ])
            }
        },
        "POST /tilskudssager/:caseID/aktiviteter/:activityID/tilmeld": { app, _ in
            let (record, _) = try await aarhus(app)
            try await Grants.fillRoles(app, record)
            let activity = try await activity(app)
            let member = try #require(try await GrantTeamMemberRecord.query(on: app.db).first())
            let amalie = try await Grants.on(app, Demo.applicant, record)
            try await expectAudited(app) {
                try await amalie.post(
                    SiteURL.activityRegistration(record.id!, activity.id!).path,
                    [("participant.\(activity.id!.pathValue)", member.id!.pathValue)])
            }
        },
        "POST /tilskudssager/:caseID/deltagere/:participantID/afmeld": { app, _ in
            let (record, _) = try await registered(app)
            let participant = try #require(try await ActivityParticipantRecord.query(on: app.db).first())
            let amalie = try await Grants.on(app, Demo.applicant, record)
            try await expectAudited(app) {
                try await amalie.post(SiteURL.removeParticipant(record.id!, participant.id!).path)
            }
        },
        "POST /aktiviteter/:activityID/fremmoede": { app, _ in
            let (_, activity) = try await registered(app)
            let participant = try #require(try await ActivityParticipantRecord.query(on: app.db).first())
            let started = activity.startsAt.addingTimeInterval(600)
            app.now = { started }
            let staff = try await Assess.signedIn(app, Assess.grantAdministrator)
            try await staff.get(SiteURL.activity(activity.id!).path)
            try await expectAudited(app) {
                try await staff.post(
                    SiteURL.activityAttendance(activity.id!).path, [("present[]", participant.id!.pathValue)])
            }
        },
        "POST /tilskudssager/:caseID/organisering": { app, _ in
            let (record, path) = try await aarhus(app)
            let amalie = try await Grants.on(app, Demo.applicant, record)
            try await expectAudited(app) {
                try await amalie.post(
                    path + "/organisering",
                    [
                        ("member.name", "Lene Leder"), ("member.email", "lene@aarhus.dk"),
                        ("member.role", "projektleder"), ("member.group", "implementationTeam"),
                    ])
            }
        },
        "POST /tilskudssager/:caseID/organisering/:memberID/fjern": { app, _ in
            let (record, _) = try await aarhus(app)
            try await Grants.fillRoles(app, record)
            let member = try #require(try await GrantTeamMemberRecord.query(on: app.db).first())
            let amalie = try await Grants.on(app, Demo.applicant, record)
            try await expectAudited(app) {
                try await amalie.post(SiteURL.removeTeamMember(record.id!, member.id!).path)
            }
        },
        "POST /tilskudssager/:caseID/organisering/godkend": { app, _ in
            let (record, path) = try await aarhus(app)
            try await Grants.fillRoles(app, record)
            let camilla = try await Grants.on(app, "chef@aarhus.demo", record)
            try await expectAudited(app) { try await camilla.post(path + "/organisering/godkend") }
        },
        "POST /tilskudssager/:caseID/budget": { app, _ in
            try await Grants.decided(app)
            let record = try await Grants.grantCase(app, "Esbjerg Kommune")
            let ebba = try await Grants.on(app, "ansoger@esbjerg.demo", record)
            try await expectAudited(app) {
                try await ebba.post(Grants.path(record) + "/budget", try revised(record))
            }
        },
        "POST /tilskudssager/:caseID/budget/godkend": { app, _ in
            try await Grants.decided(app)
            let record = try await Grants.grantCase(app, "Esbjerg Kommune")
            let ebba = try await Grants.on(app, "ansoger@esbjerg.demo", record)
            #expect(try await ebba.post(Grants.path(record) + "/budget", try revised(record)).status == .seeOther)
            let tine = try await Grants.on(app, Assess.grantAdministrator, record)
            try await expectAudited(app) { try await tine.post(Grants.path(record) + "/budget/godkend") }
        },
        "POST /puljer/:callID/statusrapporter": { app, _ in
            try await Grants.decided(app)
            let tine = try await Assess.signedIn(app, Assess.grantAdministrator)
            try await tine.get(SiteURL.grantCases.path)
            try await expectAudited(app) {
                try await tine.post(
                    SiteURL.reportRounds(try await Assess.call(app)).path,
                    [("round.title", "Statusrapport 1"), ("round.date", "2099-03-01"), ("round.time", "12.00")])
            }
        },
        "POST /tilskudssager/:caseID/statusrapporter/:roundID": { app, _ in
            let (record, _) = try await aarhus(app)
            let round = try await Grants.round(app)
            let amalie = try await Grants.on(app, Demo.applicant, record)
            try await expectAudited(app) {
                try await amalie.post(
                    SiteURL.statusReport(record.id!, round.id!).path, [("version", "0"), ("answer.fremdrift", "Godt.")])
            }
        },
        "POST /tilskudssager/:caseID/statusrapporter/:roundID/indsend": { app, _ in
            let (record, _) = try await aarhus(app)
            let round = try await Grants.round(app)
            let amalie = try await Grants.on(app, Demo.applicant, record)
            // Saved and submitted: two entries.
            let before = try await auditCount(app)
            let response = try await amalie.post(
                SiteURL.submitStatusReport(record.id!, round.id!).path, completeReport)
            #expect(response.status == .seeOther)
            #expect(try await auditCount(app) == before + 2)
        },
        "POST /tilskudssager/:caseID/statusrapporter/:roundID/vurder": { app, _ in
            let (record, _) = try await aarhus(app)
            let round = try await Grants.round(app)
            let amalie = try await Grants.on(app, Demo.applicant, record)
            #expect(
                try await amalie.post(SiteURL.submitStatusReport(record.id!, round.id!).path, completeReport).status
                    == .seeOther)
            let tine = try await Grants.on(app, Assess.grantAdministrator, record)
            try await expectAudited(app) {
                try await tine.post(SiteURL.decideStatusReport(record.id!, round.id!).path, [("decision", "approve")])
            }
        },
        "POST /tilskudssager/:caseID/aendringer": { app, _ in
            let (record, path) = try await aarhus(app)
            let amalie = try await Grants.on(app, Demo.applicant, record)
            try await expectAudited(app) {
                try await amalie.post(
                    path + "/aendringer", [("change.kind", "personnel"), ("change.description", "Ny projektleder.")])
            }
        },
        "POST /tilskudssager/:caseID/aendringer/:changeID/afgoer": { app, _ in
            let (record, path) = try await aarhus(app)
            let amalie = try await Grants.on(app, Demo.applicant, record)
            #expect(
                try await amalie.post(
                    path + "/aendringer",
                    [
                        ("change.kind", "periodExtension"), ("change.description", "Forsinket opstart."),
                        ("change.newEnd", "2099-12-31"),
                    ]
                ).status == .seeOther)
            let change = try #require(try await ChangeRequestRecord.query(on: app.db).first())
            let tine = try await Grants.on(app, Assess.grantAdministrator, record)
            try await expectAudited(app) {
                try await tine.post(SiteURL.decideChange(record.id!, change.id!).path, [("decision", "approve")])
            }
            #expect(try await Grants.grantCase(app, "Aarhus Kommune").projectEnd == "2099-12-31")
        },
        "POST /tilskudssager/:caseID/regnskab": { app, _ in
            let (record, path) = try await aarhus(app)
            let amalie = try await Grants.on(app, Demo.applicant, record)
            try await expectAudited(app) { try await amalie.post(path + "/regnskab", try accounts(record)) }
        },
        "POST /tilskudssager/:caseID/regnskab/:accountsID/vurder": { app, _ in
            let (record, path) = try await aarhus(app)
            let amalie = try await Grants.on(app, Demo.applicant, record)
            #expect(try await amalie.post(path + "/regnskab", try accounts(record)).status == .seeOther)
            let statement = try #require(try await GrantAccountsRecord.query(on: app.db).first())
            let tine = try await Grants.on(app, Assess.grantAdministrator, record)
            try await expectAudited(app) {
                try await tine.post(SiteURL.decideAccounts(record.id!, statement.id!).path, [("decision", "approve")])
            }
        },
        "POST /tilskudssager/:caseID/konto": { app, _ in
            let (record, path) = try await aarhus(app)
            let tine = try await Grants.on(app, Assess.grantAdministrator, record)
            try await expectAudited(app) {
                try await tine.post(path + "/konto", [("payee.account", "1234 0001234567")])
            }
        },
        "POST /tilskudssager/:caseID/udbetalinger": { app, _ in
            let (record, path) = try await aarhus(app)
            let tine = try await Grants.on(app, Assess.grantAdministrator, record)
            #expect(try await tine.post(path + "/konto", [("payee.account", "1234 0001234567")]).status == .seeOther)
            try await expectAudited(app) { try await tine.post(path + "/udbetalinger", [("payment.amount", "1.000")]) }
        },
        "POST /tilskudssager/:caseID/udbetalinger/:paymentID/frigiv": { app, _ in
            let (record, path) = try await aarhus(app)
            let tine = try await Grants.on(app, Assess.grantAdministrator, record)
            #expect(try await tine.post(path + "/konto", [("payee.account", "1234 0001234567")]).status == .seeOther)
            #expect(try await tine.post(path + "/udbetalinger", [("payment.amount", "1.000")]).status == .seeOther)
            let payment = try #require(try await GrantPaymentRecord.query(on: app.db).first())
            let torben = try await Grants.on(app, Grants.secondGrantAdministrator, record)
            try await expectAudited(app) { try await torben.post(SiteURL.releasePayment(record.id!, payment.id!).path) }
        },
    ]

    static let completeReport = [
        ("version", "0"), ("answer.fremdrift", "Godt."), ("answer.tilpasninger", "Intet."),
        ("answer.naeste", "Læringsloop."),
    ]

    /// Esbjerg's budget cut to its award of 750.000 kr. on its largest cell.
    static func revised(_ record: GrantCaseRecord) throws -> [(String, String)] {
        let budget = try record.budget()
        let largest = budget.cells.max { $0.amount < $1.amount }!
        return budget.cells.map { cell in
            let amount = cell == largest ? cell.amount - (record.budgetTotalOverAward) : cell.amount
            return ("budget.\(cell.category.rawValue).\(cell.year)", DanishAmount.plain(amount))
        }
    }

    /// The first year's accounts as budgeted, with an auditor's statement.
    static func accounts(_ record: GrantCaseRecord) throws -> [(String, String)] {
        let budget = try record.budget()
        let year = budget.years[0]
        return [("accounts.year", String(year)), ("accounts.auditor", "Revisor A/S: retvisende.")]
            + budget.categories.map { ("actual.\($0.rawValue)", DanishAmount.plain(budget.amount($0, year: year))) }
    }
}

extension GrantCaseRecord {
    /// How much the budget applied for exceeds the award.
    var budgetTotalOverAward: Money { ((try? budget().total) ?? .zero) - award }
}
