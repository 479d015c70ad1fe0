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
            phase: record.susiPhase, status: record.verdictStatus, assessments: record.assessments,
            outcome: record.recommendation, note: record.note, proposedBy: record.proposedBy,
            proposedAt: record.proposedAt, decision: record.decidedOutcome, decisionNote: record.decisionNote,
            decidedBy: record.decidedBy, decidedAt: record.decidedAt)
    }

    /// What a criterion can rest on: the initiative's page, its grant cases and its business cases.
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
            evidence: try await evidence(initiative, req: req), canPropose: user.may(.proposePhaseVerdict),
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
}
