import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// The assessment's use cases: each asks the domain, writes in one transaction through the write path with
/// its audit entry and e-mails, and returns the message for the user. Field errors are thrown as
/// `FormErrors` (nothing is saved then); other refusals as `PuljeError`.
enum AssessmentActions {
    // MARK: Screening

    /// Staff screen a submitted application: it goes on to assessment, or is screened out with a reason.
    static func screen(
        _ found: AssessmentCase, outcome typed: String?, reason typedReason: String?, req: Request
    ) async throws -> String {
        guard found.user.may(.screenApplications, ownedBy: found.application.$organisation.id) else {
            throw PuljeError(.forbidden, "Kun tilskudsforvaltningen screener ansøgninger.")
        }
        try AssessmentCase.requireNoDecision(found.assessment)
        let checks = try FormalScreening.checks(
            found.assessment.submittedContent(found.application),
            applicantKind: found.application.organisation.organisationKind,
            rules: await ApplicationCaseStore.rules(of: found.application, call: found.assessment.call, on: req.db))
        let reason = (typedReason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let outcome = typed.flatMap(ScreeningOutcome.init(rawValue:)) else {
            throw FormErrors("outcome", "Vælg, om ansøgningen går videre eller frasorteres.")
        }
        if let problem = ScreeningDecisionCheck.problem(outcome: outcome, reason: reason, checks: checks) {
            throw FormErrors("reason", problem)
        }
        let id = found.id
        let user = found.user
        let now = req.application.now()
        let checksJSON = String(decoding: try JSONEncoder().encode(checks), as: UTF8.self)
        try await req.writeTransaction { db in
            try await AssessmentStore.saveScreening(
                of: id, outcome: outcome, reason: reason, checksJSON: checksJSON, by: user.name, at: now, on: db)
            // Screened in: under assessment. Screened out: stays submitted until the decision rejects it.
            _ = try await ApplicationStore.move(id, outcome == .passed ? .screenIn : .screenOut, on: db)
            try await AuditLog.record(
                .screening, subject: .application(id),
                summary: "Screening: \(outcome.danishName)" + (reason.isEmpty ? "." : ". Begrundelse: \(reason)"),
                by: user, on: db, request: req)
        }
        return "Screeningen er gemt: \(outcome.danishName)."
    }

    // MARK: Assessors

    /// Staff assign one assessor (perhaps as the lead) to an application; the assessor is e-mailed.
    static func assign(
        _ found: AssessmentCase, assessorID: UUID?, lead: Bool, req: Request
    ) async throws -> String {
        guard found.user.may(.manageAssessment, ownedBy: found.application.$organisation.id) else {
            throw PuljeError(.forbidden, "Du har ikke adgang til at tildele bedømmere.")
        }
        try AssessmentCase.requireNoDecision(found.assessment)
        let assessors = try await AssessmentStore.assessors(on: req.db)
        guard let assessor = assessors.first(where: { $0.id == assessorID }) else {
            throw FormErrors("assessorID", "Vælg en bedømmer.")
        }
        if found.assessment.assignments[found.id]?.contains(where: { $0.$assessor.id == assessor.id }) == true {
            throw FormErrors("assessorID", "\(assessor.name) er allerede bedømmer på ansøgningen.")
        }
        let id = found.id
        let user = found.user
        let now = req.application.now()
        try await req.writeTransaction { db in
            try await AssessmentStore.assign(
                try assessor.requireID(), to: id, lead: lead, by: user.name, at: now, on: db)
            try await AuditLog.record(
                .assessorAssign, subject: .application(id),
                summary: "\(assessor.name) er tildelt som \(lead ? "ledende " : "")bedømmer.", by: user, on: db,
                request: req)
            let notice = StaffNotices.assigned(
                [(found.application.organisation.name, req.application.config.publicURL + SiteURL.assessment(id).path)],
                call: found.assessment.call.title, to: assessor.email)
            try await Outbox.enqueue(
                to: notice.to, subject: notice.subject, body: notice.body, kind: "assessor-assigned", at: now, on: db)
        }
        return "\(assessor.name) er tildelt ansøgningen."
    }

    /// Gives every screened-in application the number of assessors asked for, spread evenly
    /// (`AssessorSpread`), never to an assessor who declared a conflict; each assessor gets one e-mail.
    static func spread(
        _ assessment: CallAssessment, perApplication typed: String?, by user: CurrentUser, req: Request
    ) async throws -> String {
        guard user.may(.manageAssessment) else {
            throw PuljeError(.forbidden, "Du har ikke adgang til at tildele bedømmere.")
        }
        try AssessmentCase.requireNoDecision(assessment)
        guard let per = Int((typed ?? "").trimmingCharacters(in: .whitespaces)), (1...10).contains(per) else {
            throw PuljeError(.unprocessableEntity, "Antal bedømmere pr. ansøgning skal være et helt tal fra 1 til 10.")
        }
        let assessors = try await AssessmentStore.assessors(on: req.db)
        guard !assessors.isEmpty else {
            throw PuljeError(.unprocessableEntity, "Der er ingen brugere med rollen bedømmer.")
        }
        let targets = try assessment.applications.map { try $0.requireID() }.filter(assessment.screenedIn)
        guard !targets.isEmpty else {
            throw PuljeError(.unprocessableEntity, "Ingen ansøgninger er screenet til vurdering endnu.")
        }
        var existing: [UUID: Set<UUID>] = [:]
        var conflicts: [UUID: Set<UUID>] = [:]
        for key in targets {
            for assignment in assessment.assignments[key] ?? [] {
                existing[key, default: []].insert(assignment.$assessor.id)
                if assignment.conflictDeclaration == .conflict {
                    conflicts[key, default: []].insert(assignment.$assessor.id)
                }
            }
        }
        let plan = AssessorSpread.spread(
            applications: targets, assessors: try assessors.map { try $0.requireID() },
            perApplication: per, existing: existing, conflicts: conflicts)
        let names = Dictionary(uniqueKeysWithValues: try assessors.map { (try $0.requireID(), $0.name) })
        let hasLead = Set(targets.filter { assessment.lead($0) != nil })
        let now = req.application.now()
        let callID = try assessment.call.requireID()
        let base = req.application.config.publicURL
        try await req.writeTransaction { db in
            var leadGiven = hasLead
            for item in plan {
                let lead = leadGiven.insert(item.applicationID).inserted
                try await AssessmentStore.assign(
                    item.assessorID, to: item.applicationID, lead: lead, by: user.name, at: now, on: db)
                try await AuditLog.record(
                    .assessorAssign, subject: .application(item.applicationID),
                    summary:
                        "\(names[item.assessorID] ?? "") er tildelt som \(lead ? "ledende " : "")bedømmer (jævn fordeling).",
                    by: user, on: db, request: req)
            }
            for (assessorID, items) in Dictionary(grouping: plan, by: \.assessorID) {
                guard let email = assessors.first(where: { $0.id == assessorID })?.email else { continue }
                let cases = items.compactMap { item -> (organisation: String, link: String)? in
                    guard let application = assessment.application(item.applicationID) else { return nil }
                    return (application.organisation.name, base + SiteURL.assessment(item.applicationID).path)
                }
                let notice = StaffNotices.assigned(cases, call: assessment.call.title, to: email)
                try await Outbox.enqueue(
                    to: notice.to, subject: notice.subject, body: notice.body, kind: "assessor-assigned", at: now,
                    on: db)
            }
            try await AuditLog.record(
                .assessorSpread, subject: .call(callID),
                summary:
                    "Bedømmere fordelt jævnt: \(per) pr. ansøgning, \(DanishCount.of(plan.count, "ny tildeling", "nye tildelinger")).",
                by: user, on: db, request: req)
        }
        return plan.isEmpty
            ? "Alle ansøgninger har allerede \(per) bedømmere uden interessekonflikt."
            : "\(DanishCount.of(plan.count, "tildeling", "tildelinger")) er lavet, så hver ansøgning har \(per) bedømmere, hvor det er muligt."
    }

    // MARK: Conflict of interest

    /// The assessor declares before they can open the application; a conflict removes them from it.
    /// A declaration is kept as made: it cannot be changed afterwards.
    static func declare(
        _ found: AssessmentCase, declaration typed: String?, note typedNote: String?, req: Request
    ) async throws -> String {
        guard let assignment = found.assignment else {
            throw PuljeError(.forbidden, "Kun bedømmere på ansøgningen afgiver habilitetserklæring.")
        }
        guard assignment.conflictDeclaration == nil else {
            throw PuljeError(.conflict, "Du har allerede afgivet din erklæring; den kan ikke ændres.")
        }
        guard let declaration = typed.flatMap(ConflictDeclaration.init(rawValue:)) else {
            throw FormErrors("declaration", "Vælg, om du er habil eller inhabil.")
        }
        let note = (typedNote ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if declaration == .conflict && note.isEmpty {
            throw FormErrors("note", "Skriv kort, hvori interessekonflikten består. Erklæringen gemmes.")
        }
        let id = found.id
        let user = found.user
        let now = req.application.now()
        let assignmentID = try assignment.requireID()
        try await req.writeTransaction { db in
            try await AssessmentStore.declare(
                declaration, note: note, on: assignmentID,
                keepLead: declaration == .conflict ? false : assignment.isLead, at: now, on: db)
            try await AuditLog.record(
                .conflictDeclaration, subject: .application(id),
                summary: "\(user.name): \(declaration.danishName)" + (note.isEmpty ? "." : ". \(note)"), by: user,
                on: db, request: req)
        }
        return declaration == .conflict
            ? "Du har erklæret dig inhabil og er fjernet fra ansøgningen. Tilskudsforvaltningen tildeler en anden bedømmer."
            : "Tak. Du kan nu læse og bedømme ansøgningen."
    }

    // MARK: Scores and consensus

    /// Scores as typed, by criterion id: the score's text and the justification.
    struct TypedScores {
        var score: [String: String]
        var justification: [String: String]
    }

    /// The scores typed for the call's criteria, or the problem with each (named by `field`[criterion]).
    static func parseScores(
        _ typed: TypedScores, rules: CallRules, field: String
    ) throws(FormErrors) -> [String: CriterionScore] {
        var scores: [String: CriterionScore] = [:]
        for criterion in rules.criteria {
            if let text = typed.score[criterion.id], let value = DanishScore.parse(text) {
                scores[criterion.id] = CriterionScore(
                    criterionID: criterion.id, score: value,
                    justification: (typed.justification[criterion.id] ?? "").trimmingCharacters(
                        in: .whitespacesAndNewlines))
            }
        }
        var errors = FormErrors()
        let problems = ScoreCheck.problems(scores, criteria: rules.criteria, scale: rules.scale)
        for criterion in rules.criteria {
            if let problem = problems[criterion.id] { errors.add("\(field)[\(criterion.id)]", problem) }
        }
        guard errors.isEmpty else { throw errors }
        return scores
    }

    /// An assessor who declared no conflict scores every criterion; the lead assessor hears when the last
    /// colleague has scored.
    static func score(_ found: AssessmentCase, _ typed: TypedScores, req: Request) async throws -> String {
        guard let assignment = found.assignment,
            found.user.may(.assessApplications, ownedBy: found.application.$organisation.id)
        else { throw PuljeError(.forbidden, "Kun bedømmere på ansøgningen giver point.") }
        guard assignment.access == .open else {
            throw PuljeError(
                .forbidden,
                assignment.access == .removed
                    ? "Du har erklæret dig inhabil og kan ikke bedømme ansøgningen."
                    : "Afgiv habilitetserklæringen, før du bedømmer ansøgningen.")
        }
        try AssessmentCase.requireNoDecision(found.assessment)
        if found.assessment.consensus[found.id]?.isEmpty == false {
            throw PuljeError(.conflict, "Konsensus er registreret; de individuelle point kan ikke længere ændres.")
        }
        let scores = try parseScores(typed, rules: found.assessment.rules, field: "score")
        let id = found.id
        let user = found.user
        let now = req.application.now()
        let becomesReady =
            !found.assessment.readyForConsensus(id)
            && found.assessment.readyForConsensus(id, after: (user.id, Set(scores.keys)))
        try await req.writeTransaction { db in
            try await AssessmentStore.replaceScores(
                of: id, by: user.id, with: scores.values.sorted { $0.criterionID < $1.criterionID }, at: now, on: db)
            let summary = found.assessment.rules.criteria.compactMap { c in
                scores[c.id].map { "\(c.name) \(DanishScore.format($0.score))" }
            }.joined(separator: ", ")
            try await AuditLog.record(
                .score, subject: .application(id), summary: "\(user.name) gav point: \(summary).",
                by: user, on: db, request: req)
            if becomesReady, let lead = found.assessment.lead(id) {
                let notice = StaffNotices.readyForConsensus(
                    organisation: found.application.organisation.name, call: found.assessment.call.title,
                    link: req.application.config.publicURL + SiteURL.assessment(id).path, to: lead.assessor.email)
                try await Outbox.enqueue(
                    to: notice.to, subject: notice.subject, body: notice.body, kind: "consensus-ready", at: now, on: db)
            }
        }
        return "Dine point er gemt."
    }

    /// The lead assessor records the agreed scores once every assessor has declared and scored.
    static func recordConsensus(
        _ found: AssessmentCase, _ typed: TypedScores, req: Request
    ) async throws -> String {
        guard found.isLead else {
            throw PuljeError(.forbidden, "Kun den ledende bedømmer registrerer konsensus.")
        }
        try AssessmentCase.requireNoDecision(found.assessment)
        guard found.assessment.readyForConsensus(found.id) else {
            throw PuljeError(
                .conflict,
                "Konsensus kan registreres, når alle bedømmere har erklæret sig og givet point på alle kriterier.")
        }
        let scores = try parseScores(typed, rules: found.assessment.rules, field: "consensusScore")
        let id = found.id
        let user = found.user
        let now = req.application.now()
        let criteria = found.assessment.rules.criteria
        try await req.writeTransaction { db in
            try await AssessmentStore.replaceConsensus(
                of: id, with: scores.values.sorted { $0.criterionID < $1.criterionID }, by: user.name, at: now, on: db)
            let weighted = WeightedScore(scores: scores.mapValues(\.score), criteria: criteria)
            try await AuditLog.record(
                .consensus, subject: .application(id),
                summary:
                    "Konsensus registreret: vægtet score \(DanishScore.format(weighted.value))"
                    + (weighted.belowMinimum.isEmpty
                        ? "."
                        : ", under minimum på \(DanishCount.of(weighted.belowMinimum.count, "kriterium", "kriterier"))."),
                by: user, on: db, request: req)
        }
        return "Konsensus er registreret."
    }

    // MARK: More information

    /// Staff ask the applicant for more information: recorded in the case, the application's status moves
    /// to "more information requested", and the applicant's people are e-mailed.
    static func requestInformation(
        _ found: AssessmentCase, question typed: String?, replyBy typedDate: String?, req: Request
    ) async throws -> String {
        guard found.user.may(.manageAssessment, ownedBy: found.application.$organisation.id) else {
            throw PuljeError(.forbidden, "Du har ikke adgang til at bede om yderligere oplysninger.")
        }
        try AssessmentCase.requireNoDecision(found.assessment)
        let question = (typed ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let now = req.application.now()
        let problems = InformationRequestRules.problems(question: question, replyBy: typedDate ?? "", at: now)
        guard problems.isEmpty else {
            var errors = FormErrors()
            for problem in problems { errors.add(problem.field, problem.message) }
            throw errors
        }
        let replyBy = CalendarDate(parsing: typedDate ?? "")?.iso ?? ""
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
        return "Anmodningen er sendt til ansøgeren."
    }

    /// The applicant answers a request in their case. The submitted application does not change; when the
    /// last open request is answered, the application is under assessment again.
    static func answerInformation(
        _ requestID: UUID?, answer typed: String?, in loaded: ApplicationCase, by user: CurrentUser, req: Request
    ) async throws -> String {
        let id = try loaded.application.requireID()
        guard loaded.application.$organisation.id == user.organisationID,
            user.may(.writeApplication, ownedBy: loaded.application.$organisation.id)
        else { throw PuljeError(.forbidden, "Kun ansøgeren kan svare.") }
        guard let requestID, let request = try await AssessmentStore.request(requestID, of: id, on: req.db) else {
            throw PuljeError(.notFound, "Anmodningen findes ikke.")
        }
        guard request.answer == nil else { throw PuljeError(.conflict, "Anmodningen er allerede besvaret.") }
        let answer = (typed ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = InformationRequestRules.answerProblem(answer) {
            throw PuljeError(.unprocessableEntity, problem)
        }
        let now = req.application.now()
        try await req.writeTransaction { db in
            let open = try await AssessmentStore.answer(
                requestID, of: id, with: answer, by: user.name, at: now, on: db)
            if open == 0 { _ = try await ApplicationStore.move(id, .answerInformation, on: db) }
            try await AuditLog.record(
                .informationAnswer, subject: .application(id),
                summary: "Svar på anmodning om yderligere oplysninger (\(answer.count) tegn).", by: user, on: db,
                request: req)
        }
        return "Svaret er sendt til styrelsen."
    }
}
