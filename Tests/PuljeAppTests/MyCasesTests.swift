import Fluent
import Foundation
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
