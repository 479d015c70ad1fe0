import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import ZIPFoundation

@testable import PuljeApp
@testable import PuljeDomain

/// The evaluator's exports made in the background (issue 10): requested on the evaluation's page, made by a
/// worker with its progress on the job's page, downloaded once by the one who asked, and then gone.
extension AppTests {
    @Suite struct ExportJobTests {
        typealias Evaluations = AppTests.EvaluationAppTests

        /// An evaluation with two citizens of Aarhus, one measured at baseline and 6 months.
        static func measured(_ app: Application) async throws -> UUID {
            let id = try await Evaluations.evaluation(app)
            let first = try await Evaluations.enrolled(app, id)
            let second = try await Evaluations.enrolled(app, id, cpr: "1505850987")
            let aarhus = try await Assess.signedIn(app, Demo.applicant)
            try await aarhus.get(SiteURL.evaluationCitizens(id).path)
            try await aarhus.post(
                SiteURL.evaluationEntry(id, first, point: "baseline").path, Evaluations.who5([3, 3, 3, 2, 2]))
            try await aarhus.post(
                SiteURL.evaluationEntry(id, first, point: "6mdr").path,
                Evaluations.who5([5, 5, 4, 4, 4]) + [("f.timer", "2,25")])
            try await aarhus.post(
                SiteURL.evaluationEntry(id, second, point: "baseline").path, Evaluations.who5([1, 1, 1, 1, 1]))
            return id
        }

        /// Asks for a file on the evaluation's page; returns the job's id.
        static func request(_ browser: Browser, _ id: UUID, file: String) async throws -> UUID {
            try await browser.get(SiteURL.evaluation(id).path)
            let response = try await browser.post(SiteURL.evaluationExports(id).path, [("file", file)])
            #expect(response.status == .seeOther, "\(response.explained)")
            let location = try #require(response.location)
            return try #require(UUID(uuidString: String(location.split(separator: "/").last ?? "")))
        }

        /// The files of a job in the exports folder (the folder is shared by the tests).
        static func files(of job: UUID, in app: Application) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: ExportJobs.folder(app))) ?? [])
                .filter { $0.hasPrefix(job.pathValue) }
        }

        static func job(_ app: Application, _ id: UUID) async throws -> EvaluationExportRecord {
            try #require(try await EvaluationExportRecord.find(id, on: app.db))
        }

        @Test func anExportIsMadeInTheBackgroundAndDownloadedOnceByTheOneWhoAskedForIt() async throws {
            try await withTestApp { app in
                let id = try await Self.measured(app)
                let evaluator = try await Assess.signedIn(app, Demo.evaluator)
                let page = try await evaluator.get(SiteURL.evaluation(id).path).body.string
                #expect(page.contains("Bestil eksporten") && page.contains("Bred form, CSV"))
                let jobID = try await Self.request(evaluator, id, file: "bred.csv")
                // Waiting: the page shows a progress bar that asks for the status, and the status says so.
                let waiting = try await evaluator.get(SiteURL.evaluationExportJob(id, jobID).path).body.string
                #expect(waiting.contains("<progress") && waiting.contains("Venter på at komme i gang"))
                #expect(waiting.contains(SiteURL.evaluationExportJobStatus(id, jobID).path))
                let before = try await evaluator.get(SiteURL.evaluationExportJobStatus(id, jobID).path)
                let state = try before.content.decode(EvaluationsController.ExportJobState.self)
                #expect(state.status == "venter" && !state.finished && state.percent == 0)
                #expect(state.text == "Venter på at komme i gang: 0 af 2 borgere (0 %)")
                // Not ready: the file is refused with where it stands.
                #expect(try await evaluator.post(SiteURL.evaluationExportJobFile(id, jobID).path).status == .conflict)

                // A worker makes it; nothing more is waiting.
                #expect(try await ExportJobs.runNext(app))
                #expect(try await !ExportJobs.runNext(app))
                let made = try await Self.job(app, jobID)
                #expect(made.status == .ready && made.citizensDone == 2 && made.citizensTotal == 2)
                #expect(made.rowsWritten == 2 && made.sizeBytes > 0)
                let path = ExportJobs.path(of: jobID, try #require(made.file), in: app)
                #expect(FileManager.default.fileExists(atPath: path))
                let after = try await evaluator.get(SiteURL.evaluationExportJobStatus(id, jobID).path)
                #expect(try after.content.decode(EvaluationsController.ExportJobState.self).finished)
                let ready = try await evaluator.get(SiteURL.evaluationExportJob(id, jobID).path).body.string
                #expect(ready.contains("Eksporten er klar: 2 borgere, 2 rækker"))
                #expect(ready.contains("Hent evaluering-bred.csv"))

                // The download is the same file the direct export gives, and the file is gone after it.
                let direct = try await evaluator.get(SiteURL.evaluationExport(id, file: "bred.csv").path).body.string
                let download = try await evaluator.post(SiteURL.evaluationExportJobFile(id, jobID).path)
                #expect(download.status == .ok)
                #expect(download.headers.first(name: .contentDisposition)?.contains("evaluering-bred.csv") == true)
                #expect(download.body.string == direct)
                #expect(!FileManager.default.fileExists(atPath: path))
                #expect(try await Self.job(app, jobID).status == .removed)
                let again = try await evaluator.post(SiteURL.evaluationExportJobFile(id, jobID).path)
                #expect(again.status == .gone)
                #expect(again.body.string.contains("Filen er hentet eller udløbet og derfor slettet"))

                // Both the request and the download are in the audit and in the data-access log.
                let audited = try await AuditEntryRecord.query(on: app.db).filter(\.$entityID == id.pathValue).all()
                    .map(\.action)
                #expect(audited.contains(AuditAction.evaluationExportRequest.rawValue))
                #expect(audited.contains(AuditAction.evaluationExportDownload.rawValue))
                let log = try await DataAccessRecord.query(on: app.db).filter(\.$action == "export").all()
                    .map(\.records)
                #expect(log.contains { $0.hasSuffix("(bestilt)") } && log.contains { $0.hasSuffix("(hentet)") })
            }
        }

        @Test func aWorkbookIsWrittenFromDiskAndReadsBackAsTheCSV() async throws {
            try await withTestApp { app in
                let id = try await Self.measured(app)
                let evaluator = try await Assess.signedIn(app, Demo.evaluator)
                let jobID = try await Self.request(evaluator, id, file: "lang.xlsx")
                try await ExportJobs.runNext(app)
                let download = try await evaluator.post(SiteURL.evaluationExportJobFile(id, jobID).path)
                #expect(download.status == .ok)
                let read = try SpreadsheetReader.rows(Array(Data(buffer: download.body))).get()
                let csv = try await evaluator.get(SiteURL.evaluationExport(id, file: "lang.csv").path).body.string
                let lines = csv.dropFirst().split(separator: "\r\n").map {
                    $0.split(separator: ";", omittingEmptySubsequences: false)
                }
                #expect(read.count == lines.count)
                #expect(
                    read.first == ["pseudonym", "kommune", "maalepunkt", "instrument", "version", "variabel", "vaerdi"])
                #expect(read.map { $0[0] } == lines.map { String($0[0]) })
                // The folder holds nothing of it after the download (no sheet or part file left behind).
                #expect(Self.files(of: jobID, in: app).isEmpty)
                // Ready in the database but gone from disk (as after restoring a backup): gone, and said so.
                let lost = try await Self.request(evaluator, id, file: "bred.xlsx")
                try await ExportJobs.runNext(app)
                let lostFile = try #require(try await Self.job(app, lost).file)
                try FileManager.default.removeItem(atPath: ExportJobs.path(of: lost, lostFile, in: app))
                try await evaluator.get(SiteURL.evaluationExportJob(id, lost).path)
                #expect(try await evaluator.post(SiteURL.evaluationExportJobFile(id, lost).path).status == .gone)
                #expect(try await Self.job(app, lost).status == .removed)
            }
        }

        @Test func aRequestIsCheckedAndNoOneButTheOneWhoAskedSeesIt() async throws {
            try await withTestApp { app in
                let id = try await Self.measured(app)
                let evaluator = try await Assess.signedIn(app, Demo.evaluator)
                try await evaluator.get(SiteURL.evaluation(id).path)
                for file in ["", "lang.exe", "lang.csv.xlsx", "../lang.csv", "LANG.CSV", "lang.csv\r\nX: y"] {
                    let refused = try await evaluator.post(SiteURL.evaluationExports(id).path, [("file", file)])
                    #expect(refused.status == .unprocessableEntity, "\(file)")
                    #expect(refused.body.string.contains("Vælg, hvilken fil eksporten skal give."))
                }
                #expect(try await EvaluationExportRecord.query(on: app.db).count() == 0)
                // At most three waiting or running for one person.
                for _ in 0..<ExportJobs.maximumUnfinished {
                    _ = try await Self.request(evaluator, id, file: "lang.csv")
                }
                let fourth = try await evaluator.post(SiteURL.evaluationExports(id).path, [("file", "lang.csv")])
                #expect(fourth.status == .tooManyRequests)
                #expect(fourth.body.string.contains("Vent, til en af dem er færdig"))
                let jobID = try #require(try await EvaluationExportRecord.query(on: app.db).first()?.id)
                // The municipality and the agency get nothing of it; nor does another evaluator.
                let aarhus = try await Assess.signedIn(app, Demo.applicant)
                #expect(try await aarhus.get(SiteURL.evaluationExportJob(id, jobID).path).status == .notFound)
                try await aarhus.get(SiteURL.evaluation(id).path)
                #expect(
                    try await aarhus.post(SiteURL.evaluationExports(id).path, [("file", "lang.csv")]).status
                        == .forbidden)
                let agency = try await Assess.signedIn(app, Demo.grantAdministrator)
                #expect(try await agency.get(SiteURL.evaluationExportJobStatus(id, jobID).path).status == .notFound)
                let other = try #require(
                    try await UserRecord.query(on: app.db).filter(\.$email == Demo.evaluator).first())
                try await UserRecord(
                    email: "kollega@vive.demo", name: "Karl Kollega", passwordHash: other.passwordHash,
                    organisationID: other.$organisation.id, roles: other.roleSet
                ).create(on: app.db)
                let second = try await Assess.signedIn(app, "kollega@vive.demo")
                #expect(try await second.get(SiteURL.evaluationExportJob(id, jobID).path).status == .notFound)
                try await second.get(SiteURL.evaluation(id).path)
                #expect(try await second.post(SiteURL.evaluationExportJobFile(id, jobID).path).status == .notFound)
                // A job of another evaluation's address is not found either.
                #expect(try await evaluator.get(SiteURL.evaluationExportJob(UUID(), jobID).path).status == .notFound)
            }
        }

        @Test func filesGoWhenTheirTimeRunsOutOrTheDataGoesAndAStoppedWorkersJobIsTakenUpAgain() async throws {
            try await withTestApp { app in
                let start = Date()
                let clock = TestClock(start)
                app.now = { clock.now }
                let id = try await Self.measured(app)
                let evaluator = try await Assess.signedIn(app, Demo.evaluator)
                let expiring = try await Self.request(evaluator, id, file: "bred.csv")
                try await ExportJobs.runNext(app)
                let file = try #require(try await Self.job(app, expiring).file)
                let path = ExportJobs.path(of: expiring, file, in: app)
                // A file no job owns (left by a crash) goes at the next sweep; the ready file stays a day.
                let stray = ExportJobs.folder(app) + "/" + UUID().pathValue + ".csv.part"
                #expect(DataDirectory.write(Data("x".utf8), to: stray))
                let young = ExportJobs.folder(app) + "/" + UUID().pathValue + ".csv.part"
                #expect(DataDirectory.write(Data("x".utf8), to: young))
                try FileManager.default.setAttributes(
                    [.modificationDate: Date().addingTimeInterval(-ExportJobs.strayAfter - 1)], ofItemAtPath: stray)
                #expect(try await ExportJobs.sweep(app) == 0)
                #expect(FileManager.default.fileExists(atPath: path) && !FileManager.default.fileExists(atPath: stray))
                #expect(FileManager.default.fileExists(atPath: young))
                try FileManager.default.removeItem(atPath: young)
                clock.now = start.addingTimeInterval(ExportJobRules.lifetime + 1)
                #expect(try await ExportJobs.sweep(app) == 1)
                #expect(!FileManager.default.fileExists(atPath: path))
                #expect(try await Self.job(app, expiring).status == .removed)
                let removal = try await AuditEntryRecord.query(on: app.db)
                    .filter(\.$action == AuditAction.evaluationExportRemove.rawValue).all()
                #expect(removal.count == 1 && removal[0].summary.contains("ikke hentet inden for et døgn"))
                let page = try await evaluator.get(SiteURL.evaluationExportJob(id, expiring).path).body.string
                #expect(page.contains("Filen er slettet") && page.contains("Bestil en ny eksport"))

                // A worker that stopped mid-export: after two minutes without a report another takes it up,
                // and the first one's claim no longer counts.
                let stopped = try await Self.request(evaluator, id, file: "lang.csv")
                #expect(try await ExportJobStore.claim(stopped, worker: "gone", at: clock.now, on: app.db))
                #expect(try await !ExportJobs.runNext(app))
                clock.now = clock.now.addingTimeInterval(ExportJobRules.staleAfter)
                #expect(try await ExportJobs.runNext(app))
                #expect(try await Self.job(app, stopped).status == .ready)
                #expect(
                    try await !ExportJobStore.finish(
                        stopped, worker: "gone", rows: 0, bytes: 0, at: clock.now, on: app.db))

                // At the evaluation's end date its citizen data goes, and so does a file not yet downloaded.
                let evaluation = try #require(try await EvaluationRecord.find(id, on: app.db))
                evaluation.endDate = CalendarDate.of(clock.now).adding(days: -1).iso
                try await evaluation.update(on: app.db)
                #expect(try await EvaluationActions.purgeEnded(app: app) == 1)
                #expect(try await ExportJobs.sweep(app) == 1)
                #expect(try await Self.job(app, stopped).status == .removed)
                #expect(Self.files(of: stopped, in: app).isEmpty && Self.files(of: expiring, in: app).isEmpty)
                try await evaluator.get(SiteURL.evaluation(id).path)
                let refused = try await evaluator.post(SiteURL.evaluationExports(id).path, [("file", "lang.csv")])
                #expect(refused.status == .conflict)
            }
        }

        /// The list of an evaluation's citizens at scale (issue 10): 50 at a time in the order they were enrolled,
        /// each page logged with the citizens it showed.
        @Suite struct CitizenListTests {
            @Test func theCitizensArePagedInTheOrderTheyWereEnrolledAndEachPageIsLogged() async throws {
                try await withTestApp { app in
                    let id = try await AppTests.EvaluationAppTests.evaluation(app)
                    let aarhus = try #require(
                        try await OrganisationRecord.query(on: app.db).filter(\.$name == "Aarhus Kommune").first()?.id)
                    let start = Date(timeIntervalSince1970: 1_800_000_000)
                    var enrolled: [String] = []
                    for index in 0..<120 {
                        let citizen = EvaluationCitizenRecord()
                        citizen.$evaluation.id = id
                        citizen.$organisation.id = aarhus
                        citizen.pseudonymValue = String(format: "TEST-%04d", 119 - index)
                        citizen.baselineDate = "2027-01-01"
                        citizen.enrolledBy = "Test"
                        // Two at a time share their enrolment time: the id breaks the tie.
                        citizen.enrolledAt = start.addingTimeInterval(Double(index / 2) + 0.123_456)
                        try await citizen.create(on: app.db)
                        enrolled.append(citizen.pseudonymValue)
                    }
                    let expected = try await EvaluationCitizenRecord.query(on: app.db).filter(\.$evaluation.$id == id)
                        .sort(\.$enrolledAt).sort(\.$id).all().map(\.pseudonymValue)
                    #expect(Set(expected) == Set(enrolled))
                    for email in [Demo.evaluator, Demo.applicant] {
                        let browser = try await Assess.signedIn(app, email)
                        var path: String? = SiteURL.evaluationCitizens(id).path
                        var seen: [String] = []
                        var pages = 0
                        while let next = path {
                            let page = try await browser.get(next)
                            #expect(page.status == .ok)
                            let html = page.body.string
                            #expect(html.contains("Indskrevne borgere (120)"))
                            let shown = html.components(separatedBy: ">TEST-").dropFirst().map {
                                "TEST-" + $0.prefix(4)
                            }
                            #expect(shown.count == (pages < 2 ? 50 : 20), "\(email) page \(pages)")
                            seen += shown
                            pages += 1
                            // The page's own link to the next; the last page has none.
                            path = html.components(separatedBy: "href=\"").dropFirst().map {
                                String($0.prefix { $0 != "\"" })
                            }
                            .first { $0.contains("efter=") }?.replacingOccurrences(of: "&amp;", with: "&")
                            // The read is logged with the citizens on the page, not all of them.
                            let log = try #require(
                                try await DataAccessRecord.query(on: app.db).filter(\.$action == "read")
                                    .sort(\.$at, .descending).sort(\.$id, .descending).first())
                            #expect(log.recordCount == shown.count && log.records.contains(shown[0]))
                            if pages > 5 { break }
                        }
                        #expect(pages == 3 && seen == expected, "\(email)")
                    }
                    // Anything that is not a cursor of this list gives the first page.
                    let evaluator = try await Assess.signedIn(app, Demo.evaluator)
                    for hostile in [
                        "x", "%00", String(repeating: "A", count: 700), "MTIz.not-a-uuid", "YWJj.\(UUID())",
                    ] {
                        let page = try await evaluator.get(SiteURL.evaluationCitizens(id).path + "?efter=" + hostile)
                        #expect(page.status == .ok, "\(hostile)")
                        #expect(page.body.string.contains(">\(expected[0])<"), "\(hostile)")
                    }
                }
            }
        }
    }
}
