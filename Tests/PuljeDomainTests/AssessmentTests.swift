import Foundation
import Testing

@testable import PuljeDomain

/// A small deterministic generator, so a failing random instance can be reproduced from its seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The best total score by trying every subset; nil when no subset is feasible.
func bruteForce(_ instance: PortfolioInstance) -> Double? {
    let n = instance.candidates.count
    var best: Double?
    for mask in 0..<(1 << n) {
        let chosen = instance.candidates.indices.filter { mask & (1 << $0) != 0 }.map { instance.candidates[$0] }
        guard chosen.count >= instance.minCount, chosen.count <= instance.maxCount,
            chosen.map(\.amount).sum() <= instance.funds,
            instance.coverage.allSatisfy({ area, minimum in chosen.filter { $0.areas.contains(area) }.count >= minimum }
            )
        else { continue }
        let score = chosen.map(\.score).reduce(0, +)
        if best == nil || score > best! { best = score }
    }
    return best
}

func isFeasible(_ ids: [CandidateID], in instance: PortfolioInstance) -> Bool {
    let chosen = instance.candidates.filter { ids.contains($0.id) }
    return chosen.count >= instance.minCount && chosen.count <= instance.maxCount
        && chosen.map(\.amount).sum() <= instance.funds
        && instance.coverage.allSatisfy { area, minimum in chosen.filter { $0.areas.contains(area) }.count >= minimum }
}

func randomInstance(_ rng: inout SplitMix, size: Int) -> PortfolioInstance {
    let areas = ["handicap", "psykiatri", "udsatte"].prefix(Int.random(in: 1...3, using: &rng))
    let candidates = (0..<size).map { index in
        var covered = Set(areas.filter { _ in Bool.random(using: &rng) })
        if covered.isEmpty { covered.insert(areas.randomElement(using: &rng)!) }
        return PortfolioCandidate(
            id: "k\(index)", score: Double(Int.random(in: 0...10, using: &rng)) / 2,
            amount: Money(kroner: Int64(Int.random(in: 1...20, using: &rng)) * 100_000), areas: covered)
    }
    let minCount = Int.random(in: 0...3, using: &rng)
    let maxCount = minCount + Int.random(in: 0...4, using: &rng)
    var coverage: [String: Int] = [:]
    for area in areas { coverage[area] = Int.random(in: 0...2, using: &rng) }
    return PortfolioInstance(
        funds: Money(kroner: Int64(Int.random(in: 5...60, using: &rng)) * 100_000), minCount: minCount,
        maxCount: maxCount, coverage: coverage, candidates: candidates)
}

@Suite struct PortfolioTests {
    /// A candidate's id is its own type, written as a plain string (the command line's format is unchanged),
    /// and an application's UUID always gives the same id, in lower case.
    @Test func candidateIDsAreTypedAndEncodeAsPlainStrings() throws {
        let uuid = try #require(UUID(uuidString: "0F8FAD5B-D9CB-469F-A165-70867728950E"))
        #expect(CandidateID(uuid).rawValue == "0f8fad5b-d9cb-469f-a165-70867728950e")
        #expect(CandidateID(uuid).uuid == uuid)
        #expect(CandidateID("751").uuid == nil)
        let json = try JSONEncoder().encode(["a", CandidateID("b")] as [CandidateID])
        #expect(String(decoding: json, as: UTF8.self) == #"["a","b"]"#)
        #expect(try JSONDecoder().decode([CandidateID].self, from: json) == ["a", "b"])
    }

    @Test func matchesBruteForceOnManyRandomInstances() throws {
        var rng = SplitMix(state: 20_261_122)
        var solved = 0
        var infeasible = 0
        for round in 0..<600 {
            let instance = randomInstance(&rng, size: Int.random(in: 0...11, using: &rng))
            let expected = bruteForce(instance)
            switch Result(catching: { () throws(PortfolioError) in try PortfolioSolver.solve(instance) }) {
            case .success(let selection):
                let best = try #require(expected, "round \(round): solver found a set brute force says cannot exist")
                #expect(abs(selection.totalScore - best) < 1e-9, "round \(round)")
                #expect(isFeasible(selection.selected, in: instance), "round \(round)")
                #expect(
                    selection.totalAmount
                        == instance.candidates.filter { selection.selected.contains($0.id) }.map(\.amount).sum())
                solved += 1
            case .failure(let error):
                #expect(expected == nil, "round \(round): solver says infeasible, brute force found \(expected ?? 0)")
                #expect(error.kind == .infeasible)
                #expect(!error.messages.isEmpty)
                infeasible += 1
            }
        }
        // Both kinds of outcome were exercised.
        #expect(solved > 100)
        #expect(infeasible > 20)
    }

    @Test func explanationAgreesWithResolvingAndReserveIsOrderedByCost() throws {
        var rng = SplitMix(state: 7)
        for _ in 0..<60 {
            let instance = randomInstance(&rng, size: 8)
            guard let explanation = try? PortfolioExplanation.explain(instance) else { continue }
            let selected = Set(explanation.selection.selected)
            for entry in explanation.entries {
                switch entry.reason {
                case .selected(let loss):
                    #expect(selected.contains(entry.id))
                    if let loss { #expect(loss >= -1e-9) }
                case .outByScore(let gap, let replaces):
                    #expect(!selected.contains(entry.id))
                    #expect(gap >= 0)
                    #expect(Set(replaces).isSubset(of: selected))
                    // Raising its score by a bit more than the gap brings it in.
                    var raised = instance
                    let index = raised.candidates.firstIndex { $0.id == entry.id }!
                    raised.candidates[index].score += gap + 0.25
                    #expect(try PortfolioSolver.solve(raised).selected.contains(entry.id))
                case .cannotFit:
                    #expect(!selected.contains(entry.id))
                case .forced:
                    Issue.record("nothing was forced")
                }
            }
            let gaps = explanation.reserve.compactMap { id -> Double? in
                if case .outByScore(let gap, _) = explanation.entries.first(where: { $0.id == id })?.reason {
                    return gap
                }
                return nil
            }
            #expect(gaps == gaps.sorted())
        }
    }

    @Test func coversBothTargetAreasEvenAtTheCostOfScore() throws {
        let instance = PortfolioInstance(
            funds: Money(kroner: 3_000_000), minCount: 2, maxCount: 3, coverage: ["handicap": 1, "psykiatri": 1],
            candidates: [
                .init(id: "Aarhus", score: 4.5, amount: Money(kroner: 1_000_000), areas: ["handicap"]),
                .init(id: "Odense", score: 4.4, amount: Money(kroner: 1_000_000), areas: ["handicap"]),
                .init(id: "Vejle", score: 4.3, amount: Money(kroner: 1_000_000), areas: ["handicap"]),
                .init(id: "Esbjerg", score: 2.0, amount: Money(kroner: 1_000_000), areas: ["psykiatri"]),
            ])
        let selection = try PortfolioSolver.solve(instance)
        #expect(selection.selected == ["Aarhus", "Odense", "Esbjerg"])
        #expect(selection.totalAmount == Money(kroner: 3_000_000))
        let explanation = try PortfolioExplanation.explain(instance)
        #expect(explanation.reserve == ["Vejle"])
        let vejle = explanation.entries.first { $0.id == "Vejle" }!
        #expect(
            vejle.reason == .outByScore(gap: 0.1, replaces: ["Odense"])
                || {
                    if case .outByScore(let gap, let replaces) = vejle.reason {
                        return abs(gap - 0.1) < 1e-9 && replaces == ["Odense"]
                    }
                    return false
                }())
        let esbjerg = explanation.entries.first { $0.id == "Esbjerg" }!
        #expect(esbjerg.reason == .selected(lossWithout: nil))
    }

    @Test func forcedChoicesAreRespected() throws {
        let instance = PortfolioInstance(
            funds: Money(kroner: 2_000_000), minCount: 1, maxCount: 2, coverage: [:],
            candidates: [
                .init(id: "a", score: 5, amount: Money(kroner: 1_000_000), areas: []),
                .init(id: "b", score: 4, amount: Money(kroner: 1_000_000), areas: []),
                .init(id: "c", score: 1, amount: Money(kroner: 1_000_000), areas: []),
            ])
        let explanation = try PortfolioExplanation.explain(instance, forcedIn: ["c"], forcedOut: ["a"])
        #expect(explanation.selection.selected == ["b", "c"])
        #expect(explanation.entries.first { $0.id == "a" }?.reason == .forced(selected: false))
    }

    @Test func invalidInstancesNameEveryProblem() {
        let instance = PortfolioInstance(
            funds: Money(kroner: -1), minCount: 3, maxCount: 2, coverage: ["handicap": 1],
            candidates: [
                .init(id: "a", score: 1, amount: Money(kroner: -5), areas: ["ukendt"]),
                .init(id: "a", score: -1, amount: Money(kroner: 5), areas: []),
            ])
        #expect {
            try PortfolioSolver.solve(instance)
        } throws: { error in
            guard let error = error as? PortfolioError else { return false }
            let text = error.message
            return error.kind == .invalid && text.contains("negative") && text.contains("ukendt")
                && text.contains("mere end én gang") && text.contains("mindre end mindste")
                && text.contains("ugyldig score")
        }
    }

    @Test func infeasibleInstancesSayWhy() {
        let instance = PortfolioInstance(
            funds: Money(kroner: 1_000_000), minCount: 1, maxCount: 3, coverage: ["handicap": 2],
            candidates: [.init(id: "a", score: 1, amount: Money(kroner: 500_000), areas: ["handicap"])])
        #expect {
            try PortfolioSolver.solve(instance)
        } throws: { error in
            (error as? PortfolioError)?.message.contains("kun 1 ansøgninger dækker det") ?? false
        }
    }

    @Test func aSearchThatRunsTooLongStopsWithAMessageInsteadOfAGuess() {
        var rng = SplitMix(state: 3)
        let instance = randomInstance(&rng, size: 11)
        #expect {
            try PortfolioSolver.solve(instance, nodeLimit: 3)
        } throws: { error in
            guard let error = error as? PortfolioError else { return false }
            return error.kind == .searchLimit && error.message.contains("stoppet efter 3 trin")
        }
    }

    /// Instances that defeat a plain fractional-knapsack bound: many equal candidates with a little money left
    /// over, and scores exactly proportional to amounts (subset sum). Both used to run for minutes.
    @Test func equalCandidatesAndSubsetSumsAreSolvedQuickly() throws {
        var rng = SplitMix(state: 11)
        let equal = PortfolioInstance(
            funds: Money(kroner: 13_025_000), minCount: 3, maxCount: 25, coverage: ["a": 2, "b": 2],
            candidates: (0..<98).map { index in
                PortfolioCandidate(
                    id: "k\(index)", score: 3, amount: Money(kroner: 1_000_000),
                    areas: [Bool.random(using: &rng) ? "a" : "b"])
            })
        #expect(try PortfolioSolver.solve(equal, nodeLimit: 100_000).totalScore == 39)
        let proportional = PortfolioInstance(
            funds: Money(kroner: 13_025_000), minCount: 3, maxCount: 25, coverage: ["a": 2, "b": 2],
            candidates: (0..<98).map { index in
                let amount = Int64(Int.random(in: 6...30, using: &rng)) * 50_000
                return PortfolioCandidate(
                    id: "k\(index)", score: Double(amount) / 100_000, amount: Money(kroner: amount),
                    areas: [Bool.random(using: &rng) ? "a" : "b"])
            })
        #expect(try PortfolioSolver.solve(proportional, nodeLimit: 100_000).totalScore == 130)
    }

    @Test func ninetyEightCandidatesSolveToAFeasibleSet() throws {
        var rng = SplitMix(state: 98)
        let candidates = (0..<98).map { index in
            PortfolioCandidate(
                id: "k\(index)", score: Double(Int.random(in: 0...50, using: &rng)) / 10,
                amount: Money(kroner: Int64(Int.random(in: 5...30, using: &rng)) * 100_000),
                areas: [["handicap"], ["psykiatri"], ["handicap", "psykiatri"]].randomElement(using: &rng)!)
        }
        let instance = PortfolioInstance(
            funds: Money(kroner: 13_000_000), minCount: 3, maxCount: 10, coverage: ["handicap": 2, "psykiatri": 2],
            candidates: candidates)
        let selection = try PortfolioSolver.solve(instance)
        #expect(isFeasible(selection.selected, in: instance))
    }
}

@Suite struct ScoringTests {
    @Test func standardScaleIsZeroToFiveInHalfPoints() {
        let scale = ScoringScale.standard
        #expect(scale.values.count == 11)
        #expect(scale.allows(3.5))
        #expect(!scale.allows(3.25))
        #expect(!scale.allows(5.5))
        #expect(!scale.allows(-0.5))
        #expect(!scale.allows(.nan))
        #expect(scale.danishText == "0–5 i halve point")
        #expect(ScoringScale(minimum: 1, maximum: 2, step: 0.3).problem != nil)
    }

    @Test func weightedScoreUsesWeightsAndMinimums() {
        let criteria = [
            AwardCriterion(id: "a", name: "A", description: "", weight: 3, minimumScore: 2),
            AwardCriterion(id: "b", name: "B", description: "", weight: 1),
        ]
        let score = WeightedScore(scores: ["a": 4, "b": 0], criteria: criteria)
        #expect(score.value == 3)
        #expect(score.isSelectable)
        let low = WeightedScore(scores: ["a": 1.5, "b": 5], criteria: criteria)
        #expect(low.belowMinimum == ["a"])
        #expect(!low.isSelectable)
        let partial = WeightedScore(scores: ["a": 4], criteria: criteria)
        #expect(partial.missing == ["b"])
        #expect(!partial.isComplete)
    }

    @Test func scoreProblemsNeedScaleAndJustification() {
        let criteria = [
            AwardCriterion(id: "a", name: "Motivation", description: ""),
            AwardCriterion(id: "b", name: "Parathed", description: ""),
            AwardCriterion(id: "c", name: "Målgruppe", description: ""),
        ]
        let problems = ScoreCheck.problems(
            [
                "a": CriterionScore(criterionID: "a", score: 3.3, justification: "God"),
                "b": CriterionScore(criterionID: "b", score: 3, justification: "  "),
            ], criteria: criteria, scale: .standard)
        #expect(problems["a"]?.contains("skalaen") == true)
        #expect(problems["b"]?.contains("Begrund") == true)
        #expect(problems["c"]?.contains("Giv point") == true)
    }

    @Test func spreadShowsRange() throws {
        let spread = try #require(ScoreSpread([2, 4.5, 3]))
        #expect(spread.range == 2.5)
        #expect(spread.isNotable)
        #expect(ScoreSpread([]) == nil)
    }

    @Test func rankingBreaksTiesByHeaviestCriterionThenTime() {
        let criteria = [
            AwardCriterion(id: "a", name: "A", description: "", weight: 1),
            AwardCriterion(id: "b", name: "B", description: "", weight: 2),
        ]
        let early = Date(timeIntervalSince1970: 0)
        let late = Date(timeIntervalSince1970: 60)
        let places = Ranking.rank(
            [
                RankingEntry(id: "x", scores: ["a": 4, "b": 2], submittedAt: early, submissionNumber: "1"),  // 8/3
                RankingEntry(id: "y", scores: ["a": 2, "b": 3], submittedAt: late, submissionNumber: "2"),  // 8/3
                RankingEntry(id: "z", scores: ["a": 2, "b": 3], submittedAt: early, submissionNumber: "3"),
                RankingEntry(id: "w", scores: ["a": 5, "b": 5], submittedAt: late, submissionNumber: "4"),
            ], criteria: criteria)
        #expect(places.map(\.id) == ["w", "z", "y", "x"])
        #expect(places.map(\.rank) == [1, 2, 3, 4])
    }
}

@Suite struct AssessmentRuleTests {
    @Test func spreadIsEvenAndSkipsConflicts() {
        let result = AssessorSpread.spread(
            applications: ["1", "2", "3"], assessors: ["A", "B", "C"], perApplication: 2,
            existing: ["1": ["A"]], conflicts: ["1": ["B"], "2": ["C"]])
        var load: [String: Int] = ["A": 1]
        for assignment in result { load[assignment.assessorID, default: 0] += 1 }
        #expect(!result.contains { $0.applicationID == "1" && $0.assessorID == "B" })
        #expect(!result.contains { $0.applicationID == "2" && $0.assessorID == "C" })
        #expect(result.filter { $0.applicationID == "1" }.count == 1)
        #expect(result.filter { $0.applicationID == "2" }.count == 2)
        #expect(result.filter { $0.applicationID == "3" }.count == 2)
        #expect((load.values.max() ?? 0) - (load.values.min() ?? 0) <= 1)
    }

    @Test func conflictGate() {
        #expect(ConflictGate.access(declaration: nil) == .mustDeclare)
        #expect(ConflictGate.access(declaration: .conflict) == .removed)
        #expect(ConflictGate.access(declaration: .noConflict) == .open)
    }

    @Test func fourEyes() {
        #expect(FourEyes.problem(proposedBy: "u1", approver: "u1") != nil)
        #expect(FourEyes.problem(proposedBy: "u1", approver: "u2") == nil)
    }

    @Test func lettersRenderAndRefuseUnknownFields() {
        #expect(LetterTemplate.problems(LetterKind.award.defaultTemplate, kind: .award).isEmpty)
        #expect(LetterTemplate.problems(LetterKind.rejection.defaultTemplate, kind: .rejection).isEmpty)
        #expect(LetterTemplate.problems("Beløb: {{beloeb}}", kind: .rejection).first?.contains("Ukendt felt") == true)
        #expect(!LetterTemplate.problems("Kære {{modtager", kind: .award).isEmpty)
        #expect(
            LetterTemplate.render(
                "Kære {{ modtager }}, {{beloeb}}.", values: ["modtager": "Aarhus", "beloeb": "1 kr."])
                == "Kære Aarhus, 1 kr.")
    }

    @Test func screeningChecksNameWhatIsWrong() {
        let rules = CallRules(
            applicantKinds: [.municipality], legalBases: ["SEL § 108"],
            targetAreas: [TargetArea(code: "handicap", name: "Handicap")],
            minimumConditions: [MinimumCondition(id: "leder", text: "Vi udpeger en projektleder.")],
            budget: BudgetRules(eligibleCategories: [.training], maximumTotal: Money(kroner: 100)))
        var content = ApplicationContent()
        content.targetAreaCodes = ["skole"]
        content.services = [ParticipatingService(name: "Bostedet", legalBasis: "SEL § 107", citizens: 10)]
        content.budget = [
            BudgetLine(
                category: .salaries, description: "Løn", unitsHundredths: 100, unitPrice: Money(kroner: 500),
                year: 2024, months: [1], note: "")
        ]
        let checks = FormalScreening.checks(content, applicantKind: .provider, rules: rules)
        #expect(checks.allSatisfy { check in !check.passed })
        #expect(checks[0].findings.count == 2)
        #expect(
            ScreeningDecisionCheck.problem(outcome: .passed, reason: "", checks: checks)?.contains("alligevel") == true)
        #expect(ScreeningDecisionCheck.problem(outcome: .screenedOut, reason: "", checks: []) != nil)
        content.targetAreaCodes = ["handicap"]
        content.services[0].legalBasis = "sel §108"
        content.declarations = ["leder"]
        content.budget = [
            BudgetLine(
                category: .training, description: "Kursusdag for 10 medarbejdere", unitsHundredths: 100,
                unitPrice: Money(kroner: 50), year: 2024, months: [1], note: "")
        ]
        #expect(FormalScreening.checks(content, applicantKind: .municipality, rules: rules).allSatisfy { $0.passed })
    }
}
