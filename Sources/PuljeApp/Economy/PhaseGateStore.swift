import Fluent
import Foundation
import PuljeDomain
import SQLKit

/// Every query and write of the phase verdicts, and the one write of an initiative's phase they lead to.
enum PhaseGateStore {
    static func verdicts(year: Int, number: String, on db: any Database) async throws -> [PhaseVerdictRecord] {
        try await PhaseVerdictRecord.query(on: db).filter(\.$initiativeYear == year)
            .filter(\.$initiativeNumber == number).sort(\.$updatedAt, .descending).all()
    }

    static func all(on db: any Database) async throws -> [PhaseVerdictRecord] {
        try await PhaseVerdictRecord.query(on: db).sort(\.$updatedAt, .descending).all()
    }

    static func encode<Value: Encodable>(_ assessments: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(assessments), as: UTF8.self)
    }

    /// Saves the draft of the phase's verdict, made on first save; false when it is no longer a draft.
    static func saveDraft(
        year: Int, number: String, phase: SUSIPhase, criteria: [PhaseCriterion], assessments: [CriterionAssessment],
        outcome: GateOutcome?,
        note: String, propose: (id: UUID, name: String)?, by name: String, at now: Date, on db: any Database
    ) async throws -> Bool {
        let existing = try await PhaseVerdictRecord.query(on: db).filter(\.$initiativeYear == year)
            .filter(\.$initiativeNumber == number).filter(\.$phase == phase.rawValue).first()
        let record = existing ?? PhaseVerdictRecord()
        if existing != nil && record.verdictStatus != .draft { return false }
        record.initiativeYear = year
        record.initiativeNumber = number
        record.phase = phase.rawValue
        record.status = (propose == nil ? VerdictStatus.draft : .proposed).rawValue
        record.assessmentsJSON = try encode(assessments)
        record.criteriaJSON = try encode(criteria)
        record.outcome = outcome?.rawValue
        record.note = note
        if let propose {
            record.proposedByID = propose.id
            record.proposedBy = propose.name
            record.proposedAt = now
        }
        record.updatedBy = name
        record.updatedAt = now
        try await record.save(on: db)
        return true
    }

    /// Records the decision on a proposed verdict; false when it is not (or no longer) proposed.
    static func decide(
        _ id: UUID, outcome: GateOutcome, note: String, by name: String, at now: Date, on db: any Database
    ) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: PhaseVerdictRecord.schema) SET \(ident: "status") = \(bind: VerdictStatus.decided.rawValue),
            \(ident: "decision") = \(bind: outcome.rawValue), \(ident: "decision_note") = \(bind: note),
            \(ident: "decided_by") = \(bind: name), \(ident: "decided_at") = \(bind: now),
            \(ident: "updated_by") = \(bind: name), \(ident: "updated_at") = \(bind: now)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "status") = \(bind: VerdictStatus.proposed.rawValue)
            RETURNING \(ident: "id")
            """)
    }

    /// Sends a proposed verdict back to draft (the decider does not agree with how it is written).
    static func returnToDraft(_ id: UUID, by name: String, at now: Date, on db: any Database) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: PhaseVerdictRecord.schema) SET \(ident: "status") = \(bind: VerdictStatus.draft.rawValue),
            \(ident: "updated_by") = \(bind: name), \(ident: "updated_at") = \(bind: now)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "status") = \(bind: VerdictStatus.proposed.rawValue)
            RETURNING \(ident: "id")
            """)
    }

    /// Moves the initiative to its next phase, only from the phase judged; false if it was already moved.
    static func movePhase(
        year: Int, number: String, from old: SUSIPhase, to new: SUSIPhase, at now: Date, on db: any Database
    ) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: InitiativeRecord.schema) SET \(ident: "phase") = \(bind: new.rawValue),
            \(ident: "updated_at") = \(bind: now)
            WHERE \(ident: "programme_year") = \(bind: year) AND \(ident: "number") = \(bind: number)
            AND \(ident: "phase") = \(bind: old.rawValue) RETURNING \(ident: "id")
            """)
    }

    // MARK: The criteria

    /// A phase's criteria in force: the newest version the agency saved, or the standard set (version 0).
    struct CriteriaSet {
        var phase: SUSIPhase
        var version: Int
        var criteria: [PhaseCriterion]
        var note: String?
        var changedBy: String?
        var changedAt: Date?
    }

    static func criteriaSet(_ record: PhaseCriteriaRecord, phase: SUSIPhase) -> CriteriaSet {
        .init(
            phase: phase, version: record.version, criteria: record.criteria, note: record.note,
            changedBy: record.changedBy, changedAt: record.changedAt)
    }

    static func currentCriteria(for phase: SUSIPhase, on db: any Database) async throws -> CriteriaSet {
        if let record = try await PhaseCriteriaRecord.query(on: db).filter(\.$phase == phase.rawValue)
            .sort(\.$version, .descending).first()
        {
            return criteriaSet(record, phase: phase)
        }
        return .init(phase: phase, version: 0, criteria: PhaseGate.standardCriteria(for: phase))
    }

    /// Every saved version of a phase's criteria, newest first (the standard set is version 0, not stored).
    static func criteriaHistory(for phase: SUSIPhase, on db: any Database) async throws -> [CriteriaSet] {
        try await PhaseCriteriaRecord.query(on: db).filter(\.$phase == phase.rawValue).sort(\.$version, .descending)
            .all().map { criteriaSet($0, phase: phase) }
    }

    /// Stores a new version of a phase's criteria; false when that version exists (someone saved first: the
    /// unique key decides, so two saves at the same moment give one version and one conflict).
    static func addCriteria(
        _ criteria: [PhaseCriterion], phase: SUSIPhase, version: Int, note: String, by name: String, at now: Date,
        on db: any Database
    ) async throws -> Bool {
        try await db.changedRow(
            """
            INSERT INTO \(ident: PhaseCriteriaRecord.schema) (\(ident: "id"), \(ident: "phase"), \(ident: "version"),
            \(ident: "criteria_json"), \(ident: "note"), \(ident: "changed_by"), \(ident: "changed_at"))
            VALUES (\(bind: UUID()), \(bind: phase.rawValue), \(bind: version), \(bind: try encode(criteria)),
            \(bind: note), \(bind: name), \(bind: now))
            ON CONFLICT DO NOTHING RETURNING \(ident: "id")
            """)
    }
}
