import Fluent
import Foundation
import PuljeDomain
import SQLKit
import Vapor

/// Changes to applications as conditional updates: "only if it is still version N and a draft". One of two
/// concurrent writers wins; the other sees a conflict (or, for a repeated submission, the receipt).
enum ApplicationStore {
    enum Outcome {
        case done(ApplicationRecord)
        /// Someone else changed it first; here is how it is now.
        case conflict(ApplicationRecord)
    }

    /// What an autosave needs to know before it saves: whose application it is, its status, whether the user
    /// writes on it, and the rules of its call. Three columns and the call's rules, not the row's content.
    struct WriterFacts {
        var organisation: UUID
        var status: ApplicationStatus
        var writesOnIt: Bool
        var rulesJSON: String
    }

    static func writerFacts(_ id: UUID, user: UUID, on db: any Database) async throws -> WriterFacts? {
        guard
            let row = try await db.sql.raw(
                """
                SELECT a.\(ident: "organisation_id"), a.\(ident: "responsible_id"), a.\(ident: "status"),
                c.\(ident: "rules_json"), (SELECT COUNT(*) FROM \(ident: ApplicationContributorRecord.schema) w
                WHERE w.\(ident: "application_id") = a.\(ident: "id") AND w.\(ident: "user_id") = \(bind: user))
                AS \(ident: "contributes")
                FROM \(ident: ApplicationRecord.schema) a
                JOIN \(ident: CallRecord.schema) c ON c.\(ident: "id") = a.\(ident: "call_id")
                WHERE a.\(ident: "id") = \(bind: id)
                """
            ).first()
        else { return nil }
        let responsible = try row.decode(column: "responsible_id", as: UUID.self)
        return WriterFacts(
            organisation: try row.decode(column: "organisation_id", as: UUID.self),
            status: ApplicationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft,
            writesOnIt: try responsible == user || row.decode(column: "contributes", as: Int.self) > 0,
            rulesJSON: try row.decode(column: "rules_json", as: String.self))
    }

    static func encode(_ content: ApplicationContent) -> String {
        String(decoding: content.canonicalJSON(), as: UTF8.self)
    }

    /// Saves from a version and audits it, in one transaction (one commit: the deadline surge is mostly saves).
    static func save(
        _ content: ApplicationContent, unread: String? = nil, to id: UUID, fromVersion version: Int,
        by user: CurrentUser, note: String, request req: Request
    ) async throws -> Outcome {
        let now = req.application.now()
        let json = encode(content)
        return try await req.writeTransaction { db in
            let won = try await saveRow(
                json, unread: unread, to: id, fromVersion: version, by: user, note: note, at: now, on: db, req)
            guard let record = try await ApplicationRecord.find(id, on: db) else {
                throw PuljeError(.notFound, "Ansøgningen findes ikke.")
            }
            return won ? .done(record) : .conflict(record)
        }
    }

    /// What an autosave needs to answer: the version, when and by whom it was last saved.
    struct SaveStamp: Sendable {
        var version: Int
        var savedAt: Date
        var savedBy: String
        /// The content as stored (canonical JSON); empty on a conflict.
        var contentJSON: String = ""
    }

    enum QuickOutcome: Sendable {
        case done(SaveStamp)
        case conflict(SaveStamp)
    }

    /// The autosave's save: the same as `save`, reading back only the few columns the answer needs.
    static func quickSave(
        _ content: ApplicationContent, unread: String? = nil, to id: UUID, fromVersion version: Int,
        by user: CurrentUser, note: String, request req: Request
    ) async throws -> QuickOutcome {
        let now = req.application.now()
        let json = encode(content)
        let won: Bool
        if case .postgres = req.application.config.database {
            // The update and its audit entry as one statement (a data-modifying WITH): atomic by itself, so it
            // is sent without BEGIN and COMMIT, three round trips to the server fewer on the deadline
            // surge's hot path. No row updated, no entry.
            let statement: SQLQueryString =
                "WITH \(ident: "saved") AS ("
                + saveSQL(json, unread: unread, to: id, fromVersion: version, by: user, at: now) + ") "
                + AuditLog.insert(
                    .applicationSave, subject: .application(id), summary: savedNote(note, version: version),
                    actor: AuditActor(user: user, request: req), forEachRowOf: "saved")
            won = try await req.application.writeStatement { db in try await db.sql.raw(statement).first() != nil }
        } else {
            won = try await req.writeTransaction { db in
                try await saveRow(
                    json, unread: unread, to: id, fromVersion: version, by: user, note: note, at: now, on: db, req)
            }
        }
        if won { return .done(SaveStamp(version: version + 1, savedAt: now, savedBy: user.name, contentJSON: json)) }
        let db = req.db
        guard
            let row = try await db.sql.raw(
                """
                SELECT \(ident: "version"), \(ident: "last_saved_at"), \(ident: "last_saved_by")
                FROM \(ident: ApplicationRecord.schema) WHERE \(ident: "id") = \(bind: id)
                """
            ).first()
        else { throw PuljeError(.notFound, "Ansøgningen findes ikke.") }
        return .conflict(
            SaveStamp(
                version: try row.decode(column: "version", as: Int.self),
                savedAt: try row.decode(column: "last_saved_at", as: Date.self),
                savedBy: try row.decode(column: "last_saved_by", as: String.self)))
    }

    /// The conditional update of a save and its audit entry when it won. False: the application is no longer
    /// that version, or no longer a draft.
    private static func saveRow(
        _ json: String, unread: String?, to id: UUID, fromVersion version: Int, by user: CurrentUser, note: String,
        at now: Date, on db: any Database, _ req: Request
    ) async throws -> Bool {
        guard try await db.changedRow(saveSQL(json, unread: unread, to: id, fromVersion: version, by: user, at: now))
        else { return false }
        try await AuditLog.record(
            .applicationSave, subject: .application(id), summary: savedNote(note, version: version), by: user, on: db,
            request: req)
        return true
    }

    /// The audit entry's text of a save.
    private static func savedNote(_ note: String, version: Int) -> String { "\(note) (version \(version + 1))." }

    /// The conditional update of a save, in plain SQL (it is the deadline surge's hot path); it returns a row
    /// only when it won. It does not: the application is no longer that version, or no longer a draft.
    private static func saveSQL(
        _ json: String, unread: String?, to id: UUID, fromVersion version: Int, by user: CurrentUser, at now: Date
    ) -> SQLQueryString {
        """
        UPDATE \(ident: ApplicationRecord.schema) SET \(ident: "content_json") = \(bind: json),
        \(ident: "version") = \(bind: version + 1), \(ident: "unread_input_json") = \(bind: unread),
        \(ident: "last_saved_at") = \(bind: now), \(ident: "last_saved_by") = \(bind: user.name)
        WHERE \(ident: "id") = \(bind: id) AND \(ident: "version") = \(bind: version)
        AND \(ident: "status") = \(bind: ApplicationStatus.draft.rawValue) RETURNING \(ident: "version")
        """
    }

    /// Moves an application by one of the domain's transitions. The guard is the transition's own
    /// `from` statuses, so only moves the domain allows happen; false when the application was no longer in
    /// one of them (someone moved it first).
    static func move(_ id: UUID, _ transition: ApplicationTransition, on db: any Database) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: ApplicationRecord.schema) SET \(ident: "status") = \(bind: transition.to.rawValue)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "status") IN (\(binds: statuses(transition.from)))
            RETURNING \(ident: "id")
            """)
    }

    static func statuses(_ set: Set<ApplicationStatus>) -> [any Encodable & Sendable] {
        set.map(\.rawValue).sorted()
    }

    /// Freezes the stored content as submitted, with its number, time and digest: only from the version the
    /// user saw, and only as the `submit` transition allows. A conflict returns the application as it is.
    static func submit(
        _ id: UUID, fromVersion version: Int, content: ApplicationContent, callVersion: Int, by name: String,
        at now: Date, on db: any Database
    ) async throws -> Outcome {
        let json = encode(content)
        let transition = ApplicationTransition.submit
        let won = try await db.changedRow(
            """
            UPDATE \(ident: ApplicationRecord.schema) SET \(ident: "status") = \(bind: transition.to.rawValue),
            \(ident: "version") = \(bind: version + 1), \(ident: "submitted_at") = \(bind: now),
            \(ident: "submitted_by") = \(bind: name), \(ident: "submission_number") = \(bind: submissionNumber(at: now)),
            \(ident: "digest") = \(bind: digest(json)), \(ident: "submitted_content_json") = \(bind: json),
            \(ident: "call_version") = \(bind: callVersion)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "version") = \(bind: version)
            AND \(ident: "status") IN (\(binds: statuses(transition.from))) RETURNING \(ident: "id")
            """)
        return try await outcome(id: id, won: won, on: db)
    }

    /// Records a signatory's approval of the draft at a version; false when it has moved on (saved again or
    /// submitted) since the signatory saw it. The version does not change: approval is not an edit.
    static func approve(
        _ id: UUID, atVersion version: Int, by name: String, at now: Date, on db: any Database
    )
        async throws -> Bool
    {
        try await db.changedRow(
            """
            UPDATE \(ident: ApplicationRecord.schema) SET \(ident: "approved_by") = \(bind: name),
            \(ident: "approved_at") = \(bind: now), \(ident: "approved_version") = \(bind: version)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "version") = \(bind: version)
            AND \(ident: "status") = \(bind: ApplicationStatus.draft.rawValue) RETURNING \(ident: "id")
            """)
    }

    /// Deletes a draft with everything attached to it (contributors, attachments: by cascade); false when it is
    /// no longer a draft (submitted in the same moment).
    static func deleteDraft(_ id: UUID, on db: any Database) async throws -> Bool {
        try await db.changedRow(
            """
            DELETE FROM \(ident: ApplicationRecord.schema) WHERE \(ident: "id") = \(bind: id)
            AND \(ident: "status") = \(bind: ApplicationStatus.draft.rawValue) RETURNING \(ident: "id")
            """)
    }

    /// Withdraws a draft or a submitted application, as the `withdraw` transition allows.
    static func withdraw(_ id: UUID, at now: Date, on db: any Database) async throws -> Outcome {
        let transition = ApplicationTransition.withdraw
        let won = try await db.changedRow(
            """
            UPDATE \(ident: ApplicationRecord.schema) SET \(ident: "status") = \(bind: transition.to.rawValue),
            \(ident: "withdrawn_at") = \(bind: now)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "status") IN (\(binds: statuses(transition.from)))
            RETURNING \(ident: "id")
            """)
        return try await outcome(id: id, won: won, on: db)
    }

    static func outcome(id: UUID, won: Bool, on db: any Database) async throws -> Outcome {
        guard let record = try await ApplicationRecord.find(id, on: db) else {
            throw PuljeError(.notFound, "Ansøgningen findes ikke.")
        }
        return won ? .done(record) : .conflict(record)
    }

    /// SHA-256 of the submitted content's canonical JSON, as lowercase hex.
    static func digest(_ json: String) -> String {
        SHA256Hex.of(Data(json.utf8))
    }

    /// "UIP-2026-7K3M9QXA": the year and eight characters without look-alikes.
    static func submissionNumber(at now: Date) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        let code = String((0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        return "UIP-\(DanishTime.calendar.component(.year, from: now))-\(code)"
    }

    /// The organisation's applications, newest first, with their calls and responsible people.
    static func all(of organisation: UUID, on db: any Database) async throws -> [ApplicationRecord] {
        try await ApplicationRecord.query(on: db).filter(\.$organisation.$id == organisation)
            .with(\.$call).with(\.$responsible).sort(\.$createdAt, .descending).all()
    }

    /// One page of an organisation's applications for Mine sager, the newest (or the last saved) first, along
    /// the index (organisation_id, created_at, id) of migration 040 (by last save, the organisation's rows
    /// found by it are sorted); the cursor of the next page when there is one.
    static func page(
        of organisation: UUID, _ query: MyCasesQuery, on db: any Database
    ) async throws -> (rows: [ApplicationRecord], next: ListCursor?) {
        let limit = MyCasesQuery.applicationsPageSize
        var found = ApplicationRecord.query(on: db).filter(\.$organisation.$id == organisation)
        if let status = query.status { found = found.filter(\.$status == status.rawValue) }
        if ApplicationListQuery.isSubmissionNumber(query.text) {
            found = found.filter(\.$submissionNumber == query.text.uppercased())
        } else if !query.text.isEmpty {
            // The project's title as submitted (or as the draft stands), or the call's title, case-insensitively
            // as far as the database's LOWER goes (ASCII on SQLite); one organisation's rows, so no index needed.
            let pattern = ApplicationListStore.likePattern(query.text)
            let title: SQLQueryString =
                try db.sql.dialect.name == "postgresql"
                ? "(COALESCE(\(ident: "submitted_content_json"), \(ident: "content_json"))::jsonb ->> 'projectTitle')"
                : "json_extract(COALESCE(\(ident: "submitted_content_json"), \(ident: "content_json")), '$.projectTitle')"
            let calls: SQLQueryString = """
                \(ident: "call_id") IN (SELECT \(ident: "id") FROM \(ident: CallRecord.schema)
                WHERE LOWER(\(ident: "title")) LIKE \(bind: pattern) ESCAPE '\\')
                """
            found = found.filter(
                .sql(embed: "(LOWER(" + title + ") LIKE \(bind: pattern) ESCAPE '\\' OR " + calls + ")"))
        }
        let column = query.sort == .saved ? "last_saved_at" : "created_at"
        if let after = query.after, let seconds = after.seconds {
            let at = try db.cursorTime(seconds)
            found = found.filter(
                .sql(embed: "(\(ident: column), \(ident: "id")) < (\(bind: at), \(bind: after.id))"))
        }
        let records = try await found.with(\.$call).with(\.$responsible)
            .sort(.sql(embed: "\(ident: column)"), .descending).sort(\.$id, .descending).limit(limit + 1).all()
        let rows = Array(records.prefix(limit))
        guard records.count > limit, let id = rows.last?.id,
            let time = try await db.storedTime(ApplicationRecord.schema, column, of: id)
        else { return (rows, nil) }
        return (rows, ListCursor(seconds: time, id: id))
    }

    static func create(_ application: ApplicationRecord, on db: any Database) async throws {
        try await application.create(on: db)
    }

    static func addContributor(_ user: UUID, to application: UUID, on db: any Database) async throws {
        try await ApplicationContributorRecord(applicationID: application, userID: user).create(on: db)
    }

    /// The responsible person hands the application to a contributor and becomes a contributor.
    static func handOver(_ application: UUID, from old: UUID, to new: UUID, on db: any Database) async throws {
        try await ApplicationRecord.query(on: db).filter(\.$id == application).set(\.$responsible.$id, to: new)
            .update()
        try await ApplicationContributorRecord.query(on: db).filter(\.$application.$id == application)
            .filter(\.$user.$id == new).delete()
        try await ApplicationContributorRecord(applicationID: application, userID: old).create(on: db)
    }
}
