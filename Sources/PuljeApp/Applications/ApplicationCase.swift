import Foundation
import PuljeDomain
import Vapor

/// An application with what its pages need around it: the model the case page, the receipt, the exports and
/// the API are built from. Built by `open` (which asks `CaseAccess`) or, in tests, from a fixture.
struct ApplicationCase {
    var application: ApplicationRecord
    var call: CallRecord
    var rules: CallRules
    var contributors: [UserRecord]
    var responsible: UserRecord
    /// The user may change it (and it is a draft).
    var canWrite: Bool
    var isResponsible: Bool
    var messages: [ApplicationMessageRecord]
    var attachments: [ApplicationAttachmentRecord]
    /// Requests for more information, letters and (after the decision) the assessment summary.
    var outcome: CaseOutcome? = nil

    /// Opens the application of the request's path that the user may see: their own organisation's (as
    /// responsible or contributor to write, as any municipal user to read), a submitted one for agency staff,
    /// an assigned one for an assessor who has declared. Anything else is 404, so that nobody learns whether
    /// another organisation's application exists. `withCase` also loads messages, files and the outcome.
    static func open(_ req: Request, withCase: Bool = true) async throws -> ApplicationCase {
        let user = try req.requireUser()
        guard let id = req.parameters.get("applicationID", as: UUID.self),
            let application = try await ApplicationCaseStore.application(id, on: req.db)
        else { throw PuljeError(.notFound, "Ansøgningen findes ikke.") }
        let own = application.$organisation.id == user.organisationID
        let contributors = try await ApplicationCaseStore.contributors(of: id, on: req.db)
        let isResponsible = application.$responsible.id == user.id
        let isContributor = isResponsible || contributors.contains { $0.id == user.id }
        var assignment = CaseAccess.Assignment.notAssigned
        if !own && !user.may(.readAllApplications, ownedBy: application.$organisation.id) {
            assignment = try await ApplicationCaseStore.assignment(of: user.id, on: id, on: req.db)
        }
        let access = CaseAccess.of(
            user.actor, ownOrganisation: own, writesOnIt: isContributor, status: application.applicationStatus,
            assignment: assignment)
        if let refusal = access.danishRefusal { throw PuljeError(.forbidden, refusal) }
        guard access.mayRead else { throw PuljeError(.notFound, "Ansøgningen findes ikke.") }
        return ApplicationCase(
            application: application, call: application.call,
            rules: try await ApplicationCaseStore.rules(of: application, call: application.call, on: req.db),
            contributors: contributors, responsible: application.responsible, canWrite: access.mayWrite,
            isResponsible: isResponsible,
            messages: withCase ? try await ApplicationCaseStore.messages(of: id, on: req.db) : [],
            attachments: withCase ? try await ApplicationCaseStore.attachments(of: id, on: req.db) : [],
            outcome: withCase ? try await ApplicationCaseStore.outcome(of: id, on: req.db) : nil)
    }
}

extension ApplicationCase {
    /// What would be submitted now: the saved content with the attachments as they are in the case.
    func contentToSubmit() throws -> ApplicationContent {
        var content = try application.content()
        content.attachments = attachments.map(\.reference)
        return content
    }

    /// Everything that stands in the way of submitting what is saved, each at its field: what was typed
    /// but could not be read, what is incomplete (`SubmissionCheck`), and a missing or outdated approval.
    func submissionProblems() throws -> [ApplicationProblem] {
        let unread = application.unreadInput()?.read().errors.messages.map { ApplicationProblem($0.field, $0.message) }
        let approval = ApplicationApproval.problem(
            rules: rules, approval: application.approval, currentVersion: application.version)
        return (unread ?? []) + SubmissionCheck.problems(try contentToSubmit(), rules: rules)
            + [approval].compactMap { $0 }
    }

    /// The form's sections with what is missing in each.
    func progress() throws -> ApplicationProgress {
        ApplicationProgress(sections: ApplicationSection.of(rules), problems: try submissionProblems())
    }
}

extension Request {
    /// The step of the form in steps that a form was posted from (its action's `?afsnit=`), as the path to
    /// return to. Only a section's name is read, so nothing else can be redirected to.
    func applicationStep(_ id: UUID) -> String? {
        (try? query.get(String.self, at: "afsnit")).flatMap(ApplicationSection.init(rawValue:)).map {
            SiteURL.applicationStep(id, $0).path
        }
    }
}
