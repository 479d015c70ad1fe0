import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

extension AppTests {
    @Suite struct AccessAppTests {
        @Test func signInAndOut() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                // MUT
                let response = try await browser.signIn(Demo.programmeManager)
                // validate
                #expect(response.status == .seeOther)
                #expect(response.location == "/")
                let home = try await browser.get("/")
                #expect(home.body.string.contains("Frederik Fagkonsulent"))
                let cookie = try #require(response.headers[.setCookie].first)
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Lax"))
                #expect(!cookie.contains("Secure"))  // plain http in tests

                let out = try await browser.post("/log-ud")
                #expect(out.status == .seeOther)
                #expect(try await browser.get("/profil").location?.hasPrefix("/log-ind") == true)
            }
        }

        /// The tests' browser keeps a session whose id happens to contain "1970" and drops one that is removed.
        @Test func theTestBrowserReadsOnlyTheAttributesForARemoval() {
            #expect(
                Browser.cookie(setBy: "pulje_session=Ab1970xYz; Path=/; HttpOnly; SameSite=Lax")! == (
                    "pulje_session", "Ab1970xYz"
                ))
            #expect(Browser.cookie(setBy: "pulje_session=; Max-Age=0; Path=/")?.value == nil)
            #expect(
                Browser.cookie(setBy: "pulje_session=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/")?.value == nil)
            #expect(Browser.cookie(setBy: "garbage") == nil)
        }

        @Test func aWrongPasswordIsRefusedWithAMessage() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                let response = try await browser.signIn(Demo.programmeManager, password: "forkert-adgangskode")
                #expect(response.status == .unauthorized)
                #expect(response.body.string.contains("E-mailadressen eller adgangskoden er forkert."))
                let unknown = try await browser.signIn("ingen@findes.dk", password: "forkert-adgangskode")
                #expect(unknown.status == .unauthorized)
                let empty = try await browser.post("/log-ind", [("email", ""), ("password", "")])
                #expect(empty.status == .unprocessableEntity)
                #expect(empty.body.string.contains("Skriv både e-mailadresse og adgangskode."))
            }
        }

        @Test func repeatedFailuresAreThrottledPerAccount() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                for _ in 1...5 {
                    #expect(
                        try await browser.signIn(Demo.director, password: "forkert-adgangskode").status == .unauthorized
                    )
                }
                // Even the right password is refused now.
                let blocked = try await browser.signIn(Demo.director)
                #expect(blocked.status == .tooManyRequests)
                #expect(blocked.body.string.contains("For mange mislykkede forsøg"))
                // Another account from the same address is still allowed (the address limit is higher).
                #expect(try await browser.signIn(Demo.programmeManager).status == .seeOther)
            }
        }

        @Test func signingInGivesANewSessionID() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.get("/log-ind")
                let before = try #require(browser.cookies["pulje_session"])
                try await browser.post("/log-ind", [("email", Demo.admin), ("password", DemoAccounts.password)])
                let after = try #require(browser.cookies["pulje_session"])
                #expect(before != after)
                // The planted session id is worth nothing now.
                let attacker = Browser(app)
                attacker.cookies["pulje_session"] = before
                #expect(try await attacker.get("/profil").status == .seeOther)
            }
        }

        @Test func signOutEverywhereEndsOtherSessions() async throws {
            try await withTestApp { app in
                let laptop = Browser(app)
                let phone = Browser(app)
                try await laptop.signIn(Demo.applicant)
                try await phone.signIn(Demo.applicant)
                #expect(try await phone.get("/profil").status == .ok)
                try await laptop.get("/profil")
                // MUT
                let response = try await laptop.post("/log-ud-overalt")
                // validate
                #expect(response.status == .seeOther)
                #expect(try await phone.get("/profil").status == .seeOther)
                #expect(try await laptop.get("/profil").status == .seeOther)
                // Signing in again works.
                #expect(try await phone.signIn(Demo.applicant).status == .seeOther)
                #expect(try await phone.get("/profil").status == .ok)
            }
        }

        @Test func safeRedirectAfterSignIn() async throws {
            #expect(SignInController.safeNext("/initiativer/2022/1.8") == "/initiativer/2022/1.8")
            #expect(SignInController.safeNext("//evil.example") == "/")
            #expect(SignInController.safeNext("https://evil.example") == "/")
            #expect(SignInController.safeNext("/\\evil.example") == "/")
            #expect(SignInController.safeNext(nil) == "/")
        }

        @Test func aMunicipalUserCannotEditTheCatalogueOrManageUsers() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.signIn(Demo.applicant)
                #expect(try await browser.get("/initiativer/ny").status == .forbidden)
                #expect(try await browser.get("/initiativer/2022/1.1/rediger").status == .forbidden)
                #expect(try await browser.get("/initiativer/2022/1.1/historik").status == .forbidden)
                #expect(try await browser.get("/admin/brugere").status == .forbidden)
                let post = try await browser.post("/initiativer/2022/1.1", [("title", "Overtaget")])
                #expect(post.status == .forbidden)
                #expect(post.body.string.contains("Du har ikke adgang"))
                let show = try await browser.get("/initiativer/2022/1.1").body.string
                #expect(!show.contains("Redigér initiativ"))
            }
        }

        @Test func anonymousVisitorsAreSentToSignIn() async throws {
            try await withTestApp { app in
                let response = try await Browser(app).get("/initiativer/ny")
                #expect(response.status == .seeOther)
                #expect(response.location == "/log-ind?naeste=%2Finitiativer%2Fny")
            }
        }

        @Test func administratorsCreateUsersWhoCanThenSignIn() async throws {
            try await withTestApp { app in
                let admin = Browser(app)
                try await admin.signIn(Demo.admin)
                try await admin.get("/admin/brugere/ny")
                let odense = try #require(
                    try await OrganisationRecord.query(on: app.db).filter(\.$name == "Odense Kommune").first())
                let agency = try #require(
                    try await OrganisationRecord.query(on: app.db).filter(\.$kind == "agency").first())
                func form(
                    _ email: String, _ org: OrganisationRecord, _ role: Role, _ password: String
                ) -> [(String, String)] {
                    [
                        ("name", "Sofie Sagsbehandler"), ("email", email), ("organisationID", org.id!.uuidString),
                        ("roles[]", role.rawValue), ("password", password),
                    ]
                }
                // A weak password and a role that does not fit the organisation are refused, with messages.
                let weak = try await admin.post(
                    "/admin/brugere", form("sofie@odense.dk", odense, .municipalApplicant, "password1234"))
                #expect(weak.status == .unprocessableEntity)
                #expect(weak.body.string.contains("Adgangskoden er for almindelig"))
                let wrongKind = try await admin.post(
                    "/admin/brugere", form("sofie@odense.dk", agency, .municipalApplicant, "lang og god adgangskode"))
                #expect(wrongKind.status == .unprocessableEntity)
                #expect(wrongKind.body.string.contains("passer ikke til en organisation af typen styrelse"))
                let badEmail = try await admin.post(
                    "/admin/brugere", form("ikke-en-adresse", odense, .municipalApplicant, "lang og god adgangskode"))
                #expect(badEmail.body.string.contains("Skriv en gyldig e-mailadresse"))
                #expect(try await UserRecord.query(on: app.db).filter(\.$email == "sofie@odense.dk").count() == 0)

                // MUT
                let created = try await admin.post(
                    "/admin/brugere", form("Sofie@Odense.dk", odense, .municipalApplicant, "lang og god adgangskode"))
                // validate
                #expect(created.status == .seeOther)
                let user = try #require(
                    try await UserRecord.query(on: app.db).filter(\.$email == "sofie@odense.dk").first())
                #expect(user.roleSet == [.municipalApplicant])
                let duplicate = try await admin.post(
                    "/admin/brugere", form("sofie@odense.dk", odense, .municipalApplicant, "lang og god adgangskode"))
                #expect(duplicate.body.string.contains("Der findes allerede en bruger"))
                let sofie = Browser(app)
                #expect(
                    try await sofie.signIn("sofie@odense.dk", password: "lang og god adgangskode").status == .seeOther)
                #expect(try await sofie.get("/profil").body.string.contains("Odense Kommune"))

                // Deactivating ends her access at once.
                try await admin.get("/admin/brugere/\(user.id!.uuidString.lowercased())")
                let deactivate = try await admin.post(
                    "/admin/brugere/\(user.id!.uuidString.lowercased())",
                    [
                        ("name", "Sofie Sagsbehandler"), ("organisationID", odense.id!.uuidString),
                        ("roles[]", "municipalApplicant"),
                    ])
                #expect(deactivate.status == .seeOther)
                #expect(try await sofie.get("/profil").status == .seeOther)
            }
        }

        @Test func usersChangeTheirOwnNameAndPassword() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                let other = Browser(app)
                try await browser.signIn(Demo.evaluator)
                try await other.signIn(Demo.evaluator)
                try await browser.get("/profil")
                #expect(try await browser.post("/profil", [("name", "")]).status == .unprocessableEntity)
                #expect(try await browser.post("/profil", [("name", "Vera V. Evaluator")]).status == .seeOther)
                #expect(try await browser.get("/profil").body.string.contains("Vera V. Evaluator"))

                let wrong = try await browser.post(
                    "/profil/adgangskode",
                    [
                        ("currentPassword", "forkert"), ("newPassword", "ny og lang adgangskode"),
                        ("repeatPassword", "ny og lang adgangskode"),
                    ])
                #expect(wrong.status == .unprocessableEntity)
                #expect(wrong.body.string.contains("Den nuværende adgangskode er forkert."))
                let short = try await browser.post(
                    "/profil/adgangskode",
                    [
                        ("currentPassword", DemoAccounts.password), ("newPassword", "kort"), ("repeatPassword", "kort"),
                    ])
                #expect(short.body.string.contains("mindst 12 tegn"))
                let changed = try await browser.post(
                    "/profil/adgangskode",
                    [
                        ("currentPassword", DemoAccounts.password), ("newPassword", "ny og lang adgangskode"),
                        ("repeatPassword", "ny og lang adgangskode"),
                    ])
                #expect(changed.status == .seeOther)
                // This browser stays signed in; the other session is ended.
                #expect(try await browser.get("/profil").status == .ok)
                #expect(try await other.get("/profil").status == .seeOther)
                #expect(
                    try await Browser(app).signIn(Demo.evaluator, password: "ny og lang adgangskode").status
                        == .seeOther)
            }
        }

        @Test func securityHeadersOnEveryResponse() async throws {
            try await withTestApp { app in
                for path in ["/", "/initiativer", "/findes-ikke", "/api/v1/initiatives", "/healthz"] {
                    let response = try await Browser(app).get(path)
                    let csp = try #require(response.headers.first(name: "Content-Security-Policy"), "\(path)")
                    #expect(csp.contains("script-src 'self'"))
                    #expect(!csp.contains("unsafe-inline"))
                    #expect(csp.contains("frame-ancestors 'none'"))
                    #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                    #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
                    #expect(response.headers.first(name: "Referrer-Policy") == "same-origin")
                }
            }
        }

        @Test func healthReportsTheDatabase() async throws {
            try await withTestApp { app in
                let response = try await Browser(app).get("/healthz")
                #expect(response.status == .ok)
                #expect(response.body.string.contains("\"database\":\"ok\""))
            }
        }

        @Test func unknownPagesGetADanishErrorPage() async throws {
            try await withTestApp { app in
                let response = try await Browser(app).get("/findes-ikke")
                #expect(response.status == .notFound)
                #expect(response.body.string.contains("Siden findes ikke"))
                #expect(response.body.string.contains("lang=\"da\""))
            }
        }
    }
}
