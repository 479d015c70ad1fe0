import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// The phase gate's use cases: the programme manager rates the criteria and proposes, a second person
/// decides, and a decision to move on changes the initiative's phase. Each writes in one transaction with
/// its audit entries on the initiative; refused input throws `FormErrors`, a refused act `PuljeError`.
enum PhaseGateActions {
    /// Evidence a criterion can point to: paths on the site with what they show.
    typealias Evidence = [(path: String, label: String)]

    static func subject(_ initiative: Initiative) -> AuditSubject {
        .initiative(year: initiative.programmeYear, number: initiative.number.description)
    }

    /// Reads the ratings, justifications and evidence of the phase's criteria from the posted form.
    static func assessments(
        _ pairs: [FormPair], criteria: [PhaseCriterion], evidence: Evidence
    ) throws -> [CriterionAssessment] {
        var errors = FormErrors()
        let offered = Set(evidence.map(\.path))
        let assessments = criteria.map { criterion -> CriterionAssessment in
            let value = { (name: String) in pairs.last { $0.key == name }?.value ?? "" }
            let ratingText = value("rating.\(criterion.id)")
            let rating = CriterionRating(rawValue: ratingText)
            if !ratingText.isEmpty && rating == nil {
                errors.add("rating.\(criterion.id)", "Vælg en af vurderingerne.")
            }
            let justification = value("justification.\(criterion.id)").trimmingCharacters(in: .whitespacesAndNewlines)
            if justification.count > PhaseGate.maximumJustification {
                errors.add(
                    "justification.\(criterion.id)",
                    "Begrundelsen må højst være \(DanishNumber.grouped(PhaseGate.maximumJustification)) tegn.")
            }
            let chosen = pairs.filter { $0.key == "evidence.\(criterion.id)[]" }.map(\.value)
            if chosen.contains(where: { !offered.contains($0) }) {
                errors.add("evidence.\(criterion.id)", "Vælg dokumentation på listen.")
            }
            return CriterionAssessment(
                criterionID: criterion.id, rating: rating, justification: justification,
                evidence: evidence.map(\.path).filter(chosen.contains))
        }
        if !errors.isEmpty { throw errors }
        return assessments
    }

    static func gatePhase(_ initiative: Initiative) throws -> SUSIPhase {
        guard PhaseGate.next(after: initiative.phase) != nil else {
            throw PuljeError(
                .conflict, "\(initiative.phase.danishName) er den sidste fase; der er ingen fasevurdering.")
        }
        return initiative.phase
    }

    /// Saves the draft, or (with `propose`) proposes it once every criterion is rated and justified.
    static func save(
        _ initiative: Initiative, pairs: [FormPair], evidence: Evidence, propose: Bool, by user: CurrentUser,
        req: Request
    ) async throws -> String {
        guard user.may(.proposePhaseVerdict) else {
            throw PuljeError(.forbidden, "Kun styrelsens programansvarlige udarbejder fasevurderinger.")
        }
        let phase = try gatePhase(initiative)
        // A draft is rated against the criteria in force; once proposed, the verdict keeps the set it was
        // rated against, whatever the agency changes later.
        let criteria = try await PhaseGateStore.currentCriteria(for: phase, on: req.db).criteria
        let assessments = try assessments(pairs, criteria: criteria, evidence: evidence)
        let value = { (name: String) in pairs.last { $0.key == name }?.value ?? "" }
        let outcomeText = value("outcome")
        let outcome = GateOutcome(rawValue: outcomeText)
        let note = value("note").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FormErrors()
        if !outcomeText.isEmpty && outcome == nil { errors.add("outcome", "Vælg en af indstillingerne.") }
        if note.count > PhaseGate.maximumJustification {
            errors.add(
                "note", "Begrundelsen må højst være \(DanishNumber.grouped(PhaseGate.maximumJustification)) tegn.")
        }
        if propose {
            for problem in PhaseGate.proposalProblems(
                phase: phase, criteria: criteria, assessments: assessments, outcome: outcome, note: note)
            {
                errors.add(problem.field, problem.message)
            }
        }
        if !errors.isEmpty { throw errors }
        let now = req.application.now()
        let year = initiative.programmeYear
        let number = initiative.number.description
        try await req.writeTransaction { db in
            guard
                try await PhaseGateStore.saveDraft(
                    year: year, number: number, phase: phase, criteria: criteria, assessments: assessments,
                    outcome: outcome, note: note,
                    propose: propose ? (user.id, user.name) : nil, by: user.name, at: now, on: db)
            else {
                throw PuljeError(.conflict, "Fasevurderingen er allerede indstillet og kan ikke længere ændres.")
            }
            let rated = assessments.filter { $0.rating != nil }.count
            try await AuditLog.record(
                propose ? .phaseVerdictPropose : .phaseVerdictSave, subject: subject(initiative),
                summary: propose
                    ? "Fasevurdering af \(phase.danishName.lowercased()) indstillet: \(outcome!.danishName(from: phase))."
                    : "Fasevurdering af \(phase.danishName.lowercased()) gemt (\(rated) af \(assessments.count) kriterier vurderet).",
                by: user, on: db, request: req)
        }
        return propose
            ? "Fasevurderingen er indstillet. En anden skal nu registrere afgørelsen." : "Fasevurderingen er gemt."
    }

    static func proposed(_ initiative: Initiative, on db: any Database) async throws -> PhaseVerdictRecord {
        let phase = try gatePhase(initiative)
        guard
            let verdict = try await PhaseGateStore.verdicts(
                year: initiative.programmeYear, number: initiative.number.description, on: db
            ).first(where: { $0.susiPhase == phase && $0.verdictStatus == .proposed })
        else { throw PuljeError(.conflict, "Der er ingen indstillet fasevurdering at afgøre.") }
        return verdict
    }

    /// The second person records the steering group's decision; a move on changes the initiative's phase.
    static func decide(
        _ initiative: Initiative, fields: [String: String], by user: CurrentUser, req: Request
    )
        async throws -> String
    {
        guard user.may(.decidePhaseVerdict) else {
            throw PuljeError(.forbidden, "Du kan ikke registrere afgørelser om fasevurderinger.")
        }
        let verdict = try await proposed(initiative, on: req.db)
        if let problem = PhaseGate.decisionProblem(proposedBy: verdict.proposedByID, decidedBy: user.id) {
            throw PuljeError(.forbidden, problem)
        }
        let phase = verdict.susiPhase
        var errors = FormErrors()
        let decisionText = fields["decision"] ?? ""
        let decision = GateOutcome(rawValue: decisionText)
        if let problem = PhaseGate.outcomeProblem(
            phase: phase, criteria: verdict.criteria, assessments: verdict.assessments, outcome: decision)
        {
            errors.add("decision", problem)
        }
        let note = (fields["decisionNote"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if note.isEmpty {
            errors.add("decisionNote", "Skriv styregruppens begrundelse eller en henvisning til referatet.")
        }
        if note.count > PhaseGate.maximumJustification {
            errors.add(
                "decisionNote",
                "Begrundelsen må højst være \(DanishNumber.grouped(PhaseGate.maximumJustification)) tegn.")
        }
        guard errors.isEmpty, let decision else { throw errors }
        let now = req.application.now()
        let id = try verdict.requireID()
        let year = initiative.programmeYear
        let number = initiative.number.description
        let next = decision == .advance ? PhaseGate.next(after: phase) : nil
        try await req.writeTransaction { db in
            guard try await PhaseGateStore.decide(id, outcome: decision, note: note, by: user.name, at: now, on: db)
            else { throw PuljeError(.conflict, "Fasevurderingen er allerede afgjort.") }
            try await AuditLog.record(
                .phaseVerdictDecide, subject: subject(initiative),
                summary:
                    "Fasevurdering af \(phase.danishName.lowercased()) afgjort: \(decision.danishName(from: phase)). \(note)",
                by: user, on: db, request: req)
            if let next {
                guard
                    try await PhaseGateStore.movePhase(
                        year: year, number: number, from: phase, to: next, at: now, on: db)
                else { throw PuljeError(.conflict, "Initiativets fase er ændret i mellemtiden.") }
                try await AuditLog.record(
                    .initiativeUpdate, subject: subject(initiative),
                    summary: "SUSI-fase: \(phase.danishName) → \(next.danishName) (efter fasevurderingen).", by: user,
                    on: db, request: req)
            }
        }
        return next.map { "Afgørelsen er registreret. Initiativet er nu i fasen \($0.danishName.lowercased())." }
            ?? "Afgørelsen er registreret: \(decision.danishName(from: phase).lowercased())."
    }

    /// The decider sends the proposal back to be written again.
    static func sendBack(_ initiative: Initiative, by user: CurrentUser, req: Request) async throws -> String {
        guard user.may(.decidePhaseVerdict) else {
            throw PuljeError(.forbidden, "Du kan ikke sende fasevurderinger tilbage.")
        }
        let verdict = try await proposed(initiative, on: req.db)
        let id = try verdict.requireID()
        let now = req.application.now()
        try await req.writeTransaction { db in
            guard try await PhaseGateStore.returnToDraft(id, by: user.name, at: now, on: db) else {
                throw PuljeError(.conflict, "Fasevurderingen er ikke længere indstillet.")
            }
            try await AuditLog.record(
                .phaseVerdictReturn, subject: subject(initiative),
                summary:
                    "Fasevurdering af \(verdict.susiPhase.danishName.lowercased()) sendt tilbage til udarbejdelse.",
                by: user, on: db, request: req)
        }
        return "Fasevurderingen er sendt tilbage til udarbejdelse."
    }

    // MARK: The criteria

    static let maximumCriteriaNote = 2000

    /// Saves a new version of a phase's criteria from the criteria form: rows of text and SUSI dimension in the
    /// order of their number; a row keeps its criterion's key (so ratings follow an edited wording), a new row
    /// gets one from its text, a cleared row is removed. `version` is the version the form was made from: a
    /// save on top of someone else's is refused with what was typed kept.
    static func saveCriteria(
        _ phase: SUSIPhase, fields: [String: String], by user: CurrentUser, req: Request
    ) async throws -> String {
        guard user.may(.editPhaseCriteria) else {
            throw PuljeError(.forbidden, "Kun styrelsens programansvarlige og administratorer ændrer fasekriterierne.")
        }
        let current = try await PhaseGateStore.currentCriteria(for: phase, on: req.db)
        let form = PhaseCriteriaForm(values: fields)
        var errors = FormErrors()
        if Int(form.value("version")) != current.version {
            throw PuljeError(
                .conflict,
                "Kriterierne er ændret af en anden, siden du åbnede siden. Åbn siden igen, og ret den nye udgave.")
        }
        let note = form.value("note")
        if note.isEmpty { errors.add("note", "Skriv, hvorfor kriterierne ændres.") }
        if note.count > maximumCriteriaNote {
            errors.add("note", "Begrundelsen må højst være \(DanishNumber.grouped(maximumCriteriaNote)) tegn.")
        }
        let rows = form.criteria(keeping: current.criteria, errors: &errors)
        for problem in PhaseGate.criteriaProblems(rows, phase: phase) { errors.add(problem.field, problem.message) }
        let criteria = rows.map(\.criterion)
        if errors.isEmpty && criteria == current.criteria {
            errors.add("criteria", "Kriterierne er de samme som før; der er intet at gemme.")
        }
        if !errors.isEmpty { throw errors }
        let version = current.version + 1
        let now = req.application.now()
        let summary = PhaseCriteriaForm.changeSummary(from: current.criteria, to: criteria)
        try await req.writeTransaction { db in
            guard
                try await PhaseGateStore.addCriteria(
                    criteria, phase: phase, version: version, note: note, by: user.name, at: now, on: db)
            else {
                throw PuljeError(
                    .conflict, "Kriterierne er netop ændret af en anden. Åbn siden igen, og ret den nye udgave.")
            }
            try await AuditLog.record(
                .phaseCriteriaSave, subject: .phaseCriteria(phase),
                summary:
                    "Kriterier for \(phase.danishName.lowercased()), udgave \(version): \(summary) Begrundelse: \(note)",
                by: user, on: db, request: req)
        }
        return "Kriterierne for \(phase.danishName.lowercased()) er gemt som udgave \(version)."
    }
}
