import Foundation

/// One criterion an initiative is judged on at the end of its SUSI phase, and the SUSI dimension it belongs to.
public struct PhaseCriterion: Hashable, Sendable, Codable {
    public var id: String
    public var text: String
    /// virkning, økonomi, implementering, efterspørgsel or realistisk drift, where the criterion belongs to one.
    public var dimension: String

    public init(id: String, text: String, dimension: String) {
        self.id = id
        self.text = text
        self.dimension = dimension
    }
}

/// How well a criterion is met.
public enum CriterionRating: String, CaseIterable, Sendable, Codable {
    case met
    case partlyMet
    case notMet

    public var danishName: String {
        switch self {
        case .met: "Opfyldt"
        case .partlyMet: "Delvist opfyldt"
        case .notMet: "Ikke opfyldt"
        }
    }
}

/// What the programme manager recommends, and the steering group decides, at the end of a phase.
public enum GateOutcome: String, CaseIterable, Sendable, Codable {
    case advance
    case extendOrAdjust
    case stop

    public func danishName(from phase: SUSIPhase) -> String {
        switch self {
        case .advance: PhaseGate.next(after: phase).map { "Videre til \($0.danishName.lowercased())" } ?? "Videre"
        case .extendOrAdjust: "Forlæng eller justér"
        case .stop: "Stop"
        }
    }
}

/// A criterion's rating with its justification and the evidence in Pulje it rests on (paths on the site).
public struct CriterionAssessment: Hashable, Sendable, Codable {
    public var criterionID: String
    public var rating: CriterionRating?
    public var justification: String
    public var evidence: [String]

    public init(criterionID: String, rating: CriterionRating?, justification: String, evidence: [String] = []) {
        self.criterionID = criterionID
        self.rating = rating
        self.justification = justification
        self.evidence = evidence
    }
}

/// Where a phase verdict stands: the programme manager writes it, proposes it, a second person decides.
public enum VerdictStatus: String, Sendable, Codable, CaseIterable {
    case draft
    case proposed
    case decided

    public var danishName: String {
        switch self {
        case .draft: "Under udarbejdelse"
        case .proposed: "Indstillet"
        case .decided: "Afgjort"
        }
    }
}

/// The phase gate of the SUSI model: the criteria each phase is judged on (as the 2022 allocation states
/// them, 004 l. 44, 95/230 and 204), and the rules of the verdict.
public enum PhaseGate {
    /// The criteria of a phase as the 2022 allocation states them: the set a phase starts with until the agency
    /// changes it (the agency's versions are stored; see `criteriaProblems`). Dissemination has no gate.
    public static func standardCriteria(for phase: SUSIPhase) -> [PhaseCriterion] {
        switch phase {
        case .screening:
            [
                .init(
                    id: "fagligt-velbegrundet", text: "Prototypen på indsatsen er fagligt velbegrundet",
                    dimension: "Virkning"),
                .init(
                    id: "realistisk", text: "Realistisk i modning, afprøvning og drift", dimension: "Realistisk drift"),
                .init(id: "efterspurgt", text: "Efterspurgt i kommuner", dimension: "Efterspørgsel"),
                .init(id: "accepteret", text: "Accepteret blandt interessenter", dimension: "Efterspørgsel"),
                .init(
                    id: "brugerperspektiv", text: "Brugerperspektivet indgår relevant", dimension: "Implementering"),
            ]
        case .maturation:
            [
                .init(
                    id: "faerdigudviklet", text: "Indsatsen er færdigudviklet og defineret", dimension: "Implementering"
                ),
                .init(id: "implementeret", text: "Succesfuldt implementeret", dimension: "Implementering"),
                .init(id: "lovende-resultater", text: "Har vist lovende resultater", dimension: "Virkning"),
                .init(id: "ikke-urealistisk-dyr", text: "Er ikke urealistisk dyr", dimension: "Økonomi"),
                .init(id: "accepteret-efterspurgt", text: "Er accepteret og efterspurgt", dimension: "Efterspørgsel"),
            ]
        case .testing:
            [
                .init(
                    id: "implementeret-som-forudsat", text: "Implementeret som forudsat", dimension: "Implementering"),
                .init(
                    id: "positiv-effekt", text: "Har en positiv effekt på borgernes problemstilling",
                    dimension: "Virkning"),
                .init(
                    id: "omkostninger-effekt",
                    text: "Et rimeligt forhold mellem indsatsens omkostninger, effekt og økonomiske konsekvenser",
                    dimension: "Økonomi"),
                .init(id: "accepteret-efterspurgt", text: "Accepteret og efterspurgt", dimension: "Efterspørgsel"),
                .init(id: "driftsperspektiv", text: "Et realistisk driftsperspektiv", dimension: "Realistisk drift"),
            ]
        case .dissemination:
            []
        }
    }

    /// The phase an initiative moves on to; nil after the last.
    public static func next(after phase: SUSIPhase) -> SUSIPhase? {
        switch phase {
        case .screening: .maturation
        case .maturation: .testing
        case .testing: .dissemination
        case .dissemination: nil
        }
    }

    public static let maximumJustification = 5000

    /// What keeps a verdict from being proposed with this outcome: every criterion rated and justified, the
    /// recommendation justified, and no move to the next phase unless every criterion is met.
    public static func proposalProblems(
        phase: SUSIPhase, criteria: [PhaseCriterion], assessments: [CriterionAssessment], outcome: GateOutcome?,
        note: String
    ) -> [(field: String, message: String)] {
        var problems: [(String, String)] = []
        let byID = Dictionary(assessments.map { ($0.criterionID, $0) }, uniquingKeysWith: { first, _ in first })
        for criterion in criteria {
            let assessment = byID[criterion.id]
            if assessment?.rating == nil {
                problems.append(("rating.\(criterion.id)", "Vurdér \"\(criterion.text)\"."))
            }
            if (assessment?.justification ?? "").trimmingWhitespace().isEmpty {
                problems.append(("justification.\(criterion.id)", "Begrund vurderingen af \"\(criterion.text)\"."))
            }
        }
        if let problem = outcomeProblem(phase: phase, criteria: criteria, assessments: assessments, outcome: outcome) {
            problems.append(("outcome", problem))
        }
        if note.trimmingWhitespace().isEmpty { problems.append(("note", "Begrund indstillingen.")) }
        return problems
    }

    /// Why an outcome cannot be chosen: none chosen, no phase after this one, or a move on with a criterion
    /// not met ("an initiative moves on only when the criteria of its phase are met").
    public static func outcomeProblem(
        phase: SUSIPhase, criteria: [PhaseCriterion], assessments: [CriterionAssessment], outcome: GateOutcome?
    ) -> String? {
        guard let outcome else { return "Vælg en samlet indstilling." }
        guard outcome == .advance else { return nil }
        guard next(after: phase) != nil else { return "\(phase.danishName) er den sidste fase." }
        let byID = Dictionary(assessments.map { ($0.criterionID, $0.rating) }, uniquingKeysWith: { first, _ in first })
        let unmet = criteria.filter { byID[$0.id] != .met }
        if !unmet.isEmpty {
            return "Initiativet kan kun gå videre, når alle kriterier er opfyldt; det er ikke: "
                + unmet.map { "\"\($0.text)\"" }.joined(separator: ", ") + "."
        }
        return nil
    }

    /// The decision is the second person's: whoever proposed may not decide.
    public static func decisionProblem(proposedBy: UUID?, decidedBy: UUID) -> String? {
        proposedBy == decidedBy
            ? "Afgørelsen skal registreres af en anden end den, der har indstillet (to personer)." : nil
    }

    // MARK: The criteria as the agency's data

    /// The SUSI model's five dimensions, which every criterion belongs to (`../shared/domain.md`).
    public static let dimensions = ["Virkning", "Økonomi", "Implementering", "Efterspørgsel", "Realistisk drift"]
    public static let maximumCriteria = 20
    public static let maximumCriterionText = 300

    /// What is wrong with a set of criteria for a phase, by the form's field ("criteria.2.text"): at least one
    /// criterion, each with a text of at most 300 characters and one of the five dimensions, no text twice, ids
    /// unique. Dissemination has no gate and takes none.
    public static func criteriaProblems(
        _ criteria: [(index: Int, criterion: PhaseCriterion)], phase: SUSIPhase
    ) -> [(field: String, message: String)] {
        var problems: [(String, String)] = []
        guard next(after: phase) != nil else {
            return [("criteria", "\(phase.danishName) er den sidste fase og har ingen kriterier.")]
        }
        if criteria.isEmpty { problems.append(("criteria", "Fasen skal have mindst ét kriterium.")) }
        if criteria.count > maximumCriteria {
            problems.append(("criteria", "En fase kan højst have \(maximumCriteria) kriterier."))
        }
        var texts = Set<String>()
        var ids = Set<String>()
        for (index, criterion) in criteria {
            let text = criterion.text.trimmingWhitespace()
            if text.isEmpty {
                problems.append(("criteria.\(index).text", "Skriv kriteriet."))
            } else if text.count > maximumCriterionText {
                problems.append(
                    ("criteria.\(index).text", "Kriteriet må højst være \(maximumCriterionText) tegn."))
            } else if !texts.insert(text.lowercased()).inserted {
                problems.append(("criteria.\(index).text", "Kriteriet står der allerede."))
            }
            if !dimensions.contains(criterion.dimension) {
                problems.append(("criteria.\(index).dimension", "Vælg en af SUSI-dimensionerne."))
            }
            if criterion.id.isEmpty || !ids.insert(criterion.id).inserted
                || !criterion.id.unicodeScalars.allSatisfy({
                    ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                })
            {
                problems.append(("criteria.\(index).text", "Kriteriet har ikke en gyldig nøgle."))
            }
        }
        return problems
    }

    /// A criterion's key made from its text, stable once made (ratings are kept by it): lowercase letters and
    /// digits with æ, ø, å spelled out and hyphens between words, at most 40 characters, made unique against
    /// `taken` with a number.
    public static func criterionID(for text: String, taken: Set<String>) -> String {
        // Æ, ø and å spelled out first (folding would make å an a), then other accents dropped; everything
        // but a–z and 0–9 (combining marks, other scripts, controls) separates words.
        let spelled = text.lowercased().replacingOccurrences(of: "æ", with: "ae")
            .replacingOccurrences(of: "ø", with: "oe").replacingOccurrences(of: "å", with: "aa")
            .folding(options: [.diacriticInsensitive], locale: nil)
        var slug = ""
        for scalar in spelled.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty && !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        var base = String(slug.prefix(40))
        while base.hasSuffix("-") { base.removeLast() }
        if base.isEmpty { base = "kriterium" }
        var candidate = base
        var number = 2
        while taken.contains(candidate) {
            candidate = "\(base)-\(number)"
            number += 1
        }
        return candidate
    }
}
