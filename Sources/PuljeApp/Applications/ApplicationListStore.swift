import Fluent
import Foundation
import PuljeDomain
import SQLKit

/// One row of the staff list of applications.
struct ApplicationListRow: Sendable {
    var id: UUID
    var status: ApplicationStatus
    var submittedAt: Date
    var submissionNumber: String
    var organisationID: UUID
    var organisationName: String
    var callID: UUID
    var callTitle: String

    func cursor(_ sort: ApplicationListSort) -> ListCursor {
        switch sort {
        case .submitted: ListCursor(submittedAt: submittedAt, id: id)
        case .organisation: ListCursor(organisation: organisationName, organisationID: organisationID, id: id)
        case .call: ListCursor(value: callTitle, id: id)
        }
    }
}

/// The SQL of the staff list of applications: one keyset page, filtered, in one query on the indexes of
/// migration 035. The same text is what `benchmarks/list_pages.py` times directly on the database.
enum ApplicationListStore {
    static func page(
        _ query: ApplicationListQuery, on db: any Database
    ) async throws -> (
        rows: [ApplicationListRow], next: ListCursor?
    ) {
        let limit = ApplicationListQuery.pageSize
        var conditions: [SQLQueryString] = [
            "a.\(ident: "status") <> \(bind: ApplicationStatus.draft.rawValue)",
            "a.\(ident: "submitted_at") IS NOT NULL",
        ]
        if let call = query.callID { conditions.append("a.\(ident: "call_id") = \(bind: call)") }
        if let organisation = query.organisationID {
            conditions.append("a.\(ident: "organisation_id") = \(bind: organisation)")
        }
        if let status = query.status { conditions.append("a.\(ident: "status") = \(bind: status.rawValue)") }
        if query.searchesSubmissionNumber {
            conditions.append("a.\(ident: "submission_number") = \(bind: query.text.uppercased())")
        } else if !query.text.isEmpty {
            // The applicants whose names match first (a few hundred organisations at most), then their
            // applications along the (organisation, submitted) index.
            let matching = try await organisations(matching: query.text, on: db)
            if matching.isEmpty { return ([], nil) }
            conditions.append("a.\(ident: "organisation_id") IN (\(binds: matching))")
        }
        let order: SQLQueryString
        // The table the order walks comes first, so SQLite reads it along its index and stops after a page
        // (PostgreSQL plans the joins itself).
        let from: SQLQueryString
        switch query.sort {
        case .submitted:
            from = """
                \(ident: ApplicationRecord.schema) a
                JOIN \(ident: OrganisationRecord.schema) o ON o.\(ident: "id") = a.\(ident: "organisation_id")
                JOIN \(ident: CallRecord.schema) c ON c.\(ident: "id") = a.\(ident: "call_id")
                """
        case .organisation:
            from = """
                \(ident: OrganisationRecord.schema) o CROSS JOIN \(ident: ApplicationRecord.schema) a
                JOIN \(ident: CallRecord.schema) c ON c.\(ident: "id") = a.\(ident: "call_id")
                """
            conditions.append("a.\(ident: "organisation_id") = o.\(ident: "id")")
        case .call:
            from = """
                \(ident: CallRecord.schema) c CROSS JOIN \(ident: ApplicationRecord.schema) a
                JOIN \(ident: OrganisationRecord.schema) o ON o.\(ident: "id") = a.\(ident: "organisation_id")
                """
            conditions.append("a.\(ident: "call_id") = c.\(ident: "id")")
        }
        switch query.sort {
        case .submitted:
            if let after = query.after, let seconds = after.seconds {
                let at = try db.cursorTime(seconds)
                // A row value, so the index is read as one range from the cursor on (an OR of the two
                // conditions made SQLite merge two index scans and sort: 27 ms at 10.000 rows, not 0,25).
                conditions.append("(a.\(ident: "submitted_at"), a.\(ident: "id")) < (\(bind: at), \(bind: after.id))")
            }
            order = "a.\(ident: "submitted_at") DESC, a.\(ident: "id") DESC"
        case .organisation:
            // Name, then the organisation's id (names need not be unique), then the application: each
            // organisation's applications come along (organisation_id, id), so nothing is sorted.
            if let after = query.after, let (name, organisation) = after.organisation {
                conditions.append(
                    "o.\(ident: "name") >= \(bind: name) AND (o.\(ident: "name"), o.\(ident: "id"), a.\(ident: "id")) > (\(bind: name), \(bind: organisation), \(bind: after.id))"
                )
            }
            order = "o.\(ident: "name") ASC, o.\(ident: "id") ASC, a.\(ident: "id") ASC"
        case .call:
            if let after = query.after {
                conditions.append(
                    "c.\(ident: "title") >= \(bind: after.value) AND (c.\(ident: "title"), a.\(ident: "id")) > (\(bind: after.value), \(bind: after.id))"
                )
            }
            order = "c.\(ident: "title") ASC, a.\(ident: "id") ASC"
        }
        let sql: SQLQueryString =
            """
            SELECT a.\(ident: "id"), a.\(ident: "status"), a.\(ident: "submitted_at"), a.\(ident: "submission_number"),
            o.\(ident: "id") AS \(ident: "organisation_id"), o.\(ident: "name") AS \(ident: "organisation_name"),
            c.\(ident: "id") AS \(ident: "call_id"), c.\(ident: "title") AS \(ident: "call_title")
            FROM
            """ + " " + from + " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY " + order
            + " LIMIT \(literal: limit + 1)"
        let found = try await db.sql.raw(sql).all().map { row in
            ApplicationListRow(
                id: try row.decode(column: "id", as: UUID.self),
                status: ApplicationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .submitted,
                submittedAt: try row.decode(column: "submitted_at", as: Date.self),
                submissionNumber: try row.decode(column: "submission_number", as: String?.self) ?? "",
                organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                organisationName: try row.decode(column: "organisation_name", as: String.self),
                callID: try row.decode(column: "call_id", as: UUID.self),
                callTitle: try row.decode(column: "call_title", as: String.self))
        }
        let rows = Array(found.prefix(limit))
        guard found.count > limit, let last = rows.last else { return (rows, nil) }
        if query.sort == .submitted {
            // The time as stored, not as a Date gives it back (see `storedTime`).
            guard let submitted = try await db.storedTime(ApplicationRecord.schema, "submitted_at", of: last.id) else {
                return (rows, nil)
            }
            return (rows, ListCursor(seconds: submitted, id: last.id))
        }
        return (rows, last.cursor(query.sort))
    }

    /// The organisations whose names contain the text, case-insensitively (as far as the database's LOWER
    /// goes: ASCII on SQLite).
    static func organisations(matching text: String, on db: any Database) async throws -> [UUID] {
        let pattern = likePattern(text)
        return try await db.sql.raw(
            """
            SELECT \(ident: "id") FROM \(ident: OrganisationRecord.schema)
            WHERE LOWER(\(ident: "name")) LIKE \(bind: pattern) ESCAPE '\\'
            """
        ).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// A LIKE pattern (with `ESCAPE '\'`) for text anywhere, lower-cased: the text's own `%`, `_` and `\` are
    /// searched for as themselves.
    static func likePattern(_ text: String) -> String {
        "%"
            + text.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}
