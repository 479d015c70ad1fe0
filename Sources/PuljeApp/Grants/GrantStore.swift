import Fluent
import Foundation
import PuljeDomain
import SQLKit
import Vapor

/// All of the grant cases' storage: the cases, their organisation, budgets, reports, changes, accounts and
/// payments. Every conditional change is one `UPDATE … WHERE <status> RETURNING`, so that of two people
/// acting at once one wins and the other is told.
enum GrantStore {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    // MARK: Cases

    /// Opens the grant case of an award, with the budget applied for as version 1.
    static func open(
        application: ApplicationRecord, call: CallRecord, rules: CallRules, award: Money, budget: GrantBudget,
        conditions: String, by name: String, at now: Date, on db: any Database
    ) async throws -> UUID {
        let record = GrantCaseRecord()
        record.id = UUID()
        record.$application.id = try application.requireID()
        record.$call.id = try call.requireID()
        record.$organisation.id = application.$organisation.id
        record.status = GrantCaseStatus.opening(award: award, approvedBudget: budget).rawValue
        record.awardOre = award.ore
        record.projectStart = rules.projectStart
        record.projectEnd = rules.projectEnd
        record.conditions = conditions
        record.budgetJSON = encode(budget)
        record.budgetVersion = 1
        record.payeeAccount = ""
        record.openedAt = now
        try await record.create(on: db)
        try await addBudgetVersion(
            record.requireID(), version: 1, budget: budget, reason: "Budgettet i ansøgningen", by: name, at: now,
            on: db)
        return try record.requireID()
    }

    static func grantCase(_ id: UUID, on db: any Database) async throws -> GrantCaseRecord? {
        try await GrantCaseRecord.query(on: db).filter(\.$id == id).with(\.$call).with(\.$organisation)
            .with(\.$application) { $0.with(\.$responsible) }.first()
    }

    /// Cases, with their calls and organisations: one organisation's, or every one (nil).
    /// How many grant cases the call's decision opened (its terms are fixed from the first).
    static func caseCount(ofCall call: UUID, on db: any Database) async throws -> Int {
        try await GrantCaseRecord.query(on: db).filter(\.$call.$id == call).count()
    }

    static func cases(of organisation: UUID?, on db: any Database) async throws -> [GrantCaseRecord] {
        var query = GrantCaseRecord.query(on: db).with(\.$call).with(\.$organisation)
            .with(\.$application) { $0.with(\.$responsible) }
        if let organisation { query = query.filter(\.$organisation.$id == organisation) }
        return try await query.all().sorted {
            ($0.call.title, $0.organisation.name) < ($1.call.title, $1.organisation.name)
        }
    }

    /// One page of an organisation's grant cases for Mine sager, newest first, along the index
    /// (organisation_id, opened_at, id) of migration 040; the cursor of the next page when there is one.
    static func page(
        of organisation: UUID, after: ListCursor?, on db: any Database
    ) async throws -> (rows: [GrantCaseRecord], next: ListCursor?) {
        let limit = MyCasesQuery.grantCasesPageSize
        var found = GrantCaseRecord.query(on: db).filter(\.$organisation.$id == organisation)
        if let after, let seconds = after.seconds {
            let at = try db.cursorTime(seconds)
            found = found.filter(
                .sql(embed: "(\(ident: "opened_at"), \(ident: "id")) < (\(bind: at), \(bind: after.id))"))
        }
        let records = try await found.with(\.$call).with(\.$organisation)
            .with(\.$application) { $0.with(\.$responsible) }
            .sort(\.$openedAt, .descending).sort(\.$id, .descending).limit(limit + 1).all()
        let rows = Array(records.prefix(limit))
        guard records.count > limit, let id = rows.last?.id,
            let opened = try await db.storedTime(GrantCaseRecord.schema, "opened_at", of: id)
        else { return (rows, nil) }
        return (rows, ListCursor(seconds: opened, id: id))
    }

    /// The calls that have grant cases (of one organisation, or all), by title: the list's overview links and
    /// the staff's panels, without loading the cases.
    static func callsWithCases(of organisation: UUID?, on db: any Database) async throws -> [CallRecord] {
        var query = GrantCaseRecord.query(on: db).unique()
        if let organisation { query = query.filter(\.$organisation.$id == organisation) }
        let ids = try await query.all(\.$call.$id)
        if ids.isEmpty { return [] }
        return try await CallRecord.query(on: db).filter(\.$id ~~ ids).sort(\.$title).all()
    }

    /// One page of the list of grant cases in the query's order, after its cursor's row (a keyset, as one row
    /// value). By call, the calls come first, so SQLite walks them along their title and each call's cases
    /// along (call_id, id), sorting only within a call, and stops after a page; by recipient likewise along
    /// the organisations' names and each one's cases; the newest first along (opened_at, id) (PostgreSQL plans
    /// the joins itself). `benchmarks/list_pages.py` times this text.
    static func casePage(
        _ query: GrantCaseListQuery, of organisation: UUID?, limit: Int, on db: any Database
    ) async throws -> (rows: [GrantCaseListRow], next: ListCursor?) {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let organisation { conditions.append("g.\(ident: "organisation_id") = \(bind: organisation)") }
        if let status = query.status { conditions.append("g.\(ident: "status") = \(bind: status.rawValue)") }
        if !query.text.isEmpty {
            let matching = try await ApplicationListStore.organisations(matching: query.text, on: db)
            if matching.isEmpty { return ([], nil) }
            conditions.append("g.\(ident: "organisation_id") IN (\(binds: matching))")
        }
        let keys = query.after.flatMap { GrantCaseListQuery.keys(of: $0, in: query.sort) }
        let from: SQLQueryString
        let order: SQLQueryString
        switch (query.sort, keys, query.after?.id) {
        case (.call, .titles(let title, let name)?, let id?):
            conditions.append(
                "c.\(ident: "title") >= \(bind: title) AND (c.\(ident: "title"), o.\(ident: "name"), g.\(ident: "id")) > (\(bind: title), \(bind: name), \(bind: id))"
            )
        case (.recipient, .titles(let name, let title)?, let id?):
            conditions.append(
                "o.\(ident: "name") >= \(bind: name) AND (o.\(ident: "name"), c.\(ident: "title"), g.\(ident: "id")) > (\(bind: name), \(bind: title), \(bind: id))"
            )
        case (.opened, .opened(let seconds)?, let id?):
            conditions.append(
                "(g.\(ident: "opened_at"), g.\(ident: "id")) < (\(bind: try db.cursorTime(seconds)), \(bind: id))")
        case (.call, _, _):
            // The first page gets the same range on the title (true of every call): without one, SQLite 3.54
            // plans the query without walking the titles' index (27,8 ms against 10,2 at 100.000).
            conditions.append("c.\(ident: "title") >= ''")
        case (.recipient, _, _):
            conditions.append("o.\(ident: "name") >= ''")
        case (.opened, _, _):
            break
        }
        switch query.sort {
        case .call:
            from = """
                \(ident: CallRecord.schema) c CROSS JOIN \(ident: GrantCaseRecord.schema) g
                JOIN \(ident: OrganisationRecord.schema) o ON o.\(ident: "id") = g.\(ident: "organisation_id")
                WHERE g.\(ident: "call_id") = c.\(ident: "id")
                """
            order = "c.\(ident: "title"), o.\(ident: "name"), g.\(ident: "id")"
        case .recipient:
            from = """
                \(ident: OrganisationRecord.schema) o CROSS JOIN \(ident: GrantCaseRecord.schema) g
                JOIN \(ident: CallRecord.schema) c ON c.\(ident: "id") = g.\(ident: "call_id")
                WHERE g.\(ident: "organisation_id") = o.\(ident: "id")
                """
            order = "o.\(ident: "name"), c.\(ident: "title"), g.\(ident: "id")"
        case .opened:
            from = """
                \(ident: GrantCaseRecord.schema) g
                JOIN \(ident: CallRecord.schema) c ON c.\(ident: "id") = g.\(ident: "call_id")
                JOIN \(ident: OrganisationRecord.schema) o ON o.\(ident: "id") = g.\(ident: "organisation_id")
                WHERE 1 = 1
                """
            order = "g.\(ident: "opened_at") DESC, g.\(ident: "id") DESC"
        }
        let sql: SQLQueryString =
            """
            SELECT g.\(ident: "id"), g.\(ident: "status"), g.\(ident: "award_ore"), g.\(ident: "opened_at"),
            c.\(ident: "id") AS \(ident: "call_id"), c.\(ident: "title") AS \(ident: "call_title"),
            c.\(ident: "initiative_number"), o.\(ident: "name") AS \(ident: "organisation_name") FROM
            """ + " " + from + " AND " + conditions.joined(separator: " AND ") + " ORDER BY " + order
            + " LIMIT \(literal: limit + 1)"
        let found = try await db.sql.raw(sql).all().map { row in
            GrantCaseListRow(
                id: try row.decode(column: "id", as: UUID.self),
                status: GrantCaseStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .active,
                award: Money(ore: try row.decode(column: "award_ore", as: Int64.self)),
                callID: try row.decode(column: "call_id", as: UUID.self),
                callTitle: try row.decode(column: "call_title", as: String.self),
                initiative: try row.decode(column: "initiative_number", as: String?.self),
                organisationName: try row.decode(column: "organisation_name", as: String.self),
                openedSeconds: try db.storedSeconds(row, "opened_at") ?? 0)
        }
        let rows = Array(found.prefix(limit))
        return (rows, found.count > limit ? rows.last?.cursor(in: query.sort) : nil)
    }

    /// These grant cases in the order of the ids given, with what the case model needs.
    static func cases(ids: [UUID], on db: any Database) async throws -> [GrantCaseRecord] {
        if ids.isEmpty { return [] }
        let found = try await GrantCaseRecord.query(on: db).with(\.$call).with(\.$organisation)
            .with(\.$application) { $0.with(\.$responsible) }.filter(\.$id ~~ ids).all()
        let byID = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }
    }

    /// Every grant case of a call, with what the overview and the case model need.
    static func cases(ofCall call: UUID, on db: any Database) async throws -> [GrantCaseRecord] {
        try await cases(ofCalls: [call], on: db)
    }

    /// Every grant case of these calls, with what the overview and the case model need, by recipient.
    static func cases(ofCalls calls: [UUID], on db: any Database) async throws -> [GrantCaseRecord] {
        if calls.isEmpty { return [] }
        return try await GrantCaseRecord.query(on: db).with(\.$call).with(\.$organisation)
            .with(\.$application) { $0.with(\.$responsible) }
            .filter(\.$call.$id ~~ calls).all().sorted { $0.organisation.name < $1.organisation.name }
    }

    /// Every report round of every call (a few per call).
    static func allRounds(on db: any Database) async throws -> [ReportRoundRecord] {
        try await ReportRoundRecord.query(on: db).sort(\.$dueAt).all()
    }

    static func caseOfApplication(_ application: UUID, on db: any Database) async throws -> GrantCaseRecord? {
        try await GrantCaseRecord.query(on: db).filter(\.$application.$id == application).first()
    }

    static func move(_ id: UUID, _ transition: GrantCaseTransition, on db: any Database) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: GrantCaseRecord.schema) SET \(ident: "status") = \(bind: transition.to.rawValue)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "status") IN (\(binds: transition.from.map(\.rawValue).sorted()))
            RETURNING \(ident: "id")
            """)
    }

    // MARK: Organisation

    static func members(of id: UUID, on db: any Database) async throws -> [GrantTeamMemberRecord] {
        try await members(ofCases: [id], on: db)
    }

    static func members(ofCases ids: [UUID], on db: any Database) async throws -> [GrantTeamMemberRecord] {
        if ids.isEmpty { return [] }
        return try await GrantTeamMemberRecord.query(on: db).filter(\.$grantCase.$id ~~ ids).sort(\.$addedAt).all()
    }

    static func addMember(_ member: TeamMember, to id: UUID, at now: Date, on db: any Database) async throws {
        let record = GrantTeamMemberRecord()
        record.$grantCase.id = id
        record.name = member.name
        record.email = member.email
        record.roleID = member.roleID
        record.group = member.group.rawValue
        record.addedAt = now
        try await record.create(on: db)
        try await clearConfirmation(id, on: db)
    }

    /// Removes a member of this case; false when there is none with the id.
    static func removeMember(_ member: UUID, from id: UUID, on db: any Database) async throws -> GrantTeamMemberRecord?
    {
        guard
            let record = try await GrantTeamMemberRecord.query(on: db).filter(\.$id == member)
                .filter(\.$grantCase.$id == id).first()
        else { return nil }
        try await record.delete(on: db)
        try await clearConfirmation(id, on: db)
        return record
    }

    /// A changed organisation must be confirmed again.
    static func clearConfirmation(_ id: UUID, on db: any Database) async throws {
        try await GrantCaseRecord.query(on: db).filter(\.$id == id)
            .set(\.$organisationConfirmedBy, to: nil).set(\.$organisationConfirmedAt, to: nil).update()
    }

    static func confirmOrganisation(_ id: UUID, by name: String, at now: Date, on db: any Database) async throws {
        try await GrantCaseRecord.query(on: db).filter(\.$id == id)
            .set(\.$organisationConfirmedBy, to: name).set(\.$organisationConfirmedAt, to: now).update()
    }

    // MARK: Budget

    static func budgetVersions(of id: UUID, on db: any Database) async throws -> [GrantBudgetVersionRecord] {
        try await GrantBudgetVersionRecord.query(on: db).filter(\.$grantCase.$id == id).sort(\.$version).all()
    }

    static func addBudgetVersion(
        _ id: UUID, version: Int, budget: GrantBudget, reason: String, by name: String, at now: Date,
        on db: any Database
    ) async throws {
        let record = GrantBudgetVersionRecord()
        record.$grantCase.id = id
        record.version = version
        record.budgetJSON = encode(budget)
        record.reason = reason
        record.createdBy = name
        record.createdAt = now
        try await record.create(on: db)
    }

    /// Stores the municipality's revised budget while the case waits for one; false when it does not.
    static func proposeBudget(_ budget: GrantBudget, for id: UUID, on db: any Database) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: GrantCaseRecord.schema) SET \(ident: "proposed_budget_json") = \(bind: encode(budget))
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "status") = \(bind: GrantCaseStatus.revisedBudgetDue.rawValue)
            RETURNING \(ident: "id")
            """)
    }

    /// Makes `budget` the approved budget as the next version, from the version the decider saw.
    static func replaceBudget(
        _ id: UUID, with budget: GrantBudget, fromVersion version: Int, reason: String, by name: String, at now: Date,
        on db: any Database
    ) async throws -> Bool {
        let won = try await db.changedRow(
            """
            UPDATE \(ident: GrantCaseRecord.schema) SET \(ident: "budget_json") = \(bind: encode(budget)),
            \(ident: "budget_version") = \(bind: version + 1), \(ident: "proposed_budget_json") = NULL
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "budget_version") = \(bind: version)
            RETURNING \(ident: "id")
            """)
        if won {
            try await addBudgetVersion(
                id, version: version + 1, budget: budget, reason: reason, by: name, at: now, on: db)
        }
        return won
    }

    static func extendPeriod(_ id: UUID, to end: String, on db: any Database) async throws {
        try await GrantCaseRecord.query(on: db).filter(\.$id == id).set(\.$projectEnd, to: end).update()
    }

    // MARK: Status reports

    static func rounds(of call: UUID, on db: any Database) async throws -> [ReportRoundRecord] {
        try await rounds(ofCalls: [call], on: db)
    }

    static func rounds(ofCalls calls: [UUID], on db: any Database) async throws -> [ReportRoundRecord] {
        if calls.isEmpty { return [] }
        return try await ReportRoundRecord.query(on: db).filter(\.$call.$id ~~ calls).sort(\.$dueAt).all()
    }

    static func round(_ id: UUID, of call: UUID, on db: any Database) async throws -> ReportRoundRecord? {
        try await ReportRoundRecord.query(on: db).filter(\.$id == id).filter(\.$call.$id == call).first()
    }

    static func addRound(
        to call: UUID, title: String, due: Date, questions: [ReportQuestion], final: Bool, by name: String,
        at now: Date, on db: any Database
    ) async throws {
        let record = ReportRoundRecord()
        record.$call.id = call
        record.title = title
        record.dueAt = due
        record.questionsJSON = encode(questions)
        record.isFinal = final
        record.createdBy = name
        record.createdAt = now
        try await record.create(on: db)
    }

    static func reports(of id: UUID, on db: any Database) async throws -> [StatusReportRecord] {
        try await reports(ofCases: [id], on: db)
    }

    static func reports(ofCases ids: [UUID], on db: any Database) async throws -> [StatusReportRecord] {
        if ids.isEmpty { return [] }
        return try await StatusReportRecord.query(on: db).filter(\.$grantCase.$id ~~ ids).all()
    }

    static func report(of id: UUID, in round: UUID, on db: any Database) async throws -> StatusReportRecord? {
        try await StatusReportRecord.query(on: db).filter(\.$grantCase.$id == id).filter(\.$round.$id == round).first()
    }

    /// Saves the answers of an editable report from the version the writer saw (0: none yet). Returns the
    /// new version, or nil when someone else saved first or the report is no longer editable.
    static func saveReport(
        _ answers: [String: String], case id: UUID, round: UUID, fromVersion version: Int, on db: any Database
    ) async throws -> Int? {
        if version == 0 {
            guard try await report(of: id, in: round, on: db) == nil else { return nil }
            let record = StatusReportRecord()
            record.$grantCase.id = id
            record.$round.id = round
            record.status = StatusReportStatus.draft.rawValue
            record.answersJSON = encode(answers)
            record.version = 1
            record.comment = ""
            try await record.create(on: db)
            return 1
        }
        let editable = StatusReportStatus.allCases.filter(\.isEditable).map(\.rawValue).sorted()
        let won = try await db.changedRow(
            """
            UPDATE \(ident: StatusReportRecord.schema) SET \(ident: "answers_json") = \(bind: encode(answers)),
            \(ident: "version") = \(bind: version + 1)
            WHERE \(ident: "case_id") = \(bind: id) AND \(ident: "round_id") = \(bind: round)
            AND \(ident: "version") = \(bind: version) AND \(ident: "status") IN (\(binds: editable))
            RETURNING \(ident: "id")
            """)
        return won ? version + 1 : nil
    }

    /// Submits the report as saved at `version`; nil when it changed or is not editable. Returns the receipt.
    static func submitReport(
        case id: UUID, round: UUID, version: Int, by name: String, at now: Date, on db: any Database
    ) async throws -> String? {
        let receipt = StatusReportRules.receiptNumber(caseID: id, roundID: round, version: version + 1)
        let editable = StatusReportStatus.allCases.filter(\.isEditable).map(\.rawValue).sorted()
        let won = try await db.changedRow(
            """
            UPDATE \(ident: StatusReportRecord.schema) SET \(ident: "status") = \(bind: StatusReportStatus.submitted.rawValue),
            \(ident: "version") = \(bind: version + 1), \(ident: "submitted_at") = \(bind: now),
            \(ident: "submitted_by") = \(bind: name), \(ident: "receipt_number") = \(bind: receipt)
            WHERE \(ident: "case_id") = \(bind: id) AND \(ident: "round_id") = \(bind: round)
            AND \(ident: "version") = \(bind: version) AND \(ident: "status") IN (\(binds: editable))
            RETURNING \(ident: "id")
            """)
        return won ? receipt : nil
    }

    /// Approves a submitted report or returns it for more; false when it is not submitted.
    static func decideReport(
        case id: UUID, round: UUID, to status: StatusReportStatus, comment: String, by name: String, at now: Date,
        on db: any Database
    ) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: StatusReportRecord.schema) SET \(ident: "status") = \(bind: status.rawValue),
            \(ident: "comment") = \(bind: comment), \(ident: "decided_by") = \(bind: name), \(ident: "decided_at") = \(bind: now)
            WHERE \(ident: "case_id") = \(bind: id) AND \(ident: "round_id") = \(bind: round)
            AND \(ident: "status") = \(bind: StatusReportStatus.submitted.rawValue)
            RETURNING \(ident: "id")
            """)
    }

    // MARK: Change requests

    static func changes(of id: UUID, on db: any Database) async throws -> [ChangeRequestRecord] {
        try await changes(ofCases: [id], on: db)
    }

    static func changes(ofCases ids: [UUID], on db: any Database) async throws -> [ChangeRequestRecord] {
        if ids.isEmpty { return [] }
        return try await ChangeRequestRecord.query(on: db).filter(\.$grantCase.$id ~~ ids)
            .sort(\.$requestedAt, .descending).all()
    }

    static func change(_ change: UUID, of id: UUID, on db: any Database) async throws -> ChangeRequestRecord? {
        try await ChangeRequestRecord.query(on: db).filter(\.$id == change).filter(\.$grantCase.$id == id).first()
    }

    static func addChange(_ record: ChangeRequestRecord, on db: any Database) async throws {
        try await record.create(on: db)
    }

    /// Moves a change from the status the decider saw; false when someone else decided it first.
    static func decideChange(
        _ change: UUID, from status: ChangeStatus, to next: ChangeStatus, approverID: UUID, approver: String,
        note: String, at now: Date, on db: any Database
    ) async throws -> Bool {
        if next == .awaitingSecondApproval {
            return try await db.changedRow(
                """
                UPDATE \(ident: ChangeRequestRecord.schema) SET \(ident: "status") = \(bind: next.rawValue),
                \(ident: "first_approver_id") = \(bind: approverID), \(ident: "first_approver") = \(bind: approver),
                \(ident: "decision_note") = \(bind: note)
                WHERE \(ident: "id") = \(bind: change) AND \(ident: "status") = \(bind: status.rawValue)
                RETURNING \(ident: "id")
                """)
        }
        return try await db.changedRow(
            """
            UPDATE \(ident: ChangeRequestRecord.schema) SET \(ident: "status") = \(bind: next.rawValue),
            \(ident: "decided_by") = \(bind: approver), \(ident: "decided_at") = \(bind: now),
            \(ident: "decision_note") = \(bind: note)
            WHERE \(ident: "id") = \(bind: change) AND \(ident: "status") = \(bind: status.rawValue)
            RETURNING \(ident: "id")
            """)
    }

    // MARK: Accounts

    static func accounts(of id: UUID, on db: any Database) async throws -> [GrantAccountsRecord] {
        try await accounts(ofCases: [id], on: db)
    }

    static func accounts(ofCases ids: [UUID], on db: any Database) async throws -> [GrantAccountsRecord] {
        if ids.isEmpty { return [] }
        return try await GrantAccountsRecord.query(on: db).filter(\.$grantCase.$id ~~ ids).sort(\.$year).all()
    }

    /// Submits a year's accounts: new, or again after they were returned. False when they are submitted or
    /// approved already.
    static func submitAccounts(
        case id: UUID, year: Int, actual: [ExpenseCategory: Money], auditorStatement: String, by name: String,
        at now: Date, on db: any Database
    ) async throws -> Bool {
        let json = encode(Dictionary(uniqueKeysWithValues: actual.map { ($0.key.rawValue, $0.value.ore) }))
        if let existing = try await GrantAccountsRecord.query(on: db).filter(\.$grantCase.$id == id)
            .filter(\.$year == year).first()
        {
            return try await db.changedRow(
                """
                UPDATE \(ident: GrantAccountsRecord.schema) SET \(ident: "actual_json") = \(bind: json),
                \(ident: "status") = \(bind: AccountsStatus.submitted.rawValue),
                \(ident: "auditor_statement") = \(bind: auditorStatement),
                \(ident: "submitted_by") = \(bind: name), \(ident: "submitted_at") = \(bind: now)
                WHERE \(ident: "id") = \(bind: existing.requireID()) AND \(ident: "status") = \(bind: AccountsStatus.returned.rawValue)
                RETURNING \(ident: "id")
                """)
        }
        let record = GrantAccountsRecord()
        record.$grantCase.id = id
        record.year = year
        record.actualJSON = json
        record.status = AccountsStatus.submitted.rawValue
        record.auditorStatement = auditorStatement
        record.submittedBy = name
        record.submittedAt = now
        try await record.create(on: db)
        return true
    }

    static func decideAccounts(
        _ accounts: UUID, of id: UUID, to status: AccountsStatus, by name: String, at now: Date, on db: any Database
    ) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: GrantAccountsRecord.schema) SET \(ident: "status") = \(bind: status.rawValue),
            \(ident: "decided_by") = \(bind: name), \(ident: "decided_at") = \(bind: now)
            WHERE \(ident: "id") = \(bind: accounts) AND \(ident: "case_id") = \(bind: id)
            AND \(ident: "status") = \(bind: AccountsStatus.submitted.rawValue)
            RETURNING \(ident: "id")
            """)
    }

    // MARK: Payments

    static func payments(of id: UUID, on db: any Database) async throws -> [GrantPaymentRecord] {
        try await payments(ofCases: [id], on: db)
    }

    static func payments(ofCases ids: [UUID], on db: any Database) async throws -> [GrantPaymentRecord] {
        if ids.isEmpty { return [] }
        return try await GrantPaymentRecord.query(on: db).filter(\.$grantCase.$id ~~ ids).sort(\.$preparedAt).all()
    }

    /// Prepares a payment only if the payments under way stay within the award. The case's row is locked
    /// first (a no-op update), so that two people preparing at once are serialised and cannot together
    /// exceed it; call inside a write transaction.
    static func preparePayment(
        _ amount: Money, note: String, case id: UUID, award: Money, byID: UUID, by name: String, at now: Date,
        on db: any Database
    ) async throws -> Bool {
        _ = try await db.changedRow(
            """
            UPDATE \(ident: GrantCaseRecord.schema) SET \(ident: "award_ore") = \(ident: "award_ore")
            WHERE \(ident: "id") = \(bind: id) RETURNING \(ident: "id")
            """)
        let committed = try await payments(of: id, on: db).filter { $0.paymentStatus != .cancelled }.map(\.amount)
            .sum()
        guard PaymentRules.preparationProblem(amount: amount, committed: committed, award: award) == nil else {
            return false
        }
        let record = GrantPaymentRecord()
        record.$grantCase.id = id
        record.amountOre = amount.ore
        record.note = note
        record.status = PaymentStatus.prepared.rawValue
        record.preparedByID = byID
        record.preparedBy = name
        record.preparedAt = now
        try await record.create(on: db)
        return true
    }

    static func payment(_ payment: UUID, of id: UUID, on db: any Database) async throws -> GrantPaymentRecord? {
        try await GrantPaymentRecord.query(on: db).filter(\.$id == payment).filter(\.$grantCase.$id == id).first()
    }

    static func releasePayment(
        _ payment: UUID, by name: String, at now: Date, on db: any Database
    ) async throws
        -> Bool
    {
        try await db.changedRow(
            """
            UPDATE \(ident: GrantPaymentRecord.schema) SET \(ident: "status") = \(bind: PaymentStatus.released.rawValue),
            \(ident: "released_by") = \(bind: name), \(ident: "released_at") = \(bind: now)
            WHERE \(ident: "id") = \(bind: payment) AND \(ident: "status") = \(bind: PaymentStatus.prepared.rawValue)
            RETURNING \(ident: "id")
            """)
    }

    static func setPayeeAccount(_ account: String, of id: UUID, by user: UUID, on db: any Database) async throws {
        try await GrantCaseRecord.query(on: db).filter(\.$id == id).set(\.$payeeAccount, to: account)
            .set(\.$payeeAccountChangedByID, to: user).update()
    }

    /// Every released payment, with case, call and organisation, oldest first: the finance system's file.
    static func releasedPayments(on db: any Database) async throws -> [(GrantPaymentRecord, GrantCaseRecord)] {
        let payments = try await GrantPaymentRecord.query(on: db)
            .filter(\.$status == PaymentStatus.released.rawValue).sort(\.$releasedAt).all()
        let cases = try await GrantCaseRecord.query(on: db).filter(\.$id ~~ payments.map { $0.$grantCase.id })
            .with(\.$call).with(\.$organisation).with(\.$application).all()
        let byID = Dictionary(uniqueKeysWithValues: cases.map { ($0.id!, $0) })
        return payments.compactMap { payment in byID[payment.$grantCase.id].map { (payment, $0) } }
    }

    // MARK: People to tell

    /// The municipality's people on a case: those who wrote the application and the named organisation.
    static func municipalRecipients(of grantCase: GrantCaseRecord, on db: any Database) async throws -> [String] {
        let applicationPeople = try await ApplicationCaseStore.recipients(of: grantCase.application, on: db)
        let members = try await members(of: grantCase.requireID(), on: db).map(\.email)
        return applicationPeople + members
    }

    /// The agency's grant administrators, who follow every case.
    static func agencyRecipients(on db: any Database) async throws -> [String] {
        try await UserRecord.query(on: db).filter(\.$isActive == true).all()
            .filter { $0.roleSet.contains(.grantAdministrator) }.map(\.email)
    }

    // MARK: Reminders

    /// Claims a reminder: true for the one caller that records it first, false if it was sent already (by
    /// this instance or another).
    static func claimReminder(
        _ kind: ReminderKind, of key: UUID, in grantCase: UUID, at now: Date, on db: any Database
    ) async throws -> Bool {
        try await db.changedRow(
            """
            INSERT INTO \(ident: "grant_reminders") (\(ident: "id"), \(ident: "case_id"), \(ident: "subject_key"),
            \(ident: "kind"), \(ident: "sent_at"))
            VALUES (\(bind: UUID()), \(bind: grantCase), \(bind: key.uuidString.lowercased()), \(bind: kind.rawValue),
            \(bind: now))
            ON CONFLICT DO NOTHING RETURNING \(ident: "id")
            """)
    }

    // MARK: Closing

    /// Stores the anchoring plan of an open case; false when the case is closed.
    static func setAnchoringPlan(
        _ text: String, of id: UUID, by name: String, at now: Date, on db: any Database
    ) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: GrantCaseRecord.schema) SET \(ident: "anchoring_plan") = \(bind: text),
            \(ident: "anchoring_plan_by") = \(bind: name), \(ident: "anchoring_plan_at") = \(bind: now)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "status") <> \(bind: GrantCaseStatus.closed.rawValue)
            RETURNING \(ident: "id")
            """)
    }

    /// Closes the case (`GrantCaseTransition.close`): one of two closing at once wins.
    static func close(
        _ id: UUID, note: String, by name: String, at now: Date, on db: any Database
    ) async throws -> Bool {
        let transition = GrantCaseTransition.close
        return try await db.changedRow(
            """
            UPDATE \(ident: GrantCaseRecord.schema) SET \(ident: "status") = \(bind: transition.to.rawValue),
            \(ident: "closed_by") = \(bind: name), \(ident: "closed_at") = \(bind: now),
            \(ident: "closing_note") = \(bind: note)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "status") IN (\(binds: transition.from.map(\.rawValue)))
            RETURNING \(ident: "id")
            """)
    }
}

/// A grant case as the list shows it.
struct GrantCaseListRow: Sendable {
    var id: UUID
    var status: GrantCaseStatus
    var award: Money
    var callID: UUID
    var callTitle: String
    var initiative: String?
    var organisationName: String

    /// When the case opened, exactly as stored (the cursor of the newest-first order).
    var openedSeconds: Double

    /// The cursor after this row in an order of the list.
    func cursor(in sort: GrantCaseListSort) -> ListCursor {
        GrantCaseListQuery.cursor(
            after: id, call: callTitle, recipient: organisationName, openedSeconds: openedSeconds, in: sort)
    }
}
