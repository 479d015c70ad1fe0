import Fluent
import Foundation
import PuljeDomain
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
                try await DecisionStore.addLetter(letter.kind, body: letter.body, to: id, at: now, on: db)
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
        let lowestSelected = ranking.filter { place in granted.keys.contains { $0.uuidString == place.id } }
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
        } else if let place = ranking.first(where: { $0.id == application.id!.uuidString }) {
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
            "dato": DanishTime.date(now),
            "point": points.joined(separator: "\n"),
            "afsender": approver + ", Social- og Boligstyrelsen",
            "beloeb": granted.map(DanishAmount.kroner) ?? "",
            "soegt": DanishAmount.kroner(assessment.requested(application)),
            "vilkaar": conditions,
            "begrundelse": reasons.joined(separator: "\n"),
        ]
    }
}
