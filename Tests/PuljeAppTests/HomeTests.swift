import Fluent
import Foundation
import PuljeDomain
import Testing
import Vapor

@testable import PuljeApp

/// The front page after sign-in shows what waits for the user (issue 14): the municipality's drafts and
/// what its signatory must approve; the agency's screenings, assessments and decisions.
extension AppTests {
    @Suite struct HomeTests {
        typealias Flow = ApplicationFlowTests

        @Test func theMunicipalitySeesItsDraftsAndTheSignatoryWhatWaitsForApproval() async throws {
            try await withTestApp { app in
                let clock = TestClock(Flow.winter.instant.addingTimeInterval(-86_400))
                app.now = { clock.now }
                let call = try await makeCall(
                    app, title: "Pulje med godkendelse", deadline: Flow.winter,
                    requiredApproval: "ved direktørunderskrift")
                let amalie = Browser(app)
                let (_, path) = try await Flow.start(app, amalie, call: call)
                try await amalie.post(path, completeApplication(version: 1, title: "Sundhed i Aarhus"))
                let home = try await amalie.get("/").body.string
                #expect(home.contains("Jeres kladder") && home.contains("Sundhed i Aarhus"))
                #expect(home.contains("1 dag tilbage"))
                #expect(!home.contains("Venter på din godkendelse"))  // Amalie is no signatory
                let camilla = try await Assess.signedInHome(app, "chef@aarhus.demo")
                #expect(camilla.contains("Venter på din godkendelse") && camilla.contains("Sundhed i Aarhus"))
                #expect(camilla.contains(path + "#godkendelse"))
                // Another municipality sees none of it.
                let ole = try await Assess.signedInHome(app, "ansoger@odense.demo")
                #expect(!ole.contains("Sundhed i Aarhus"))
            }
        }

        @Test func staffSeeScreeningsAssessorsTheirDeclarationsAndDirectorsTheProposal() async throws {
            try await withTestApp { app in
                let admin = try await Assess.signedInHome(app, Assess.grantAdministrator)
                #expect(admin.contains("Dine opgaver") && admin.contains("4 ansøgninger venter på screening"))
                try await Assess.screen(app)
                let after = try await Assess.signedInHome(app, Assess.grantAdministrator)
                #expect(!after.contains("venter på screening"))
                try await Assess.spread(app, per: 1)
                let aarhus = try await Assess.application(app, "Aarhus Kommune")
                let assessor = try #require(try await Assess.assignments(app, aarhus).first).assessor.email
                let tasks = try await Assess.signedInHome(app, assessor)
                #expect(tasks.contains("Afgiv habilitetserklæring: Aarhus Kommune"))
                // Nobody outside the agency sees the agency's tasks.
                let amalie = try await Assess.signedInHome(app, Demo.applicant)
                #expect(!amalie.contains("Dine opgaver"))
            }
        }
    }
}

extension AppTests {
    /// Staff hear by e-mail when their turn comes (issue 14): assigned, all scored, a proposal to approve.
    @Suite struct StaffNoticeTests {
        static func mail(_ app: Application, kind: String) async throws -> [OutboxMessageRecord] {
            try await OutboxMessageRecord.query(on: app.db).filter(\.$kind == kind).all()
        }

        @Test func assessorsLeadsAndDirectorsAreTold() async throws {
            try await withTestApp { app in
                try await Assess.screen(app)
                try await Assess.spread(app)
                let assigned = try await Self.mail(app, kind: "assessor-assigned")
                // One e-mail per assessor, naming the applications and linking to them.
                #expect(Set(assigned.map(\.recipient)) == Set(Assess.assessors))
                #expect(assigned.count == Assess.assessors.count)
                #expect(
                    assigned.allSatisfy {
                        $0.body.contains("/ansoegninger/") && $0.body.contains("habilitetserklæring")
                    })
                try await Assess.declareAndScore(app, points: Assess.points)
                let ready = try await Self.mail(app, kind: "consensus-ready")
                // Each of the three assessed applications tells its lead once, when the last score arrives.
                #expect(ready.count == Assess.points.count)
                for name in Assess.points.keys {
                    let id = try await Assess.application(app, name)
                    let lead = try #require(
                        try await Assess.assignments(app, id).first(where: \.isLead)?.assessor.email)
                    #expect(ready.contains { $0.recipient == lead && $0.subject.contains(name) })
                }
                try await Assess.consensus(app, points: Assess.points)
                #expect(try await Assess.propose(app).status == .seeOther)
                let waiting = try await Self.mail(app, kind: "proposal-waiting")
                #expect(Set(waiting.map(\.recipient)) == ["direktor@styrelsen.demo", "direktor2@styrelsen.demo"])
                #expect(waiting.allSatisfy { $0.body.contains("/udvaelgelse") })
            }
        }
    }
}

extension AppTests {
    /// The application on one page to print or save as PDF (issue 14), for those who may read it only.
    @Suite struct PrintTests {
        @Test func theSubmittedApplicationPrintsWithItsReceipt() async throws {
            try await withTestApp { app in
                let amalie = Browser(app)
                let (id, path) = try await ApplicationFlowTests.submitted(app, amalie)
                let page = try await amalie.get(path + "/udskrift")
                #expect(page.status == .ok)
                let html = page.body.string
                let application = try #require(try await ApplicationRecord.find(id, on: app.db))
                #expect(html.contains(try #require(application.submissionNumber)))
                #expect(html.contains(try #require(application.digest)))
                #expect(html.contains("Sundhed på botilbud") && html.contains("Projektleder, 0,5 årsværk"))
                #expect(try await amalie.get(path).body.string.contains(path + "/udskrift"))
                // Another municipality learns nothing.
                let ole = try await Assess.signedIn(app, "ansoger@odense.demo")
                #expect(try await ole.get(path + "/udskrift").status == .notFound)
            }
        }
    }
}

extension Assess {
    /// The front page as the user sees it after signing in.
    static func signedInHome(_ app: Application, _ email: String) async throws -> String {
        try await signedIn(app, email).get("/").body.string
    }
}
