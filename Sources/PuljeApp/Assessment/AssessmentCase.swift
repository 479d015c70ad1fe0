import Foundation
import PuljeDomain
import Vapor

/// One application in assessment, as the user may see it: the model of the assessment case page.
struct AssessmentCase {
    var user: CurrentUser
    var assessment: CallAssessment
    var application: ApplicationRecord
    var id: UUID
    /// The user's own assignment, if they are an assessor on it.
    var assignment: AssessorAssignmentRecord?

    /// What the user may do with the application (`CaseAccess`): an assessor must declare first.
    var access: CaseAccess {
        CaseAccess.of(
            user.actor, ownOrganisation: application.$organisation.id == user.organisationID, writesOnIt: false,
            status: application.applicationStatus,
            assignment: assignment.map { .assigned($0.conflictDeclaration) } ?? .notAssigned)
    }
    var mayReadContent: Bool { access.mayRead }
    /// What the case page and the API show the user, one rule for both: the screening, information requests
    /// and the link to the application to whoever may read it; the assessors to staff; one's own scores to an
    /// assessor who declared no conflict, once the application is screened in; the consensus to staff and
    /// the lead.
    var showsAssessors: Bool { mayReadContent && user.seesAllAssessments }
    var showsOwnScores: Bool { mayReadContent && assignment?.access == .open && assessment.screenedIn(id) }
    var showsConsensus: Bool { mayReadContent && (user.seesAllAssessments || isLead) }
    var isLead: Bool {
        guard let assignment else { return false }
        return assessment.lead(id)?.id == assignment.id && assignment.access == .open
    }
}

extension AssessmentCase {
    /// A call whose applications the user may see in assessment: only after the deadline, only agency staff.
    static func openCall(_ req: Request) async throws -> (CurrentUser, CallAssessment) {
        let user = try req.requireUser()
        guard user.seesAllAssessments || user.isAssessor else { throw PuljeError(.notFound, "Siden findes ikke.") }
        let call = try await CallStore.visible(req)
        let assessment = try await CallAssessment.load(call, on: req.db)
        try requireDeadlinePassed(assessment.rules, now: req.application.now())
        return (user, assessment)
    }

    static func requireDeadlinePassed(_ rules: CallRules, now: Date) throws {
        guard let deadline = rules.deadline, !deadline.isOpen(at: now) else {
            let when = rules.deadline.map { " Fristen er \($0.danishText)." } ?? ""
            throw PuljeError(
                .forbidden, "Ansøgningerne kan først ses og vurderes, når ansøgningsfristen er udløbet.\(when)")
        }
    }

    /// Staff see every submitted application of a closed call; an assessor only those assigned to them.
    /// Anyone else gets 404, so nobody learns what exists.
    static func open(_ req: Request) async throws -> AssessmentCase {
        let user = try req.requireUser()
        guard user.seesAllAssessments || user.isAssessor,
            let id = req.parameters.get("applicationID", as: UUID.self),
            let record = try await AssessmentStore.applicationWithCall(id, on: req.db),
            CallAssessment.assessedStatuses.contains(record.applicationStatus)
        else { throw PuljeError(.notFound, "Ansøgningen findes ikke.") }
        let assessment = try await CallAssessment.load(record.call, on: req.db)
        try requireDeadlinePassed(assessment.rules, now: req.application.now())
        guard let application = assessment.application(id) else {
            throw PuljeError(.notFound, "Ansøgningen findes ikke.")
        }
        let assignment = assessment.assignments[id]?.first { $0.$assessor.id == user.id }
        let found = AssessmentCase(
            user: user, assessment: assessment, application: application, id: id, assignment: assignment)
        // The case page opens for an assessor who must still declare: the declaration is made there.
        guard found.access != .none else { throw PuljeError(.notFound, "Ansøgningen findes ikke.") }
        return found
    }

    /// Once the decision is approved, nothing in the assessment changes.
    static func requireNoDecision(_ assessment: CallAssessment) throws {
        if assessment.decision?.decisionStatus == .approved {
            throw PuljeError(.conflict, "Afgørelsen er godkendt; vurderingen kan ikke længere ændres.")
        }
    }
}
