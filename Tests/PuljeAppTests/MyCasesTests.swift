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
