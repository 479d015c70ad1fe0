import Foundation
import Testing
import Vapor

@testable import PuljeApp
@testable import PuljeDomain

/// Danish as a Dane writes it (issue 8, "Danish on the pages"): each corrected phrase where users read it.
extension AppTests {
    @Suite struct DanishWordingTests {
        @Test func theApplicationPageSpeaksPlainDanish() async throws {
            try await withTestApp { app in
                let clock = TestClock(ApplicationFlowTests.winter.instant.addingTimeInterval(-86_400))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: ApplicationFlowTests.winter)
                let browser = Browser(app)
                try await browser.signIn(Demo.applicant)
                try await browser.get("/puljer/\(call.pathValue)")
                let started = try await browser.post("/puljer/\(call.pathValue)/ansoeg")
                let step = try await browser.get(try #require(started.location)).body.string
                #expect(step.contains("Den gemmes automatisk og hver gang, du trykker Gem."))
                #expect(!step.contains("kr.."))
                let page = try await browser.get(try applicationPath(startedAt: started.location)).body.string
                #expect(page.contains("Samarbejde om ansøgningen"))
                #expect(!page.contains("Skriv sammen"))
                #expect(!page.contains("kr.."))
            }
        }

        /// A fault of ours never shows its (English, technical) detail: the user reads Danish, the log keeps it.
        @Test func serverFaultsAreWordedInDanish() async throws {
            try await withTestApp { app in
                let request = Request(application: app, on: app.eventLoopGroup.next())
                let (status, message) = ErrorMiddleware.describe(
                    PuljeError(.internalServerError, "The catalogue file x.json is missing from the bundle."),
                    request: request)
                #expect(status == .internalServerError)
                #expect(message == "Der opstod en fejl hos os. Prøv igen om lidt. Fejlen er registreret.")
                let (_, refusal) = ErrorMiddleware.describe(PuljeError(.forbidden, "Kun direktører."), request: request)
                #expect(refusal == "Kun direktører.")
            }
        }

        /// The footer of every page links the accessibility statement, the privacy notice and help.
        @Test func theFooterPagesArePublished() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                let home = try await browser.get("/").body.string
                for (path, heading) in [
                    ("/tilgaengelighed", "Tilgængelighedserklæring"),
                    ("/privatliv", "Sådan behandler vi dine oplysninger"),
                    ("/hjaelp", "Hjælp til at søge"),
                ] {
                    #expect(home.contains("href=\"\(path)\""))
                    let page = try await browser.get(path)
                    #expect(page.status == .ok)
                    #expect(page.body.string.contains("<h1>\(heading)</h1>"))
                }
                #expect(try await browser.get("/tilgaengelighed").body.string.contains("Kendte mangler"))
            }
        }

        @Test func sevenDecemberTwentyTwentyThreeWasAThursday() throws {
            let deadline = try #require(Deadline(year: 2023, month: 12, day: 7, hour: 12, minute: 0))
            #expect(deadline.danishText == "torsdag den 7. december 2023 kl. 12.00")
        }
    }
}
