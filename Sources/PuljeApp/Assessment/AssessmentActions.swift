import Foundation
import PuljeDomain
import Vapor

/// The assessment's use cases shared beyond one handler.
enum AssessmentActions {
    /// Staff ask the applicant for more information: recorded in the case, the application's status moves
    /// to "more information requested", and the applicant's people are e-mailed. The problems of the
    /// request as typed (nothing is sent then), or none.
    static func requestInformation(
        _ question: String, replyBy typed: String, in found: AssessmentCase, req: Request
    ) async throws -> [ApplicationProblem] {
        guard found.user.may(.manageAssessment, ownedBy: found.application.$organisation.id) else {
            throw PuljeError(.forbidden, "Du har ikke adgang til at bede om yderligere oplysninger.")
        }
        try AssessmentCase.requireNoDecision(found.assessment)
        let now = req.application.now()
        let problems = InformationRequestRules.problems(question: question, replyBy: typed, at: now)
        guard problems.isEmpty else { return problems }
        let replyBy = CalendarDate(parsing: typed)?.iso ?? ""
        let id = found.id
        let user = found.user
        let application = found.application
        let recipients = try await ApplicationCaseStore.recipients(of: application, on: req.db)
        let link = req.application.config.publicURL + SiteURL.application(id).path
        let title = found.assessment.call.title
        try await req.writeTransaction { db in
            try await AssessmentStore.requestInformation(
                question, replyBy: replyBy, of: id, by: user.name, at: now, on: db)
            // A second request while one is open leaves the status as it is.
            _ = try await ApplicationStore.move(id, .requestInformation, on: db)
            try await AuditLog.record(
                .informationRequest, subject: .application(id),
                summary: "Yderligere oplysninger ønsket senest \(replyBy).", by: user, on: db, request: req)
            try await Outbox.enqueue(
                to: recipients,
                subject: "Styrelsen beder om yderligere oplysninger (\(application.submissionNumber ?? ""))",
                body: """
                    Styrelsen beder om yderligere oplysninger til jeres ansøgning til "\(title)" (\(application.submissionNumber ?? "")):

                    \(question)

                    Svar senest \(CalendarDate.dueText(ofStored: replyBy)) i Pulje: \(link)

                    Selve ansøgningen forbliver, som den blev indsendt; svaret gemmes som et særskilt dokument i sagen.
                    """, kind: "information-request", at: now, on: db)
        }
        return []
    }
}
