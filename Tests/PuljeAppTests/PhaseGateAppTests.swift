import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

/// The phase gate through its pages: rated and proposed by the programme manager, decided by another, the
/// initiative's phase moved with its history, the decided verdict public.
extension AppTests {
    @Suite struct PhaseGateAppTests {
        static let gate = SiteURL.phaseGate(year: 2022, number: "1.6").path

        /// Every maturation criterion of 1.6 rated (as given) and justified, with the recommendation.
        static func proposal(
            _ rating: String = "met", outcome: String = "advance", act: String = "propose"
        )
            -> [(String, String)]
        {
            PhaseGate.criteria(for: .maturation).flatMap { criterion in
                [
                    ("rating.\(criterion.id)", rating),
                    ("justification.\(criterion.id)", "Evalueringen viser det for \(criterion.text.lowercased())."),
                    ("evidence.\(criterion.id)[]", SiteURL.initiativeGrantOverview("1.6").path),
                ]
            } + [("outcome", outcome), ("note", "Alle kriterier er opfyldt."), ("act", act)]
        }

        @Test func twoPeopleMoveAnInitiativeOnAndTheVerdictIsPublic() async throws {
            try await withTestApp { app in
                #expect(try await CatalogueStore.find(year: 2022, number: "1.6", on: app.db)?.phase == .maturation)
                let manager = try await Assess.signedIn(app, Demo.programmeManager)
                #expect(
                    try await manager.get(Self.gate).body.string.contains("Indsatsen er færdigudviklet og defineret"))
                // A draft saves half-way; proposing it is refused by each missing piece.
                let half = [
                    ("rating.faerdigudviklet", "met"), ("justification.faerdigudviklet", "Manualen er færdig."),
                    ("act", "save"),
                ]
                #expect(try await manager.post(Self.gate, half).status == .seeOther)
                let refused = try await manager.post(Self.gate, half.dropLast() + [("act", "propose")])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("Vurdér \"Succesfuldt implementeret\"."))
                #expect(
                    refused.body.string.contains("value=\"Manualen er færdig.\"")
                        || refused.body.string.contains(">Manualen er færdig.<"))
                // Moving on with a criterion only partly met is refused.
                var partly = Self.proposal()
                partly[0] = ("rating.faerdigudviklet", "partlyMet")
                let notMet = try await manager.post(Self.gate, partly)
                #expect(notMet.status == .unprocessableEntity)
                #expect(notMet.body.string.contains("kun gå videre, når alle kriterier er opfyldt"))
                // Evidence must be offered by the page.
                var forged = Self.proposal()
                forged[2] = ("evidence.faerdigudviklet[]", "https://evil.example/")
                #expect(try await manager.post(Self.gate, forged).status == .unprocessableEntity)

                #expect(try await manager.post(Self.gate, Self.proposal()).status == .seeOther)
                let proposed = try await manager.get(Self.gate).body.string
                #expect(proposed.contains("Du har indstillet."))
                // The proposer may not decide.
                let own = try await manager.post(
                    SiteURL.decidePhaseGate(year: 2022, number: "1.6").path,
                    [("decision", "advance"), ("decisionNote", "Styregruppen 3. maj")])
                #expect(own.status == .forbidden)
                // Nor can the proposal be changed once proposed.
                #expect(try await manager.post(Self.gate, Self.proposal(act: "save")).status == .conflict)

                let director = try await Assess.signedIn(app, Demo.director)
                let page = try await director.get(Self.gate).body.string
                #expect(page.contains("Registrér afgørelsen"))
                let missingNote = try await director.post(
                    SiteURL.decidePhaseGate(year: 2022, number: "1.6").path, [("decision", "advance")])
                #expect(missingNote.status == .unprocessableEntity)
                let decided = try await director.post(
                    SiteURL.decidePhaseGate(year: 2022, number: "1.6").path,
                    [("decision", "advance"), ("decisionNote", "Styregruppens møde 3. maj 2025, punkt 4.")])
                #expect(decided.status == .seeOther)
                #expect(try await CatalogueStore.find(year: 2022, number: "1.6", on: app.db)?.phase == .testing)
                // Decided once: a second decision finds nothing to decide.
                #expect(
                    try await director.post(
                        SiteURL.decidePhaseGate(year: 2022, number: "1.6").path,
                        [("decision", "stop"), ("decisionNote", "x")]
                    ).status == .conflict)

                // The history of the initiative tells it, in order.
                let history = try await AuditLog.history(of: .initiative(year: 2022, number: "1.6"), on: app.db)
                #expect(
                    history.map(\.action).prefix(4) == [
                        "initiative.update", "phase-verdict.decide", "phase-verdict.propose", "phase-verdict.save",
                    ])
                #expect(history[0].summary == "SUSI-fase: Modning → Afprøvning (efter fasevurderingen).")

                // Anyone reads the decided verdict, without the evidence links meant for staff.
                let visitor = Browser(app)
                let initiativePage = try await visitor.get(SiteURL.initiative(year: 2022, number: "1.6").path).body
                    .string
                #expect(initiativePage.contains(SiteURL.phaseVerdicts(year: 2022, number: "1.6").path))
                let published = try await visitor.get(SiteURL.phaseVerdicts(year: 2022, number: "1.6").path)
                #expect(published.status == .ok)
                let html = published.body.string
                #expect(html.contains("Videre til afprøvning") && html.contains("Styregruppens møde 3. maj 2025"))
                #expect(html.contains("er nu i fasen afprøvning"))
                #expect(!html.contains(SiteURL.initiativeGrantOverview("1.6").path))
                // The gate itself and the pipeline are the agency's.
                #expect(try await visitor.get(Self.gate).status == .seeOther)
                let applicant = try await Assess.signedIn(app, Demo.applicant)
                #expect(try await applicant.get(Self.gate).status == .forbidden)
                #expect(try await applicant.get(SiteURL.pipeline.path).status == .forbidden)
                #expect(try await applicant.post(Self.gate, Self.proposal()).status == .forbidden)
                let pipeline = try await director.get(SiteURL.pipeline.path).body.string
                #expect(pipeline.contains("Modning: Videre til afprøvning"))
                #expect(try await director.get(SiteURL.phaseGate(year: 2022, number: "9.9").path).status == .notFound)
            }
        }

        @Test func theDeciderCanSendAProposalBackOrStopIt() async throws {
            try await withTestApp { app in
                let manager = try await Assess.signedIn(app, Demo.programmeManager)
                let proposal = Self.proposal("notMet", outcome: "stop")
                #expect(try await manager.post(Self.gate, proposal).status == .seeOther)
                let admin = try await Assess.signedIn(app, Demo.admin)
                #expect(
                    try await admin.post(SiteURL.returnPhaseGate(year: 2022, number: "1.6").path).status == .seeOther)
                #expect(try await manager.get(Self.gate).body.string.contains("Indstil"))
                #expect(try await manager.post(Self.gate, proposal).status == .seeOther)
                let stopped = try await admin.post(
                    SiteURL.decidePhaseGate(year: 2022, number: "1.6").path,
                    [("decision", "stop"), ("decisionNote", "Styregruppen 1. juni.")])
                #expect(stopped.status == .seeOther)
                // A stop leaves the phase as it was.
                #expect(try await CatalogueStore.find(year: 2022, number: "1.6", on: app.db)?.phase == .maturation)
                // Nobody can decide to move on when the criteria were not met.
                #expect(try await PhaseVerdictRecord.query(on: app.db).first()?.decidedOutcome == .stop)
            }
        }
    }
}
