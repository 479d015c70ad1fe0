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
        let id = try record.requireID()
        let access = GrantCaseAccess.of(
            user.actor, ownOrganisation: record.$organisation.id == user.organisationID, status: record.caseStatus)
        guard access.mayRead else { return nil }
        let rules = try record.call.rules()
        let content = try? record.application.submittedContent()
        var found = GrantCase(
            record: record, callTitle: record.call.title, organisationName: record.organisation.name,
            projectTitle: content?.projectTitle ?? "", terms: rules.terms, years: rules.projectYears,
            categories: rules.budget.eligibleCategories, access: access, now: now)
        found.members = try await GrantStore.members(of: id, on: db)
        found.rounds = try await GrantStore.rounds(of: record.$call.id, on: db)
        found.reports = Dictionary(
            uniqueKeysWithValues: try await GrantStore.reports(of: id, on: db).map { ($0.$round.id, $0) })
        found.changes = try await GrantStore.changes(of: id, on: db)
        found.accounts = try await GrantStore.accounts(of: id, on: db)
        found.payments = try await GrantStore.payments(of: id, on: db)
        found.activities = try await ActivityStore.activities(of: record.$call.id, on: db)
        found.participants = try await ActivityStore.participants(of: id, on: db)
        if full {
            found.budgetVersions = try await GrantStore.budgetVersions(of: id, on: db)
            let entries = try await AuditLog.history(of: .grantCase(id), on: db)
            found.timeline = AuditHistory.rows(
                entries, reader: CaseHistoryReader(actor: user.actor), readerOrganisation: user.organisationID)
        }
        return found
    }
}
