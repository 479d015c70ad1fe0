import Fluent
import Foundation
import PuljeDomain
import Vapor

/// Everything about the assessment of one call, loaded once for a page or an export.
struct CallAssessment {
    var call: CallRecord
    var rules: CallRules
    /// Submitted applications (and those further along), oldest submission first; never drafts or withdrawn ones.
    var applications: [ApplicationRecord]
    var screenings: [UUID: ScreeningRecord]
    var assignments: [UUID: [AssessorAssignmentRecord]]
    var scores: [UUID: [ScoreRecord]]
    var consensus: [UUID: [String: ConsensusRecord]]
    var overrides: [UUID: PortfolioOverrideRecord]
    var decision: DecisionRecord?

    static let assessedStatuses: [ApplicationStatus] = [
        .submitted, .underAssessment, .moreInformationRequested, .awarded, .rejected,
    ]

    func application(_ id: UUID) -> ApplicationRecord? { applications.first { $0.id == id } }

    /// The assessors who have not declared a conflict (they may not have declared yet).
    func activeAssignments(_ id: UUID) -> [AssessorAssignmentRecord] {
        (assignments[id] ?? []).filter { $0.conflictDeclaration != .conflict }
    }

    /// The lead assessor: the one marked lead who is not conflicted, else the first active assessor.
    func lead(_ id: UUID) -> AssessorAssignmentRecord? {
        let active = activeAssignments(id)
        return active.first(where: \.isLead) ?? active.first
    }

    /// Each active assessor's scores by criterion.
    func individualScores(_ id: UUID) -> [UUID: [String: ScoreRecord]] {
        var result: [UUID: [String: ScoreRecord]] = [:]
        for score in scores[id] ?? [] { result[score.$assessor.id, default: [:]][score.criterionID] = score }
        return result
    }

    /// Consensus can be recorded when every active assessor has declared no conflict and scored every criterion.
    func readyForConsensus(_ id: UUID) -> Bool { readyForConsensus(id, after: nil) }

    /// Whether every active assessor will have scored every criterion once `after` (an assessor and the
    /// criteria they score now) is saved: the moment the lead assessor is told.
    func readyForConsensus(_ id: UUID, after: (assessor: UUID, criteria: Set<String>)?) -> Bool {
        let active = activeAssignments(id)
        var scored = individualScores(id).mapValues { Set($0.keys) }
        if let after { scored[after.assessor] = after.criteria }
        return !active.isEmpty
            && active.allSatisfy { assignment in
                assignment.conflictDeclaration == .noConflict
                    && rules.criteria.allSatisfy { scored[assignment.$assessor.id]?.contains($0.id) == true }
            }
    }

    func consensusScores(_ id: UUID) -> [String: Double] {
        (consensus[id] ?? [:]).mapValues(\.score)
    }

    func weighted(_ id: UUID) -> WeightedScore {
        WeightedScore(scores: consensusScores(id), criteria: rules.criteria)
    }

    func screenedIn(_ id: UUID) -> Bool { screenings[id]?.screeningOutcome == .passed }

    /// The ranking of the screened-in applications with a complete consensus.
    func ranking() -> [Ranking.Place] {
        let entries = applications.filter { screenedIn($0.id!) && weighted($0.id!).isComplete }.map { application in
            RankingEntry(
                id: CandidateID(application.id!), scores: consensusScores(application.id!),
                submittedAt: application.submittedAt ?? .distantPast,
                submissionNumber: application.submissionNumber ?? "")
        }
        return Ranking.rank(entries, criteria: rules.criteria)
    }

    func submittedContent(_ application: ApplicationRecord) -> ApplicationContent {
        (try? application.submittedContent()) ?? ApplicationContent()
    }

    func requested(_ application: ApplicationRecord) -> Money {
        BudgetTotals(submittedContent(application).budget).total
    }

    /// The granted amount the portfolio uses: the staff's adjustment, else the requested amount.
    func granted(_ application: ApplicationRecord) -> Money {
        overrides[application.id!]?.grantedOre.map(Money.init(ore:)) ?? requested(application)
    }

    /// Why an application cannot be selected, or nil when it can.
    func ineligibility(_ application: ApplicationRecord) -> String? {
        let id = application.id!
        guard let screening = screenings[id] else { return "Ikke screenet endnu." }
        if screening.screeningOutcome == .screenedOut { return "Frasorteret ved screeningen: \(screening.reason)" }
        let score = weighted(id)
        if !score.isComplete {
            return "Konsensus mangler for \(DanishCount.of(score.missing.count, "kriterium", "kriterier"))."
        }
        if !score.belowMinimum.isEmpty {
            let names = rules.criteria.filter { score.belowMinimum.contains($0.id) }.map(\.name)
            return "Under minimum på: \(names.joined(separator: ", "))."
        }
        return nil
    }

    struct Portfolio {
        var instance: PortfolioInstance
        var forcedIn: Set<CandidateID>
        var forcedOut: Set<CandidateID>
        var ineligible: [(application: ApplicationRecord, reason: String)]
        var result: Result<PortfolioExplanation, PortfolioError>
    }

    /// The portfolio problem of the call with the staff's adjustments, solved and explained.
    func portfolio() -> Portfolio {
        let areaCodes = Set(rules.targetAreas.map(\.code))
        var candidates: [PortfolioCandidate] = []
        var ineligible: [(ApplicationRecord, String)] = []
        for application in applications {
            if let reason = ineligibility(application) {
                ineligible.append((application, reason))
                continue
            }
            candidates.append(
                PortfolioCandidate(
                    id: CandidateID(application.id!), score: weighted(application.id!).value,
                    amount: granted(application),
                    areas: Set(submittedContent(application).targetAreaCodes).intersection(areaCodes)))
        }
        var coverage: [String: Int] = [:]
        for area in rules.targetAreas { coverage[area.code] = area.minimumSelected ?? 0 }
        let sought = rules.municipalitiesSought
        let instance = PortfolioInstance(
            funds: rules.funds ?? candidates.map(\.amount).sum(), minCount: min(sought?.lowerBound ?? 0, Int.max),
            maxCount: sought?.upperBound ?? candidates.count, coverage: coverage, candidates: candidates)
        let eligibleIDs = Set(candidates.map(\.id))
        let forcedIn = Set(
            overrides.values.filter { $0.choice == "include" }.map { CandidateID($0.$application.id) }
        ).intersection(eligibleIDs)
        let forcedOut = Set(
            overrides.values.filter { $0.choice == "exclude" }.map { CandidateID($0.$application.id) }
        ).intersection(eligibleIDs)
        let result = Result { () throws(PortfolioError) in
            try PortfolioExplanation.explain(instance, forcedIn: forcedIn, forcedOut: forcedOut)
        }
        return Portfolio(
            instance: instance, forcedIn: forcedIn, forcedOut: forcedOut, ineligible: ineligible, result: result)
    }

    /// Names for applications in explanations: the organisation's name.
    func name(_ id: CandidateID) -> String {
        id.uuid.flatMap(application)?.organisation.name ?? id.rawValue
    }
}

extension CurrentUser {
    /// Agency staff who read every submitted application (`Action.readAllApplications`).
    var seesAllAssessments: Bool { may(.readAllApplications, ownedBy: nil) }

    var isAssessor: Bool { may(.assessApplications, ownedBy: nil) }
}

/// "1 ansøgning", "2 ansøgninger": counts with the right Danish form.
enum DanishCount {
    static func of(_ count: Int, _ singular: String, _ plural: String) -> String {
        "\(count) \(count == 1 ? singular : plural)"
    }
}
