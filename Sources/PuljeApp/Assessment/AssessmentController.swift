import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// Screening, assessors, conflicts of interest, scores, consensus and requests for more information.
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

    /// The same page with the user's input (the posted fields as named on the page) and what is wrong
    /// with it; nothing was saved.
    static func refuse(_ found: AssessmentCase, errors: FormErrors, req: Request) async throws -> Response {
        let requests = try await AssessmentStore.requests(of: found.id, on: req.db)
        return AssessmentPages.casePage(
            found, requests: requests, assessors: try await AssessmentStore.assessors(on: req.db), errors: errors,
            now: req.application.now(), context: req.pageContext(),
            posted: req.urlEncodedPairs.map { pairs in
                Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
            }
        ).response(status: .unprocessableEntity)
    }

    // MARK: Screening

    struct ScreeningForm: Content {
        var outcome: String?
        var reason: String?
    }

    @Sendable static func screen(req: Request) async throws -> Response {
        let found = try await AssessmentCase.open(req)
        guard found.user.may(.screenApplications, ownedBy: found.application.$organisation.id) else {
            throw PuljeError(.forbidden, "Kun tilskudsforvaltningen screener ansøgninger.")
        }
        try AssessmentCase.requireNoDecision(found.assessment)
        let form = try req.content.decode(ScreeningForm.self)
        let checks = try FormalScreening.checks(
            found.assessment.submittedContent(found.application),
            applicantKind: found.application.organisation.organisationKind,
            rules: await ApplicationCaseStore.rules(of: found.application, call: found.assessment.call, on: req.db))
        var errors = FormErrors()
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let outcome = form.outcome.flatMap(ScreeningOutcome.init(rawValue:)) else {
            errors.add("outcome", "Vælg, om ansøgningen går videre eller frasorteres.")
            return try await refuse(found, errors: errors, req: req)
        }
        if let problem = ScreeningDecisionCheck.problem(outcome: outcome, reason: reason, checks: checks) {
            errors.add("reason", problem)
            return try await refuse(found, errors: errors, req: req)
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
        req.flash("Screeningen er gemt: \(outcome.danishName).")
        return req.redirect(to: SiteURL.assessment(id).path)
    }

    // MARK: Assessors

    struct AssignForm: Content {
        var assessorID: UUID?
        var lead: String?
    }

    @Sendable static func assign(req: Request) async throws -> Response {
        let found = try await AssessmentCase.open(req)
        guard found.user.may(.manageAssessment, ownedBy: found.application.$organisation.id) else {
            throw PuljeError(.forbidden, "Du har ikke adgang til at tildele bedømmere.")
        }
        try AssessmentCase.requireNoDecision(found.assessment)
        let form = try req.content.decode(AssignForm.self)
        let assessors = try await AssessmentStore.assessors(on: req.db)
        guard let assessor = assessors.first(where: { $0.id == form.assessorID }) else {
            var errors = FormErrors()
            errors.add("assessorID", "Vælg en bedømmer.")
            return try await refuse(found, errors: errors, req: req)
        }
        if found.assessment.assignments[found.id]?.contains(where: { $0.$assessor.id == assessor.id }) == true {
            var errors = FormErrors()
            errors.add("assessorID", "\(assessor.name) er allerede bedømmer på ansøgningen.")
            return try await refuse(found, errors: errors, req: req)
        }
        let id = found.id
        let user = found.user
        let lead = form.lead == "true"
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
        req.flash("\(assessor.name) er tildelt ansøgningen.")
        return req.redirect(to: SiteURL.assessment(id).path)
    }

    struct SpreadForm: Content {
        var perApplication: String?
    }

    /// Gives every screened-in application the number of assessors asked for, spread evenly.
    @Sendable static func spread(req: Request) async throws -> Response {
        let (user, assessment) = try await AssessmentCase.openCall(req)
        guard user.may(.manageAssessment) else {
            throw PuljeError(.forbidden, "Du har ikke adgang til at tildele bedømmere.")
        }
        try AssessmentCase.requireNoDecision(assessment)
        let form = try req.content.decode(SpreadForm.self)
        guard let per = Int((form.perApplication ?? "").trimmingCharacters(in: .whitespaces)), (1...10).contains(per)
        else {
            throw PuljeError(.unprocessableEntity, "Antal bedømmere pr. ansøgning skal være et helt tal fra 1 til 10.")
        }
        let assessors = try await AssessmentStore.assessors(on: req.db)
        guard !assessors.isEmpty else {
            throw PuljeError(.unprocessableEntity, "Der er ingen brugere med rollen bedømmer.")
        }
        let targets = assessment.applications.filter { assessment.screenedIn($0.id!) }
        guard !targets.isEmpty else {
            throw PuljeError(.unprocessableEntity, "Ingen ansøgninger er screenet til vurdering endnu.")
        }
        var existing: [UUID: Set<UUID>] = [:]
        var conflicts: [UUID: Set<UUID>] = [:]
        for application in targets {
            let key = try application.requireID()
            for assignment in assessment.assignments[key] ?? [] {
                existing[key, default: []].insert(assignment.$assessor.id)
                if assignment.conflictDeclaration == .conflict {
                    conflicts[key, default: []].insert(assignment.$assessor.id)
                }
            }
        }
        let plan = AssessorSpread.spread(
            applications: try targets.map { try $0.requireID() }, assessors: try assessors.map { try $0.requireID() },
            perApplication: per, existing: existing, conflicts: conflicts)
        let names = Dictionary(uniqueKeysWithValues: try assessors.map { (try $0.requireID(), $0.name) })
        let hasLead = Set(try targets.filter { assessment.lead(try $0.requireID()) != nil }.map { try $0.requireID() })
        let now = req.application.now()
        let callID = try assessment.call.requireID()
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
            let base = req.application.config.publicURL
            for (assessorID, items) in Dictionary(grouping: plan, by: \.assessorID) {
                guard let email = assessors.first(where: { $0.id == assessorID })?.email else { continue }
                let cases = items.compactMap { item -> (organisation: String, link: String)? in
                    guard let application = assessment.application(item.applicationID) else { return nil }
                    return (
                        application.organisation.name, base + SiteURL.assessment(item.applicationID).path
                    )
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
                by: user,
                on: db, request: req)
        }
        req.flash(
            plan.isEmpty
                ? "Alle ansøgninger har allerede \(per) bedømmere uden interessekonflikt."
                : "\(DanishCount.of(plan.count, "tildeling", "tildelinger")) er lavet, så hver ansøgning har \(per) bedømmere, hvor det er muligt."
        )
        return req.redirect(to: SiteURL.callAssessment(callID).path)
    }

    // MARK: Conflict of interest

    struct DeclarationForm: Content {
        var declaration: String?
        var note: String?
    }

    /// The assessor declares before they can open the application; a conflict removes them from it.
    /// A declaration is kept as made: it cannot be changed afterwards.
    @Sendable static func declare(req: Request) async throws -> Response {
        let found = try await AssessmentCase.open(req)
        guard let assignment = found.assignment else {
            throw PuljeError(.forbidden, "Kun bedømmere på ansøgningen afgiver habilitetserklæring.")
        }
        guard assignment.conflictDeclaration == nil else {
            throw PuljeError(.conflict, "Du har allerede afgivet din erklæring; den kan ikke ændres.")
        }
        let form = try req.content.decode(DeclarationForm.self)
        guard let declaration = form.declaration.flatMap(ConflictDeclaration.init(rawValue:)) else {
            var errors = FormErrors()
            errors.add("declaration", "Vælg, om du er habil eller inhabil.")
            return try await refuse(found, errors: errors, req: req)
        }
        let note = (form.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if declaration == .conflict && note.isEmpty {
            var errors = FormErrors()
            errors.add("note", "Skriv kort, hvori interessekonflikten består. Erklæringen gemmes.")
            return try await refuse(found, errors: errors, req: req)
        }
        let id = found.id
        let user = found.user
        let now = req.application.now()
        let assignmentID = try assignment.requireID()
        try await req.writeTransaction { db in
            try await AssessmentStore.declare(
                declaration, note: note, on: assignmentID,
                keepLead: declaration == .conflict ? false : assignment.isLead,
                at: now, on: db)
            try await AuditLog.record(
                .conflictDeclaration, subject: .application(id),
                summary: "\(user.name): \(declaration.danishName)" + (note.isEmpty ? "." : ". \(note)"), by: user,
                on: db, request: req)
        }
        req.flash(
            declaration == .conflict
                ? "Du har erklæret dig inhabil og er fjernet fra ansøgningen. Tilskudsforvaltningen tildeler en anden bedømmer."
                : "Tak. Du kan nu læse og bedømme ansøgningen.")
        return req.redirect(to: SiteURL.assessment(id).path)
    }

    // MARK: Scores and consensus

    struct ScoreForm: Content {
        var score: [String: String]?
        var justification: [String: String]?

    }

    static func parseScores(
        _ form: ScoreForm, rules: CallRules, field: String = "score"
    ) -> ([String: CriterionScore], FormErrors) {
        var scores: [String: CriterionScore] = [:]
        for criterion in rules.criteria {
            if let text = form.score?[criterion.id], let value = DanishScore.parse(text) {
                scores[criterion.id] = CriterionScore(
                    criterionID: criterion.id, score: value,
                    justification: (form.justification?[criterion.id] ?? "").trimmingCharacters(
                        in: .whitespacesAndNewlines))
            }
        }
        var errors = FormErrors()
        let problems = ScoreCheck.problems(scores, criteria: rules.criteria, scale: rules.scale)
        for criterion in rules.criteria {
            if let problem = problems[criterion.id] { errors.add("\(field)[\(criterion.id)]", problem) }
        }
        return (scores, errors)
    }

    @Sendable static func score(req: Request) async throws -> Response {
        let found = try await AssessmentCase.open(req)
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
        let form = try req.content.decode(ScoreForm.self)
        let (scores, errors) = parseScores(form, rules: found.assessment.rules)
        guard errors.isEmpty else { return try await refuse(found, errors: errors, req: req) }
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
        req.flash("Dine point er gemt.")
        return req.redirect(to: SiteURL.assessment(id).path)
    }

    /// The consensus form's fields have their own names, so they never clash with the lead's own scores.
    struct ConsensusForm: Content {
        var consensusScore: [String: String]?
        var consensusJustification: [String: String]?

        var scores: ScoreForm { ScoreForm(score: consensusScore, justification: consensusJustification) }
    }

    @Sendable static func recordConsensus(req: Request) async throws -> Response {
        let found = try await AssessmentCase.open(req)
        guard found.isLead else {
            throw PuljeError(.forbidden, "Kun den ledende bedømmer registrerer konsensus.")
        }
        try AssessmentCase.requireNoDecision(found.assessment)
        guard found.assessment.readyForConsensus(found.id) else {
            throw PuljeError(
                .conflict,
                "Konsensus kan registreres, når alle bedømmere har erklæret sig og givet point på alle kriterier.")
        }
        let form = try req.content.decode(ConsensusForm.self)
        let (scores, errors) = parseScores(form.scores, rules: found.assessment.rules, field: "consensusScore")
        guard errors.isEmpty else { return try await refuse(found, errors: errors, req: req) }
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
        req.flash("Konsensus er registreret.")
        return req.redirect(to: SiteURL.assessment(id).path)
    }

    // MARK: More information

    struct InformationRequestForm: Content {
        var question: String?
        var replyBy: String?
    }

    @Sendable static func requestInformation(req: Request) async throws -> Response {
        let found = try await AssessmentCase.open(req)
        let form = try req.content.decode(InformationRequestForm.self)
        let question = (form.question ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let problems = try await AssessmentActions.requestInformation(
            question, replyBy: form.replyBy ?? "", in: found, req: req)
        guard problems.isEmpty else {
            var errors = FormErrors()
            for problem in problems { errors.add(problem.field, problem.message) }
            return try await refuse(found, errors: errors, req: req)
        }
        req.flash("Anmodningen er sendt til ansøgeren.")
        return req.redirect(to: SiteURL.assessment(found.id).path)
    }

    struct AnswerForm: Content {
        var answer: String?
    }

    /// The applicant answers a request in their case. The submitted application does not change.
    @Sendable static func answerInformation(req: Request) async throws -> Response {
        let loaded = try await ApplicationCase.open(req, withCase: false)
        let user = try req.requireUser()
        let id = try loaded.application.requireID()
        guard loaded.application.$organisation.id == user.organisationID,
            user.may(.writeApplication, ownedBy: loaded.application.$organisation.id)
        else { throw PuljeError(.forbidden, "Kun ansøgeren kan svare.") }
        guard let requestID = req.parameters.get("requestID", as: UUID.self),
            let request = try await AssessmentStore.request(requestID, of: id, on: req.db)
        else { throw PuljeError(.notFound, "Anmodningen findes ikke.") }
        guard request.answer == nil else { throw PuljeError(.conflict, "Anmodningen er allerede besvaret.") }
        let answer = (try req.content.decode(AnswerForm.self).answer ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)
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
        req.flash("Svaret er sendt til styrelsen.")
        return req.redirect(to: SiteURL.application(id).path)
    }
}

extension AssessorAssignmentRecord {
    convenience init(application: UUID, assessor: UUID, lead: Bool, by name: String, at now: Date) {
        self.init()
        self.$application.id = application
        self.$assessor.id = assessor
        self.isLead = lead
        self.declarationNote = ""
        self.assignedBy = name
        self.assignedAt = now
    }
}
