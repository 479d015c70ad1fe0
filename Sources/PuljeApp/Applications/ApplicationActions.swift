import Fluent
import Foundation
import PuljeDomain
import Vapor

/// The rules of starting and submitting an application, shared by the pages and the API.
enum ApplicationActions {
    /// The refusal for changing what one may not: a submitted application, or one the user does not write on.
    static let notWritable = PuljeError(
        .forbidden, "Du kan ikke ændre denne ansøgning. Kun kladder kan ændres, og kun af dem, der er tilknyttet den.")

    /// Starts an application for the user's organisation, or returns the one it already has.
    static func start(
        call: CallRecord, user: CurrentUser, req: Request
    ) async throws -> (ApplicationRecord, created: Bool) {
        let rules = try call.rules()
        let callID = try call.requireID()
        if let existing = try await CallStore.application(to: callID, from: user.organisationID, on: req.db) {
            return (existing, false)
        }
        let now = req.application.now()
        guard CallPhase.acceptsApplications(status: call.callStatus, rules: rules, at: now) else {
            throw PuljeError(.conflict, "Puljen er ikke åben for ansøgninger.")
        }
        guard rules.applicantKinds.contains(user.organisationKind) else {
            throw PuljeError(.forbidden, "\(user.organisationName) hører ikke til puljens ansøgerkreds.")
        }
        let application = ApplicationRecord()
        application.$call.id = callID
        application.$organisation.id = user.organisationID
        application.$responsible.id = user.id
        application.status = ApplicationStatus.draft.rawValue
        application.version = 1
        application.saveToken = UUID()
        application.contentJSON = ApplicationStore.encode(
            ApplicationContent(contacts: [ContactPerson(name: user.name, email: user.email)]))
        application.lastSavedAt = now
        application.lastSavedBy = user.name
        try await req.writeTransaction { db in
            try await ApplicationStore.create(application, on: db)
            try await AuditLog.record(
                .applicationCreate, subject: .application(try application.requireID()),
                summary: "Ansøgning til \"\(call.title)\" påbegyndt for \(user.organisationName).", by: user, on: db,
                request: req)
        }
        return (application, true)
    }

    enum SubmitOutcome {
        case submitted(ApplicationRecord)
        case alreadySubmitted(ApplicationRecord)
        case refused([ApplicationProblem], HTTPStatus)
    }

    /// Submits what is saved: only the responsible person, only before the deadline by the server's clock,
    /// only from the version the user saw, only when complete. A repeat gives the first submission.
    static func submit(
        _ loaded: ApplicationCase, version: Int?, user: CurrentUser, at now: Date, req: Request
    ) async throws -> SubmitOutcome {
        let application = loaded.application
        let id = try application.requireID()
        if application.applicationStatus == .submitted, application.$organisation.id == user.organisationID {
            return .alreadySubmitted(application)
        }
        guard loaded.canWrite else { throw PuljeError(.forbidden, "Ansøgningen kan ikke indsendes.") }
        guard loaded.isResponsible, user.may(.submitApplication, ownedBy: application.$organisation.id) else {
            throw PuljeError(
                .forbidden, "Kun den ansvarlige for ansøgningen, \(loaded.responsible.name), kan indsende den.")
        }
        guard let deadline = loaded.rules.deadline, deadline.isOpen(at: now) else {
            return .refused(
                [
                    ApplicationProblem(
                        "deadline",
                        "Fristen udløb \(loaded.rules.deadline?.danishText ?? ""). Efter fristen er det ikke muligt at indsende ansøgninger. Kladden kan stadig læses."
                    )
                ],
                .forbidden)
        }
        let content = try loaded.contentToSubmit()
        let problems = try loaded.submissionProblems()
        guard version == application.version else {
            // Say what is missing too, so the next attempt is the last.
            return .refused(
                [
                    ApplicationProblem(
                        "version",
                        "Ansøgningen er gemt igen, siden siden blev vist (senest af \(application.lastSavedBy) \(DanishTime.dateTimeWithSeconds(application.lastSavedAt))). Gennemse den, og indsend igen."
                    )
                ] + problems,
                .conflict)
        }
        guard problems.isEmpty else { return .refused(problems, .unprocessableEntity) }
        let recipients = ([loaded.responsible] + loaded.contributors).map(\.email)
        let publicURL = req.application.config.publicURL
        let outcome = try await req.writeTransaction { db -> ApplicationStore.Outcome in
            let outcome = try await ApplicationStore.submit(
                id, fromVersion: application.version, content: content, callVersion: loaded.call.version,
                by: "\(user.name) <\(user.email)>", at: now, on: db)
            if case .done(let record) = outcome {
                try await AuditLog.record(
                    .applicationSubmit, subject: .application(id),
                    summary:
                        "Indsendt som \(record.submissionNumber ?? "") \(DanishTime.dateTimeWithSeconds(now)); SHA-256 \(record.digest ?? "").",
                    by: user, on: db, request: req)
                try await Outbox.enqueue(
                    to: recipients, subject: "Kvittering: ansøgning \(record.submissionNumber ?? "") er modtaget",
                    body: ReceiptMail.body(record, call: loaded.call, publicURL: publicURL), kind: "receipt", at: now,
                    on: db)
            }
            return outcome
        }
        switch outcome {
        case .done(let record):
            return .submitted(record)
        case .conflict(let current):
            if current.applicationStatus == .submitted { return .alreadySubmitted(current) }
            return .refused(
                [
                    ApplicationProblem(
                        "version", "Ansøgningen blev ændret i samme øjeblik. Gennemse den, og indsend igen.")
                ], .conflict)
        }
    }

    /// Withdraws a draft or a submitted application; only the responsible person, only before the deadline.
    static func withdraw(_ loaded: ApplicationCase, user: CurrentUser, req: Request) async throws {
        let id = try loaded.application.requireID()
        guard loaded.application.$organisation.id == user.organisationID, loaded.isResponsible,
            [.draft, .submitted].contains(loaded.application.applicationStatus)
        else {
            throw PuljeError(
                .forbidden, "Kun den ansvarlige kan trække ansøgningen tilbage, og kun indtil fristen.")
        }
        guard let deadline = loaded.rules.deadline, deadline.isOpen(at: req.application.now()) else {
            throw PuljeError(
                .forbidden, "Fristen er udløbet; ansøgningen kan ikke længere trækkes tilbage her. Skriv til styrelsen."
            )
        }
        _ = try await ApplicationStore.withdraw(id, at: req.application.now(), on: req.db)
        try await AuditLog.record(
            .applicationWithdraw, subject: .application(id), summary: "Ansøgningen er trukket tilbage.", by: user,
            on: req.db, request: req)
    }
}

enum ReceiptMail {
    static func body(_ record: ApplicationRecord, call: CallRecord, publicURL: String) -> String {
        """
        Kvittering for ansøgning

        Jeres ansøgning til puljen "\(call.title)" er modtaget.

        Ansøgningsnummer: \(record.submissionNumber ?? "")
        Modtaget: \(record.submittedAt.map(DanishTime.dateTimeWithSeconds) ?? "") (dansk tid)
        Indsendt af: \(record.submittedBy ?? "")
        Kontrolsum (SHA-256): \(record.digest ?? "")

        Kvitteringen: \(publicURL)\(SiteURL.receipt(record.id!).path)

        Kontrolsummen er beregnet ud fra det indsendte indhold og viser, at det ikke er ændret siden.
        Denne e-mail er sendt automatisk af Pulje.
        """
    }
}
