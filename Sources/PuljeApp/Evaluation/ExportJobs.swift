import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Exports made in the background: the evaluator asks for a file, a worker on any instance makes it under
/// `exports/` in the data directory a batch of citizens at a time (reporting its progress, so the job's page
/// shows a progress bar), and the file is deleted when it is downloaded, when it has waited
/// `ExportJobRules.lifetime`, or when the evaluation's citizen data is removed at its end date.
enum ExportJobs {
    /// The most exports one person may have waiting or running at once.
    static let maximumUnfinished = 3

    /// How long a file no job owns is left alone before the sweep removes it.
    static let strayAfter: TimeInterval = 600

    static func folder(_ app: Application) -> String { app.config.dataDirectory + "/exports" }

    static func path(of id: UUID, _ file: EvaluationExport.File, in app: Application) -> String {
        folder(app) + "/" + id.pathValue + "." + file.format.rawValue
    }

    // MARK: The evaluator's acts

    /// Records a request for one file of the evaluation; a worker takes it within a second or so.
    static func request(
        _ evaluation: EvaluationRecord, file: EvaluationExport.File, by user: CurrentUser, req: Request
    ) async throws -> UUID {
        let id = try evaluation.requireID()
        if evaluation.purgedAt != nil {
            throw PuljeError(
                .conflict, "Evalueringens data om borgerne er fjernet ved slutdatoen; der er intet at eksportere.")
        }
        if try await ExportJobStore.unfinishedCount(requestedBy: user.id, on: req.db) >= maximumUnfinished {
            throw PuljeError(
                .tooManyRequests,
                "Du har allerede \(maximumUnfinished) eksporter, der venter eller er i gang. Vent, til en af dem er færdig."
            )
        }
        let count = try await EvaluationStore.citizenCount(of: id, on: req.db)
        let actor = AuditActor(user: user, request: req)
        let now = req.application.now()
        let job = try await req.writeTransaction { db in
            let job = try await ExportJobStore.create(
                evaluation: id, file: file, citizens: count, by: user, at: now, on: db)
            try await AuditLog.record(
                .evaluationExportRequest, subject: .evaluation(id),
                summary: "\(file.danishName) bestilt (\(danishCount(count, "borger", "borgere"))).", actor: actor,
                on: db)
            try await EvaluationStore.logAccess(
                .export, evaluation: id, count: count,
                records: "alle \(count) borgere, \(file.danishPhrase) (bestilt)", actor: actor, on: db)
            return job
        }
        req.application.exportWorker?.wake()
        return job
    }

    /// The finished file as a download, for the one who asked for it; the file is deleted as it is handed
    /// over (the download is its one use), and the handing over is logged.
    static func download(
        _ job: EvaluationExportRecord, by user: CurrentUser, req: Request
    ) async throws -> Response {
        guard job.requestedByID == user.id else { throw PuljeError(.notFound, "Eksporten findes ikke.") }
        guard let file = job.file else { throw PuljeError(.notFound, "Eksporten findes ikke.") }
        let id = try job.requireID()
        switch job.status {
        case .waiting, .running:
            throw PuljeError(.conflict, "Eksporten er ikke færdig endnu: \(job.progress.danishText).")
        case .failed:
            throw PuljeError(.conflict, job.failure ?? "Eksporten fejlede. Bestil den igen.")
        case .removed:
            throw PuljeError(.gone, gone)
        case .ready: break
        }
        let path = path(of: id, file, in: req.application)
        let actor = AuditActor(user: user, request: req)
        let now = req.application.now()
        let evaluation = job.$evaluation.id
        guard let handle = FileHandle(forReadingAtPath: path) else {
            // Ready in the database but not on disk (a restored backup holds no export files).
            try await req.writeTransaction { db in
                guard try await ExportJobStore.remove(id, at: now, on: db) else { return }
                try await AuditLog.record(
                    .evaluationExportRemove, subject: .evaluation(evaluation),
                    summary: "\(file.downloadName) fandtes ikke længere på disken og er meldt slettet.", actor: actor,
                    on: db)
            }
            throw PuljeError(.gone, gone)
        }
        let handed = try await req.writeTransaction { db -> Bool in
            guard try await ExportJobStore.remove(id, at: now, on: db) else { return false }
            try await AuditLog.record(
                .evaluationExportDownload, subject: .evaluation(evaluation),
                summary:
                    "\(file.downloadName) hentet (\(danishCount(job.citizensTotal, "borger", "borgere"))); filen er slettet.",
                actor: actor, on: db)
            try await EvaluationStore.logAccess(
                .export, evaluation: evaluation, count: job.citizensTotal,
                records: "alle \(job.citizensTotal) borgere, \(file.danishPhrase) (hentet)", actor: actor,
                on: db)
            return true
        }
        guard handed else {
            // Someone else's request took it a moment before (the same person in two tabs).
            try? handle.close()
            throw PuljeError(.gone, gone)
        }
        // The name goes now; the open handle still reads the bytes (POSIX keeps them until it is closed).
        unlink(path)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: file.format.contentType)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(file.downloadName)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        let body = Response.Body(
            managedAsyncStream: { writer in
                defer { try? handle.close() }
                while let chunk = try handle.read(upToCount: 256 * 1024), !chunk.isEmpty {
                    try await writer.writeBuffer(ByteBuffer(data: chunk))
                }
            })
        return Response(status: .ok, headers: headers, body: body)
    }

    static let gone = "Filen er hentet eller udløbet og derfor slettet. Bestil eksporten igen, hvis du skal bruge den."

    // MARK: The worker

    /// Runs the oldest job waiting (or left by a stopped worker); false when there was none to take.
    @discardableResult
    static func runNext(_ app: Application) async throws -> Bool {
        guard let job = try await ExportJobStore.nextToRun(at: app.now(), on: app.db) else { return false }
        let worker = UUID().uuidString
        let id = try job.requireID()
        let now = app.now()
        let claimed = try await app.writeTransaction { db in
            try await ExportJobStore.claim(id, worker: worker, at: now, on: db)
        }
        // Taken by another instance a moment before: there may be more to take.
        guard claimed else { return true }
        await run(job, worker: worker, app: app)
        return true
    }

    /// Makes the job's file: a `.part` file first, renamed when whole, so a download never sees half a file.
    static func run(_ job: EvaluationExportRecord, worker: String, app: Application) async {
        guard let id = job.id else { return }
        guard let file = job.file else {
            _ = try? await app.writeTransaction({ db in
                try await ExportJobStore.fail(
                    id, worker: worker, reason: "Eksporten kendes ikke. Bestil den igen.", at: app.now(), on: db)
            })
            return
        }
        let final = path(of: id, file, in: app)
        let part = final + ".part"
        let sheet = final + ".sheet.part"
        defer {
            unlink(part)
            unlink(sheet)
        }
        do {
            try FileManager.default.createDirectory(
                atPath: folder(app), withIntermediateDirectories: true,
                attributes: [.posixPermissions: DataDirectory.directoryMode])
            let outcome = try await write(
                job, file: file, to: file.format == .csv ? part : sheet, worker: worker, app: app)
            guard case .written(let rows) = outcome else {
                if case .tooManyRows = outcome {
                    _ = try await app.writeTransaction({ db in
                        try await ExportJobStore.fail(
                            id, worker: worker,
                            reason:
                                "Eksporten har flere rækker, end et regneark kan rumme (\(DanishNumber.grouped(EvaluationExport.maximumSheetRows - 1)) under overskriften). Bestil den som CSV, som kan have et vilkårligt antal rækker.",
                            at: app.now(), on: db)
                    })
                }
                return
            }
            if file.format == .xlsx {
                try XLSX.writeWorkbook(
                    sheet: "Evaluering", sheetFile: URL(fileURLWithPath: sheet), to: URL(fileURLWithPath: part))
            }
            let bytes = (try? FileManager.default.attributesOfItem(atPath: part)[.size] as? NSNumber)?.int64Value ?? 0
            guard rename(part, final) == 0 else {
                throw PuljeError(.internalServerError, "The export file could not be renamed: errno \(errno)")
            }
            let finished = try await app.writeTransaction { db in
                try await ExportJobStore.finish(id, worker: worker, rows: rows, bytes: bytes, at: app.now(), on: db)
            }
            // Another worker took the job over meanwhile: its file counts, not this one.
            if !finished { unlink(final) }
        } catch {
            app.logger.error("Export \(id.pathValue) failed: \(error)")
            _ = try? await app.writeTransaction({ db in
                try await ExportJobStore.fail(
                    id, worker: worker,
                    reason: "Eksporten kunne ikke dannes på grund af en fejl hos Pulje. Bestil den igen.",
                    at: app.now(), on: db)
            })
        }
    }

    enum Outcome {
        case written(rows: Int)
        case tooManyRows
        /// Another worker holds the job now (this one was too slow to report).
        case lostClaim
    }

    /// Writes the CSV, or the XLSX's sheet, to `path`, reporting progress after each batch of citizens.
    static func write(
        _ job: EvaluationExportRecord, file: EvaluationExport.File, to path: String, worker: String,
        app: Application
    ) async throws -> Outcome {
        let id = try job.requireID()
        let evaluationID = job.$evaluation.id
        guard let evaluation = try await EvaluationStore.evaluation(evaluationID, on: app.db) else {
            throw PuljeError(.notFound, "The evaluation is gone")
        }
        let design = try evaluation.design()
        let versions = try await EvaluationStore.instrumentVersions(on: app.db)
        let total = try await EvaluationStore.citizenCount(of: evaluationID, on: app.db)
        let out = try TextFile(creating: path)
        defer { out.close() }
        var exporter = EvaluationExporter(form: file.form, design: design, instruments: versions)
        var rows = 0
        var done = 0
        switch file.format {
        case .csv: try out.write(BudgetTable.csvStart + BudgetTable.csvLine(exporter.header))
        case .xlsx: try out.write(XLSX.sheetStart + XLSX.row(exporter.header, number: 1))
        }
        /// Reports how far it has come; false when the worker no longer holds the job.
        @Sendable func report(done: Int, rows: Int) async throws -> Bool {
            try await app.writeTransaction { db in
                try await ExportJobStore.progress(
                    id, worker: worker, total: max(total, done), done: done, rows: rows, at: app.now(), on: db)
            }
        }
        guard try await report(done: 0, rows: 0) else { return .lostClaim }
        struct Stop: Error { var outcome: Outcome }
        do {
            try await exporter.walk(evaluationID, on: app.db) { table, citizens in
                switch file.format {
                case .csv:
                    try out.write(EvaluationExporter.csv(table))
                case .xlsx:
                    guard EvaluationExport.fits(rows: rows + table.count, in: .xlsx) else {
                        throw Stop(outcome: .tooManyRows)
                    }
                    var xml = ""
                    for (offset, line) in table.enumerated() { xml += XLSX.row(line, number: rows + offset + 2) }
                    try out.write(xml)
                }
                rows += table.count
                done += citizens
                guard try await report(done: done, rows: rows) else { throw Stop(outcome: .lostClaim) }
            }
        } catch let stop as Stop {
            return stop.outcome
        }
        if file.format == .xlsx { try out.write(XLSX.sheetEnd) }
        return .written(rows: rows)
    }

    /// Deletes the files whose time ran out or whose evaluation's citizen data was removed, and any file no
    /// live job owns (left by a stopped worker); returns how many jobs' files were removed.
    @discardableResult
    static func sweep(_ app: Application) async throws -> Int {
        let now = app.now()
        var removed = 0
        for job in try await ExportJobStore.toRemove(at: now, on: app.db) {
            guard let id = job.id, let file = job.file else { continue }
            let reason =
                job.evaluation.purgedAt != nil
                ? "evalueringens data om borgerne er fjernet ved slutdatoen" : "den blev ikke hentet inden for et døgn"
            let done = try await app.writeTransaction { db -> Bool in
                guard try await ExportJobStore.remove(id, at: now, on: db) else { return false }
                try await AuditLog.record(
                    .evaluationExportRemove, subject: .evaluation(job.$evaluation.id),
                    summary: "\(file.downloadName), bestilt af \(job.requestedBy), er slettet: \(reason).",
                    actor: .command("Pulje (eksportfiler)", at: now), on: db)
                return true
            }
            if done {
                unlink(path(of: id, file, in: app))
                removed += 1
            }
        }
        // A file no live job owns and no one has written for a while (a job that starts between the two
        // reads below is young, so it is never taken for a stray).
        let live = try await ExportJobStore.liveIDs(on: app.db)
        let manager = FileManager.default
        for name in (try? manager.contentsOfDirectory(atPath: folder(app))) ?? [] {
            let path = folder(app) + "/" + name
            let owner = name.split(separator: ".").first.flatMap { UUID(uuidString: String($0)) }
            let written = (try? manager.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
            if owner.map({ !live.contains($0) }) ?? true, Date().timeIntervalSince(written) > strayAfter {
                unlink(path)
            }
        }
        return removed
    }
}

/// A file written text by text with write(2): readable by Pulje only, nothing kept in memory between writes.
final class TextFile {
    let descriptor: Int32

    init(creating path: String) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode_t(DataDirectory.fileMode))
        guard descriptor >= 0 else {
            throw PuljeError(.internalServerError, "The export file could not be created: errno \(errno)")
        }
    }

    func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw PuljeError(.internalServerError, "The export file could not be written: errno \(errno)")
                }
                offset += written
            }
        }
    }

    func close() { _ = Glibc.close(descriptor) }
}

/// Runs the exports asked for with `serve`: at once when this instance takes a request (`wake`), and
/// otherwise every second, which also picks up requests taken by
/// other instances and jobs left by a stopped one. Removes expired files every minute.
final class ExportWorker: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?
    private let signal: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    let interval: TimeInterval

    init(interval: TimeInterval) {
        self.interval = interval
        (signal, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Starts the next round now.
    func wake() { continuation.yield() }

    func didBootAsync(_ application: Application) async throws {
        let app = application
        let interval = interval
        let continuation = continuation
        let signal = signal
        task = Task {
            // The ticker wakes the loop when no request does.
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
                    continuation.yield()
                }
            }
            defer { ticker.cancel() }
            var lastSweep = Date.distantPast
            for await _ in signal {
                if Task.isCancelled { break }
                do {
                    while try await ExportJobs.runNext(app) {}
                    if Date().timeIntervalSince(lastSweep) >= 60 {
                        lastSweep = Date()
                        try await ExportJobs.sweep(app)
                    }
                    app.metrics.jobRound("exports", failed: false)
                } catch {
                    app.logger.error("Export round failed: \(error)")
                    app.metrics.jobRound("exports", failed: true)
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        continuation.finish()
        task = nil
    }
}

extension Application {
    private struct ExportWorkerKey: StorageKey { typealias Value = ExportWorker }

    /// The export worker of a serving instance (nil in tests and commands, which run jobs themselves).
    var exportWorker: ExportWorker? {
        get { storage[ExportWorkerKey.self] }
        set { storage[ExportWorkerKey.self] = newValue }
    }
}
