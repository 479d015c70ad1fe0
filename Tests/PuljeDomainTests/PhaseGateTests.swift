import Foundation
import Testing

@testable import PuljeDomain

/// The SUSI phase gate: the criteria by phase, as the 2022 allocation states them, and the verdict's rules.
@Suite struct PhaseGateTests {
    @Test func eachPhaseHasTheCriteriaOfTheSeeds() {
        #expect(
            PhaseGate.standardCriteria(for: .screening).map(\.id) == [
                "fagligt-velbegrundet", "realistisk", "efterspurgt", "accepteret", "brugerperspektiv",
            ])
        #expect(
            PhaseGate.standardCriteria(for: .maturation).map(\.text) == [
                "Indsatsen er færdigudviklet og defineret", "Succesfuldt implementeret", "Har vist lovende resultater",
                "Er ikke urealistisk dyr", "Er accepteret og efterspurgt",
            ])
        #expect(PhaseGate.standardCriteria(for: .testing).count == 5)
        #expect(PhaseGate.standardCriteria(for: .dissemination).isEmpty)
        // Every SUSI dimension is covered by the testing phase's criteria.
        #expect(
            Set(PhaseGate.standardCriteria(for: .testing).map(\.dimension))
                == ["Implementering", "Virkning", "Økonomi", "Efterspørgsel", "Realistisk drift"])
        #expect(PhaseGate.next(after: .screening) == .maturation)
        #expect(PhaseGate.next(after: .testing) == .dissemination)
        #expect(PhaseGate.next(after: .dissemination) == nil)
    }

    static let maturation = PhaseGate.standardCriteria(for: .maturation)

    static func all(_ rating: CriterionRating, phase: SUSIPhase = .maturation) -> [CriterionAssessment] {
        PhaseGate.standardCriteria(for: phase).map {
            .init(criterionID: $0.id, rating: rating, justification: "Se evalueringen.")
        }
    }

    @Test func aProposalNeedsEveryCriterionRatedAndJustified() {
        var assessments = Self.all(.met)
        assessments[1].rating = nil
        assessments[2].justification = "  "
        let problems = PhaseGate.proposalProblems(
            phase: .maturation, criteria: Self.maturation, assessments: assessments, outcome: nil, note: "")
        #expect(
            problems.map(\.field) == [
                "rating.implementeret", "justification.lovende-resultater", "outcome", "note",
            ])
        #expect(
            PhaseGate.proposalProblems(
                phase: .maturation, criteria: Self.maturation, assessments: Self.all(.met), outcome: .advance,
                note: "Ja"
            )
            .isEmpty)
    }

    @Test func anInitiativeMovesOnOnlyWhenEveryCriterionIsMet() {
        var partly = Self.all(.met)
        partly[3].rating = .partlyMet
        let problem = PhaseGate.outcomeProblem(
            phase: .maturation, criteria: Self.maturation, assessments: partly, outcome: .advance)
        #expect(problem?.contains("\"Er ikke urealistisk dyr\"") == true)
        // Extending or stopping is always open.
        #expect(
            PhaseGate.outcomeProblem(
                phase: .maturation, criteria: Self.maturation, assessments: partly, outcome: .extendOrAdjust) == nil)
        #expect(
            PhaseGate.outcomeProblem(
                phase: .maturation, criteria: Self.maturation, assessments: Self.all(.notMet), outcome: .stop) == nil)
        #expect(
            PhaseGate.outcomeProblem(
                phase: .maturation, criteria: Self.maturation, assessments: Self.all(.met), outcome: .advance) == nil)
        #expect(
            PhaseGate.outcomeProblem(phase: .dissemination, criteria: [], assessments: [], outcome: .advance) != nil)
        #expect(GateOutcome.advance.danishName(from: .maturation) == "Videre til afprøvning")
    }

    @Test func theDecisionIsASecondPersons() {
        let proposer = UUID()
        #expect(PhaseGate.decisionProblem(proposedBy: proposer, decidedBy: proposer) != nil)
        #expect(PhaseGate.decisionProblem(proposedBy: proposer, decidedBy: UUID()) == nil)
    }

    @Test func theAgencysCriteriaAreCheckedRowByRow() {
        let good = PhaseGate.standardCriteria(for: .screening).enumerated().map { ($0.offset, $0.element) }
        #expect(PhaseGate.criteriaProblems(good, phase: .screening).isEmpty)
        #expect(
            PhaseGate.criteriaProblems([], phase: .maturation).map(\.message) == [
                "Fasen skal have mindst ét kriterium."
            ])
        #expect(PhaseGate.criteriaProblems(good, phase: .dissemination).map(\.field) == ["criteria"])
        let bad: [(index: Int, criterion: PhaseCriterion)] = [
            (0, .init(id: "a", text: "  ", dimension: "Virkning")),
            (3, .init(id: "b", text: String(repeating: "x", count: 301), dimension: "Virkning")),
            (4, .init(id: "c", text: "Efterspurgt", dimension: "Popularitet")),
            (6, .init(id: "d", text: "efterspurgt", dimension: "Økonomi")),
            (7, .init(id: "c", text: "Noget andet", dimension: "Økonomi")),
            (8, .init(id: "Æ/../x", text: "Et tredje", dimension: "Økonomi")),
        ]
        #expect(
            PhaseGate.criteriaProblems(bad, phase: .testing).map { "\($0.field): \($0.message)" } == [
                "criteria.0.text: Skriv kriteriet.",
                "criteria.3.text: Kriteriet må højst være 300 tegn.",
                "criteria.4.dimension: Vælg en af SUSI-dimensionerne.",
                "criteria.6.text: Kriteriet står der allerede.",
                "criteria.7.text: Kriteriet har ikke en gyldig nøgle.",
                "criteria.8.text: Kriteriet har ikke en gyldig nøgle.",
            ])
        let many = (0..<21).map { ($0, PhaseCriterion(id: "k\($0)", text: "Kriterium \($0)", dimension: "Virkning")) }
        #expect(PhaseGate.criteriaProblems(many, phase: .testing).map(\.field) == ["criteria"])
    }

    @Test func aCriterionsKeyIsMadeFromItsTextAndKeptUnique() {
        #expect(
            PhaseGate.criterionID(for: "Er økonomisk bæredygtig på længere sigt", taken: [])
                == "er-oekonomisk-baeredygtig-paa-laengere-s")
        #expect(PhaseGate.criterionID(for: "Efterspurgt", taken: ["efterspurgt", "efterspurgt-2"]) == "efterspurgt-3")
        #expect(PhaseGate.criterionID(for: "!!!", taken: []) == "kriterium")
        #expect(PhaseGate.criterionID(for: "  Ja – nej?  ", taken: []) == "ja-nej")
        #expect(PhaseGate.criterionID(for: "\u{202E}ﷺ 𝔘", taken: []) == "kriterium")
        #expect(PhaseGate.criterionID(for: "Be\u{301}bo\u{308}r Café", taken: []) == "bebor-cafe")
    }

    @Test func aVerdictIsJudgedOnTheCriteriaItIsGiven() {
        // The agency's own set: a criterion added and one removed.
        let criteria = [
            PhaseCriterion(id: "lovende-resultater", text: "Har vist lovende resultater", dimension: "Virkning"),
            PhaseCriterion(id: "driftsoekonomi", text: "Kan drives inden for budgettet", dimension: "Økonomi"),
        ]
        let assessments = [
            CriterionAssessment(criterionID: "lovende-resultater", rating: .met, justification: "Ja."),
            CriterionAssessment(criterionID: "faerdigudviklet", rating: .met, justification: "Ja."),
        ]
        let problems = PhaseGate.proposalProblems(
            phase: .maturation, criteria: criteria, assessments: assessments, outcome: .advance, note: "Ja")
        #expect(problems.map(\.field) == ["rating.driftsoekonomi", "justification.driftsoekonomi", "outcome"])
        #expect(
            PhaseGate.outcomeProblem(
                phase: .maturation, criteria: criteria, assessments: assessments, outcome: .advance)?
                .contains("\"Kan drives inden for budgettet\"") == true)
    }
}
