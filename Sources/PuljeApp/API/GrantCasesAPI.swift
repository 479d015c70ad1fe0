import Fluent
import Foundation
import PuljeDomain
import Vapor

/// `/api/v1/grant-cases`: the grant cases the signed-in user may read (a municipality its own, the agency
/// every one), each with what is due next; and one case with its organisation, reports, activities and
/// payments. Read only; the same access rule as the pages (`GrantCaseAccess`), 404 for another's case.
enum GrantCasesAPI {
    struct DueItem: Content {
        var text: String
        /// "upcoming", "dueSoon" or "overdue".
        var state: String
        var due: Date?
    }

    struct GrantCaseSummary: Content {
        var id: UUID
        var callId: UUID
        var callTitle: String
        var organisation: String
        var projectTitle: String
        /// "revisedBudgetDue", "active" or "closed".
        var status: String
        var statusText: String
        /// The award in øre; 0 where the call grants participation, not money.
        var awardOre: Int64
        var projectStart: String
        var projectEnd: String
        var due: [DueItem]
    }

    /// A page of grant cases (50, by call and recipient); `next` continues after its last (`?efter=`).
    struct GrantCaseList: Content {
        var items: [GrantCaseSummary]
        var count: Int
        var next: String?
    }

    struct Member: Content {
        var name: String
        var role: String
        var group: String
    }

    struct Report: Content {
        var roundId: UUID
        var title: String
        var due: Date
        /// "missing", or the report's status: "draft", "submitted", "approved", "returned".
        var status: String
    }

    struct Participant: Content {
        var name: String
        var role: String
        /// nil until attendance is recorded.
        var attended: Bool?
    }

    struct Activity: Content {
        var id: UUID
        var kind: String
        var title: String
        var startsAt: Date
        var endsAt: Date
        var place: String
        var mandatory: Bool
        var participants: [Participant]
    }

    struct GrantCaseDetail: Content {
        var grantCase: GrantCaseSummary
        var budgetVersion: Int
        var members: [Member]
        var missingRoles: [String]
        var organisationConfirmed: Bool
        var reports: [Report]
        var activities: [Activity]
        var mandatoryActivitiesHeld: Int
        var mandatoryActivitiesAttended: Int
        var paymentsCommittedOre: Int64
        var paymentsReleasedOre: Int64
    }

    static func state(_ state: DueState) -> String {
        switch state {
        case .done: "done"
        case .upcoming: "upcoming"
        case .dueSoon: "dueSoon"
        case .overdue: "overdue"
        }
    }

    static func summary(_ found: GrantCase) -> GrantCaseSummary {
        GrantCaseSummary(
            id: found.id, callId: found.record.$call.id, callTitle: found.callTitle,
            organisation: found.organisationName, projectTitle: found.projectTitle, status: found.status.rawValue,
            statusText: found.status.danishName, awardOre: found.award.ore, projectStart: found.record.projectStart,
            projectEnd: found.record.projectEnd,
            due: found.dueItems.map { DueItem(text: $0.text, state: state($0.state), due: $0.due) })
    }

    @Sendable static func index(req: Request) async throws -> GrantCaseList {
        let user = try req.requireUser()
        guard user.may(.readGrantCase) else { throw PuljeError(.forbidden, "Du har ikke adgang til tilskudssager.") }
        let staff = user.may(.readGrantCase, ownedBy: UUID())
        // A page at a time in the list's order (the agency has every case of years of calls); a cursor that is
        // not one from `next` is refused rather than read as the first page.
        var query = GrantCaseListQuery()
        if let typed = req.queryFields["efter"] {
            query = GrantCaseListQuery(parameters: ["efter": typed])
            guard query.after != nil else {
                throw PuljeError(.badRequest, "efter skal være værdien af next fra den forrige side.")
            }
        }
        let page = try await GrantStore.casePage(
            query, of: staff ? nil : user.organisationID, limit: GrantCaseListQuery.pageSize, on: req.db)
        let records = try await GrantStore.cases(ids: page.rows.map(\.id), on: req.db)
        let items = try await GrantCase.load(records, for: user, at: req.application.now(), on: req.db).map(summary)
        return GrantCaseList(items: items, count: items.count, next: page.next?.token)
    }

    @Sendable static func show(req: Request) async throws -> GrantCaseDetail {
        let found = try await GrantCase.open(req, full: false)
        let roles = Dictionary(uniqueKeysWithValues: found.terms.teamRoles.map { ($0.id, $0.name) })
        let obligations = found.obligations
        return GrantCaseDetail(
            grantCase: summary(found), budgetVersion: found.record.budgetVersion,
            members: found.members.map {
                Member(name: $0.name, role: roles[$0.roleID] ?? $0.roleID, group: $0.group)
            },
            missingRoles: found.missingRoles.map(\.name),
            organisationConfirmed: found.record.organisationConfirmedAt != nil,
            reports: found.rounds.map { round in
                Report(
                    roundId: round.id!, title: round.title, due: round.dueAt,
                    status: found.reports[round.id!]?.status ?? "missing")
            },
            activities: found.activities.map { activity in
                Activity(
                    id: activity.id!, kind: activity.kind, title: activity.title, startsAt: activity.startsAt,
                    endsAt: activity.endsAt, place: activity.place, mandatory: activity.mandatory,
                    participants: found.participants(of: activity).map {
                        Participant(name: $0.name, role: roles[$0.roleID] ?? $0.roleID, attended: $0.attended)
                    })
            },
            mandatoryActivitiesHeld: obligations.held, mandatoryActivitiesAttended: obligations.attended,
            paymentsCommittedOre: found.committedPayments.ore, paymentsReleasedOre: found.releasedPayments.ore)
    }
}
