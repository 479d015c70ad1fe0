import Foundation
import PuljeDomain
import Vapor

/// What the front page shows a signed-in user: what waits for them. Built by `load`, or from a fixture.
struct HomeModel {
    struct Task: Equatable {
        var text: String
        var url: String
    }

    var initiativeCount: Int
    /// The municipality's drafts, soonest deadline first.
    var drafts: [MyCasesPage.Row] = []
    /// Drafts waiting for this signatory's approval.
    var approvals: [MyCasesPage.Row] = []
    /// The agency's work: screenings, assessments and decisions waiting.
    var tasks: [Task] = []

    static let shown = 10

    static func load(_ req: Request, initiativeCount: Int) async throws -> HomeModel {
        var model = HomeModel(initiativeCount: initiativeCount)
        guard let user = req.currentUser else { return model }
        let now = req.application.now()
        if user.may(.writeApplication) {
            let drafts = try await HomeStore.drafts(of: user.organisationID, on: req.db)
            model.drafts = drafts.prefix(shown).map { MyCasesPage.row($0, now: now) }
            if user.may(.approveApplication) {
                // A call whose rules cannot be read is left out here rather than taking the front page down.
                model.approvals = drafts.filter { draft in
                    guard let rules = try? draft.call.rules() else { return false }
                    return rules.deadline?.isOpen(at: now) == true
                        && ApplicationApproval.problem(
                            rules: rules, approval: draft.approval, currentVersion: draft.version) != nil
                }.map { MyCasesPage.row($0, now: now) }
            }
        }
        if user.may(.screenApplications) {
            let waiting = try await HomeStore.inAssessment(at: now, on: req.db)
            let screened = try await HomeStore.screened(waiting.compactMap(\.id), on: req.db)
            let unscreened = Dictionary(grouping: waiting.filter { !screened.contains($0.id!) }) { $0.$call.id }
            for (callID, applications) in unscreened.sorted(by: { $0.value[0].call.title < $1.value[0].call.title }) {
                model.tasks.append(
                    Task(
                        text:
                            "\(applications[0].call.title): \(DanishCount.of(applications.count, "ansøgning venter", "ansøgninger venter")) på screening",
                        url: SiteURL.callAssessment(callID).path))
            }
        }
        if user.may(.approveDecision) {
            for decision in try await HomeStore.proposedDecisions(on: req.db) where decision.proposedByID != user.id {
                model.tasks.append(
                    Task(
                        text: "\(decision.call.title): indstillingen fra \(decision.proposedBy) venter på godkendelse",
                        url: SiteURL.portfolio(decision.$call.id).path))
            }
        }
        if user.isAssessor {
            let scored = try await HomeStore.scored(by: user.id, on: req.db)
            for assignment in try await HomeStore.assignments(of: user.id, on: req.db) {
                let application = assignment.application
                guard application.call.deadlineAt.map({ $0 <= now }) == true,
                    CallAssessment.assessedStatuses.contains(application.applicationStatus),
                    application.applicationStatus != .awarded, application.applicationStatus != .rejected
                else { continue }
                let what = "\(application.organisation.name) til \(application.call.title)"
                let url = SiteURL.assessment(assignment.$application.id).path
                switch assignment.conflictDeclaration {
                case nil: model.tasks.append(Task(text: "Afgiv habilitetserklæring: \(what)", url: url))
                case .noConflict where !scored.contains(assignment.$application.id):
                    model.tasks.append(Task(text: "Giv point: \(what)", url: url))
                default: break
                }
            }
        }
        return model
    }
}
