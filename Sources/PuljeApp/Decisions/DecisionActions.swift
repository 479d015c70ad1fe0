import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// The decision's use cases: approving a proposal writes every letter, moves every application and e-mails
/// the municipalities, in one transaction.
enum DecisionActions {
    /// A letter ready to be written into a case and sent.
    struct Letter {
        var application: ApplicationRecord
        var kind: LetterKind
        var body: String
        var recipients: [String]
        /// The amount granted, for an award (zero where the call grants participation, not money).
        var granted: Money?
        /// The budget applied for, by category and year.
        var budget: GrantBudget
    }

    /// Staff adjust the proposal for one application: a granted amount, or forcing it in or out.
    /// Every adjustment needs a reason and is audited; an empty adjustment removes it.
    static func adjust(
        _ assessment: CallAssessment, _ form: OverrideForm, by user: CurrentUser, req: Request
    ) async throws -> String {
        guard user.may(.manageAssessment) else {
            throw PuljeError(.forbidden, "Du har ikke adgang til at justere udvælgelsen.")
        }
        try AssessmentCase.requireNoDecision(assessment)
        guard let applicationID = form.applicationID, let application = assessment.application(applicationID) else {
            throw PuljeError(.unprocessableEntity, "Vælg en ansøgning.")
        }
        var errors = FormErrors()
        let choice = form.choice ?? ""
        if !["", "include", "exclude"].contains(choice) { errors.add("choice", "Vælg til, fra eller automatisk.") }
        let grantedText = (form.granted ?? "").trimmingCharacters(in: .whitespaces)
        var granted: Money?
        if !grantedText.isEmpty {
            let requested = assessment.requested(application)
            if let value = DanishAmount.parse(grantedText), value.ore >= 0, value <= requested {
                granted = value == requested ? nil : value
            } else {
                errors.add(
                    "granted",
                    "Bevilget beløb skal være et beløb i kroner fra 0 til det ansøgte (\(DanishAmount.kroner(requested)))."
                )
            }
        }
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let clearing = choice.isEmpty && granted == nil
        if !clearing && reason.isEmpty { errors.add("reason", "Skriv begrundelsen for justeringen.") }
        if choice == "include", let why = assessment.ineligibility(application) {
            errors.add("choice", "Ansøgningen kan ikke vælges: \(why)")
        }
        guard errors.isEmpty else { throw errors }
        let callID = try assessment.call.requireID()
        let now = req.application.now()
        let name = application.organisation.name
        let grantedAmount = granted
        try await req.writeTransaction { db in
            try await DecisionStore.setOverride(
                clearing ? nil : (choice: choice, granted: grantedAmount, reason: reason), for: applicationID,
                in: callID, by: user.name, at: now, on: db)
            let what =
                clearing
                ? "Justering fjernet for \(name)."
                : "\(name): \(choice == "include" ? "tilvalgt" : choice == "exclude" ? "fravalgt" : "automatisk valg")"
                    + (grantedAmount.map { ", bevilget beløb \(DanishAmount.kroner($0))" } ?? "")
                    + ". Begrundelse: \(reason)"
            try await AuditLog.record(
                .portfolioOverride, subject: .call(callID), summary: what, by: user, on: db, request: req)
        }
        return "Udvælgelsen er justeret."
    }

    /// A programme manager proposes the current selection as the decision; the directors (not the proposer)
    /// are told that it waits for them.
    static func propose(
        _ assessment: CallAssessment, _ form: ProposeForm, by user: CurrentUser, req: Request
    ) async throws -> String {
        guard user.may(.proposeDecision) else {
            throw PuljeError(.forbidden, "Kun en programansvarlig kan indstille afgørelsen.")
        }
        try AssessmentCase.requireNoDecision(assessment)
        let portfolio = assessment.portfolio()
        var errors = FormErrors()
        let unscreened = assessment.applications.filter { assessment.screenings[$0.id!] == nil }
        if !unscreened.isEmpty {
            errors.add("conditions", "\(unscreened.count) ansøgninger er ikke screenet endnu.")
        }
        let selection: PortfolioSelection
        switch portfolio.result {
        case .success(let explanation): selection = explanation.selection
        case .failure(let error):
            errors.add("conditions", "Der er intet gyldigt udvalg: \(error.message)")
            selection = PortfolioSelection(selected: [], totalScore: 0, totalAmount: .zero)
        }
        let conditions = (form.conditions ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if conditions.isEmpty && !selection.selected.isEmpty {
            errors.add("conditions", "Skriv vilkårene for tilsagnene; de står i tilsagnsbrevene.")
        }
        guard errors.isEmpty else { throw errors }
        let candidates = Dictionary(uniqueKeysWithValues: portfolio.instance.candidates.map { ($0.id, $0) })
        let lines = selection.selected.compactMap { id -> DecisionLine? in
            guard let uuid = id.uuid, let candidate = candidates[id] else { return nil }
            return DecisionLine(applicationID: uuid, grantedOre: candidate.amount.ore)
        }
        let json = String(decoding: try JSONEncoder().encode(lines), as: UTF8.self)
        let callID = try assessment.call.requireID()
        let now = req.application.now()
        let note = (form.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let names = selection.selected.map(assessment.name).joined(separator: ", ")
        let directors = try await UserStore.active(withRole: .director, on: req.db)
        try await req.writeTransaction { db in
            guard
                try await DecisionStore.propose(
                    callID, selectionJSON: json, conditions: conditions, note: note, by: user, at: now, on: db)
            else { throw PuljeError(.conflict, "Afgørelsen er allerede godkendt.") }
            try await AuditLog.record(
                .decisionPropose, subject: .call(callID),
                summary:
                    "Afgørelse indstillet: \(lines.count) tilsagn (\(names)) for i alt \(DanishAmount.kroner(selection.totalAmount))",
                by: user, on: db, request: req)
            let notice = StaffNotices.proposalWaiting(
                call: assessment.call.title, proposedBy: user.name,
                link: req.application.config.publicURL + SiteURL.portfolio(callID).path,
                to: directors.filter { $0.id != user.id }.map(\.email))
            try await Outbox.enqueue(
                to: notice.to, subject: notice.subject, body: notice.body, kind: "proposal-waiting", at: now, on: db)
        }
        return "Afgørelsen er indstillet. En direktør skal godkende den."
    }

    /// A director approves the proposal (never the one who proposed it). Approval sets every application's
    /// outcome, writes the letters from the templates into the cases and sends them by e-mail. Returns how
    /// many letters were written.
    static func approve(_ assessment: CallAssessment, by user: CurrentUser, req: Request) async throws -> Int {
        guard user.may(.approveDecision) else {
            throw PuljeError(.forbidden, "Kun en direktør kan godkende afgørelsen.")
        }
        guard let decision = assessment.decision else {
            throw PuljeError(.conflict, "Der er ingen indstilling at godkende.")
        }
        guard decision.decisionStatus == .proposed else {
            throw PuljeError(.conflict, "Afgørelsen er allerede godkendt.")
        }
        if let problem = FourEyes.problem(proposedBy: decision.proposedByID, approver: user.id) {
            throw PuljeError(.forbidden, problem)
        }
        let now = req.application.now()
        let lines = try decision.lines()
        let letters = try await self.letters(
            assessment, decision: decision, lines: lines, approver: user.name, at: now, on: req.db)
        let decisionID = try decision.requireID()
        let callID = try assessment.call.requireID()
        let baseURL = req.application.config.publicURL
        try await req.writeTransaction { db in
            // Only a proposal can be approved, once: of two directors approving at the same time one wins.
            let won = try await DecisionStore.approve(decisionID, by: user.name, at: now, on: db)
            guard won else { throw PuljeError(.conflict, "Afgørelsen er allerede godkendt.") }
            for letter in letters {
                let id = try letter.application.requireID()
                let transition = ApplicationTransition.decision(awarded: letter.kind.isAward)
                guard try await ApplicationStore.move(id, transition, on: db) else {
                    throw PuljeError(
                        .conflict,
                        "\(letter.application.organisation.name)s ansøgning kan ikke få \(letter.kind.danishName.lowercased()) i sin nuværende status. Intet er godkendt."
                    )
                }
                try await DecisionStore.addLetter(
                    letter.kind, body: letter.body,
                    journalNumber: journalNumber(letter.application, rules: assessment.rules),
                    to: id, at: now, on: db)
                if letter.kind.isAward {
                    try await GrantActions.open(
                        letter.application, call: assessment.call, rules: assessment.rules,
                        award: letter.granted ?? .zero, budget: letter.budget, conditions: decision.conditions,
                        by: user, at: now, on: db, request: req)
                }
                try await AuditLog.record(
                    .decisionLetter, subject: .application(id),
                    summary: "\(letter.kind.danishName) sendt til \(letter.application.organisation.name).", by: user,
                    on: db, request: req)
                try await Outbox.enqueue(
                    to: letter.recipients,
                    subject:
                        "\(letter.kind.danishName): \(assessment.call.title) (\(letter.application.submissionNumber ?? ""))",
                    body: letter.body
                        + "\n\nBrevet ligger også i jeres sag i Pulje: \(baseURL)\(SiteURL.application(id).path)",
                    kind: "decision-letter", at: now, on: db)
            }
            try await AuditLog.record(
                .decisionApprove, subject: .call(callID),
                summary:
                    "Afgørelsen er godkendt (indstillet af \(decision.proposedBy)): \(lines.count) tilsagn, \(letters.count - lines.count) afslag.",
                by: user, on: db, request: req)
        }
        return letters.count
    }

    /// A letter for every application still waiting for an answer: an award for those in the decision, a
    /// rejection with its reason for the rest.
    static func letters(
        _ assessment: CallAssessment, decision: DecisionRecord, lines: [DecisionLine], approver: String,
        at now: Date, on db: any Database
    ) async throws -> [Letter] {
        let granted = Dictionary(uniqueKeysWithValues: lines.map { ($0.applicationID, Money(ore: $0.grantedOre)) })
        let templates = try await LetterTemplates.current(on: db)
        let ranking = assessment.ranking()
        let lowestSelected = ranking.filter { place in place.id.uuid.map { granted.keys.contains($0) } ?? false }
            .map(\.weighted.value).min()
        var letters: [Letter] = []
        for application in assessment.applications
        where ApplicationTransition.reject.applies(to: application.applicationStatus) {
            let amount = granted[application.id!]
            let kind: LetterKind =
                amount == nil ? .rejection : .award(grantsMoney: assessment.rules.budget.hasBudget)
            let body = LetterTemplate.render(
                templates[kind] ?? kind.defaultTemplate,
                values: letterValues(
                    application, assessment: assessment, granted: amount, conditions: decision.conditions,
                    approver: approver, ranking: ranking, lowestSelected: lowestSelected, at: now))
            letters.append(
                Letter(
                    application: application, kind: kind, body: body,
                    recipients: try await ApplicationCaseStore.recipients(of: application, on: db),
                    granted: amount,
                    budget: GrantBudget(lines: assessment.submittedContent(application).budget)))
        }
        return letters
    }

    /// The values of a letter's placeholders.
    /// The reference a letter carries: the call's journal number, or the application's number where the call
    /// has none.
    static func journalNumber(_ application: ApplicationRecord, rules: CallRules) -> String {
        rules.journalNumber ?? application.submissionNumber ?? ""
    }

    static func letterValues(
        _ application: ApplicationRecord, assessment: CallAssessment, granted: Money?, conditions: String,
        approver: String, ranking: [Ranking.Place], lowestSelected: Double?, at now: Date
    ) -> [String: String] {
        let content = assessment.submittedContent(application)
        let consensus = assessment.consensus[application.id!] ?? [:]
        let points = assessment.rules.criteria.map { criterion -> String in
            guard let score = consensus[criterion.id] else { return "- \(criterion.name): ikke bedømt" }
            return
                "- \(criterion.name): \(DanishScore.format(score.score)) point (\(assessment.rules.scale.danishText)). \(score.justification)"
        }
        var reasons: [String] = []
        if let screening = assessment.screenings[application.id!], screening.screeningOutcome == .screenedOut {
            reasons.append("Ansøgningen opfylder ikke puljens formelle krav: \(screening.reason)")
        } else if let reason = assessment.ineligibility(application) {
            reasons.append(reason)
        } else if let place = ranking.first(where: { $0.id == CandidateID(application.id!) }) {
            reasons.append(
                RejectionReason.notSelected(
                    score: place.weighted.value, rank: place.rank, of: ranking.count,
                    lowestSelected: lowestSelected, grantsMoney: assessment.rules.budget.hasBudget))
        } else {
            reasons.append("Ansøgningen har ikke fået en samlet vurdering på alle kriterier og kunne ikke udvælges.")
        }
        return [
            "modtager": application.organisation.name,
            "pulje": assessment.call.title,
            "projekt": content.projectTitle,
            "ansoegningsnummer": application.submissionNumber ?? "",
            "journalnummer": journalNumber(application, rules: assessment.rules),
            "dato": DanishTime.date(now),
            "point": points.joined(separator: "\n"),
            "afsender": approver + ", Social- og Boligstyrelsen",
            "beloeb": granted.map(DanishAmount.kroner) ?? "",
            "soegt": DanishAmount.kroner(assessment.requested(application)),
            "vilkaar": conditions,
            "begrundelse": reasons.joined(separator: "\n"),
        ]
    }

    /// The agency saves its letter templates (one per kind posted; a kind not posted stays as it is).
    /// Every template is checked for unknown fields first; only the changed ones are written and audited.
    static func saveTemplates(
        _ posted: [String: String], by user: CurrentUser, req: Request
    ) async throws -> String {
        var templates = try await LetterTemplates.current(on: req.db)
        var errors = FormErrors()
        for kind in LetterKind.allCases {
            guard let body = posted[kind.rawValue]?.replacingOccurrences(of: "\r\n", with: "\n") else { continue }
            templates[kind] = body
            for problem in LetterTemplate.problems(body, kind: kind) { errors.add(kind.rawValue, problem) }
        }
        guard errors.isEmpty else { throw TemplateErrors(errors: errors, templates: templates) }
        let now = req.application.now()
        let chosen = templates
        try await req.writeTransaction { db in
            var changed: [String] = []
            for kind in LetterKind.allCases {
                guard let body = chosen[kind],
                    try await DecisionStore.saveTemplate(body, kind: kind, by: user.name, at: now, on: db)
                else { continue }
                changed.append("\(kind.danishName.lowercased()) (\(body.count) tegn)")
            }
            if !changed.isEmpty {
                try await AuditLog.record(
                    .letterTemplateUpdate, subject: AuditSubject(type: "letter-template", id: "skabeloner"),
                    summary: "Brevskabeloner ændret: \(changed.joined(separator: ", ")).", by: user, on: db,
                    request: req)
            }
        }
        return "Brevskabelonerne er gemt."
    }

    /// The templates as typed, with what is wrong with them; nothing was saved.
    struct TemplateErrors: Error {
        var errors: FormErrors
        var templates: [LetterKind: String]
    }
}

enum LetterTemplates {
    /// The template of each kind: the agency's, or the default where it has not written one.
    static func current(on db: any Database) async throws -> [LetterKind: String] {
        let stored = try await DecisionStore.templates(on: db)
        return Dictionary(uniqueKeysWithValues: LetterKind.allCases.map { ($0, stored[$0] ?? $0.defaultTemplate) })
    }
}
