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
            PhaseGate.standardCriteria(for: .maturation).flatMap { criterion in
                [
                    ("rating.\(criterion.id)", rating),
                    ("justification.\(criterion.id)", "Evalueringen viser det for \(criterion.text.lowercased())."),
                    ("evidence.\(criterion.id)[]", SiteURL.initiativeGrantOverview("1.6").path),
                ]
            } + [("outcome", outcome), ("note", "Alle kriterier er opfyldt."), ("act", act)]
        }

        /// The maturation criteria changed: one reworded (its key kept), one removed, one added first.
        static let criteriaChange: [(String, String)] = {
            var pairs: [(String, String)] = [("version", "0"), ("note", "Styregruppens møde 2. juni 2025, punkt 3.")]
            for (index, criterion) in PhaseGate.standardCriteria(for: .maturation).enumerated() {
                let removed = criterion.id == "accepteret-efterspurgt"
                let text = criterion.id == "ikke-urealistisk-dyr" ? "Er ikke urealistisk dyr i drift" : criterion.text
                pairs += [
                    ("criteria.\(index).id", criterion.id), ("criteria.\(index).number", String(index + 2)),
                    ("criteria.\(index).text", removed ? "" : text),
                    ("criteria.\(index).dimension", removed ? "" : criterion.dimension),
                ]
            }
            return pairs + [
                ("criteria.5.number", "1"), ("criteria.5.text", "Kan drives inden for kommunens budget"),
                ("criteria.5.dimension", "Økonomi"), ("criteria.6.number", ""), ("criteria.6.text", ""),
                ("criteria.6.dimension", ""),
            ]
        }()

        @Test func theAgencyChangesAPhasesCriteriaAndVerdictsKeepTheSetTheyWereRatedOn() async throws {
            try await withTestApp { app in
                let manager = try await Assess.signedIn(app, Demo.programmeManager)
                let list = try await manager.get(SiteURL.phaseCriteria.path).body.string
                #expect(list.contains("Udgave 0: standardkriterierne fra puljeudmeldingen 2022."))
                #expect(list.contains("Ret kriterierne for modning"))
                let edit = SiteURL.editPhaseCriteria(.maturation).path
                #expect(try await manager.get(edit).body.string.contains("Er ikke urealistisk dyr"))

                // Without a reason, with a bad number or a missing dimension: nothing saved, all named.
                var refused = Self.criteriaChange.filter { $0.0 != "note" }
                refused += [("criteria.6.text", "Er efterspurgt")]
                refused = refused.map { $0.0 == "criteria.0.number" ? ($0.0, "9223372036854775808") : $0 }
                let bad = try await manager.post(edit, refused)
                #expect(bad.status == .unprocessableEntity)
                let badPage = bad.body.string
                #expect(badPage.contains("Skriv, hvorfor kriterierne ændres."))
                #expect(badPage.contains("Skriv et nummer fra 1 til 60."))
                #expect(badPage.contains("Vælg en af SUSI-dimensionerne."))
                #expect(badPage.contains("Kan drives inden for kommunens budget"))
                #expect(try await PhaseGateStore.currentCriteria(for: .maturation, on: app.db).version == 0)

                #expect(try await manager.post(edit, Self.criteriaChange).status == .seeOther)
                let saved = try await PhaseGateStore.currentCriteria(for: .maturation, on: app.db)
                #expect(saved.version == 1)
                #expect(
                    saved.criteria.map(\.id) == [
                        "kan-drives-inden-for-kommunens-budget", "faerdigudviklet", "implementeret",
                        "lovende-resultater", "ikke-urealistisk-dyr",
                    ])
                #expect(saved.criteria[4].text == "Er ikke urealistisk dyr i drift")
                let history = try await AuditLog.history(of: .phaseCriteria(.maturation), on: app.db)
                #expect(history.map(\.action) == ["phase-criteria.save"])
                #expect(history[0].summary.contains("tilføjet \"Kan drives inden for kommunens budget\""))
                #expect(history[0].summary.contains("fjernet \"Er accepteret og efterspurgt\""))
                #expect(history[0].summary.contains("Styregruppens møde 2. juni 2025"))
                let listed = try await manager.get(SiteURL.phaseCriteria.path).body.string
                #expect(listed.contains("Udgave 1") && listed.contains("Tidligere udgaver (1)"))

                // The same form again, made from version 0: a conflict, with what was typed kept.
                let stale = try await manager.post(edit, Self.criteriaChange)
                #expect(stale.status == .conflict)
                #expect(stale.body.string.contains("ændret af en anden"))
                #expect(stale.body.string.contains("name=\"version\" value=\"1\""))
                #expect(stale.body.string.contains("Kan drives inden for kommunens budget"))

                // The gate of 1.6 (maturation) is now rated on the new set.
                let gatePage = try await manager.get(Self.gate).body.string
                #expect(gatePage.contains("Kan drives inden for kommunens budget"))
                #expect(!gatePage.contains("Er accepteret og efterspurgt"))
                let old = try await manager.post(Self.gate, Self.proposal())
                #expect(old.status == .unprocessableEntity)
                #expect(old.body.string.contains("Vurdér \"Kan drives inden for kommunens budget\"."))
                let proposal =
                    saved.criteria.flatMap { criterion in
                        [
                            ("rating.\(criterion.id)", "met"),
                            ("justification.\(criterion.id)", "Dokumenteret for \(criterion.text.lowercased())."),
                        ]
                    } + [("outcome", "advance"), ("note", "Alle kriterier er opfyldt."), ("act", "propose")]
                #expect(try await manager.post(Self.gate, proposal).status == .seeOther)

                // Changed again while the verdict is proposed: the proposal keeps the set it was rated on.
                let again = try await manager.get(edit).body.string
                #expect(again.contains("name=\"version\" value=\"1\""))
                var second = saved.criteria.enumerated().flatMap { index, criterion in
                    [
                        ("criteria.\(index).id", criterion.id), ("criteria.\(index).text", criterion.text),
                        ("criteria.\(index).dimension", criterion.dimension),
                    ]
                }
                second += [
                    ("criteria.9.text", "Har en skriftlig driftsaftale"), ("criteria.9.dimension", "Realistisk drift"),
                    ("version", "1"), ("note", "Tilføjet efter høring."),
                ]
                #expect(try await manager.post(edit, second).status == .seeOther)
                #expect(try await PhaseGateStore.currentCriteria(for: .maturation, on: app.db).version == 2)
                let director = try await Assess.signedIn(app, Demo.director)
                let toDecide = try await director.get(Self.gate).body.string
                #expect(
                    toDecide.contains("Registrér afgørelsen") && !toDecide.contains("Har en skriftlig driftsaftale"))
                let decided = try await director.post(
                    SiteURL.decidePhaseGate(year: 2022, number: "1.6").path,
                    [("decision", "advance"), ("decisionNote", "Styregruppens møde 3. juni 2025.")])
                #expect(decided.status == .seeOther)
                let published = try await Browser(app).get(SiteURL.phaseVerdicts(year: 2022, number: "1.6").path)
                    .body.string
                #expect(published.contains("Kan drives inden for kommunens budget"))
                #expect(!published.contains("Har en skriftlig driftsaftale"))

                // Nobody else changes criteria; a phase without a gate has none.
                let grants = try await Assess.signedIn(app, Demo.grantAdministrator)
                #expect(try await grants.get(SiteURL.phaseCriteria.path).status == .ok)
                #expect(try await grants.get(edit).status == .forbidden)
                #expect(try await grants.post(edit, second).status == .forbidden)
                let applicant = try await Assess.signedIn(app, Demo.applicant)
                #expect(try await applicant.get(SiteURL.phaseCriteria.path).status == .forbidden)
                #expect(try await manager.get(SiteURL.editPhaseCriteria(.dissemination).path).status == .notFound)
                #expect(try await manager.get("/fasekriterier/..%2Fadmin").status == .notFound)
                #expect(try await PhaseGateStore.currentCriteria(for: .maturation, on: app.db).version == 2)
            }
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
