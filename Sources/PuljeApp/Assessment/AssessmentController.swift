import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// Screening, assessors, conflicts of interest, scores, consensus and requests for more information: decodes
/// the form, calls `AssessmentActions`, and shows the result.
enum AssessmentController {
    // MARK: Pages

    @Sendable static func overview(req: Request) async throws -> Response {
        let (user, assessment) = try await AssessmentCase.openCall(req)
        return AssessmentPages.overview(
            assessment, user: user, assessors: try await AssessmentStore.assessors(on: req.db),
            context: req.pageContext()
        ).response(status: .ok)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let found = try await AssessmentCase.open(req)
        let requests = try await AssessmentStore.requests(of: found.id, on: req.db)
        return AssessmentPages.casePage(
            found, requests: requests, assessors: try await AssessmentStore.assessors(on: req.db), errors: FormErrors(),
            now: req.application.now(), context: req.pageContext()
        ).response(status: .ok)
    }

    /// Opens the case, runs the action with it and goes back to the case with the action's message; field
    /// errors show the same page with the user's input (the posted fields as named on the page) and what is
    /// wrong with it, and nothing was saved.
    static func act(
        _ req: Request, _ action: (AssessmentCase) async throws -> String
    ) async throws -> Response {
        let found = try await AssessmentCase.open(req)
        do {
            req.flash(try await action(found))
            return req.redirect(to: SiteURL.assessment(found.id).path)
        } catch let errors as FormErrors {
            let requests = try await AssessmentStore.requests(of: found.id, on: req.db)
            return AssessmentPages.casePage(
                found, requests: requests, assessors: try await AssessmentStore.assessors(on: req.db),
                errors: errors, now: req.application.now(), context: req.pageContext(),
                posted: req.urlEncodedPairs.map { pairs in
                    Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
                }
            ).response(status: .unprocessableEntity)
        }
    }

    struct ScreeningForm: Content {
        var outcome: String?
        var reason: String?
    }

    @Sendable static func screen(req: Request) async throws -> Response {
        try await act(req) { found in
            let form = try req.content.decode(ScreeningForm.self)
            return try await AssessmentActions.screen(found, outcome: form.outcome, reason: form.reason, req: req)
        }
    }

    struct AssignForm: Content {
        var assessorID: UUID?
        var lead: String?
    }

    @Sendable static func assign(req: Request) async throws -> Response {
        try await act(req) { found in
            let form = try req.content.decode(AssignForm.self)
            return try await AssessmentActions.assign(
                found, assessorID: form.assessorID, lead: form.lead == "true", req: req)
        }
    }

    struct SpreadForm: Content {
        var perApplication: String?
    }

    @Sendable static func spread(req: Request) async throws -> Response {
        let (user, assessment) = try await AssessmentCase.openCall(req)
        let form = try req.content.decode(SpreadForm.self)
        req.flash(
            try await AssessmentActions.spread(assessment, perApplication: form.perApplication, by: user, req: req))
        return req.redirect(to: SiteURL.callAssessment(try assessment.call.requireID()).path)
    }

    struct DeclarationForm: Content {
        var declaration: String?
        var note: String?
    }

    @Sendable static func declare(req: Request) async throws -> Response {
        try await act(req) { found in
            let form = try req.content.decode(DeclarationForm.self)
            return try await AssessmentActions.declare(
                found, declaration: form.declaration, note: form.note, req: req)
        }
    }

    struct ScoreForm: Content {
        var score: [String: String]?
        var justification: [String: String]?

        var typed: AssessmentActions.TypedScores {
            AssessmentActions.TypedScores(score: score ?? [:], justification: justification ?? [:])
        }
    }

    @Sendable static func score(req: Request) async throws -> Response {
        try await act(req) { found in
            try await AssessmentActions.score(found, try req.content.decode(ScoreForm.self).typed, req: req)
        }
    }

    /// The consensus form's fields have their own names, so they never clash with the lead's own scores.
    struct ConsensusForm: Content {
        var consensusScore: [String: String]?
        var consensusJustification: [String: String]?

        var typed: AssessmentActions.TypedScores {
            AssessmentActions.TypedScores(score: consensusScore ?? [:], justification: consensusJustification ?? [:])
        }
    }

    @Sendable static func recordConsensus(req: Request) async throws -> Response {
        try await act(req) { found in
            try await AssessmentActions.recordConsensus(
                found, try req.content.decode(ConsensusForm.self).typed, req: req)
        }
    }

    struct InformationRequestForm: Content {
        var question: String?
        var replyBy: String?
    }

    @Sendable static func requestInformation(req: Request) async throws -> Response {
        try await act(req) { found in
            let form = try req.content.decode(InformationRequestForm.self)
            return try await AssessmentActions.requestInformation(
                found, question: form.question, replyBy: form.replyBy, req: req)
        }
    }

    struct AnswerForm: Content {
        var answer: String?
    }

    /// The applicant answers a request in their case.
    @Sendable static func answerInformation(req: Request) async throws -> Response {
        let loaded = try await ApplicationCase.open(req, withCase: false)
        let user = try req.requireUser()
        let message = try await AssessmentActions.answerInformation(
            req.parameters.get("requestID", as: UUID.self), answer: try req.content.decode(AnswerForm.self).answer,
            in: loaded, by: user, req: req)
        req.flash(message)
        return req.redirect(to: SiteURL.application(try loaded.application.requireID()).path)
    }
}
