import Fluent
import Foundation
import PuljeDomain
import SQLKit

/// The SQL of decisions.
enum DecisionStore {
    /// Approves a proposed decision; false when it is no longer a proposal (of two directors approving at
    /// the same time, one wins).
    static func approve(_ id: UUID, by name: String, at now: Date, on db: any Database) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: DecisionRecord.schema) SET \(ident: "status") = \(bind: DecisionStatus.approved.rawValue),
            \(ident: "approved_by") = \(bind: name), \(ident: "approved_at") = \(bind: now)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "status") = \(bind: DecisionStatus.proposed.rawValue)
            RETURNING \(ident: "id")
            """)
    }

    /// The templates the agency has written, by kind.
    static func templates(on db: any Database) async throws -> [LetterKind: String] {
        var result: [LetterKind: String] = [:]
        for record in try await LetterTemplateRecord.query(on: db).all() {
            if let kind = LetterKind(rawValue: record.kind) { result[kind] = record.body }
        }
        return result
    }

    /// Stores a template if it differs from what is stored (or, when nothing is, from the default).
    /// Whether it changed anything.
    static func saveTemplate(
        _ body: String, kind: LetterKind, by name: String, at now: Date, on db: any Database
    ) async throws -> Bool {
        let record =
            try await LetterTemplateRecord.query(on: db).filter(\.$kind == kind.rawValue).first()
            ?? LetterTemplateRecord()
        guard record.id == nil ? body != kind.defaultTemplate : record.body != body else { return false }
        record.kind = kind.rawValue
        record.body = body
        record.updatedBy = name
        record.updatedAt = now
        try await record.save(on: db)
        return true
    }

    /// The recipients of a call once its decision is approved: organisation, project and amount.
    static func recipients(of call: CallRecord, on db: any Database) async throws -> [(String, String, Money)]? {
        guard let decision = try await DecisionRecord.query(on: db).filter(\.$call.$id == call.requireID()).first(),
            decision.decisionStatus == .approved
        else { return nil }
        let lines = try decision.lines()
        let applications = try await ApplicationRecord.query(on: db).filter(\.$id ~~ lines.map(\.applicationID))
            .with(\.$organisation).all()
        return lines.compactMap { line in
            guard let application = applications.first(where: { $0.id == line.applicationID }) else { return nil }
            let title = (try? application.submittedContent()?.projectTitle) ?? ""
            return (application.organisation.name, title, Money(ore: line.grantedOre))
        }.sorted { $0.0 < $1.0 }
    }

    /// Replaces staff's adjustment of one application in the selection; nil removes it.
    static func setOverride(
        _ override: (choice: String, granted: Money?, reason: String)?, for application: UUID, in call: UUID,
        by name: String, at now: Date, on db: any Database
    ) async throws {
        try await PortfolioOverrideRecord.query(on: db).filter(\.$application.$id == application).delete()
        guard let override else { return }
        let record = PortfolioOverrideRecord()
        record.$call.id = call
        record.$application.id = application
        record.choice = override.choice
        record.grantedOre = override.granted?.ore
        record.reason = override.reason
        record.changedBy = name
        record.changedAt = now
        try await record.create(on: db)
    }

    /// Proposes the selection as the call's decision, replacing an earlier proposal; false when the decision
    /// is already approved.
    static func propose(
        _ call: UUID, selectionJSON: String, conditions: String, note: String, by user: CurrentUser, at now: Date,
        on db: any Database
    ) async throws -> Bool {
        let record = try await DecisionRecord.query(on: db).filter(\.$call.$id == call).first() ?? DecisionRecord()
        guard record.id == nil || record.decisionStatus == .proposed else { return false }
        record.$call.id = call
        record.status = DecisionStatus.proposed.rawValue
        record.selectionJSON = selectionJSON
        record.conditions = conditions
        record.note = note
        record.proposedByID = user.id
        record.proposedBy = user.name
        record.proposedAt = now
        try await record.save(on: db)
        return true
    }

    static func addLetter(
        _ kind: LetterKind, body: String, journalNumber: String, to application: UUID, at now: Date,
        on db: any Database
    ) async throws {
        let record = LetterRecord()
        record.$application.id = application
        record.kind = kind.rawValue
        record.body = body
        record.journalNumber = journalNumber
        record.createdAt = now
        try await record.create(on: db)
    }

    static func letter(_ id: UUID, of application: UUID, on db: any Database) async throws -> LetterRecord? {
        try await LetterRecord.query(on: db).filter(\.$id == id).filter(\.$application.$id == application).first()
    }
}
