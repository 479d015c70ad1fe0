import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import PuljeApp
@testable import PuljeDomain

extension AppTests {
    @Suite struct MyCasesTests {
        /// The page from a fixture: plain rows, no database.
        @Test func thePageShowsEachCaseFromPlainRows() {
            let id = UUID()
            let html = MyCasesPage.view(
                rows: [
                    .init(
                        id: id, project: "Tidlig opsporing", call: "Demo-puljen", status: "Kladde",
                        when: "Frist 10. december 2030 kl. 12.00 (3 dage tilbage)", responsible: "Amalie Ansøger",
                        number: "–")
                ], organisation: "Aarhus Kommune", context: .empty
            ).html
            #expect(html.contains("<a href=\"/ansoegninger/\(id.pathValue)\">Tidlig opsporing</a>"))
            #expect(html.contains("Frist 10. december 2030 kl. 12.00 (3 dage tilbage)"))
            #expect(html.contains("Aarhus Kommunes ansøgninger"))
        }

        /// Follows one of Mine sager's "Næste …" links from the first page to the last; returns the ids of the
        /// rows in order (`section` is the list's anchor: "ansoegninger" or "tilskudssager").
        static func walk(_ browser: Browser, _ first: String, section: String) async throws -> [String] {
            let rows =
                section == "ansoegninger"
                ? try Regex(#"href="/ansoegninger/([0-9a-f-]{36})""#)
                : try Regex(#"href="/tilskudssager/([0-9a-f-]{36})""#)
            var path: String? = first
            var ids: [String] = []
            var pages = 0
            while let next = path, pages < 30 {
                let response = try await browser.get(next)
                #expect(response.status == .ok, "\(next)")
                let html = response.body.string
                ids += html.matches(of: rows).compactMap { $0.output[1].substring.map(String.init) }
                path = html.firstMatch(of: try Regex(#"href="(/mine-sager\?[^"]*)#"# + section + #"" rel="next""#))
                    .flatMap { $0.output[1].substring.map { String($0).replacingOccurrences(of: "&amp;", with: "&") } }
                pages += 1
            }
            return ids
        }

        /// Mine sager at scale: 130 applications and 45 grant cases of one municipality, with ties in time,
        /// come a page at a time (50 and 20), newest first, each once; the status filter narrows the list and
        /// its pages keep it; another municipality sees none of them; a bad cursor gives the first page.
        @Test func mineSagerPagesThroughEveryApplicationAndGrantCase() async throws {
            try await withTestApp { app in
                try await ListSeedCommand.seed(app, applications: 200)
                let aarhus = try #require(
                    try await OrganisationRecord.query(on: app.db).filter(\.$name == "Aarhus Kommune").first()
                ).requireID()
                let tied = Date(timeIntervalSince1970: 1_790_000_000.123456)
                let listed = try await ApplicationRecord.query(on: app.db).filter(\.$submittedBy == "Listebruger")
                    .range(..<130).all()
                for (index, record) in listed.enumerated() {
                    record.$organisation.id = aarhus
                    try await record.save(on: app.db)
                    // 40 tied in one microsecond; the rest finer than a microsecond, which SQLite keeps and gives
                    // back rounded (a cursor must not take the rounded time for the stored one).
                    let created = index < 40 ? tied : tied.addingTimeInterval(Double(index) * 1.000_123_456_7)
                    // Saved in another order, with ties every third and sub-microsecond differences.
                    let saved = tied.addingTimeInterval(index % 3 == 0 ? 7 : Double(130 - index) * 0.700_000_123_4)
                    try await app.db.sql.raw(
                        """
                        UPDATE applications SET created_at = \(bind: created), last_saved_at = \(bind: saved)
                        WHERE id = \(bind: try record.requireID())
                        """
                    ).run()
                    if index < 45 {
                        let grant = ListSeedCommand.grantCase(record)
                        grant.openedAt = index < 25 ? tied : tied.addingTimeInterval(Double(index) * 1.000_123_456_7)
                        try await grant.create(on: app.db)
                    }
                }
                // The times as stored.
                let own = try await ApplicationRecord.query(on: app.db).filter(\.$organisation.$id == aarhus).all()
                #expect(own.count >= 130)  // with those Aarhus had
                let applicant = try await Assess.signedIn(app, Demo.applicant)
                let seen = try await Self.walk(applicant, SiteURL.myCases.path, section: "ansoegninger")
                #expect(seen.count == own.count)
                #expect(Set(seen).count == seen.count, "an application shown twice")
                #expect(Set(seen) == Set(own.map { $0.id!.pathValue }))
                let created = Dictionary(uniqueKeysWithValues: own.map { ($0.id!.pathValue, $0.createdAt!) })
                #expect(seen.map { created[$0]! } == seen.map { created[$0]! }.sorted(by: >))
                // Last saved first: each once, the save times never rising; the pages and the form keep the order.
                let bySave = try await Self.walk(
                    applicant, SiteURL.myCases.path + "?sortering=gemt", section: "ansoegninger")
                #expect(bySave.count == own.count && Set(bySave) == Set(seen))
                let saved = Dictionary(uniqueKeysWithValues: own.map { ($0.id!.pathValue, $0.lastSavedAt) })
                #expect(zip(bySave, bySave.dropFirst()).allSatisfy { saved[$0.0]! >= saved[$0.1]! })
                let savedPage = try await applicant.get(SiteURL.myCases.path + "?sortering=gemt").body.string
                #expect(savedPage.contains(#"<option value="gemt" selected>"#))
                #expect(savedPage.contains("sortering=gemt&amp;efter="))
                let first = try await applicant.get(SiteURL.myCases.path).body.string
                #expect(first.contains("Viser 50 ansøgninger; der er flere."))
                #expect(first.contains("Næste 20 tilskudssager"))

                let grants = try await Self.walk(applicant, SiteURL.myCases.path, section: "tilskudssager")
                let ownGrants = try await GrantCaseRecord.query(on: app.db).filter(\.$organisation.$id == aarhus).all()
                #expect(grants.count == 45 && Set(grants).count == 45)
                #expect(Set(grants) == Set(ownGrants.map { $0.id!.pathValue }))
                let opened = Dictionary(uniqueKeysWithValues: ownGrants.map { ($0.id!.pathValue, $0.openedAt) })
                #expect(grants.map { opened[$0]! } == grants.map { opened[$0]! }.sorted(by: >))

                // The status filter: only the status asked for, on every page, and the pages keep it.
                let awarded = own.filter { $0.status == ApplicationStatus.awarded.rawValue }
                #expect(!awarded.isEmpty)
                let filtered = try await Self.walk(
                    applicant, SiteURL.myCases.path + "?status=awarded", section: "ansoegninger")
                #expect(Set(filtered) == Set(awarded.map { $0.id!.pathValue }) && filtered.count == awarded.count)
                let none = try await applicant.get(SiteURL.myCases.path + "?status=withdrawn").body.string
                #expect(none.contains("Ingen ansøgninger passer til filtrene."))

                // The search: part of a call's title (any case), a project's title, a whole journal number; a
                // literal "%" is searched for as itself; the pages keep the search.
                let someCall = try #require(try await CallRecord.find(listed[0].$call.id, on: app.db))
                let inCall = own.filter { $0.$call.id == someCall.id }
                let byCall = try await Self.walk(
                    applicant,
                    SiteURL.myCases.path + "?q="
                        + someCall.title.suffix(11).uppercased().addingPercentEncoding(
                            withAllowedCharacters: .alphanumerics)!,
                    section: "ansoegninger")
                #expect(Set(byCall) == Set(inCall.map { $0.id!.pathValue }) && !byCall.isEmpty)
                let numbered = try #require(own.first { $0.submissionNumber != nil })
                let exact = try await Self.walk(
                    applicant, SiteURL.myCases.path + "?q=" + numbered.submissionNumber!.lowercased(),
                    section: "ansoegninger")
                #expect(exact == [numbered.id!.pathValue])
                // A project's title as submitted, and a draft's as it stands.
                let submitted = listed[5]
                submitted.submittedContentJSON = ApplicationStore.encode(
                    ApplicationContent(projectTitle: "Tryghed i nattevagten"))
                try await submitted.save(on: app.db)
                let drafted = listed[6]
                drafted.submittedContentJSON = nil
                drafted.contentJSON = ApplicationStore.encode(ApplicationContent(projectTitle: "Nattevagtens tryghed"))
                try await drafted.save(on: app.db)
                let byProject = try await Self.walk(
                    applicant, SiteURL.myCases.path + "?q=NATTEVAGT", section: "ansoegninger")
                #expect(Set(byProject) == Set([submitted.id!.pathValue, drafted.id!.pathValue]))
                #expect(
                    try await applicant.get(SiteURL.myCases.path + "?q=%25").body.string.contains(
                        "Ingen ansøgninger passer til filtrene."))

                // Odense sees none of Aarhus's, on any page.
                let odense = try await Assess.signedIn(app, "ansoger@odense.demo")
                let theirs = try await Self.walk(odense, SiteURL.myCases.path, section: "ansoegninger")
                #expect(Set(theirs).isDisjoint(with: Set(seen)))
                let theirGrants = try await Self.walk(odense, SiteURL.myCases.path, section: "tilskudssager")
                #expect(Set(theirGrants).isDisjoint(with: Set(grants)))
                // Hostile query strings give a page, never an error.
                for query in [
                    "efter=garbage", "sager-efter=%00.%00", "status=%27%3B--",
                    "efter=OTk5OTk5OTk5OTk5OTk5OTk5OTk.00000000-0000-0000-0000-000000000000",
                    "efter=\(String(repeating: "A", count: 5000))",
                    "sager-efter=LTE.00000000-0000-0000-0000-000000000000",
                    "q=%25%25%25", "q=_", "q=%0D%0ALocation:%20evil", "q=%27%29%20OR%201%3D1--",
                    "q=\(String(repeating: "x", count: 10_000))", "q=%00", "q=UIP-0000-%00%00%00%00%00%00%00%00",
                ] {
                    #expect(try await applicant.get(SiteURL.myCases.path + "?" + query).status == .ok, "\(query)")
                }
            }
        }

        /// "Slet kladde": the responsible person deletes a draft and its files; a submitted one cannot be deleted.
        @Test func aDraftIsDeletedWithItsFilesAndASubmittedOneIsNot() async throws {
            try await withTestApp { app in
                let clock = TestClock(ApplicationFlowTests.winter.instant.addingTimeInterval(-86_400))
                app.now = { clock.now }
                let call = try await makeCall(
                    app, deadline: ApplicationFlowTests.winter,
                    attachmentKinds: [AttachmentKind(id: "bilag", name: "Bilag", required: false)])
                let browser = Browser(app)
                let (id, path) = try await ApplicationFlowTests.start(app, browser, call: call)
                let pdf = Array("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".utf8)
                let uploaded = try await browser.upload(
                    path + "/bilag", fields: [("kind", "bilag")],
                    file: (name: "plan.pdf", type: "application/pdf", bytes: pdf))
                #expect(uploaded.status == .seeOther)
                let file = try #require(try await ApplicationAttachmentRecord.query(on: app.db).first()?.requireID())
                let stored = AttachmentFiles.folder(app) + "/" + file.pathValue
                #expect(FileManager.default.fileExists(atPath: stored))
                let page = try await browser.get(path).body.string
                #expect(page.contains("Slet kladden") && !page.contains("Træk ansøgningen tilbage"))
                let deleted = try await browser.post(path + "/slet")
                #expect(deleted.location == "/mine-sager")
                #expect(try await ApplicationRecord.find(id, on: app.db) == nil)
                #expect(try await ApplicationAttachmentRecord.query(on: app.db).count() == 0)
                #expect(!FileManager.default.fileExists(atPath: stored))
                #expect(try await browser.get("/mine-sager").body.string.contains("Kladden er slettet."))
                #expect(
                    try await AuditEntryRecord.query(on: app.db).filter(\.$action == "application.delete").count() == 1)
                // A submitted application is withdrawn, never deleted.
                let (_, submitted) = try await ApplicationFlowTests.submitted(app, Browser(app))
                let other = Browser(app)
                try await other.signIn(Demo.applicant)
                try await other.get(submitted)
                #expect(try await other.post(submitted + "/slet").status == .forbidden)
            }
        }

        @Test func aDraftShowsItsProjectAndItsDeadline() async throws {
            try await withTestApp { app in
                let clock = TestClock(ApplicationFlowTests.winter.instant.addingTimeInterval(-3 * 86_400))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: ApplicationFlowTests.winter)
                let browser = Browser(app)
                let (_, path) = try await ApplicationFlowTests.start(app, browser, call: call)
                try await browser.post(path, completeApplication(version: 1, title: "Sundhed i Aarhus"))
                let page = try await browser.get("/mine-sager").body.string
                #expect(page.contains("Sundhed i Aarhus"))
                #expect(page.contains("Frist 10. december 2030 kl. 12.00 (3 dage tilbage)"))
            }
        }
    }
}
