import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

extension AppTests {
    @Suite struct InvitationTests {
        /// Creates a user without a temporary password and returns the invitation link from the outbox.
        static func invite(_ app: Application, email: String = "ny@vejle.dk") async throws -> (Browser, String) {
            let admin = Browser(app)
            try await admin.signIn(Demo.admin)
            try await admin.get("/admin/brugere/ny")
            let org = try #require(
                try await OrganisationRecord.query(on: app.db).filter(\.$name == "Vejle Kommune").first())
            let created = try await admin.post(
                "/admin/brugere",
                [
                    ("name", "Nina Ny"), ("email", email), ("organisationID", org.id!.uuidString),
                    ("roles[]", "municipalApplicant"), ("password", ""),
                ])
            #expect(created.status == .seeOther)
            return (admin, try await link(app, to: email))
        }

        static func link(_ app: Application, to email: String) async throws -> String {
            let mail = try #require(
                try await OutboxMessageRecord.query(on: app.db).filter(\.$kind == "invitation")
                    .filter(\.$recipient == email).sort(\.$createdAt, .descending).first())
            let line = try #require(mail.body.split(separator: "\n").first { $0.contains("/invitation/") })
            let path = try #require(line.range(of: "/invitation/").map { String(line[$0.lowerBound...]) })
            return path.trimmingCharacters(in: .whitespaces)
        }

        @Test func anInvitedUserChoosesTheirOwnPasswordOnce() async throws {
            try await withTestApp { app in
                let (_, path) = try await Self.invite(app)
                let user = try #require(
                    try await UserRecord.query(on: app.db).filter(\.$email == "ny@vejle.dk").first())
                // The stored token is a hash, not the link's token.
                let token = String(path.dropFirst("/invitation/".count))
                let stored = try #require(try await InvitationRecord.query(on: app.db).first())
                #expect(stored.tokenHash != token && stored.tokenHash == Invitations.hash(token))
                // Before accepting, nobody can sign in as the user with a guess.
                #expect(try await Browser(app).signIn("ny@vejle.dk", password: "").status != .seeOther)

                let browser = Browser(app)
                let page = try await browser.get(path)
                #expect(page.status == .ok && page.body.string.contains("ny@vejle.dk"))
                let weak = try await browser.post(path, [("newPassword", "kort"), ("repeatPassword", "kort")])
                #expect(weak.status == .unprocessableEntity)
                let mismatch = try await browser.post(
                    path, [("newPassword", "en lang og god sætning"), ("repeatPassword", "en anden sætning her")])
                #expect(mismatch.status == .unprocessableEntity && mismatch.body.string.contains("ikke ens"))
                let accepted = try await browser.post(
                    path, [("newPassword", "en lang og god sætning"), ("repeatPassword", "en lang og god sætning")])
                #expect(accepted.status == .seeOther && accepted.location == "/log-ind")
                #expect(
                    try await Browser(app).signIn("ny@vejle.dk", password: "en lang og god sætning").status
                        == .seeOther)
                // Used once: the link no longer works.
                #expect(try await Browser(app).get(path).status == .notFound)
                let history = try await AuditLog.history(of: .user(user.id!), on: app.db).map(\.action)
                #expect(history.contains("user.invitation-accepted") && history.contains("user.create"))
            }
        }

        @Test func aLinkExpiresAndANewInvitationReplacesTheOld() async throws {
            try await withTestApp { app in
                let clock = TestClock(Date())
                app.now = { clock.now }
                let (admin, first) = try await Self.invite(app)
                let user = try #require(
                    try await UserRecord.query(on: app.db).filter(\.$email == "ny@vejle.dk").first())
                try await admin.get("/admin/brugere/\(user.id!.uuidString.lowercased())")
                clock.now = clock.now.addingTimeInterval(60)
                let resent = try await admin.post("/admin/brugere/\(user.id!.uuidString.lowercased())/invitation")
                #expect(resent.status == .seeOther)
                let second = try await Self.link(app, to: "ny@vejle.dk")
                #expect(first != second)
                #expect(try await Browser(app).get(first).status == .notFound)
                #expect(try await Browser(app).get(second).status == .ok)
                clock.now = clock.now.addingTimeInterval(Invitations.validity + 1)
                let expired = try await Browser(app).get(second)
                #expect(expired.status == .notFound && expired.body.string.contains("Linket virker ikke"))
            }
        }
    }
}
