import Fluent
import Foundation
import PuljeDomain

/// A grant case (tilskudssag): opened for each award when a decision is approved.
final class GrantCaseRecord: Model, @unchecked Sendable {
    static let schema = "grant_cases"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: ApplicationRecord
    @Parent(key: "call_id") var call: CallRecord
    @Parent(key: "organisation_id") var organisation: OrganisationRecord
    @Field(key: "status") var status: String
    @Field(key: "award_ore") var awardOre: Int64
    @Field(key: "project_start") var projectStart: String
    @Field(key: "project_end") var projectEnd: String
    @Field(key: "conditions") var conditions: String
    /// The approved budget, as `GrantBudget` JSON, and its version (1 is the budget applied for).
    @Field(key: "budget_json") var budgetJSON: String
    @Field(key: "budget_version") var budgetVersion: Int
    /// A revised budget the municipality submitted for approval, while the case waits for one.
    @OptionalField(key: "proposed_budget_json") var proposedBudgetJSON: String?
    @OptionalField(key: "organisation_confirmed_by") var organisationConfirmedBy: String?
    @OptionalField(key: "organisation_confirmed_at") var organisationConfirmedAt: Date?
    /// The recipient's account for payments, and who last changed it (who may then not release payments).
    @Field(key: "payee_account") var payeeAccount: String
    @OptionalField(key: "payee_account_changed_by_id") var payeeAccountChangedByID: UUID?
    @Field(key: "opened_at") var openedAt: Date

    /// The anchoring plan (forankringsplan), once delivered, and the agency's close (migration 032).
    @OptionalField(key: "anchoring_plan") var anchoringPlan: String?
    @OptionalField(key: "anchoring_plan_by") var anchoringPlanBy: String?
    @OptionalField(key: "anchoring_plan_at") var anchoringPlanAt: Date?
    @OptionalField(key: "closed_by") var closedBy: String?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "closing_note") var closingNote: String?

    init() {}

    var caseStatus: GrantCaseStatus { GrantCaseStatus(rawValue: status) ?? .active }
    var award: Money { Money(ore: awardOre) }
    func budget() throws -> GrantBudget { try JSONDecoder().decode(GrantBudget.self, from: Data(budgetJSON.utf8)) }
    func proposedBudget() throws -> GrantBudget? {
        try proposedBudgetJSON.map { try JSONDecoder().decode(GrantBudget.self, from: Data($0.utf8)) }
    }
}

/// A person in the municipality's organisation of the project.
final class GrantTeamMemberRecord: Model, @unchecked Sendable {
    static let schema = "grant_team_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var grantCase: GrantCaseRecord
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    @Field(key: "role_id") var roleID: String
    @Field(key: "team_group") var group: String
    @Field(key: "added_at") var addedAt: Date

    init() {}

    var member: TeamMember {
        TeamMember(name: name, email: email, roleID: roleID, group: TeamGroup(rawValue: group) ?? .projectGroup)
    }
}

/// Every budget a case has had: the one applied for, a revision to the award, each approved reallocation.
final class GrantBudgetVersionRecord: Model, @unchecked Sendable {
    static let schema = "grant_budget_versions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var grantCase: GrantCaseRecord
    @Field(key: "version") var version: Int
    @Field(key: "budget_json") var budgetJSON: String
    @Field(key: "reason") var reason: String
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    func budget() throws -> GrantBudget { try JSONDecoder().decode(GrantBudget.self, from: Data(budgetJSON.utf8)) }
}

/// A round of status reports the agency asks of every case of a call: a due time and the questions.
final class ReportRoundRecord: Model, @unchecked Sendable {
    static let schema = "report_rounds"

    @ID(key: .id) var id: UUID?
    @Parent(key: "call_id") var call: CallRecord
    @Field(key: "title") var title: String
    @Field(key: "due_at") var dueAt: Date
    /// The questions, as `[ReportQuestion]` JSON.
    @Field(key: "questions_json") var questionsJSON: String
    /// The final report, which must be approved before the case closes (migration 042).
    @Field(key: "is_final") var isFinal: Bool
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date

    /// A new round is an ordinary one unless made the final report.
    init() { isFinal = false }

    func questions() throws -> [ReportQuestion] {
        try JSONDecoder().decode([ReportQuestion].self, from: Data(questionsJSON.utf8))
    }
}

/// A case's status report in a round.
final class StatusReportRecord: Model, @unchecked Sendable {
    static let schema = "status_reports"

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var grantCase: GrantCaseRecord
    @Parent(key: "round_id") var round: ReportRoundRecord
    @Field(key: "status") var status: String
    /// The answers by question id, as JSON.
    @Field(key: "answers_json") var answersJSON: String
    @Field(key: "version") var version: Int
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "submitted_by") var submittedBy: String?
    @OptionalField(key: "receipt_number") var receiptNumber: String?
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @Field(key: "comment") var comment: String

    init() {}

    var reportStatus: StatusReportStatus { StatusReportStatus(rawValue: status) ?? .draft }
    func answers() -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(answersJSON.utf8))) ?? [:]
    }
}

/// A change a municipality asked for, and how it was decided.
final class ChangeRequestRecord: Model, @unchecked Sendable {
    static let schema = "change_requests"

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var grantCase: GrantCaseRecord
    @Field(key: "kind") var kind: String
    @Field(key: "description") var description: String
    /// The budget asked for, for a reallocation.
    @OptionalField(key: "budget_json") var budgetJSON: String?
    /// The new end of the project period, for an extension ("2026-12-31").
    @Field(key: "new_end") var newEnd: String
    @Field(key: "moved_ore") var movedOre: Int64
    @Field(key: "handling") var handling: String
    @Field(key: "status") var status: String
    @Field(key: "requested_by_id") var requestedByID: UUID
    @Field(key: "requested_by") var requestedBy: String
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalField(key: "first_approver_id") var firstApproverID: UUID?
    @OptionalField(key: "first_approver") var firstApprover: String?
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @Field(key: "decision_note") var decisionNote: String

    init() {}

    var changeKind: ChangeKind { ChangeKind(rawValue: kind) ?? .personnel }
    var changeHandling: ChangeHandling { ChangeHandling(rawValue: handling) ?? .approval }
    var changeStatus: ChangeStatus { ChangeStatus(rawValue: status) ?? .pending }
    func budget() throws -> GrantBudget? {
        try budgetJSON.map { try JSONDecoder().decode(GrantBudget.self, from: Data($0.utf8)) }
    }
}

/// The accounts of one project year.
final class GrantAccountsRecord: Model, @unchecked Sendable {
    static let schema = "grant_accounts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var grantCase: GrantCaseRecord
    @Field(key: "year") var year: Int
    /// Actual expenses per category, as `[String: Int64]` JSON of øre.
    @Field(key: "actual_json") var actualJSON: String
    @Field(key: "status") var status: String
    @Field(key: "auditor_statement") var auditorStatement: String
    @Field(key: "submitted_by") var submittedBy: String
    @Field(key: "submitted_at") var submittedAt: Date
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?

    init() {}

    var accountsStatus: AccountsStatus { AccountsStatus(rawValue: status) ?? .submitted }
    func actual() -> [ExpenseCategory: Money] {
        let raw = (try? JSONDecoder().decode([String: Int64].self, from: Data(actualJSON.utf8))) ?? [:]
        var result: [ExpenseCategory: Money] = [:]
        for (key, ore) in raw {
            if let category = ExpenseCategory(rawValue: key) { result[category] = Money(ore: ore) }
        }
        return result
    }
}

/// A payment of the grant: prepared by one person, released by another.
final class GrantPaymentRecord: Model, @unchecked Sendable {
    static let schema = "grant_payments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var grantCase: GrantCaseRecord
    @Field(key: "amount_ore") var amountOre: Int64
    @Field(key: "note") var note: String
    @Field(key: "status") var status: String
    @Field(key: "prepared_by_id") var preparedByID: UUID
    @Field(key: "prepared_by") var preparedBy: String
    @Field(key: "prepared_at") var preparedAt: Date
    @OptionalField(key: "released_by") var releasedBy: String?
    @OptionalField(key: "released_at") var releasedAt: Date?

    init() {}

    var amount: Money { Money(ore: amountOre) }
    var paymentStatus: PaymentStatus { PaymentStatus(rawValue: status) ?? .prepared }
}
