import Fluent
import Foundation
import PuljeDomain
import Vapor

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
    /// The reference printed in the letterhead, as it was when the letter was written (nil before 029).
    @OptionalField(key: "journal_number") var journalNumber: String?

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
