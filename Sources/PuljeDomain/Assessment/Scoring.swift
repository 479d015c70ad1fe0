import Foundation

/// The scale an assessor scores each criterion on: 0–5 in half points unless the call says otherwise.
public struct ScoringScale: Hashable, Sendable, Codable {
    public var minimum: Double
    public var maximum: Double
    public var step: Double

    public static let standard = ScoringScale(minimum: 0, maximum: 5, step: 0.5)

    public init(minimum: Double, maximum: Double, step: Double) {
        self.minimum = minimum
        self.maximum = maximum
        self.step = step
    }

    /// The most steps a scale may have: enough for 0–100 in whole points, few enough for a score form.
    public static let maximumSteps = 200
    /// The largest magnitude of a scale's end points.
    public static let maximumMagnitude = 1_000.0

    /// How many steps from the lowest to the highest value, when that is a usable whole number.
    var stepCount: Int? {
        guard minimum.isFinite, maximum.isFinite, step.isFinite, step > 0, maximum >= minimum else { return nil }
        let steps = ((maximum - minimum) / step).rounded()
        // Compared as a Double first: converting a huge Double to Int traps.
        guard steps.isFinite, steps <= Double(Self.maximumSteps) else { return nil }
        return Int(steps)
    }

    /// Every score the scale allows, lowest first; empty for a scale that `problem` refuses.
    public var values: [Double] {
        guard let count = stepCount else { return [] }
        return (0...count).map { minimum + Double($0) * step }
    }

    public func allows(_ score: Double) -> Bool {
        guard problem == nil, score.isFinite, score >= minimum - 1e-9, score <= maximum + 1e-9, step > 0 else {
            return false
        }
        let steps = (score - minimum) / step
        return abs(steps - steps.rounded()) < 1e-9
    }

    /// What is wrong with the scale itself, in Danish; nil when it is usable.
    public var problem: String? {
        let limit = DanishNumber.grouped(Int(Self.maximumMagnitude))
        guard minimum.isFinite, maximum.isFinite, abs(minimum) <= Self.maximumMagnitude,
            abs(maximum) <= Self.maximumMagnitude
        else { return "Pointskalaens værdier skal ligge mellem -\(limit) og \(limit)." }
        if !(step > 0) || !step.isFinite { return "Pointskalaens trin skal være større end 0." }
        if maximum <= minimum { return "Pointskalaens højeste værdi skal være større end den laveste." }
        let steps = (maximum - minimum) / step
        if steps > Double(Self.maximumSteps) + 1e-9 {
            return "Pointskalaen må højst have \(Self.maximumSteps) trin; vælg et større trin eller et mindre spænd."
        }
        if abs(steps - steps.rounded()) > 1e-9 { return "Pointskalaen skal gå op i trinnet." }
        return nil
    }

    /// Why a call's scale may not change: scores given on one scale mean something else on another, so
    /// once applications have been submitted under it, the scale stays. Nil when the change is allowed.
    public static func changeProblem(
        from old: ScoringScale, to new: ScoringScale, submittedApplications: Int
    )
        -> String?
    {
        guard old != new, submittedApplications > 0 else { return nil }
        return "Pointskalaen kan ikke ændres, når der er indsendt ansøgninger til puljen (den er \(old.danishText))."
    }

    /// "0–5 i halve point", "1–10 i hele point".
    public var danishText: String {
        let stepText =
            step == 0.5 ? "i halve point" : step == 1 ? "i hele point" : "i trin på \(DanishScore.format(step))"
        return "\(DanishScore.format(minimum))–\(DanishScore.format(maximum)) \(stepText)"
    }
}

/// Scores shown the Danish way: "3,5", "4", "3,75".
public enum DanishScore {
    public static func format(_ score: Double, decimals: Int = 2) -> String {
        let factor = pow(10, Double(decimals))
        let rounded = (score * factor).rounded() / factor
        var text = String(format: "%.\(decimals)f", rounded)
        while text.contains(".") && (text.hasSuffix("0") || text.hasSuffix(".")) { text.removeLast() }
        return text.replacingOccurrences(of: ".", with: ",")
    }

    /// Reads "3,5" or "3.5"; nil for anything else.
    public static func parse(_ input: String) -> Double? {
        let text = input.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        guard !text.isEmpty, text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) else { return nil }
        return Double(text)
    }
}

/// One score on one criterion, with the written reason for it.
public struct CriterionScore: Hashable, Sendable, Codable {
    public var criterionID: String
    public var score: Double
    public var justification: String

    public init(criterionID: String, score: Double, justification: String) {
        self.criterionID = criterionID
        self.score = score
        self.justification = justification
    }
}

public enum ScoreCheck {
    /// Problems with a set of scores for a call's criteria, keyed by criterion id, in Danish.
    /// Every criterion needs a score on the scale and a written justification.
    public static func problems(
        _ scores: [String: CriterionScore], criteria: [AwardCriterion], scale: ScoringScale
    )
        -> [String: String]
    {
        var problems: [String: String] = [:]
        for criterion in criteria {
            guard let score = scores[criterion.id] else {
                problems[criterion.id] = "Giv point for \"\(criterion.name)\"."
                continue
            }
            if !scale.allows(score.score) {
                problems[criterion.id] =
                    "Point for \"\(criterion.name)\" skal ligge på skalaen \(scale.danishText)."
            } else if score.justification.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems[criterion.id] = "Begrund pointene for \"\(criterion.name)\"."
            }
        }
        return problems
    }
}

/// The weighted score of one application, and which minimums it falls below.
public struct WeightedScore: Hashable, Sendable {
    /// Σ weight × score ÷ Σ weight: on the call's own scale, so 4,2 reads as "4,2 of 5".
    public var value: Double
    /// Criteria whose score is below the criterion's minimum; such an application cannot be selected.
    public var belowMinimum: [String]
    /// Criteria without a score; a weighted score is only final when this is empty.
    public var missing: [String]

    public var isComplete: Bool { missing.isEmpty }
    public var isSelectable: Bool { missing.isEmpty && belowMinimum.isEmpty }

    public init(scores: [String: Double], criteria: [AwardCriterion]) {
        var weighted = 0.0
        // A Double: weights are bounded where they are written, and a sum of Doubles never traps.
        var weights = 0.0
        var below: [String] = []
        var missing: [String] = []
        for criterion in criteria {
            guard let score = scores[criterion.id] else {
                missing.append(criterion.id)
                continue
            }
            weighted += Double(criterion.weight) * score
            weights += Double(criterion.weight)
            if let minimum = criterion.minimumScore, score < minimum - 1e-9 { below.append(criterion.id) }
        }
        value = weights > 0 ? weighted / weights : 0
        belowMinimum = below
        self.missing = missing
    }
}

/// How far the individual assessors' scores on one criterion lie apart.
public struct ScoreSpread: Hashable, Sendable {
    public var lowest: Double
    public var highest: Double
    public var mean: Double
    public var count: Int

    public var range: Double { highest - lowest }

    /// nil without scores.
    public init?(_ scores: [Double]) {
        guard let lowest = scores.min(), let highest = scores.max() else { return nil }
        self.lowest = lowest
        self.highest = highest
        self.mean = scores.reduce(0, +) / Double(scores.count)
        self.count = scores.count
    }

    /// A spread of more than this many points deserves a discussion before consensus.
    public static let notableRange = 1.5
    public var isNotable: Bool { range > Self.notableRange - 1e-9 }
}

/// An application as the ranking sees it.
public struct RankingEntry: Hashable, Sendable {
    public var id: CandidateID
    public var scores: [String: Double]
    public var submittedAt: Date
    public var submissionNumber: String

    public init(id: CandidateID, scores: [String: Double], submittedAt: Date, submissionNumber: String) {
        self.id = id
        self.scores = scores
        self.submittedAt = submittedAt
        self.submissionNumber = submissionNumber
    }
}

/// The ranking by weighted consensus score.
///
/// Ties are broken, in this order: the higher score on the criteria taken by falling weight (and, for equal
/// weights, in the call's order); then the earlier submission; then the submission number. The rule is
/// written on the ranking page, so every applicant can be told why they came where they did.
public enum Ranking {
    public static let tieBreakDanish =
        "Ved lige vægtet score afgør den højeste score på kriterierne taget efter faldende vægt (ved lige vægt i puljens rækkefølge), dernæst det tidligste indsendelsestidspunkt og til sidst ansøgningsnummeret."

    public struct Place: Hashable, Sendable {
        public var rank: Int
        public var id: CandidateID
        public var weighted: WeightedScore
    }

    public static func rank(_ entries: [RankingEntry], criteria: [AwardCriterion]) -> [Place] {
        let tieOrder = criteria.enumerated()
            .sorted { ($0.element.weight, -$0.offset) > ($1.element.weight, -$1.offset) }
            .map(\.element.id)
        let scored = entries.map { ($0, WeightedScore(scores: $0.scores, criteria: criteria)) }
        let sorted = scored.sorted { a, b in
            if abs(a.1.value - b.1.value) > 1e-9 { return a.1.value > b.1.value }
            for id in tieOrder {
                let x = a.0.scores[id] ?? -.infinity
                let y = b.0.scores[id] ?? -.infinity
                if abs(x - y) > 1e-9 { return x > y }
            }
            if a.0.submittedAt != b.0.submittedAt { return a.0.submittedAt < b.0.submittedAt }
            return a.0.submissionNumber < b.0.submissionNumber
        }
        return sorted.enumerated().map { Place(rank: $0.offset + 1, id: $0.element.0.id, weighted: $0.element.1) }
    }
}
