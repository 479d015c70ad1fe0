import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// Portfolio selection, the four-eyes decision, the letters and their templates.
enum DecisionController {
    @Sendable static func portfolio(req: Request) async throws -> Response {
        let (user, assessment) = try await AssessmentCase.openCall(req)
        guard user.seesAllAssessments else { throw PuljeError(.notFound, "Siden findes ikke.") }
        return DecisionPages.portfolio(
            assessment, portfolio: assessment.portfolio(), user: user, errors: FormErrors(),
            context: req.pageContext()
        ).response(status: .ok)
    }

    /// Runs a change to the call's selection or decision and goes back to the portfolio page; field errors
    /// show the page again with what was typed.
    static func act(
        _ req: Request, posted: (OverrideForm?, ProposeForm?),
        _ action: (CurrentUser, CallAssessment) async throws -> String
    ) async throws -> Response {
        let (user, assessment) = try await AssessmentCase.openCall(req)
        do {
            req.flash(try await action(user, assessment))
            return req.redirect(to: SiteURL.portfolio(try assessment.call.requireID()).path)
        } catch let errors as FormErrors {
            return DecisionPages.portfolio(
                assessment, portfolio: assessment.portfolio(), user: user, errors: errors, context: req.pageContext(),
                posted: posted.0, proposed: posted.1
            ).response(status: .unprocessableEntity)
        }
    }

    /// Staff adjust the proposal for one application (`DecisionActions.adjust`).
    @Sendable static func adjust(req: Request) async throws -> Response {
        let form = try req.content.decode(OverrideForm.self)
        return try await act(req, posted: (form, nil)) { user, assessment in
            try await DecisionActions.adjust(assessment, form, by: user, req: req)
        }
    }

    /// A programme manager proposes the current selection as the decision (`DecisionActions.propose`).
    @Sendable static func propose(req: Request) async throws -> Response {
        let form = try req.content.decode(ProposeForm.self)
        return try await act(req, posted: (nil, form)) { user, assessment in
            try await DecisionActions.propose(assessment, form, by: user, req: req)
        }
    }

    /// A director approves the proposal (never the one who proposed it). Approval sets every application's
    /// outcome, writes the letters from the templates into the cases and sends them by e-mail.
    @Sendable static func approve(req: Request) async throws -> Response {
        let (user, assessment) = try await AssessmentCase.openCall(req)
        let count = try await DecisionActions.approve(assessment, by: user, req: req)
        req.flash("Afgørelsen er godkendt. \(DanishCount.of(count, "brev", "breve")) er lagt i sagerne og sendt.")
        return req.redirect(to: SiteURL.portfolio(try assessment.call.requireID()).path)
    }

    // MARK: Letters

    @Sendable static func letter(req: Request) async throws -> Response {
        let loaded = try await ApplicationCase.open(req, withCase: false)
        guard let letterID = req.parameters.get("letterID", as: UUID.self),
            let letter = try await DecisionStore.letter(letterID, of: loaded.application.requireID(), on: req.db)
        else { throw PuljeError(.notFound, "Brevet findes ikke.") }
        return DecisionPages.letter(
            letter, applicationID: try loaded.application.requireID(), callTitle: loaded.call.title,
            recipient: loaded.application.organisation.name,
            submissionNumber: loaded.application.submissionNumber ?? "", context: req.pageContext()
        ).response(status: .ok)
    }

    // MARK: Templates

    @Sendable static func templates(req: Request) async throws -> Response {
        let user = try req.authorize(.editLetterTemplates)
        return DecisionPages.templates(
            try await LetterTemplates.current(on: req.db), user: user, errors: FormErrors(),
            context: req.pageContext()
        ).response(status: .ok)
    }

    /// Saves the templates posted (one field per kind, named by the kind).
    @Sendable static func saveTemplates(req: Request) async throws -> Response {
        let user = try req.authorize(.editLetterTemplates)
        let posted = req.formFields
        do {
            req.flash(try await DecisionActions.saveTemplates(posted, by: user, req: req))
            return req.redirect(to: SiteURL.letterTemplates.path)
        } catch let refused as DecisionActions.TemplateErrors {
            return DecisionPages.templates(
                refused.templates, user: user, errors: refused.errors, context: req.pageContext()
            ).response(status: .unprocessableEntity)
        }
    }
}
