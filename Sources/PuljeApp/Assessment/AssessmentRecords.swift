import Fluent
import Foundation
import PuljeDomain
import SQLKit
import Vapor

/// A person's formal screening decision on one application, with the automatic checks they saw.
final class ScreeningRecord: Model, @unchecked Sendable {
    static let schema = "screenings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: ApplicationRecord
    @Field(key: "outcome") var outcome: String
    @Field(key: "reason") var reason: String
    @Field(key: "checks_json") var checksJSON: String
    @Field(key: "decided_by") var decidedBy: String
    @Field(key: "decided_at") var decidedAt: Date

    init() {}

    var screeningOutcome: ScreeningOutcome { ScreeningOutcome(rawValue: outcome) ?? .screenedOut }
}

/// An assessor on an application, and what they declared about conflicts of interest.
final class AssessorAssignmentRecord: Model, @unchecked Sendable {
    static let schema = "assessor_assignments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: ApplicationRecord
    @Parent(key: "assessor_id") var assessor: UserRecord
    @Field(key: "is_lead") var isLead: Bool
    @OptionalField(key: "declaration") var declaration: String?
    @Field(key: "declaration_note") var declarationNote: String
    @OptionalField(key: "declared_at") var declaredAt: Date?
    @Field(key: "assigned_by") var assignedBy: String
    @Field(key: "assigned_at") var assignedAt: Date

    init() {}

    var conflictDeclaration: ConflictDeclaration? { declaration.flatMap(ConflictDeclaration.init(rawValue:)) }
    var access: ConflictGate.Access { ConflictGate.access(declaration: conflictDeclaration) }
}

/// One assessor's score on one criterion.
final class ScoreRecord: Model, @unchecked Sendable {
    static let schema = "assessment_scores"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: ApplicationRecord
    @Parent(key: "assessor_id") var assessor: UserRecord
    @Field(key: "criterion_id") var criterionID: String
    @Field(key: "score") var score: Double
    @Field(key: "justification") var justification: String
    @Field(key: "scored_at") var scoredAt: Date

    init() {}
}

/// The agreed score on one criterion, recorded by the lead assessor.
final class ConsensusRecord: Model, @unchecked Sendable {
    static let schema = "consensus_scores"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: ApplicationRecord
    @Field(key: "criterion_id") var criterionID: String
    @Field(key: "score") var score: Double
    @Field(key: "justification") var justification: String
    @Field(key: "recorded_by") var recordedBy: String
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}
}

/// The agency's request for more information, and the applicant's answer. The application stays as submitted.
final class InformationRequestRecord: Model, @unchecked Sendable {
    static let schema = "information_requests"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: ApplicationRecord
    @Field(key: "question") var question: String
    /// The local date by which the answer is wanted ("2026-12-01").
    @Field(key: "reply_by") var replyBy: String
    @Field(key: "requested_by") var requestedBy: String
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalField(key: "answer") var answer: String?
    @OptionalField(key: "answered_by") var answeredBy: String?
    @OptionalField(key: "answered_at") var answeredAt: Date?

    init() {}
}

/// A staff adjustment of the proposal for one application: a granted amount below the requested one,
/// or forcing it in or out. Each carries its reason.
final class PortfolioOverrideRecord: Model, @unchecked Sendable {
    static let schema = "portfolio_overrides"

    @ID(key: .id) var id: UUID?
    @Parent(key: "call_id") var call: CallRecord
    @Parent(key: "application_id") var application: ApplicationRecord
    /// "include", "exclude" or "" for the solver's choice.
    @Field(key: "choice") var choice: String
    @OptionalField(key: "granted_ore") var grantedOre: Int64?
    @Field(key: "reason") var reason: String
    @Field(key: "changed_by") var changedBy: String
    @Field(key: "changed_at") var changedAt: Date

    init() {}
}

extension AssessorAssignmentRecord {
    convenience init(application: UUID, assessor: UUID, lead: Bool, by name: String, at now: Date) {
        self.init()
        self.$application.id = application
        self.$assessor.id = assessor
        self.isLead = lead
        self.declarationNote = ""
        self.assignedBy = name
        self.assignedAt = now
    }
}
