import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

/// The second factor through the pages: staff who must set the app up at sign-in, codes used once, the
/// second step's time limit, and anyone choosing it on the profile.
extension AppTests {
    @Suite struct TwoFactorTests {
        /// The key the setup page shows.
        static func shownKey(_ html: String) throws -> [UInt8] {
            let start = try #require(html.range(of: "id=\"totp-noegle\">"))
            let rest = html[start.upperBound...]
            let end = try #require(rest.range(of: "</code>"))
            return try #require(Base32.decode(String(rest[..<end.lowerBound])))
        }

        static func code(_ secret: [UInt8], _ at: Date, steps: Int64 = 0) -> String {
            TOTP.code(secret: secret, step: TOTP.timeStep(at: at) + steps)
        }

        static func isSignedIn(_ browser: Browser) async throws -> Bool {
            try await browser.get(SiteURL.home.path).body.string.contains(SiteURL.signOut.path)
        }

        /// Signs in with the password as a browser does: the form, then where it leads.
        static func password(_ browser: Browser, _ email: String) async throws -> TestingHTTPResponse {
            try await browser.get(SiteURL.signIn.path)
            return try await browser.post(SiteURL.signIn.path, [("email", email), ("password", DemoAccounts.password)])
        }

        @Test func staffSetTheAppUpAtSignInAndThenGiveACodeEachTime() async throws {
            try await withTestApp(environment: ["PULJE_STAFF_TWO_FACTOR": "true"]) { app in
                let now = Date()
                app.sessionClock = { now }
                let browser = Browser(app)
                let first = try await Self.password(browser, Demo.grantAdministrator)
                #expect(first.location == SiteURL.signInCode.path)
                #expect(try await !Self.isSignedIn(browser))
                let setup = try await browser.get(SiteURL.signInCode.path).body.string
                #expect(setup.contains("Slå totrinsbekræftelse til") && setup.contains("otpauth://totp/Pulje"))
                let secret = try Self.shownKey(setup)
                let wrong = try await browser.post(
                    SiteURL.signInCode.path, [("code", Self.code(secret, now, steps: 5))])
                #expect(wrong.status == .unprocessableEntity)
                #expect(wrong.body.string.contains("Koden er forkert eller allerede brugt"))
                // The same key is shown again after a wrong code.
                #expect(try Self.shownKey(wrong.body.string) == secret)
                let right = try await browser.post(SiteURL.signInCode.path, [("code", Self.code(secret, now))])
                #expect(right.status == .seeOther)
                #expect(try await Self.isSignedIn(browser))
                let user = try #require(try await UserStore.user(email: Demo.grantAdministrator, on: app.db))
                #expect(user.totpSecret == Base32.encode(secret))
                #expect(
                    try await AuditLog.history(of: .user(try user.requireID()), on: app.db).first?.summary
                        == "Totrinsbekræftelse slået til ved log ind.")
                // Staff cannot switch it off.
                let profile = try await browser.get(SiteURL.profileTwoFactor.path).body.string
                #expect(profile.contains("kan ikke slås fra"))
                #expect(
                    try await browser.post(SiteURL.profileTwoFactor.path, [("code", Self.code(secret, now))]).status
                        == .forbidden)
                try await browser.post(SiteURL.signOut.path)

                // Next time: the code page; the code already used is refused, the next one is taken.
                let again = Browser(app)
                #expect(try await Self.password(again, Demo.grantAdministrator).location == SiteURL.signInCode.path)
                let codePage = try await again.get(SiteURL.signInCode.path).body.string
                #expect(codePage.contains("Skriv koden fra din app") && !codePage.contains("totp-noegle"))
                let replay = try await again.post(SiteURL.signInCode.path, [("code", Self.code(secret, now))])
                #expect(replay.status == .unprocessableEntity)
                let later = now.addingTimeInterval(30)
                app.sessionClock = { later }
                #expect(
                    try await again.post(SiteURL.signInCode.path, [("code", Self.code(secret, later))]).status
                        == .seeOther)
                #expect(try await Self.isSignedIn(again))

                // The second step has five minutes.
                let slow = Browser(app)
                #expect(try await Self.password(slow, Demo.grantAdministrator).location == SiteURL.signInCode.path)
                try await slow.get(SiteURL.signInCode.path)
                let muchLater = later.addingTimeInterval(6 * 60)
                app.sessionClock = { muchLater }
                let late = try await slow.post(SiteURL.signInCode.path, [("code", Self.code(secret, muchLater))])
                #expect(late.location == SiteURL.signIn.path)
                #expect(try await slow.get(SiteURL.signInCode.path).location == SiteURL.signIn.path)
                #expect(try await !Self.isSignedIn(slow))

                // Without a password first there is no second step; a municipal applicant needs no code.
                let stranger = Browser(app)
                #expect(try await stranger.get(SiteURL.signInCode.path).location == SiteURL.signIn.path)
                let applicant = Browser(app)
                #expect(try await Self.password(applicant, Demo.applicant).location == SiteURL.home.path)
            }
        }

        @Test func anyoneMayChooseTheAppOnTheProfileAndSwitchItOffWithACode() async throws {
            try await withTestApp { app in
                let now = Date()
                app.sessionClock = { now }
                let browser = Browser(app)
                try await browser.signIn(Demo.applicant)
                #expect(try await browser.get(SiteURL.profile.path).body.string.contains(SiteURL.profileTwoFactor.path))
                let setup = try await browser.get(SiteURL.profileTwoFactor.path).body.string
                let secret = try Self.shownKey(setup)
                let wrong = try await browser.post(SiteURL.profileTwoFactor.path, [("code", "12345x")])
                #expect(wrong.status == .unprocessableEntity)
                #expect(try Self.shownKey(wrong.body.string) == secret)
                #expect(
                    try await browser.post(SiteURL.profileTwoFactor.path, [("code", Self.code(secret, now))]).status
                        == .seeOther)
                try await browser.post(SiteURL.signOut.path)
                let again = Browser(app)
                #expect(try await Self.password(again, Demo.applicant).location == SiteURL.signInCode.path)
                let later = now.addingTimeInterval(30)
                app.sessionClock = { later }
                try await again.get(SiteURL.signInCode.path)
                #expect(
                    try await again.post(SiteURL.signInCode.path, [("code", Self.code(secret, later))]).status
                        == .seeOther)
                // Switching off asks for a fresh code.
                try await again.get(SiteURL.profileTwoFactor.path)
                #expect(
                    try await again.post(SiteURL.profileTwoFactor.path, [("code", Self.code(secret, later))]).status
                        == .unprocessableEntity)
                let next = later.addingTimeInterval(30)
                app.sessionClock = { next }
                #expect(
                    try await again.post(SiteURL.profileTwoFactor.path, [("code", Self.code(secret, next))]).status
                        == .seeOther)
                #expect(try await UserStore.user(email: Demo.applicant, on: app.db)?.totpSecret == nil)
                // Each change was told by e-mail, so one the user did not make is noticed.
                let notices = try await OutboxMessageRecord.query(on: app.db).filter(\.$kind == "security")
                    .filter(\.$recipient == Demo.applicant).all().map(\.subject)
                #expect(
                    notices.sorted() == [
                        "Totrinsbekræftelse er slået fra i Pulje", "Totrinsbekræftelse er slået til i Pulje",
                    ])
                try await again.post(SiteURL.signOut.path)
                #expect(try await Self.password(Browser(app), Demo.applicant).location == SiteURL.home.path)
            }
        }
    }
}

extension AppTests {
    @Suite struct SessionCookieTests {
        @Test func overHTTPSTheSessionCookieIsHostBoundAndAPasswordChangeIsToldByEmail() async throws {
            try await withTestApp(environment: ["PULJE_PUBLIC_URL": "https://pulje.example.dk"]) { app in
                let browser = Browser(app)
                try await browser.get(SiteURL.signIn.path)
                let response = try await browser.post(
                    SiteURL.signIn.path, [("email", Demo.applicant), ("password", DemoAccounts.password)])
                let cookie = try #require(
                    response.headers[.setCookie].first { $0.hasPrefix("__Host-pulje_session=") })
                #expect(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/"))
                #expect(!cookie.lowercased().contains("domain="))
                try await browser.get(SiteURL.profile.path)
                let changed = try await browser.post(
                    SiteURL.profilePassword.path,
                    [
                        ("currentPassword", DemoAccounts.password), ("newPassword", "en lang ny sætning til pulje"),
                        ("repeatPassword", "en lang ny sætning til pulje"),
                    ])
                #expect(changed.status == .seeOther)
                let notice = try #require(
                    try await OutboxMessageRecord.query(on: app.db).filter(\.$kind == "security").first())
                #expect(notice.recipient == Demo.applicant && notice.subject == "Din adgangskode til Pulje er skiftet")
                #expect(notice.body.contains("https://pulje.example.dk/profil"))
            }
        }
    }
}
