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

    static func encode(_ assessments: [CriterionAssessment]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(assessments), as: UTF8.self)
    }

    /// Saves the draft of the phase's verdict, made on first save; false when it is no longer a draft.
    static func saveDraft(
        year: Int, number: String, phase: SUSIPhase, assessments: [CriterionAssessment], outcome: GateOutcome?,
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
}
