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
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var susiPhase: SUSIPhase { SUSIPhase(rawValue: phase) ?? .screening }
    var verdictStatus: VerdictStatus { VerdictStatus(rawValue: status) ?? .draft }
    var recommendation: GateOutcome? { outcome.flatMap(GateOutcome.init(rawValue:)) }
    var decidedOutcome: GateOutcome? { decision.flatMap(GateOutcome.init(rawValue:)) }
    var assessments: [CriterionAssessment] {
        (try? JSONDecoder().decode([CriterionAssessment].self, from: Data(assessmentsJSON.utf8))) ?? []
    }
}
