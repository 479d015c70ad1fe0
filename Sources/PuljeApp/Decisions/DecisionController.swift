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

    /// Staff adjust the proposal for one application: a granted amount, or forcing it in or out.
    /// Every adjustment needs a reason and is audited; an empty adjustment removes it.
    @Sendable static func adjust(req: Request) async throws -> Response {
        let (user, assessment) = try await AssessmentCase.openCall(req)
        guard user.may(.manageAssessment) else {
            throw PuljeError(.forbidden, "Du har ikke adgang til at justere udvælgelsen.")
        }
        try AssessmentCase.requireNoDecision(assessment)
        let form = try req.content.decode(OverrideForm.self)
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
        if choice == "include", assessment.ineligibility(application) != nil {
            errors.add("choice", "Ansøgningen kan ikke vælges: \(assessment.ineligibility(application) ?? "")")
        }
        guard errors.isEmpty else {
            return DecisionPages.portfolio(
                assessment, portfolio: assessment.portfolio(), user: user, errors: errors, context: req.pageContext(),
                posted: form
            ).response(status: .unprocessableEntity)
        }
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
        req.flash("Udvælgelsen er justeret.")
        return req.redirect(to: SiteURL.portfolio(callID).path)
    }

    /// A programme manager proposes the current selection as the decision.
    @Sendable static func propose(req: Request) async throws -> Response {
        let (user, assessment) = try await AssessmentCase.openCall(req)
        guard user.may(.proposeDecision) else {
            throw PuljeError(.forbidden, "Kun en programansvarlig kan indstille afgørelsen.")
        }
        try AssessmentCase.requireNoDecision(assessment)
        let portfolio = assessment.portfolio()
        let form = try req.content.decode(ProposeForm.self)
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
        guard errors.isEmpty else {
            return DecisionPages.portfolio(
                assessment, portfolio: portfolio, user: user, errors: errors, context: req.pageContext(),
                proposed: form
            ).response(status: .unprocessableEntity)
        }
        let candidates = Dictionary(uniqueKeysWithValues: portfolio.instance.candidates.map { ($0.id, $0) })
        let lines = selection.selected.compactMap { id -> DecisionLine? in
            guard let uuid = UUID(uuidString: id), let candidate = candidates[id] else { return nil }
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
        req.flash("Afgørelsen er indstillet. En direktør skal godkende den.")
        return req.redirect(to: SiteURL.portfolio(callID).path)
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
            context: req.pageContext()
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

    /// Saves the templates posted (one field per kind, named by the kind); a kind not posted stays as it is.
    @Sendable static func saveTemplates(req: Request) async throws -> Response {
        let user = try req.authorize(.editLetterTemplates)
        let posted = Dictionary(
            (req.urlEncodedPairs ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        var templates = try await LetterTemplates.current(on: req.db)
        var errors = FormErrors()
        for kind in LetterKind.allCases {
            guard let body = posted[kind.rawValue]?.replacingOccurrences(of: "\r\n", with: "\n") else { continue }
            templates[kind] = body
            for problem in LetterTemplate.problems(body, kind: kind) { errors.add(kind.rawValue, problem) }
        }
        guard errors.isEmpty else {
            return DecisionPages.templates(templates, user: user, errors: errors, context: req.pageContext())
                .response(status: .unprocessableEntity)
        }
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
        req.flash("Brevskabelonerne er gemt.")
        return req.redirect(to: SiteURL.letterTemplates.path)
    }
}

enum LetterTemplates {
    /// The template of each kind: the agency's, or the default where it has not written one.
    static func current(on db: any Database) async throws -> [LetterKind: String] {
        let stored = try await DecisionStore.templates(on: db)
        return Dictionary(uniqueKeysWithValues: LetterKind.allCases.map { ($0, stored[$0] ?? $0.defaultTemplate) })
    }
}
