import Fluent
import Foundation
import PuljeDomain
import Vapor

/// A grant case with everything its page shows: organisation, budgets, reports, changes, accounts, payments
/// and the timeline. Built by `open` (which asks `GrantCaseAccess`) or, in tests, from a fixture.
struct GrantCase {
    var record: GrantCaseRecord
    var callTitle: String
    var organisationName: String
    var projectTitle: String
    var terms: GrantTerms
    /// The call's project years and categories, for budgets.
    var years: ClosedRange<Int>?
    var categories: [ExpenseCategory]
    var access: GrantCaseAccess
    var members: [GrantTeamMemberRecord] = []
    var budgetVersions: [GrantBudgetVersionRecord] = []
    var rounds: [ReportRoundRecord] = []
    /// The case's reports by round id.
    var reports: [UUID: StatusReportRecord] = [:]
    var changes: [ChangeRequestRecord] = []
    var accounts: [GrantAccountsRecord] = []
    var payments: [GrantPaymentRecord] = []
    /// The call's activities, and the case's registrations for them.
    var activities: [GrantActivityRecord] = []
    var participants: [ActivityParticipantRecord] = []
    var timeline: [AuditHistory.Row] = []
    var now: Date

    var id: UUID { record.id! }
    var status: GrantCaseStatus { record.caseStatus }
    var award: Money { record.award }
    var budget: GrantBudget { (try? record.budget()) ?? GrantBudget([]) }
    var proposedBudget: GrantBudget? { try? record.proposedBudget() }
    /// Whether the call grants money (and so has a budget, accounts and payments) or participation only.
    var grantsMoney: Bool { award > .zero }

    var missingRoles: [TeamRole] { TeamComposition.missingRoles(terms.teamRoles, members: members.map(\.member)) }
    var committedPayments: Money { payments.filter { $0.paymentStatus != .cancelled }.map(\.amount).sum() }
    var releasedPayments: Money { payments.filter { $0.paymentStatus == .released }.map(\.amount).sum() }
    var approvedExpenses: Money {
        accounts.filter { $0.accountsStatus == .approved }.flatMap { $0.actual().values }.sum()
    }
    var repayment: Money {
        Repayment.due(paid: releasedPayments, approvedExpenses: approvedExpenses, award: award)
    }
    var needsAuditorStatement: Bool { Repayment.needsAuditorStatement(award: award, terms: terms) }

    /// What stands in the way of closing the case (`GrantClosing`).
    var closingFacts: ClosingFacts {
        ClosingFacts(
            anchoringPlanDelivered: record.anchoringPlanAt != nil,
            finalReportRequested: rounds.contains(where: \.isFinal),
            reportsNotApproved: rounds.filter { reports[$0.id!]?.reportStatus != .approved }.map(\.title),
            yearsWithoutApprovedAccounts: grantsMoney
                ? (years.map(Array.init) ?? []).filter { year in
                    !accounts.contains { $0.year == year && $0.accountsStatus == .approved }
                } : [],
            undecidedChanges: changes.filter { $0.changeStatus.isOpen }.count,
            unreleasedPayments: payments.filter { $0.paymentStatus == .prepared }.count)
    }

    /// The case's registrations for an activity.
    func participants(of activity: GrantActivityRecord) -> [ActivityParticipantRecord] {
        participants.filter { $0.$activity.id == activity.id }
    }

    /// The mandatory activities held so far and whether the municipality attended each.
    var obligations: AttendanceObligations {
        AttendanceObligations.of(
            activities.map { activity in
                (activity.title, activity.startsAt, activity.mandatory, participants(of: activity).map(\.attended))
            }, at: now)
    }

    /// What is due next, soonest first: reports not delivered, the organisation to confirm, a revised budget.
    var dueItems: [(text: String, state: DueState, due: Date?)] {
        var items: [(String, DueState, Date?)] = []
        if status == .revisedBudgetDue {
            items.append(("Revideret budget, der giver tilskuddet", proposedBudget == nil ? .dueSoon : .done, nil))
        }
        if record.organisationConfirmedAt == nil {
            items.append(("Organiseringen skal godkendes af en tegningsberettiget", .dueSoon, nil))
        }
        for activity in activities where activity.mandatory && activity.startsAt > now {
            if participants(of: activity).isEmpty {
                items.append(
                    (
                        "Tilmeld deltagere: \(activity.title)",
                        DueState.of(due: activity.startsAt, done: false, at: now), activity.startsAt
                    ))
            }
        }
        for round in rounds {
            let delivered = reports[round.id!]?.reportStatus.isDelivered ?? false
            items.append((round.title, DueState.of(due: round.dueAt, done: delivered, at: now), round.dueAt))
        }
        return items.filter { $0.1 != .done }.sorted { ($0.2 ?? .distantPast) < ($1.2 ?? .distantPast) }
    }

    /// Opens the case of the request's path for a user who may see it; "not found" for anyone else, so that
    /// nobody learns whether another municipality's case exists.
    static func open(_ req: Request, full: Bool = true) async throws -> GrantCase {
        let user = try req.requireUser()
        guard let id = req.parameters.get("caseID", as: UUID.self),
            let record = try await GrantStore.grantCase(id, on: req.db)
        else { throw PuljeError(.notFound, "Tilskudssagen findes ikke.") }
        guard let found = try await load(record, for: user, full: full, at: req.application.now(), on: req.db) else {
            throw PuljeError(.notFound, "Tilskudssagen findes ikke.")
        }
        return found
    }

    /// The case with what its page shows, for a user who may see it; nil for anyone else. `full` adds the
    /// budget versions and the timeline.
    static func load(
        _ record: GrantCaseRecord, for user: CurrentUser, full: Bool, at now: Date, on db: any Database
    ) async throws -> GrantCase? {
        guard var found = try await load([record], for: user, at: now, on: db).first else { return nil }
        if full {
            found.budgetVersions = try await GrantStore.budgetVersions(of: found.id, on: db)
            let entries = try await AuditLog.history(of: .grantCase(found.id), on: db)
            found.timeline = AuditHistory.rows(
                entries, reader: CaseHistoryReader(actor: user.actor), readerOrganisation: user.organisationID)
        }
        return found
    }

    /// The cases the user may see, each with what a list needs to say what is due next: the related rows of
    /// all of them in one query per kind (Mine sager shows 20 cases with 8 queries, not 160).
    static func load(
        _ records: [GrantCaseRecord], for user: CurrentUser, at now: Date, on db: any Database
    ) async throws -> [GrantCase] {
        let readable = records.compactMap { record -> (GrantCaseRecord, GrantCaseAccess)? in
            let access = GrantCaseAccess.of(
                user.actor, ownOrganisation: record.$organisation.id == user.organisationID, status: record.caseStatus)
            return access.mayRead ? (record, access) : nil
        }
        let ids = try readable.map { try $0.0.requireID() }
        let calls = Array(Set(readable.map { $0.0.$call.id }))
        let members = Dictionary(grouping: try await GrantStore.members(ofCases: ids, on: db)) { $0.$grantCase.id }
        let rounds = Dictionary(grouping: try await GrantStore.rounds(ofCalls: calls, on: db)) { $0.$call.id }
        let reports = Dictionary(grouping: try await GrantStore.reports(ofCases: ids, on: db)) { $0.$grantCase.id }
        let changes = Dictionary(grouping: try await GrantStore.changes(ofCases: ids, on: db)) { $0.$grantCase.id }
        let accounts = Dictionary(grouping: try await GrantStore.accounts(ofCases: ids, on: db)) { $0.$grantCase.id }
        let payments = Dictionary(grouping: try await GrantStore.payments(ofCases: ids, on: db)) { $0.$grantCase.id }
        let activities = Dictionary(grouping: try await ActivityStore.activities(ofCalls: calls, on: db)) {
            $0.$call.id
        }
        let participants = Dictionary(grouping: try await ActivityStore.participants(ofCases: ids, on: db)) {
            $0.$grantCase.id
        }
        return try readable.map { record, access in
            let id = try record.requireID()
            let rules = try record.call.rules()
            let content = try? record.application.submittedContent()
            var found = GrantCase(
                record: record, callTitle: record.call.title, organisationName: record.organisation.name,
                projectTitle: content?.projectTitle ?? "", terms: rules.terms, years: rules.projectYears,
                categories: rules.budget.eligibleCategories, access: access, now: now)
            found.members = members[id] ?? []
            found.rounds = rounds[record.$call.id] ?? []
            found.reports = Dictionary(uniqueKeysWithValues: (reports[id] ?? []).map { ($0.$round.id, $0) })
            found.changes = changes[id] ?? []
            found.accounts = accounts[id] ?? []
            found.payments = payments[id] ?? []
            found.activities = activities[record.$call.id] ?? []
            found.participants = participants[id] ?? []
            return found
        }
    }
}
