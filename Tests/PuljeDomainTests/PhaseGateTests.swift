import Foundation
import Testing

@testable import PuljeDomain

/// The SUSI phase gate: the criteria by phase, as the 2022 allocation states them, and the verdict's rules.
@Suite struct PhaseGateTests {
    @Test func eachPhaseHasTheCriteriaOfTheSeeds() {
        #expect(
            PhaseGate.criteria(for: .screening).map(\.id) == [
                "fagligt-velbegrundet", "realistisk", "efterspurgt", "accepteret", "brugerperspektiv",
            ])
        #expect(
            PhaseGate.criteria(for: .maturation).map(\.text) == [
                "Indsatsen er færdigudviklet og defineret", "Succesfuldt implementeret", "Har vist lovende resultater",
                "Er ikke urealistisk dyr", "Er accepteret og efterspurgt",
            ])
        #expect(PhaseGate.criteria(for: .testing).count == 5)
        #expect(PhaseGate.criteria(for: .dissemination).isEmpty)
        // Every SUSI dimension is covered by the testing phase's criteria.
        #expect(
            Set(PhaseGate.criteria(for: .testing).map(\.dimension))
                == ["Implementering", "Virkning", "Økonomi", "Efterspørgsel", "Realistisk drift"])
        #expect(PhaseGate.next(after: .screening) == .maturation)
        #expect(PhaseGate.next(after: .testing) == .dissemination)
        #expect(PhaseGate.next(after: .dissemination) == nil)
    }

    static func all(_ rating: CriterionRating, phase: SUSIPhase = .maturation) -> [CriterionAssessment] {
        PhaseGate.criteria(for: phase).map {
            .init(criterionID: $0.id, rating: rating, justification: "Se evalueringen.")
        }
    }

    @Test func aProposalNeedsEveryCriterionRatedAndJustified() {
        var assessments = Self.all(.met)
        assessments[1].rating = nil
        assessments[2].justification = "  "
        let problems = PhaseGate.proposalProblems(
            phase: .maturation, assessments: assessments, outcome: nil, note: "")
        #expect(
            problems.map(\.field) == [
                "rating.implementeret", "justification.lovende-resultater", "outcome", "note",
            ])
        #expect(
            PhaseGate.proposalProblems(phase: .maturation, assessments: Self.all(.met), outcome: .advance, note: "Ja")
                .isEmpty)
    }

    @Test func anInitiativeMovesOnOnlyWhenEveryCriterionIsMet() {
        var partly = Self.all(.met)
        partly[3].rating = .partlyMet
        let problem = PhaseGate.outcomeProblem(phase: .maturation, assessments: partly, outcome: .advance)
        #expect(problem?.contains("\"Er ikke urealistisk dyr\"") == true)
        // Extending or stopping is always open.
        #expect(PhaseGate.outcomeProblem(phase: .maturation, assessments: partly, outcome: .extendOrAdjust) == nil)
        #expect(PhaseGate.outcomeProblem(phase: .maturation, assessments: Self.all(.notMet), outcome: .stop) == nil)
        #expect(PhaseGate.outcomeProblem(phase: .maturation, assessments: Self.all(.met), outcome: .advance) == nil)
        #expect(PhaseGate.outcomeProblem(phase: .dissemination, assessments: [], outcome: .advance) != nil)
        #expect(GateOutcome.advance.danishName(from: .maturation) == "Videre til afprøvning")
    }

    @Test func theDecisionIsASecondPersons() {
        let proposer = UUID()
        #expect(PhaseGate.decisionProblem(proposedBy: proposer, decidedBy: proposer) != nil)
        #expect(PhaseGate.decisionProblem(proposedBy: proposer, decidedBy: UUID()) == nil)
    }
}
