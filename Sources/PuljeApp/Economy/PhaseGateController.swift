import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// HTTP for the SUSI phase gate: thin, the rules are in `PhaseGate` and the writes in `PhaseGateActions`.
enum PhaseGateController {
    static func initiative(_ req: Request) async throws -> Initiative {
        guard let year = req.parameters.get("year", as: Int.self), let number = req.parameters.get("number"),
            let found = try await CatalogueStore.find(year: year, number: number, on: req.db)
        else { throw PuljeError(.notFound, "Initiativet findes ikke.") }
        return found
    }

    static func verdict(_ record: PhaseVerdictRecord) -> PhaseGatePages.Verdict {
        .init(
            phase: record.susiPhase, criteria: record.criteria, status: record.verdictStatus,
            assessments: record.assessments,
            outcome: record.recommendation, note: record.note, proposedBy: record.proposedBy,
            proposedAt: record.proposedAt, decision: record.decidedOutcome, decisionNote: record.decisionNote,
            decidedBy: record.decidedBy, decidedAt: record.decidedAt)
    }

    /// What a criterion can rest on: the initiative's page, its grant cases (implementation, attendance,
    /// accounts), its business cases and the evaluations of its calls.
    static func evidence(_ initiative: Initiative, req: Request) async throws -> PhaseGateActions.Evidence {
        let number = initiative.number.description
        var evidence: PhaseGateActions.Evidence = [
            (
                SiteURL.initiative(year: initiative.programmeYear, number: number).path,
                "Initiativets beskrivelse, budget og tidsplan"
            ),
            (
                SiteURL.initiativeGrantOverview(number).path,
                "Tilskudssagerne: implementering, fremmøde, regnskaber og forbrug"
            ),
        ]
        for businessCase in try await BusinessCaseStore.of(year: initiative.programmeYear, number: number, on: req.db) {
            evidence.append((SiteURL.businessCase(businessCase.id).path, "Business case: \(businessCase.title)"))
        }
        // The evaluations of the calls under the initiative: their overviews show aggregates only, with small
        // cells withheld, to every reader of the gate.
        for evaluation in try await EvaluationStore.evaluations(on: req.db)
        where evaluation.call.initiativeNumber == number {
            evidence.append((SiteURL.evaluation(try evaluation.requireID()).path, "Evaluering: \(evaluation.title)"))
        }
        return evidence
    }

    static func gatePage(
        _ req: Request, user: CurrentUser, initiative: Initiative, errors: FormErrors = FormErrors(),
        posted: [FormPair]? = nil
    ) async throws -> Node {
        let records = try await PhaseGateStore.verdicts(
            year: initiative.programmeYear, number: initiative.number.description, on: req.db)
        let current = records.first { $0.susiPhase == initiative.phase && $0.verdictStatus != .decided }
        let model = PhaseGatePages.GateModel(
            initiative: initiative, current: current.map(verdict),
            decided: records.filter { $0.verdictStatus == .decided }.map(verdict),
            evidence: try await evidence(initiative, req: req),
            criteria: try await PhaseGateStore.currentCriteria(for: initiative.phase, on: req.db).criteria,
            canPropose: user.may(.proposePhaseVerdict),
            canDecide: user.may(.decidePhaseVerdict), isProposer: current?.proposedByID == user.id)
        return PhaseGatePages.gate(model, errors: errors, posted: posted, context: req.pageContext())
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.authorize(.readPhaseVerdicts)
        return try await gatePage(req, user: user, initiative: try await initiative(req)).encodeResponse(for: req)
    }

    /// Runs a use case on the initiative of the path; back to the gate, or the gate with the refused input.
    static func act(
        _ req: Request, _ action: (Initiative, CurrentUser, [FormPair]) async throws -> String
    ) async throws -> Response {
        let user = try req.requireUser()
        let found = try await initiative(req)
        let pairs = req.urlEncodedPairs ?? []
        do {
            req.flash(try await action(found, user, pairs))
            return req.redirect(
                to: SiteURL.phaseGate(year: found.programmeYear, number: found.number.description).path)
        } catch let errors as FormErrors {
            return try await gatePage(req, user: user, initiative: found, errors: errors, posted: pairs)
                .response(status: .unprocessableEntity)
        }
    }

    @Sendable static func save(req: Request) async throws -> Response {
        try await act(req) { initiative, user, pairs in
            try await PhaseGateActions.save(
                initiative, pairs: pairs, evidence: try await evidence(initiative, req: req),
                propose: pairs.last { $0.key == "act" }?.value == "propose", by: user, req: req)
        }
    }

    @Sendable static func decide(req: Request) async throws -> Response {
        try await act(req) { initiative, user, pairs in
            try await PhaseGateActions.decide(
                initiative, fields: FormPair.fields(pairs),
                by: user, req: req)
        }
    }

    @Sendable static func sendBack(req: Request) async throws -> Response {
        try await act(req) { initiative, user, _ in try await PhaseGateActions.sendBack(initiative, by: user, req: req)
        }
    }

    @Sendable static func publicVerdicts(req: Request) async throws -> Response {
        let found = try await initiative(req)
        let decided = try await PhaseGateStore.verdicts(
            year: found.programmeYear, number: found.number.description, on: req.db
        ).filter { $0.verdictStatus == .decided }.map(verdict)
        return PhaseGatePages.publicVerdicts(found, decided: decided, context: req.pageContext()).response(status: .ok)
    }

    @Sendable static func pipeline(req: Request) async throws -> Response {
        try req.authorize(.readPhaseVerdicts)
        let all = try await CatalogueStore.all(on: req.db)
        let years = Array(Set(all.map(\.programmeYear))).sorted()
        let year =
            (try? req.query.get(Int.self, at: "aar")).flatMap { years.contains($0) ? $0 : nil } ?? years.last ?? 2022
        let verdicts = try await PhaseGateStore.all(on: req.db)
        let rows = all.filter { $0.programmeYear == year }.map { initiative -> PhaseGatePages.PipelineRow in
            let own = verdicts.filter {
                $0.initiativeYear == initiative.programmeYear && $0.initiativeNumber == initiative.number.description
            }
            let current = own.first { $0.susiPhase == initiative.phase && $0.verdictStatus != .decided }
            let last = own.filter { $0.verdictStatus == .decided }.max {
                ($0.decidedAt ?? .distantPast) < ($1.decidedAt ?? .distantPast)
            }
            return .init(
                initiative: initiative, current: current?.verdictStatus,
                lastDecision: last.map { PhaseGatePages.decisionLine(verdict($0)) })
        }
        return PhaseGatePages.pipeline(rows, year: year, years: years, context: req.pageContext()).response(status: .ok)
    }

    // MARK: The criteria

    /// The phases with a gate, in order.
    static let gatedPhases = SUSIPhase.allCases.filter { PhaseGate.next(after: $0) != nil }

    @Sendable static func criteria(req: Request) async throws -> Response {
        let user = try req.authorize(.readPhaseVerdicts)
        var phases: [PhaseCriteriaPages.PhaseModel] = []
        for phase in gatedPhases {
            let history = try await PhaseGateStore.criteriaHistory(for: phase, on: req.db)
            let standard = PhaseGateStore.CriteriaSet(
                phase: phase, version: 0, criteria: PhaseGate.standardCriteria(for: phase))
            phases.append(
                .init(
                    current: history.first ?? standard,
                    earlier: history.isEmpty ? [] : Array(history.dropFirst()) + [standard]))
        }
        return PhaseCriteriaPages.list(phases, canEdit: user.may(.editPhaseCriteria), context: req.pageContext())
            .response(status: .ok)
    }

    static func criteriaPhase(_ req: Request) throws -> SUSIPhase {
        guard let phase = req.parameters.get("phase").flatMap(SUSIPhase.init(rawValue:)),
            gatedPhases.contains(phase)
        else { throw PuljeError(.notFound, "Fasen findes ikke eller har ingen kriterier.") }
        return phase
    }

    @Sendable static func editCriteria(req: Request) async throws -> Response {
        try req.authorize(.editPhaseCriteria)
        let phase = try criteriaPhase(req)
        let current = try await PhaseGateStore.currentCriteria(for: phase, on: req.db)
        let model = PhaseCriteriaPages.EditModel(
            phase: phase, version: current.version,
            form: PhaseCriteriaForm(current.criteria, version: current.version), conflict: nil)
        return PhaseCriteriaPages.edit(model, errors: FormErrors(), context: req.pageContext()).response(status: .ok)
    }

    @Sendable static func saveCriteria(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let phase = try criteriaPhase(req)
        let posted = req.formFields
        var model = PhaseCriteriaPages.EditModel(
            phase: phase, version: Int(posted["version"] ?? "") ?? 0, form: PhaseCriteriaForm(values: posted),
            conflict: nil)
        do {
            req.flash(try await PhaseGateActions.saveCriteria(phase, fields: posted, by: user, req: req))
            return req.redirect(to: SiteURL.phaseCriteria.path + "#\(phase.rawValue)")
        } catch let errors as FormErrors {
            return PhaseCriteriaPages.edit(model, errors: errors, context: req.pageContext())
                .response(status: .unprocessableEntity)
        } catch let error as PuljeError where error.status == .conflict {
            // What was typed stays in the form, now on the version in force: saving again replaces it knowingly.
            model.conflict =
                error.reason
                + " Det, du har skrevet, står nedenfor; se den gældende udgave under Fasernes kriterier. Tryk Gem kriterierne for at gemme dit alligevel."
            model.version = try await PhaseGateStore.currentCriteria(for: phase, on: req.db).version
            return PhaseCriteriaPages.edit(model, errors: FormErrors(), context: req.pageContext())
                .response(status: .conflict)
        }
    }
}
