import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// The assessment as JSON, beside its pages: a call's applications in assessment, one application's
/// screening, assessors, own scores and consensus, the selection and the decision. The same cases
/// (`AssessmentCase`), the same actions and so the same rules and messages as the pages: an assessor sees
/// only what is assigned to them and nothing before declaring impartiality; another municipality gets 404.
/// Writes need the session cookie and `X-CSRF-Token`; a refused field is 422 with a message per field.
enum AssessmentAPI {
    struct Score: Content {
        var score: Double
        var justification: String
    }

    struct Screening: Content {
        /// "passed" or "screenedOut".
        var outcome: String
        var outcomeText: String
        var reason: String
        var decidedBy: String
        var decidedAt: Date
    }

    struct Assessor: Content {
        var name: String
        var lead: Bool
        /// "pending" until declared, then "noConflict" or "conflict".
        var declaration: String
    }

    struct Weighted: Content {
        /// The weighted consensus score; nil until every criterion has one.
        var score: Double?
        var belowMinimum: [String]
        var missing: [String]
    }

    struct ApplicationAssessment: Content {
        var applicationId: UUID
        var callId: UUID
        var organisation: String
        var projectTitle: String
        var submissionNumber: String?
        var status: String
        var requestedOre: Int64
        /// The user's own assignment: "notAssigned", "mustDeclare", "removed" (a declared conflict) or "open".
        var assignment: String
        var screening: Screening?
        var assessors: [Assessor]?
        var ownScores: [String: Score]?
        var consensus: [String: Score]?
        var weighted: Weighted?
        /// What a write did, in Danish (as the page's notice).
        var message: String?
    }

    struct ListItem: Content {
        var applicationId: UUID
        var organisation: String
        var submissionNumber: String?
        var screening: String?
        var assessors: Int
        var weightedScore: Double?
        var rank: Int?
    }

    struct CallAssessmentList: Content {
        var callId: UUID
        var callTitle: String
        var criteria: [String]
        var items: [ListItem]
        var count: Int
    }

    struct SelectionEntry: Content {
        var applicationId: UUID
        var organisation: String
        var requestedOre: Int64
        var grantedOre: Int64
        var weightedScore: Double?
        var selected: Bool
        /// Why, in Danish: the solver's explanation, or why it cannot be chosen.
        var explanation: String
    }

    struct Decision: Content {
        /// "proposed" or "approved".
        var status: String
        var statusText: String
        var proposedBy: String
        var proposedAt: Date
        var approvedBy: String?
        var approvedAt: Date?
    }

    struct Selection: Content {
        var callId: UUID
        var fundsOre: Int64
        /// False where no selection meets the funds, the count sought and the coverage; `problems` says why.
        var feasible: Bool
        var problems: [String]
        var totalScore: Double?
        var totalAmountOre: Int64?
        var entries: [SelectionEntry]
        var decision: Decision?
        var message: String?
    }

    // MARK: Reading

    @Sendable static func callAssessment(req: Request) async throws -> CallAssessmentList {
        let (user, assessment) = try await AssessmentCase.openCall(req)
        let ranks = Dictionary(uniqueKeysWithValues: assessment.ranking().map { ($0.id, $0.rank) })
        let items = assessment.applications.filter { application in
            user.seesAllAssessments
                || assessment.assignments[application.id!]?.contains { $0.$assessor.id == user.id } == true
        }.map { application in
            let id = application.id!
            let weighted = assessment.weighted(id)
            return ListItem(
                applicationId: id, organisation: application.organisation.name,
                submissionNumber: application.submissionNumber, screening: assessment.screenings[id]?.outcome,
                assessors: assessment.activeAssignments(id).count,
                weightedScore: weighted.isComplete ? weighted.value : nil, rank: ranks[CandidateID(id)])
        }
        return CallAssessmentList(
            callId: try assessment.call.requireID(), callTitle: assessment.call.title,
            criteria: assessment.rules.criteria.map(\.id), items: items, count: items.count)
    }

    @Sendable static func applicationAssessment(req: Request) async throws -> ApplicationAssessment {
        dto(try await AssessmentCase.open(req), message: nil)
    }

    static func dto(_ found: AssessmentCase, message: String?) -> ApplicationAssessment {
        let assessment = found.assessment
        let application = found.application
        let id = found.id
        let assignment: String =
            switch found.assignment?.access {
            case nil: "notAssigned"
            case .mustDeclare: "mustDeclare"
            case .removed: "removed"
            case .open: "open"
            }
        let screening =
            found.mayReadContent
            ? assessment.screenings[id].map {
                Screening(
                    outcome: $0.outcome, outcomeText: $0.screeningOutcome.danishName, reason: $0.reason,
                    decidedBy: $0.decidedBy, decidedAt: $0.decidedAt)
            } : nil
        let assessors =
            found.showsAssessors
            ? assessment.assignments[id, default: []].map { record in
                Assessor(
                    name: record.assessor.name, lead: assessment.lead(id)?.id == record.id,
                    declaration: record.declaration ?? "pending")
            } : nil
        let own =
            found.showsOwnScores
            ? (assessment.individualScores(id)[found.user.id] ?? [:]).mapValues {
                Score(score: $0.score, justification: $0.justification)
            } : nil
        let consensus =
            found.showsConsensus
            ? (assessment.consensus[id] ?? [:]).mapValues { Score(score: $0.score, justification: $0.justification) }
            : nil
        let weighted =
            found.showsConsensus
            ? assessment.weighted(id).apiValue : nil
        return ApplicationAssessment(
            applicationId: id, callId: assessment.call.id!, organisation: application.organisation.name,
            projectTitle: assessment.submittedContent(application).projectTitle,
            submissionNumber: application.submissionNumber, status: application.status,
            requestedOre: assessment.requested(application).ore, assignment: assignment, screening: screening,
            assessors: assessors, ownScores: own, consensus: consensus, weighted: weighted, message: message)
    }

    @Sendable static func selection(req: Request) async throws -> Selection {
        let (user, assessment) = try await AssessmentCase.openCall(req)
        guard user.seesAllAssessments else { throw PuljeError(.notFound, "Siden findes ikke.") }
        return selectionDTO(assessment, message: nil)
    }

    static func selectionDTO(_ assessment: CallAssessment, message: String?) -> Selection {
        let portfolio = assessment.portfolio()
        var entries: [SelectionEntry] = []
        func entry(_ application: ApplicationRecord, selected: Bool, explanation: String) -> SelectionEntry {
            let weighted = assessment.weighted(application.id!)
            return SelectionEntry(
                applicationId: application.id!, organisation: application.organisation.name,
                requestedOre: assessment.requested(application).ore, grantedOre: assessment.granted(application).ore,
                weightedScore: weighted.isComplete ? weighted.value : nil, selected: selected, explanation: explanation)
        }
        var feasible = false
        var problems: [String] = []
        var totalScore: Double?
        var totalAmount: Int64?
        switch portfolio.result {
        case .success(let explanation):
            feasible = true
            totalScore = explanation.selection.totalScore
            totalAmount = explanation.selection.totalAmount.ore
            let chosen = Set(explanation.selection.selected)
            for item in explanation.entries {
                guard let application = item.id.uuid.flatMap(assessment.application) else { continue }
                entries.append(entry(application, selected: chosen.contains(item.id), explanation: item.text))
            }
        case .failure(let error):
            problems = error.messages
        }
        for (application, reason) in portfolio.ineligible {
            entries.append(entry(application, selected: false, explanation: reason))
        }
        let decision = assessment.decision.map {
            Decision(
                status: $0.status, statusText: $0.decisionStatus.danishName, proposedBy: $0.proposedBy,
                proposedAt: $0.proposedAt, approvedBy: $0.approvedBy, approvedAt: $0.approvedAt)
        }
        return Selection(
            callId: assessment.call.id!, fundsOre: portfolio.instance.funds.ore, feasible: feasible,
            problems: problems, totalScore: totalScore, totalAmountOre: totalAmount, entries: entries,
            decision: decision, message: message)
    }

    // MARK: Writing

    // The fields of the bodies are optional here (the document says which are required), so that a body
    // that is valid JSON reaches the action, which refuses who may not act before it judges a field.

    struct ScreeningRequest: Content {
        var outcome: String?
        var reason: String?
    }

    struct DeclarationRequest: Content {
        /// "noConflict" or "conflict".
        var declaration: String?
        var note: String?
    }

    struct ScoresRequest: Content {
        /// Points per criterion id, on the call's scale.
        var scores: [String: Double]?
        var justifications: [String: String]?

        var typed: AssessmentActions.TypedScores {
            AssessmentActions.TypedScores(
                score: (scores ?? [:]).mapValues { $0.isFinite ? DanishScore.format($0) : "ugyldig" },
                justification: justifications ?? [:])
        }
    }

    struct ProposalRequest: Content {
        var conditions: String?
        var note: String?
    }

    /// Runs one of the case's actions and answers with the case as it is now; field errors are 422.
    static func act(
        _ req: Request, _ action: (AssessmentCase) async throws -> String
    ) async throws -> ApplicationAssessment {
        let found = try await AssessmentCase.open(req)
        let message = try await refusingFields { try await action(found) }
        return dto(try await AssessmentCase.open(req), message: message)
    }

    /// `FormErrors` as the API's 422 with a message per field.
    static func refusingFields<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let errors as FormErrors {
            throw FieldProblems(
                status: .unprocessableEntity, reason: errors.messages.map(\.message).joined(separator: " "),
                fields: Dictionary(errors.messages.map { ($0.field, $0.message) }) { first, second in
                    first + " " + second
                })
        }
    }

    @Sendable static func screen(req: Request) async throws -> ApplicationAssessment {
        try await act(req) { found in
            let body = try req.content.decode(ScreeningRequest.self)
            return try await AssessmentActions.screen(found, outcome: body.outcome, reason: body.reason, req: req)
        }
    }

    @Sendable static func declare(req: Request) async throws -> ApplicationAssessment {
        try await act(req) { found in
            let body = try req.content.decode(DeclarationRequest.self)
            return try await AssessmentActions.declare(
                found, declaration: body.declaration, note: body.note, req: req)
        }
    }

    @Sendable static func score(req: Request) async throws -> ApplicationAssessment {
        try await act(req) { found in
            try await AssessmentActions.score(found, try req.content.decode(ScoresRequest.self).typed, req: req)
        }
    }

    @Sendable static func recordConsensus(req: Request) async throws -> ApplicationAssessment {
        try await act(req) { found in
            try await AssessmentActions.recordConsensus(
                found, try req.content.decode(ScoresRequest.self).typed, req: req)
        }
    }

    @Sendable static func propose(req: Request) async throws -> Selection {
        let (user, assessment) = try await AssessmentCase.openCall(req)
        let body = try req.content.decode(ProposalRequest.self)
        let message = try await refusingFields {
            try await DecisionActions.propose(
                assessment, ProposeForm(conditions: body.conditions, note: body.note), by: user, req: req)
        }
        return selectionDTO(try await AssessmentCase.openCall(req).1, message: message)
    }

    @Sendable static func approve(req: Request) async throws -> Selection {
        let (user, assessment) = try await AssessmentCase.openCall(req)
        let count = try await DecisionActions.approve(assessment, by: user, req: req)
        return selectionDTO(
            try await AssessmentCase.openCall(req).1,
            message: "Afgørelsen er godkendt. \(DanishCount.of(count, "brev", "breve")) er lagt i sagerne og sendt.")
    }
}

extension WeightedScore {
    var apiValue: AssessmentAPI.Weighted {
        AssessmentAPI.Weighted(score: isComplete ? value : nil, belowMinimum: belowMinimum, missing: missing)
    }
}
