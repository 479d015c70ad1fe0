import Fluent
import Foundation
import PuljeDomain

/// The verdict on an initiative at the end of one SUSI phase.
final class PhaseVerdictRecord: Model, @unchecked Sendable {
    static let schema = "phase_verdicts"

    @ID(key: .id) var id: UUID?
    @Field(key: "initiative_year") var initiativeYear: Int
    @Field(key: "initiative_number") var initiativeNumber: String
    /// The phase judged (the one the initiative was in).
    @Field(key: "phase") var phase: String
    @Field(key: "status") var status: String
    /// `[CriterionAssessment]` as JSON.
    @Field(key: "assessments_json") var assessmentsJSON: String
    /// The programme manager's recommendation (`GateOutcome`).
    @OptionalField(key: "outcome") var outcome: String?
    @Field(key: "note") var note: String
    @OptionalField(key: "proposed_by_id") var proposedByID: UUID?
    @OptionalField(key: "proposed_by") var proposedBy: String?
    @OptionalField(key: "proposed_at") var proposedAt: Date?
    @OptionalField(key: "decision") var decision: String?
    @OptionalField(key: "decision_note") var decisionNote: String?
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    /// The criteria the verdict was rated against (`[PhaseCriterion]` as JSON); nil for verdicts saved before
    /// criteria were data, which were rated against the standard set.
    @OptionalField(key: "criteria_json") var criteriaJSON: String?
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var susiPhase: SUSIPhase { SUSIPhase(rawValue: phase) ?? .screening }
    var verdictStatus: VerdictStatus { VerdictStatus(rawValue: status) ?? .draft }
    var recommendation: GateOutcome? { outcome.flatMap(GateOutcome.init(rawValue:)) }
    var decidedOutcome: GateOutcome? { decision.flatMap(GateOutcome.init(rawValue:)) }
    /// The criteria this verdict was rated against.
    var criteria: [PhaseCriterion] {
        criteriaJSON.flatMap { try? JSONDecoder().decode([PhaseCriterion].self, from: Data($0.utf8)) }
            ?? PhaseGate.standardCriteria(for: susiPhase)
    }
    var assessments: [CriterionAssessment] {
        (try? JSONDecoder().decode([CriterionAssessment].self, from: Data(assessmentsJSON.utf8))) ?? []
    }
}

/// One version of a phase's criteria, as the agency set them.
final class PhaseCriteriaRecord: Model, @unchecked Sendable {
    static let schema = "phase_criteria"

    @ID(key: .id) var id: UUID?
    @Field(key: "phase") var phase: String
    @Field(key: "version") var version: Int
    /// `[PhaseCriterion]` as JSON.
    @Field(key: "criteria_json") var criteriaJSON: String
    /// Why the criteria were changed.
    @Field(key: "note") var note: String
    @Field(key: "changed_by") var changedBy: String
    @Field(key: "changed_at") var changedAt: Date

    init() {}

    var criteria: [PhaseCriterion] {
        (try? JSONDecoder().decode([PhaseCriterion].self, from: Data(criteriaJSON.utf8))) ?? []
    }
}
