import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import ZIPFoundation

@testable import PuljeApp
@testable import PuljeDomain

/// Evaluation data through its pages: the evaluator's design, enrolment under pseudonyms by the municipality
/// (the CPR number stored, logged and shown nowhere), WHO-5 measurements, what each party sees, the exports,
/// the data access log, instruments as data, and retention.
extension AppTests {
    /// The design of the fixtures: WHO-5 at baseline and at 6 months, with hours at the follow-up.
    static let evaluationDesignFixture = EvaluationDesign(
        points: [
            MeasurementPoint(
                key: "baseline", name: "Baseline", monthsAfterBaseline: 0, windowDays: 0, instruments: ["who5"]),
            MeasurementPoint(
                key: "6mdr", name: "6 måneder", monthsAfterBaseline: 6, windowDays: 30, instruments: ["who5"]),
        ],
        fields: [DataField(key: "timer", label: "Timer pr. borger", kind: .hours)])

    @Suite struct EvaluationAppTests {
        static let aarhusCPR = "0101901234"
        static let esbjerg = "ansoger@esbjerg.demo"
        static let dpo = "dpo@styrelsen.demo"

        /// A decided call with grant cases for Aarhus and Esbjerg, and an evaluation of it with consent and
        /// birth year asked for.
        static func evaluation(_ app: Application) async throws -> UUID {
            try await Grants.decided(app)
            let call = try await Assess.call(app)
            let evaluator = try await Assess.signedIn(app, Demo.evaluator)
            try await evaluator.get(SiteURL.evaluations.path)
            let created = try await evaluator.post(
                SiteURL.evaluations.path,
                [("title", "Evaluering af demopuljen"), ("call", call.uuidString), ("endDate", "31.12.2099")])
            #expect(created.status == .seeOther)
            let record = try #require(
                try await EvaluationRecord.query(on: app.db).filter(\.$title == "Evaluering af demopuljen").first())
            let id = try record.requireID()
            try await evaluator.get(SiteURL.evaluationDesign(id).path)
            let saved = try await evaluator.post(SiteURL.evaluationDesign(id).path, design(version: 1))
            #expect(saved.status == .seeOther)
            return id
        }

        static func design(version: Int, end: String = "31.12.2099", retention: String = "delete") -> [(String, String)]
        {
            [
                ("version", String(version)), ("title", "Evaluering af demopuljen"), ("endDate", end),
                ("retention", retention), ("deriveBirthYear", "1"), ("requiresConsent", "1"),
                ("points.0.key", "baseline"), ("points.0.name", "Baseline"), ("points.0.monthsAfterBaseline", "0"),
                ("points.0.windowDays", "0"), ("points.0.instruments[]", "who5"),
                ("points.1.key", "6mdr"), ("points.1.name", "6 måneder"), ("points.1.monthsAfterBaseline", "6"),
                ("points.1.windowDays", "30"), ("points.1.instruments[]", "who5"),
                ("fields.0.key", "timer"), ("fields.0.label", "Timer pr. borger"), ("fields.0.kind", "hours"),
            ]
        }

        static func who5(_ values: [Int]) -> [(String, String)] {
            values.enumerated().map { ("i.who5.\($0.offset + 1)", String($0.element)) }
        }

        /// Aarhus enrols one citizen; returns the citizen's id.
        static func enrolled(_ app: Application, _ id: UUID, cpr: String = aarhusCPR) async throws -> UUID {
            let aarhus = try await Assess.signedIn(app, Demo.applicant)
            try await aarhus.get(SiteURL.evaluationCitizens(id).path)
            let enrolled = try await aarhus.post(
                SiteURL.evaluationCitizens(id).path, [("cpr", cpr), ("consent", "1"), ("baseline", "")])
            #expect(enrolled.status == .seeOther)
            return try #require(
                try await EvaluationCitizenRecord.query(on: app.db).filter(\.$evaluation.$id == id)
                    .sort(\.$enrolledAt, .descending).first()?.requireID())
        }

        @Test func aMunicipalityEnrolsUnderAPseudonymAndTheNumberIsKeptNowhere() async throws {
            try await withTestApp { app in
                let id = try await Self.evaluation(app)
                let aarhus = try await Assess.signedIn(app, Demo.applicant)
                let page = try await aarhus.get(SiteURL.evaluationCitizens(id).path)
                #expect(page.status == .ok && page.body.string.contains("Indskriv en borger"))
                // A bad number, no consent, a future baseline: every problem named, the number not sent back.
                let bad = try await aarhus.post(
                    SiteURL.evaluationCitizens(id).path, [("cpr", "3102901234"), ("baseline", "01.01.2199")])
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.body.string.contains("ikke en dato, der findes"))
                #expect(bad.body.string.contains("samtykke"))
                #expect(bad.body.string.contains("kan ikke ligge efter i dag"))
                #expect(!bad.body.string.contains("3102901234"))
                let citizen = try await Self.enrolled(app, id)
                let record = try #require(try await EvaluationCitizenRecord.find(citizen, on: app.db))
                let cpr = try CPRNumber.parse(Self.aarhusCPR, today: CalendarDate(year: 2026, month: 1, day: 1)!).get()
                #expect(
                    record.pseudonymValue
                        == Pseudonym.of(cpr, evaluation: id, installationKey: app.pseudonymKey).value)
                #expect(record.birthYear == 1990 && record.sex == nil && record.consentAt != nil)
                // The same person again, written another way: caught.
                let again = try await aarhus.post(
                    SiteURL.evaluationCitizens(id).path, [("cpr", "010190-1234"), ("consent", "1")])
                #expect(again.status == .unprocessableEntity)
                #expect(again.body.string.contains("allerede indskrevet"))
                // The number is in no table: not the citizens, the audit, the access log, the sessions.
                let dump = try await Self.allText(app)
                #expect(!dump.contains("0101901234") && !dump.contains("010190-1234"))
                // Nor on any page the municipality sees.
                let list = try await aarhus.get(SiteURL.evaluationCitizens(id).path).body.string
                #expect(list.contains(record.shownPseudonym) && !list.contains("0101901234"))
            }
        }

        /// Every text column of the tables a CPR number could have reached.
        static func allText(_ app: Application) async throws -> String {
            var text = ""
            for citizen in try await EvaluationCitizenRecord.query(on: app.db).all() {
                text += citizen.pseudonymValue + citizen.enrolledBy + citizen.baselineDate
            }
            for entry in try await AuditEntryRecord.query(on: app.db).all() { text += entry.summary }
            for entry in try await DataAccessRecord.query(on: app.db).all() { text += entry.records }
            for entry in try await EvaluationEntryRecord.query(on: app.db).all() { text += entry.answersJSON }
            return text
        }

        @Test func measurementsAreSavedAsFilledInAndScoredWhenComplete() async throws {
            try await withTestApp { app in
                let id = try await Self.evaluation(app)
                let citizen = try await Self.enrolled(app, id)
                let aarhus = try await Assess.signedIn(app, Demo.applicant)
                let path = SiteURL.evaluationEntry(id, citizen, point: "baseline").path
                let form = try await aarhus.get(path)
                #expect(form.body.string.contains("har jeg været glad og i godt humør"))
                // Half-filled: saved, not scored.
                let half = try await aarhus.post(path, Self.who5([3, 3]))
                #expect(half.status == .seeOther)
                #expect(
                    try await aarhus.get(SiteURL.evaluationCitizen(id, citizen).path).body.string
                        .contains("Delvist udfyldt"))
                // A value off the scale, or hostile: refused, nothing saved over the half.
                for hostile in ["6", "-1", "9223372036854775807", "x"] {
                    let refused = try await aarhus.post(
                        path, [("version", "1")] + Self.who5([3, 3, 3]) + [("i.who5.4", hostile)])
                    #expect(refused.status == .unprocessableEntity)
                    #expect(refused.body.string.contains("Vælg et af svarene."))
                }
                let saved = try #require(
                    try await EvaluationStore.entry(citizen: citizen, point: "baseline", on: app.db))
                #expect(saved.version == 1 && saved.answers()["who5"]?.values.count == 2)
                // Complete: raw 13, index 52.
                #expect(
                    try await aarhus.post(path, [("version", "1")] + Self.who5([3, 3, 3, 2, 2])).status == .seeOther)
                let shown = try await aarhus.get(SiteURL.evaluationCitizen(id, citizen).path).body.string
                #expect(shown.contains("Udfyldt") && shown.contains("WHO-5 Trivselsindeks: 52"))
                // A save on the old version is a conflict, and what was typed stays on the page.
                let stale = try await aarhus.post(path, [("version", "1")] + Self.who5([1, 1, 1, 1, 1]))
                #expect(stale.status == .conflict)
                #expect(stale.body.string.contains("En anden har gemt"))
                // Fields at a follow-up: Danish decimals, bounds.
                let follow = SiteURL.evaluationEntry(id, citizen, point: "6mdr").path
                let badHours = try await aarhus.post(follow, Self.who5([4, 4, 4, 4, 4]) + [("f.timer", "-3")])
                #expect(badHours.status == .unprocessableEntity)
                #expect(
                    try await aarhus.post(follow, Self.who5([4, 4, 4, 4, 4]) + [("f.timer", "12,5")]).status
                        == .seeOther)
                let followUp = try #require(
                    try await EvaluationStore.entry(citizen: citizen, point: "6mdr", on: app.db))
                #expect(followUp.fields() == ["timer": "12.5"])
                // A point the design does not have.
                #expect(
                    try await aarhus.get(SiteURL.evaluationEntry(id, citizen, point: "99mdr").path).status
                        == .notFound)
            }
        }

        /// Posts the form as the page's script does: with the autosave header, answered in JSON.
        static func autosave(
            _ browser: Browser, _ path: String, _ fields: [(String, String)]
        ) async throws
            -> (status: HTTPStatus, json: [String: Any])
        {
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            headers.replaceOrAdd(name: "X-Pulje-Autosave", value: "1")
            let body = (fields + [("_csrf", browser.csrfToken ?? "")])
                .map { Browser.encode($0.0) + "=" + Browser.encode($0.1) }.joined(separator: "&")
            let response = try await browser.send(.POST, path, headers: headers, body: ByteBuffer(string: body))
            let json = (try? JSONSerialization.jsonObject(with: Data(response.body.string.utf8))) as? [String: Any]
            return (response.status, json ?? [:])
        }

        @Test func theMeasurementFormSavesItselfAsItIsFilledIn() async throws {
            try await withTestApp { app in
                let id = try await Self.evaluation(app)
                let citizen = try await Self.enrolled(app, id)
                let aarhus = try await Assess.signedIn(app, Demo.applicant)
                let path = SiteURL.evaluationEntry(id, citizen, point: "baseline").path
                let page = try await aarhus.get(path).body.string
                #expect(page.contains("data-autosave=\"\(path)\"") && page.contains("id=\"gem-status\""))
                #expect(page.contains("name=\"version\" value=\"\""))
                // Two answers, then three more: each save answers with its version.
                let first = try await Self.autosave(aarhus, path, [("version", "")] + Self.who5([3, 3]))
                #expect(first.status == .ok && first.json["version"] as? Int == 1)
                #expect((first.json["message"] as? String)?.hasPrefix("Gemt") == true)
                let second = try await Self.autosave(aarhus, path, [("version", "1")] + Self.who5([3, 3, 3, 2, 2]))
                #expect(second.status == .ok && second.json["version"] as? Int == 2)
                let saved = try #require(
                    try await EvaluationStore.entry(citizen: citizen, point: "baseline", on: app.db))
                #expect(saved.version == 2 && saved.answers()["who5"]?.values.count == 5)
                // A bad value saves nothing and says which field; a stale version is a conflict.
                let bad = try await Self.autosave(aarhus, path, [("version", "2")] + [("i.who5.1", "9")])
                #expect(bad.status == .unprocessableEntity)
                #expect((bad.json["fields"] as? [String: String])?["i.who5.1"] == "Vælg et af svarene.")
                let stale = try await Self.autosave(aarhus, path, [("version", "1")] + Self.who5([1]))
                #expect(stale.status == .conflict)
                #expect(
                    try await EvaluationStore.entry(citizen: citizen, point: "baseline", on: app.db)?.version == 2)
                // Another municipality's applicant cannot save through it either.
                let esbjerg = try await Assess.signedIn(app, Self.esbjerg)
                try await esbjerg.get(SiteURL.home.path)
                let foreign = try await Self.autosave(esbjerg, path, [("version", "2")] + Self.who5([0]))
                #expect([.forbidden, .notFound].contains(foreign.status))
                #expect(
                    try await EvaluationStore.entry(citizen: citizen, point: "baseline", on: app.db)?.version == 2)
            }
        }

        @Test func eachPartySeesWhatItMay() async throws {
            try await withTestApp { app in
                let id = try await Self.evaluation(app)
                let citizen = try await Self.enrolled(app, id)
                // Another municipality in the call: its own (empty) list, never Aarhus' citizen.
                let esbjerg = try await Assess.signedIn(app, Self.esbjerg)
                let list = try await esbjerg.get(SiteURL.evaluationCitizens(id).path).body.string
                #expect(list.contains("Ingen borgere er indskrevet endnu."))
                #expect(try await esbjerg.get(SiteURL.evaluationCitizen(id, citizen).path).status == .notFound)
                #expect(
                    try await esbjerg.get(SiteURL.evaluationEntry(id, citizen, point: "baseline").path).status
                        == .notFound)
                try await esbjerg.get(SiteURL.evaluationCitizens(id).path)
                let write = try await esbjerg.post(
                    SiteURL.evaluationEntry(id, citizen, point: "baseline").path, Self.who5([1, 1, 1, 1, 1]))
                #expect(write.status == .notFound)
                // A municipality without a case in the call: nothing at all.
                let odense = try await Assess.signedIn(app, "ansoger@odense.demo")
                #expect(try await odense.get(SiteURL.evaluation(id).path).status == .notFound)
                #expect(try await odense.get(SiteURL.evaluationCitizens(id).path).status == .notFound)
                // The agency: the overview only, with the one citizen suppressed.
                let agency = try await Assess.signedIn(app, Demo.grantAdministrator)
                let overview = try await agency.get(SiteURL.evaluation(id).path).body.string
                #expect(overview.contains("●") && overview.contains("færre end 5"))
                #expect(try await agency.get(SiteURL.evaluationCitizens(id).path).status == .forbidden)
                #expect(try await agency.get(SiteURL.evaluationCitizen(id, citizen).path).status == .notFound)
                #expect(
                    try await agency.get(SiteURL.evaluationExport(id, file: "bred.csv").path).status == .forbidden)
                // The evaluator: every citizen under pseudonym, and the exports.
                let evaluator = try await Assess.signedIn(app, Demo.evaluator)
                #expect(try await evaluator.get(SiteURL.evaluationCitizen(id, citizen).path).status == .ok)
                #expect(
                    try await evaluator.post(
                        SiteURL.evaluationCitizens(id).path, [("cpr", "0202902345"), ("consent", "1")]
                    ).status == .forbidden)
                // Anonymous: signed out.
                #expect(try await Browser(app).get(SiteURL.evaluation(id).path).status != .ok)
            }
        }

        @Test func theEvaluatorExportsLongAndWideAndEveryReadIsLogged() async throws {
            try await withTestApp { app in
                let id = try await Self.evaluation(app)
                let first = try await Self.enrolled(app, id)
                let second = try await Self.enrolled(app, id, cpr: "1505850987")
                let aarhus = try await Assess.signedIn(app, Demo.applicant)
                try await aarhus.get(SiteURL.evaluationCitizens(id).path)
                try await aarhus.post(
                    SiteURL.evaluationEntry(id, first, point: "baseline").path, Self.who5([3, 3, 3, 2, 2]))
                try await aarhus.post(
                    SiteURL.evaluationEntry(id, first, point: "6mdr").path,
                    Self.who5([5, 5, 4, 4, 4]) + [("f.timer", "2,25")])
                try await aarhus.post(SiteURL.evaluationEntry(id, second, point: "baseline").path, Self.who5([1, 1]))
                let evaluator = try await Assess.signedIn(app, Demo.evaluator)
                let wide = try await evaluator.get(SiteURL.evaluationExport(id, file: "bred.csv").path)
                #expect(wide.status == .ok)
                #expect(wide.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
                let lines = wide.body.string.split(separator: "\r\n").map(String.init)
                #expect(lines.count == 3)
                #expect(lines[0].hasPrefix("\u{FEFF}pseudonym;kommune;baseline_dato;foedselsaar;baseline_who5_1"))
                #expect(lines[0].contains("6mdr_who5_score;6mdr_timer"))
                let pseudonym = try #require(try await EvaluationCitizenRecord.find(first, on: app.db)?.pseudonymValue)
                let row = try #require(lines.first { $0.hasPrefix(pseudonym) })
                // Baseline 3,3,3,2,2 → 13 and 52; 6 months 5,5,4,4,4 → 22 and 88; hours 2,25.
                #expect(row.contains(";1990;3;3;3;2;2;13;52;5;5;4;4;4;22;88;2,25"))
                let long = try await evaluator.get(SiteURL.evaluationExport(id, file: "lang.csv").path).body.string
                #expect(long.contains("\(pseudonym);Aarhus Kommune;6mdr;who5;1;score;88"))
                #expect(long.contains("\(pseudonym);Aarhus Kommune;6mdr;;;timer;2,25"))
                #expect(try await evaluator.get(SiteURL.evaluationExport(id, file: "x.xls").path).status == .notFound)
                // The same as a workbook: its sheet holds the pseudonym and the scores.
                let workbook = try await evaluator.get(SiteURL.evaluationExport(id, file: "bred.xlsx").path)
                #expect(workbook.status == .ok)
                let archive = try Archive(data: Data(buffer: workbook.body), accessMode: .read, pathEncoding: nil)
                var sheet = Data()
                _ = try archive.extract(try #require(archive["xl/worksheets/sheet1.xml"])) { sheet.append($0) }
                let xml = String(decoding: sheet, as: UTF8.self)
                #expect(xml.contains(pseudonym) && xml.contains("<v>88</v>"))
                // Read back as the import reads a workbook: the same header as the CSV.
                let read = try SpreadsheetReader.rows(Array(Data(buffer: workbook.body))).get()
                #expect(read.first?.prefix(3) == ["pseudonym", "kommune", "baseline_dato"])
                #expect(read.count == 3)
                // The data-protection officer reads who did what; no one else does.
                let log = try await DataAccessRecord.query(on: app.db).all()
                #expect(Set(log.map(\.action)).isSuperset(of: ["enrol", "write", "read", "export"]))
                #expect(log.contains { $0.action == "export" && $0.actorName.contains("evaluator@vive.demo") })
                let dpo = try await Assess.signedIn(app, Self.dpo)
                let page = try await dpo.get(SiteURL.dataAccessLog.path)
                #expect(page.status == .ok && page.body.string.contains("Eksporteret"))
                #expect(try await evaluator.get(SiteURL.dataAccessLog.path).status == .forbidden)
                // The cursor of older entries: hostile tokens are ignored, never a 500.
                for token in ["x", "aW5m.\(UUID())", "TmFO.\(UUID())", "OTk5OTk5OTk5OTk5OTk5OQ.\(UUID())"] {
                    #expect(try await dpo.get(SiteURL.dataAccessLog.path + "?foer=" + token).status == .ok)
                }
            }
        }

        static let instrument: [(String, String)] = [
            ("key", "mestring"), ("name", "Mestring"), ("instruction", "Hvor enig er du?"),
            ("scale.0.value", "1"), ("scale.0.label", "Uenig"), ("scale.1.value", "4"),
            ("scale.1.label", "Enig"), ("scale.2.value", ""), ("scale.2.label", ""),
            ("items.0.key", "a"), ("items.0.text", "Jeg klarer mig selv"),
            ("items.1.key", "b"), ("items.1.text", "Jeg har brug for hjælp"), ("items.1.reversed", "1"),
            ("scoring.method", "mean"), ("scoring.multiplier", "25"), ("scoring.scoreName", "Mestringsscore"),
            ("scoring.meaningfulChange", "15"), ("scoring.flags.0.label", "Lav mestring"),
            ("scoring.flags.0.rawBelow", "2"),
        ]

        @Test func theEvaluatorDefinesInstrumentsAsData() async throws {
            try await withTestApp { app in
                let evaluator = try await Assess.signedIn(app, Demo.evaluator)
                try await evaluator.get(SiteURL.instruments.path)
                let form = Self.instrument
                // Every problem named on its field; nothing stored.
                var bad = form
                bad[0] = ("key", "Mest ring")
                bad[9] = ("items.0.key", "b")
                bad.append(("scale.3.value", "to"))
                let refused = try await evaluator.post(SiteURL.instruments.path, bad)
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("Nøglen skal være 1–40 små bogstaver"))
                #expect(refused.body.string.contains("To spørgsmål har nøglen"))
                #expect(refused.body.string.contains("Værdien skal være et helt tal."))
                #expect(try await InstrumentRecord.query(on: app.db).count() == 0)
                #expect(try await evaluator.post(SiteURL.instruments.path, form).status == .seeOther)
                let stored = try #require(try await InstrumentRecord.query(on: app.db).first()?.instrument())
                #expect(stored.version == 1 && stored.items.map(\.reversed) == [false, true])
                #expect(stored.score(["a": 4, "b": 1])?.score == 100)
                // A new version; the first stays for the answers given under it.
                try await evaluator.get(SiteURL.instrument("mestring").path)
                var changed = form.filter { $0.0 != "key" }
                changed.append(("version", "1"))
                changed[1] = ("instruction", "Sæt kryds")
                #expect(try await evaluator.post(SiteURL.instrument("mestring").path, changed).status == .seeOther)
                #expect(try await InstrumentRecord.query(on: app.db).count() == 2)
                // Saving over version 1 again is a conflict; WHO-5 is built in and not changed.
                #expect(try await evaluator.post(SiteURL.instrument("mestring").path, changed).status == .conflict)
                #expect(
                    try await evaluator.post(SiteURL.instrument("who5").path, changed + [("version", "1")]).status
                        == .unprocessableEntity)
                #expect(try await evaluator.post(SiteURL.instruments.path, form).status == .unprocessableEntity)
                // A municipality reads instruments but defines none.
                let aarhus = try await Assess.signedIn(app, Demo.applicant)
                #expect(try await aarhus.get(SiteURL.instrument("mestring").path).status == .ok)
                #expect(try await aarhus.post(SiteURL.instruments.path, form).status == .forbidden)
            }
        }

        @Test func afterTheEndDateCitizenDataIsDeletedOrAnonymised() async throws {
            try await withTestApp { app in
                let id = try await Self.evaluation(app)
                let citizen = try await Self.enrolled(app, id)
                let aarhus = try await Assess.signedIn(app, Demo.applicant)
                try await aarhus.get(SiteURL.evaluationCitizens(id).path)
                try await aarhus.post(
                    SiteURL.evaluationEntry(id, citizen, point: "baseline").path, Self.who5([3, 3, 3, 2, 2]))
                #expect(try await EvaluationActions.purgeEnded(app: app) == 0)
                // The evaluator moves the end date to the past, choosing anonymisation.
                let evaluator = try await Assess.signedIn(app, Demo.evaluator)
                try await evaluator.get(SiteURL.evaluationDesign(id).path)
                let moved = try await evaluator.post(
                    SiteURL.evaluationDesign(id).path,
                    Self.design(version: 2, end: "01.01.2020", retention: "anonymise"))
                #expect(moved.status == .seeOther)
                #expect(try await EvaluationActions.purgeEnded(app: app) == 1)
                #expect(try await EvaluationActions.purgeEnded(app: app) == 0)
                let record = try #require(try await EvaluationCitizenRecord.find(citizen, on: app.db))
                #expect(record.pseudonymValue == "anonym-1" && record.birthYear == nil && record.consentAt == nil)
                #expect(try await EvaluationEntryRecord.query(on: app.db).count() == 1)
                // No more enrolment or entry.
                let closed = try await aarhus.post(
                    SiteURL.evaluationCitizens(id).path, [("cpr", "0202902345"), ("consent", "1")])
                #expect(closed.status == .conflict)
                let history = try await AuditLog.history(of: .evaluation(id), on: app.db)
                #expect(history.contains { $0.action == "evaluation.purge" && $0.summary.contains("anonymiseret") })
            }
        }

        @Test func deletionRemovesEveryCitizenAndRecord() async throws {
            try await withTestApp { app in
                let id = try await Self.evaluation(app)
                let citizen = try await Self.enrolled(app, id)
                let aarhus = try await Assess.signedIn(app, Demo.applicant)
                try await aarhus.get(SiteURL.evaluationCitizens(id).path)
                try await aarhus.post(SiteURL.evaluationEntry(id, citizen, point: "baseline").path, Self.who5([1]))
                let evaluator = try await Assess.signedIn(app, Demo.evaluator)
                try await evaluator.get(SiteURL.evaluationDesign(id).path)
                try await evaluator.post(SiteURL.evaluationDesign(id).path, Self.design(version: 2, end: "01.01.2020"))
                #expect(try await EvaluationActions.purgeEnded(app: app) == 1)
                #expect(try await EvaluationCitizenRecord.query(on: app.db).count() == 0)
                #expect(try await EvaluationEntryRecord.query(on: app.db).count() == 0)
            }
        }

        @Test func aBadDesignNamesItsFields() async throws {
            try await withTestApp { app in
                let id = try await Self.evaluation(app)
                let evaluator = try await Assess.signedIn(app, Demo.evaluator)
                try await evaluator.get(SiteURL.evaluationDesign(id).path)
                var bad = Self.design(version: 2)
                bad[11] = ("points.1.key", "baseline")
                bad.append(("points.1.instruments[]", "sdq"))
                bad.append(("endDate", "32.13.2099"))
                let refused = try await evaluator.post(SiteURL.evaluationDesign(id).path, bad)
                #expect(refused.status == .unprocessableEntity)
                let body = refused.body.string
                #expect(body.contains("To målepunkter har nøglen"))
                #expect(body.contains("Instrumentet \"sdq\" findes ikke."))
                #expect(body.contains("Skriv slutdatoen som dd.mm.åååå"))
                // A municipality may not change the design.
                let aarhus = try await Assess.signedIn(app, Demo.applicant)
                try await aarhus.get(SiteURL.evaluation(id).path)
                #expect(
                    try await aarhus.post(SiteURL.evaluationDesign(id).path, Self.design(version: 2)).status
                        == .forbidden)
            }
        }

        @Test func aMunicipalityImportsAFileAndOneBadRowImportsNothing() async throws {
            try await withTestApp { app in
                let id = try await Self.evaluation(app)
                let aarhus = try await Assess.signedIn(app, Demo.applicant)
                try await aarhus.get(SiteURL.evaluationCitizens(id).path)
                let template = try await aarhus.get(SiteURL.evaluationTemplate(id, file: "skabelon.csv").path)
                #expect(template.status == .ok)
                #expect(template.body.string.hasPrefix("\u{FEFF}cpr;baseline_dato;samtykke;baseline_who5_1"))
                #expect(
                    try await aarhus.get(SiteURL.evaluationTemplate(id, file: "skabelon.xlsx").path).status == .ok)
                let header =
                    "cpr;baseline_dato;samtykke;baseline_who5_1;baseline_who5_2;baseline_who5_3;baseline_who5_4;baseline_who5_5;6mdr_timer\r\n"
                let good = "0101901234;01.06.2026;ja;3;3;3;2;2;\r\n1505850987;;ja;1;1;;;;1,5\r\n"
                // One bad row (a value off the scale): refused, nothing imported, the problem named.
                let bad = try await aarhus.upload(
                    SiteURL.evaluationImport(id).path, fields: [],
                    file: ("borgere.csv", "text/csv", Array((header + good + "0202902345;;ja;7;;;;;\r\n").utf8)))
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.body.string.contains("Intet er indlæst"))
                #expect(bad.body.string.contains("Række 4, kolonne baseline_who5_1: Svaret skal være et helt tal"))
                #expect(!bad.body.string.contains("0202902345"))
                #expect(try await EvaluationCitizenRecord.query(on: app.db).count() == 0)
                // The good file: two citizens, their measurements, scored where complete.
                let imported = try await aarhus.upload(
                    SiteURL.evaluationImport(id).path, fields: [],
                    file: ("borgere.csv", "text/csv", Array((header + good).utf8)))
                #expect(imported.status == .seeOther)
                let citizens = try await EvaluationCitizenRecord.query(on: app.db).all()
                #expect(citizens.count == 2 && citizens.allSatisfy { $0.consentAt != nil })
                #expect(citizens.contains { $0.baselineDate == "2026-06-01" })
                let entries = try await EvaluationEntryRecord.query(on: app.db).all()
                #expect(entries.count == 3)
                #expect(entries.contains { $0.fields() == ["timer": "1.5"] })
                let log = try await DataAccessRecord.query(on: app.db).filter(\.$action == "import").all()
                #expect(log.count == 1 && log[0].recordCount == 2)
                // The same file again adds nothing new; a later file adds to the saved measurements.
                let again = try await aarhus.upload(
                    SiteURL.evaluationImport(id).path, fields: [],
                    file: ("borgere.csv", "text/csv", Array((header + "1505850987;;;;;1;1;1;\r\n").utf8)))
                #expect(again.status == .seeOther)
                #expect(try await EvaluationCitizenRecord.query(on: app.db).count() == 2)
                let second = try #require(citizens.first { $0.baselineDate != "2026-06-01" })
                let baseline = try #require(
                    try await EvaluationStore.entry(citizen: second.requireID(), point: "baseline", on: app.db))
                #expect(baseline.answers()["who5"]?.values == ["1": 1, "2": 1, "3": 1, "4": 1, "5": 1])
                // XLSX, as a spreadsheet saves it (numbers as numbers).
                let workbook = try XLSX.workbook(
                    sheet: "Borgere",
                    rows: [
                        ["cpr", "samtykke", "baseline_who5_1"].map { .text($0) },
                        [.text("0303903456"), .text("ja"), .number(hundredths: 400)],
                    ])
                let xlsx = try await aarhus.upload(
                    SiteURL.evaluationImport(id).path, fields: [],
                    file: (
                        "borgere.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        Array(workbook)
                    ))
                #expect(xlsx.status == .seeOther)
                #expect(try await EvaluationCitizenRecord.query(on: app.db).count() == 3)
                // Another municipality's file naming Aarhus' citizen: refused, nothing imported.
                let esbjerg = try await Assess.signedIn(app, Self.esbjerg)
                try await esbjerg.get(SiteURL.evaluationCitizens(id).path)
                let foreign = try await esbjerg.upload(
                    SiteURL.evaluationImport(id).path, fields: [],
                    file: ("borgere.csv", "text/csv", Array(("cpr;samtykke\r\n0101901234;ja\r\n").utf8)))
                #expect(foreign.status == .unprocessableEntity)
                #expect(foreign.body.string.contains("indskrevet af en anden kommune"))
                // Not a table at all, or invalid UTF-8: a clear message.
                let junk = try await aarhus.upload(
                    SiteURL.evaluationImport(id).path, fields: [],
                    file: ("x.csv", "text/csv", [0xFF, 0xFE, 0x00, 0x41]))
                #expect(junk.status == .unprocessableEntity && junk.body.string.contains("UTF-8"))
                let zip = try await aarhus.upload(
                    SiteURL.evaluationImport(id).path, fields: [],
                    file: ("x.xlsx", "application/zip", [0x50, 0x4B, 0x03, 0x04, 0, 0, 0]))
                #expect(zip.status == .unprocessableEntity && zip.body.string.contains("kan ikke læses"))
                // The evaluator and the agency import nothing.
                let evaluator = try await Assess.signedIn(app, Demo.evaluator)
                try await evaluator.get(SiteURL.evaluation(id).path)
                let refused = try await evaluator.upload(
                    SiteURL.evaluationImport(id).path, fields: [],
                    file: ("borgere.csv", "text/csv", Array((header + good).utf8)))
                #expect(refused.status == .forbidden)
            }
        }

        /// Five citizens of Aarhus measured at baseline (index 40) and at 6 months: three meaningfully better
        /// (72), two the same. The call is put under initiative 1.6.
        static func measuredFive(_ app: Application) async throws -> UUID {
            let id = try await Self.evaluation(app)
            let call = try #require(try await CallRecord.find(try await Assess.call(app), on: app.db))
            call.initiativeNumber = "1.6"
            try await call.save(on: app.db)
            let aarhus = try await Assess.signedIn(app, Demo.applicant)
            for (index, cpr) in ["0101901234", "0202902345", "0303903456", "0404904567", "0505902678"].enumerated() {
                let citizen = try await Self.enrolled(app, id, cpr: cpr)
                try await aarhus.get(SiteURL.evaluationCitizens(id).path)
                try await aarhus.post(
                    SiteURL.evaluationEntry(id, citizen, point: "baseline").path, Self.who5([2, 2, 2, 2, 2]))
                try await aarhus.post(
                    SiteURL.evaluationEntry(id, citizen, point: "6mdr").path,
                    Self.who5(index < 3 ? [4, 4, 4, 3, 3] : [2, 2, 2, 2, 2]))
            }
            return id
        }

        @Test func aBusinessCaseTakesItsSuccessRateFromTheEvaluation() async throws {
            try await withTestApp { app in
                let evaluation = try await Self.measuredFive(app)
                let manager = try await Assess.signedIn(app, Demo.programmeManager)
                let id = try await AppTests.BusinessCaseAppTests.created(app, manager)
                let page = try await manager.get(SiteURL.businessCase(id).path).body.string
                #expect(page.contains("Hent succesrate fra evalueringsdata"))
                // The agency's overview draws the mean index at each point: 40 at baseline, 59,2 at 6 months.
                let overview = try await manager.get(SiteURL.evaluation(evaluation).path).body.string
                #expect(overview.contains("<svg class=\"chart\""))
                #expect(overview.contains("Baseline: 40; 6 måneder: 59,2"))
                // And per municipality: Aarhus's five citizens are enough to be drawn for the agency.
                #expect(overview.contains("WHO-5 Trivselsindeks pr. kommune (1)"))
                #expect(overview.contains("gennemsnit ved hvert målepunkt, Aarhus Kommune. Baseline: 40"))
                let fetched = try await manager.post(
                    SiteURL.businessCaseSuccessRate(id).path, [("evaluation", evaluation.uuidString)])
                #expect(fetched.status == .seeOther)
                let input = try #require(try await BusinessCaseRecord.find(id, on: app.db)).input()
                #expect(input.successRateNew == 60)
                #expect(input.successRateSource?.citizens == 5)
                #expect(input.successRateSource?.description.contains("fra baseline til 6 måneder") == true)
                let shown = try await manager.get(SiteURL.businessCase(id).path).body.string
                #expect(shown.contains("Succesraten med indsatsen er hentet fra Pulje"))
                // A changed rate needs a reason, given on the form beside the source.
                let edit = try await manager.get(SiteURL.editBusinessCase(id).path).body.string
                #expect(edit.contains("Begrundelse, hvis succesraten afviger fra kilden"))
                var form = AppTests.BusinessCaseAppTests.form.filter { $0.0 != "successRateNew" }
                form += [("successRateNew", "50"), ("version", "2")]
                let refused = try await manager.post(SiteURL.editBusinessCase(id).path, form)
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("Succesraten afviger fra kilden"))
                let saved = try await manager.post(
                    SiteURL.editBusinessCase(id).path, form + [("successRateOverrideReason", "Kun halvdelen af året.")])
                #expect(saved.status == .seeOther)
                let after = try #require(try await BusinessCaseRecord.find(id, on: app.db)).input()
                #expect(after.successRateNew == 50 && after.successRateSource?.rate == 60)
                #expect(after.successRateOverrideReason == "Kun halvdelen af året.")
                // An evaluation of another initiative's call, or a made-up id: refused.
                #expect(
                    try await manager.post(
                        SiteURL.businessCaseSuccessRate(id).path, [("evaluation", UUID().uuidString)]
                    )
                    .status == .unprocessableEntity)
                // The phase gate of 1.6 offers the evaluation's overview as evidence beside the business case.
                let gate = try await manager.get(AppTests.PhaseGateAppTests.gate).body.string
                #expect(gate.contains("Evaluering: Evaluering af demopuljen"))
                #expect(gate.contains("value=\"\(SiteURL.evaluation(evaluation).path)\""))
            }
        }

        @Test func aSuccessRateIsNeverTakenFromFewerThanFive() async throws {
            try await withTestApp { app in
                let evaluation = try await Self.measuredFive(app)
                // One citizen's follow-up left incomplete: four compared.
                let citizen = try #require(
                    try await EvaluationCitizenRecord.query(on: app.db).sort(\.$enrolledAt).first()?.requireID())
                let entry = try #require(try await EvaluationStore.entry(citizen: citizen, point: "6mdr", on: app.db))
                try await entry.delete(on: app.db)
                let manager = try await Assess.signedIn(app, Demo.programmeManager)
                let id = try await AppTests.BusinessCaseAppTests.created(app, manager)
                try await manager.get(SiteURL.businessCase(id).path)
                let refused = try await manager.post(
                    SiteURL.businessCaseSuccessRate(id).path, [("evaluation", evaluation.uuidString)])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("Der hentes aldrig en succesrate fra færre"))
                #expect(
                    try #require(try await BusinessCaseRecord.find(id, on: app.db)).input().successRateSource == nil)
            }
        }
    }
}
