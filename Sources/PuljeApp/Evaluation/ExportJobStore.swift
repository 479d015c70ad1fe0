import Fluent
import Foundation
import PuljeDomain
import SQLKit

/// An export made in the background (`ExportJobs`): one file of one evaluation for the evaluator who asked.
final class EvaluationExportRecord: Model, @unchecked Sendable {
    static let schema = "evaluation_exports"

    @ID(key: .id) var id: UUID?
    @Parent(key: "evaluation_id") var evaluation: EvaluationRecord
    /// "lang.csv", "bred.xlsx": `EvaluationExport.File`'s name.
    @Field(key: "file") var fileName: String
    @Field(key: "status") var statusValue: String
    @Field(key: "requested_by_id") var requestedByID: UUID
    @Field(key: "requested_by") var requestedBy: String
    @Field(key: "requested_at") var requestedAt: Date
    /// The claim of the worker running it: its progress counts only while this is still its claim.
    @OptionalField(key: "worker") var worker: String?
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "heartbeat_at") var heartbeatAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @OptionalField(key: "removed_at") var removedAt: Date?
    @Field(key: "citizens_total") var citizensTotal: Int
    @Field(key: "citizens_done") var citizensDone: Int
    @Field(key: "rows_written") var rowsWritten: Int
    @Field(key: "size_bytes") var sizeBytes: Int64
    /// Why it failed, in Danish, for the evaluator.
    @OptionalField(key: "failure") var failure: String?

    init() {}

    var status: ExportJobStatus { ExportJobStatus(rawValue: statusValue) ?? .failed }
    var file: EvaluationExport.File? { EvaluationExport.File(name: fileName) }
    var progress: ExportJobProgress { ExportJobProgress(done: citizensDone, total: citizensTotal) }
}

/// All SQL of the background exports. Every change of a job's state is a conditional update, so two
/// instances never run one job at once and a worker that lost its claim stops.
enum ExportJobStore {
    static let table = SQLIdentifier(EvaluationExportRecord.schema)

    /// Records a request; it waits for a worker.
    static func create(
        evaluation: UUID, file: EvaluationExport.File, citizens: Int, by user: CurrentUser, at now: Date,
        on db: any Database
    ) async throws -> UUID {
        let record = EvaluationExportRecord()
        record.$evaluation.id = evaluation
        record.fileName = file.name
        record.statusValue = ExportJobStatus.waiting.rawValue
        record.requestedByID = user.id
        record.requestedBy = user.name
        record.requestedAt = now
        record.citizensTotal = citizens
        record.citizensDone = 0
        record.rowsWritten = 0
        record.sizeBytes = 0
        try await record.create(on: db)
        return try record.requireID()
    }

    static func job(_ id: UUID, of evaluation: UUID, on db: any Database) async throws -> EvaluationExportRecord? {
        try await EvaluationExportRecord.query(on: db).filter(\.$id == id).filter(\.$evaluation.$id == evaluation)
            .first()
    }

    /// A user's latest requests in an evaluation, newest first.
    static func jobs(
        of evaluation: UUID, requestedBy user: UUID, limit: Int, on db: any Database
    ) async throws -> [EvaluationExportRecord] {
        try await EvaluationExportRecord.query(on: db).filter(\.$evaluation.$id == evaluation)
            .filter(\.$requestedByID == user).sort(\.$requestedAt, .descending).sort(\.$id, .descending)
            .limit(limit).all()
    }

    /// How many of a user's requests wait or run.
    static func unfinishedCount(requestedBy user: UUID, on db: any Database) async throws -> Int {
        try await EvaluationExportRecord.query(on: db).filter(\.$requestedByID == user)
            .filter(\.$statusValue ~~ [ExportJobStatus.waiting.rawValue, ExportJobStatus.running.rawValue]).count()
    }

    /// The oldest job a worker may take now: waiting, or running with a worker that stopped reporting.
    static func nextToRun(at now: Date, on db: any Database) async throws -> EvaluationExportRecord? {
        let stale = ExportJobRules.staleBefore(now)
        return try await EvaluationExportRecord.query(on: db)
            .group(.or) { either in
                either.filter(\.$statusValue == ExportJobStatus.waiting.rawValue)
                either.group(.and) { running in
                    running.filter(\.$statusValue == ExportJobStatus.running.rawValue)
                    running.filter(\.$heartbeatAt <= stale)
                }
            }
            .sort(\.$requestedAt).sort(\.$id).first()
    }

    /// Takes a job for a worker; false when another took it first.
    static func claim(_ id: UUID, worker: String, at now: Date, on db: any Database) async throws -> Bool {
        let stale = ExportJobRules.staleBefore(now)
        return try await db.changedRow(
            """
            UPDATE \(table) SET \(ident: "status") = \(bind: ExportJobStatus.running.rawValue),
            \(ident: "worker") = \(bind: worker), \(ident: "started_at") = \(bind: now),
            \(ident: "heartbeat_at") = \(bind: now), \(ident: "citizens_done") = 0, \(ident: "rows_written") = 0
            WHERE \(ident: "id") = \(bind: id) AND (\(ident: "status") = \(bind: ExportJobStatus.waiting.rawValue)
            OR (\(ident: "status") = \(bind: ExportJobStatus.running.rawValue) AND \(ident: "heartbeat_at") <= \(bind: stale)))
            RETURNING \(ident: "id")
            """)
    }

    /// Reports progress; false when the worker no longer holds the job.
    static func progress(
        _ id: UUID, worker: String, total: Int, done: Int, rows: Int, at now: Date, on db: any Database
    ) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(table) SET \(ident: "citizens_total") = \(bind: total), \(ident: "citizens_done") = \(bind: done),
            \(ident: "rows_written") = \(bind: rows), \(ident: "heartbeat_at") = \(bind: now)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "worker") = \(bind: worker)
            AND \(ident: "status") = \(bind: ExportJobStatus.running.rawValue)
            RETURNING \(ident: "id")
            """)
    }

    /// Marks the file made; false when the worker no longer holds the job.
    static func finish(
        _ id: UUID, worker: String, rows: Int, bytes: Int64, at now: Date, on db: any Database
    ) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(table) SET \(ident: "status") = \(bind: ExportJobStatus.ready.rawValue),
            \(ident: "citizens_done") = \(ident: "citizens_total"), \(ident: "rows_written") = \(bind: rows),
            \(ident: "size_bytes") = \(bind: bytes), \(ident: "finished_at") = \(bind: now),
            \(ident: "expires_at") = \(bind: ExportJobRules.expiry(finishedAt: now))
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "worker") = \(bind: worker)
            AND \(ident: "status") = \(bind: ExportJobStatus.running.rawValue)
            RETURNING \(ident: "id")
            """)
    }

    /// Marks the job failed with a message for the evaluator; false when the worker no longer holds it.
    static func fail(
        _ id: UUID, worker: String, reason: String, at now: Date, on db: any Database
    ) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(table) SET \(ident: "status") = \(bind: ExportJobStatus.failed.rawValue),
            \(ident: "failure") = \(bind: reason), \(ident: "finished_at") = \(bind: now)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "worker") = \(bind: worker)
            AND \(ident: "status") = \(bind: ExportJobStatus.running.rawValue)
            RETURNING \(ident: "id")
            """)
    }

    /// Marks a ready file removed (downloaded or expired); false when it was not ready (someone else got it).
    static func remove(_ id: UUID, at now: Date, on db: any Database) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(table) SET \(ident: "status") = \(bind: ExportJobStatus.removed.rawValue),
            \(ident: "removed_at") = \(bind: now)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "status") = \(bind: ExportJobStatus.ready.rawValue)
            RETURNING \(ident: "id")
            """)
    }

    /// Ready files that must go now: their time ran out, or their evaluation's citizen data was removed.
    static func toRemove(at now: Date, on db: any Database) async throws -> [EvaluationExportRecord] {
        let ready = try await EvaluationExportRecord.query(on: db)
            .filter(\.$statusValue == ExportJobStatus.ready.rawValue).with(\.$evaluation).all()
        return ready.filter { job in
            job.evaluation.purgedAt != nil || job.expiresAt.map { ExportJobRules.isExpired($0, at: now) } ?? true
        }
    }

    /// The ids of jobs that may own a file on disk (waiting, running or ready).
    static func liveIDs(on db: any Database) async throws -> Set<UUID> {
        Set(
            try await EvaluationExportRecord.query(on: db)
                .filter(
                    \.$statusValue
                        ~~ [
                            ExportJobStatus.waiting.rawValue, ExportJobStatus.running.rawValue,
                            ExportJobStatus.ready.rawValue,
                        ]
                )
                .all(\.$id).compactMap { $0 })
    }
}
