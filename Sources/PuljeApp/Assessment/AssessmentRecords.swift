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

/// A call's decision: the selection a programme manager proposed and a director approved.
final class DecisionRecord: Model, @unchecked Sendable {
    static let schema = "decisions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "call_id") var call: CallRecord
    @Field(key: "status") var status: String
    /// The selected applications with their granted amounts, as `[DecisionLine]` JSON.
    @Field(key: "selection_json") var selectionJSON: String
    @Field(key: "conditions") var conditions: String
    @Field(key: "note") var note: String
    @Field(key: "proposed_by_id") var proposedByID: UUID
    @Field(key: "proposed_by") var proposedBy: String
    @Field(key: "proposed_at") var proposedAt: Date
    @OptionalField(key: "approved_by") var approvedBy: String?
    @OptionalField(key: "approved_at") var approvedAt: Date?

    init() {}

    var decisionStatus: DecisionStatus { DecisionStatus(rawValue: status) ?? .proposed }

    func lines() throws -> [DecisionLine] {
        try JSONDecoder().decode([DecisionLine].self, from: Data(selectionJSON.utf8))
    }
}

struct DecisionLine: Codable, Hashable {
    var applicationID: UUID
    var grantedOre: Int64
}

/// A letter of a decision, in the municipality's case.
final class LetterRecord: Model, @unchecked Sendable {
    static let schema = "letters"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: ApplicationRecord
    @Field(key: "kind") var kind: String
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var letterKind: LetterKind { LetterKind(rawValue: kind) ?? .rejection }
}

/// The Danish text a kind of letter is made from; staff edit it.
final class LetterTemplateRecord: Model, @unchecked Sendable {
    static let schema = "letter_templates"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "body") var body: String
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

struct CreateAssessment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let application = { (builder: SchemaBuilder) in
            builder.field(
                "application_id", .uuid, .required, .references(ApplicationRecord.schema, "id", onDelete: .cascade))
        }
        try await application(database.schema(ScreeningRecord.schema).id())
            .field("outcome", .string, .required)
            .field("reason", .sql(.text), .required)
            .field("checks_json", .sql(.text), .required)
            .field("decided_by", .string, .required)
            .field("decided_at", .datetime, .required)
            .unique(on: "application_id")
            .create()
        try await application(database.schema(AssessorAssignmentRecord.schema).id())
            .field("assessor_id", .uuid, .required, .references(UserRecord.schema, "id"))
            .field("is_lead", .bool, .required)
            .field("declaration", .string)
            .field("declaration_note", .sql(.text), .required)
            .field("declared_at", .datetime)
            .field("assigned_by", .string, .required)
            .field("assigned_at", .datetime, .required)
            .unique(on: "application_id", "assessor_id")
            .create()
        try await application(database.schema(ScoreRecord.schema).id())
            .field("assessor_id", .uuid, .required, .references(UserRecord.schema, "id"))
            .field("criterion_id", .string, .required)
            .field("score", .double, .required)
            .field("justification", .sql(.text), .required)
            .field("scored_at", .datetime, .required)
            .unique(on: "application_id", "assessor_id", "criterion_id")
            .create()
        try await application(database.schema(ConsensusRecord.schema).id())
            .field("criterion_id", .string, .required)
            .field("score", .double, .required)
            .field("justification", .sql(.text), .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "application_id", "criterion_id")
            .create()
        try await application(database.schema(InformationRequestRecord.schema).id())
            .field("question", .sql(.text), .required)
            .field("reply_by", .string, .required)
            .field("requested_by", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("answer", .sql(.text))
            .field("answered_by", .string)
            .field("answered_at", .datetime)
            .create()
        try await application(database.schema(PortfolioOverrideRecord.schema).id())
            .field("call_id", .uuid, .required, .references(CallRecord.schema, "id", onDelete: .cascade))
            .field("choice", .string, .required)
            .field("granted_ore", .int64)
            .field("reason", .sql(.text), .required)
            .field("changed_by", .string, .required)
            .field("changed_at", .datetime, .required)
            .unique(on: "application_id")
            .create()
        try await database.schema(DecisionRecord.schema).id()
            .field("call_id", .uuid, .required, .references(CallRecord.schema, "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("selection_json", .sql(.text), .required)
            .field("conditions", .sql(.text), .required)
            .field("note", .sql(.text), .required)
            .field("proposed_by_id", .uuid, .required)
            .field("proposed_by", .string, .required)
            .field("proposed_at", .datetime, .required)
            .field("approved_by", .string)
            .field("approved_at", .datetime)
            .unique(on: "call_id")
            .create()
        try await application(database.schema(LetterRecord.schema).id())
            .field("kind", .string, .required)
            .field("body", .sql(.text), .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(LetterTemplateRecord.schema).id()
            .field("kind", .string, .required)
            .field("body", .sql(.text), .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "kind")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [
            LetterTemplateRecord.schema, LetterRecord.schema, DecisionRecord.schema, PortfolioOverrideRecord.schema,
            InformationRequestRecord.schema, ConsensusRecord.schema, ScoreRecord.schema,
            AssessorAssignmentRecord.schema, ScreeningRecord.schema,
        ] {
            try await database.schema(schema).delete()
        }
    }
}
