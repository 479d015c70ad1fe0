import Fluent
import Foundation
import PuljeHTML
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

/// A sendmail stand-in: a shell script that stores each message in a folder, or fails.
func fakeSendmail(failing: Bool = false) throws -> (command: [String], folder: URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pulje-mail-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let script = folder.appendingPathComponent("sendmail")
    let body =
        failing
        ? "#!/bin/sh\ncat > /dev/null\necho 'connection refused' >&2\nexit 75\n"
        : "#!/bin/sh\ncat > \"\(folder.path)/$(date +%s%N).eml\"\n"
    try body.write(to: script, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
    return ([script.path, "-t", "-i"], folder)
}

func storedMails(_ folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.sorted()
        .map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
}

extension AppTests {
    @Suite struct MailTests {
        @Test func submittingPutsAReceiptInTheOutboxForEveryoneOnTheApplication() async throws {
            try await withTestApp { app in
                let clock = TestClock(ApplicationFlowTests.winter.instant.addingTimeInterval(-3600))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: ApplicationFlowTests.winter)
                let browser = Browser(app)
                let (id, path) = try await ApplicationFlowTests.start(app, browser, call: call)
                try await browser.post(path + "/bidragydere", [("email", "kollega@aarhus.demo")])
                try await browser.get(path)
                try await browser.post(path, completeApplication(version: 1))
                try await browser.post(path + "/indsend", [("version", "2")])
                let record = try #require(try await ApplicationRecord.find(id, on: app.db))
                let mails = try await OutboxMessageRecord.query(on: app.db).filter(\.$kind == "receipt").all()
                #expect(Set(mails.map(\.recipient)) == ["ansoger@aarhus.demo", "kollega@aarhus.demo"])
                #expect(mails.allSatisfy { $0.subject.contains(record.submissionNumber!) })
                #expect(mails.allSatisfy { $0.body.contains(record.digest!) && $0.body.contains("/kvittering") })
                // A retry of the submission sends nothing more.
                try await browser.post(path + "/indsend", [("version", "2")])
                #expect(try await OutboxMessageRecord.query(on: app.db).count() == 2)
            }
        }

        @Test func deliveryPipesEachMessageToTheCommandAndMarksItSent() async throws {
            try await withTestApp { app in
                let (command, folder) = try fakeSendmail()
                let now = Date(timeIntervalSince1970: 1_900_000_000)
                try await Outbox.enqueue(
                    to: ["a@kommune.dk", "b@kommune.dk", "ikke en adresse"],
                    subject: "Kvittering: ansøgning UIP-2030-ABC er modtaget",
                    body: "Hej\n.linje der starter med punktum", kind: "test", at: now, on: app.db)
                let deliverer = MailDeliverer(command: command, from: "pulje@styrelsen.dk")
                // MUT
                let result = try await deliverer.deliverDue(on: app.db, now: now, logger: app.logger)
                // validate
                #expect(result.sent == 2 && result.failed == 0)
                let mails = try storedMails(folder)
                #expect(mails.count == 2)
                let mail = try #require(mails.first)
                #expect(mail.contains("From: Pulje <pulje@styrelsen.dk>\r\n"))
                #expect(mail.contains("Subject: =?UTF-8?B?"))
                #expect(mail.contains("Content-Type: text/plain; charset=utf-8"))
                #expect(mail.contains("\r\n..linje der starter med punktum"))
                #expect(try await OutboxMessageRecord.query(on: app.db).filter(\.$sentAt == nil).count() == 0)
                // Nothing is sent twice.
                #expect(try await deliverer.deliverDue(on: app.db, now: now, logger: app.logger).sent == 0)
            }
        }

        @Test func aFailedDeliveryIsKeptAndTriedAgainLater() async throws {
            try await withTestApp { app in
                let failing = try fakeSendmail(failing: true)
                let now = Date(timeIntervalSince1970: 1_900_000_000)
                try await Outbox.enqueue(
                    to: ["a@kommune.dk"], subject: "Besked", body: "Tekst", kind: "test", at: now, on: app.db)
                let result = try await MailDeliverer(command: failing.command, from: "pulje@localhost")
                    .deliverDue(on: app.db, now: now, logger: app.logger)
                #expect(result.failed == 1)
                let message = try #require(try await OutboxMessageRecord.query(on: app.db).first())
                #expect(message.sentAt == nil)
                #expect(message.attempts == 1)
                #expect(message.lastError?.contains("connection refused") == true)
                #expect(message.nextAttemptAt == now.addingTimeInterval(60))
                // Not due yet: nothing happens. Due, with a working command: sent.
                let working = try fakeSendmail()
                let deliverer = MailDeliverer(command: working.command, from: "pulje@localhost")
                #expect(
                    try await deliverer.deliverDue(on: app.db, now: now.addingTimeInterval(30), logger: app.logger).sent
                        == 0)
                #expect(
                    try await deliverer.deliverDue(on: app.db, now: now.addingTimeInterval(61), logger: app.logger).sent
                        == 1)
                #expect(try storedMails(working.folder).count == 1)
            }
        }

        @Test func headersAreEncodedAndBackoffGrows() {
            let encoded = MailMessage.encodeHeader("Kvittering: ansøgning er modtaget")
            #expect(encoded.hasPrefix("=?UTF-8?B?"))
            let decoded = encoded.components(separatedBy: "\r\n ").map { word -> String in
                let base64 = word.dropFirst(10).dropLast(2)
                return String(decoding: Data(base64Encoded: String(base64))!, as: UTF8.self)
            }.joined()
            #expect(decoded == "Kvittering: ansøgning er modtaget")
            #expect(MailMessage.encodeHeader("Plain subject") == "Plain subject")
            #expect((1...6).map(Outbox.backoff) == [60, 300, 900, 3_600, 21_600, 21_600])
        }

        @Test func theDemoOutboxPageShowsMessagesToAdministrators() async throws {
            try await withTestApp { app in
                try await Outbox.enqueue(
                    to: ["a@kommune.dk"], subject: "Kvittering", body: "Tekst", kind: "test", at: Date(), on: app.db)
                let admin = Browser(app)
                try await admin.signIn(Demo.admin)
                let page = try await admin.get("/admin/udbakke")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("a@kommune.dk"))
                #expect(page.body.string.contains("Venter"))
                let applicant = Browser(app)
                try await applicant.signIn(Demo.applicant)
                #expect(try await applicant.get("/admin/udbakke").status == .forbidden)
            }
        }
    }
}

extension AppTests {
    @Suite struct MessageTests {
        @Test func theMunicipalityAndTheAgencyWriteInTheCaseAndTheOtherSideIsNotified() async throws {
            try await withTestApp { app in
                let clock = TestClock(ApplicationFlowTests.winter.instant.addingTimeInterval(-3600))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: ApplicationFlowTests.winter)
                let amalie = Browser(app)
                let (id, path) = try await ApplicationFlowTests.start(app, amalie, call: call)
                // No messages on a draft: the agency cannot see it yet.
                #expect(try await amalie.post(path + "/beskeder", [("body", "Hej")]).status == .forbidden)
                try await amalie.post(path, completeApplication(version: 1))
                try await amalie.post(path + "/indsend", [("version", "2")])
                try await amalie.get(path)
                try await OutboxMessageRecord.query(on: app.db).delete()

                // MUT: the municipality asks; the grant administrators hear of it.
                #expect(
                    try await amalie.post(path + "/beskeder", [("body", "Hvornår kan vi forvente svar?")]).status
                        == .seeOther)
                var mails = try await OutboxMessageRecord.query(on: app.db).all()
                #expect(mails.map(\.recipient).sorted() == [Grants.secondGrantAdministrator, Demo.grantAdministrator])
                #expect(mails.first?.body.contains("Hvornår kan vi forvente svar?") == true)

                // The agency answers in the case; the municipality's people hear of it.
                let tine = Browser(app)
                try await tine.signIn(Demo.grantAdministrator)
                let page = try await tine.get(path)
                #expect(page.status == .ok)
                #expect(page.body.string.contains("Hvornår kan vi forvente svar?"))
                try await OutboxMessageRecord.query(on: app.db).delete()
                #expect(try await tine.post(path + "/beskeder", [("body", "I uge 2.")]).status == .seeOther)
                mails = try await OutboxMessageRecord.query(on: app.db).all()
                #expect(mails.map(\.recipient) == [Demo.applicant])
                let thread = try await amalie.get(path).body.string
                #expect(thread.contains("I uge 2."))
                // The agency writes in its own name: the municipality does not see which caseworker wrote.
                #expect(thread.contains("Social- og Boligstyrelsen – "))
                #expect(!thread.contains("Tine Tilskudsforvalter"))
                #expect(try await tine.get(path).body.string.contains("Tine Tilskudsforvalter"))
                // The submitted application is unchanged by the conversation.
                #expect(try await ApplicationRecord.find(id, on: app.db)?.applicationStatus == .submitted)
                // Empty messages are refused with a message; another municipality gets 404.
                try await amalie.post(path + "/beskeder", [("body", "  ")])
                #expect(try await amalie.get(path).body.string.contains("Skriv en besked, før du sender."))
                let odense = Browser(app)
                try await odense.signIn("ansoger@odense.demo")
                #expect(try await odense.post(path + "/beskeder", [("body", "Hej")]).status == .notFound)
                #expect(try await ApplicationMessageRecord.query(on: app.db).count() == 2)
            }
        }
    }
}

extension AppTests {
    @Suite struct MessageFileTests {
        @Test func aMessageCanCarryAFileThatBothSidesCanOpen() async throws {
            try await withTestApp { app in
                let amalie = Browser(app)
                let (_, path) = try await ApplicationFlowTests.submitted(app, amalie)
                // A file that is not what it claims is refused, and the message is not sent.
                try await amalie.upload(
                    path + "/beskeder", fields: [("body", "Se bilag")],
                    file: ("notat.pdf", "application/pdf", Array("not a pdf".utf8)))
                #expect(try await amalie.get(path).body.string.contains("Beskeden er ikke sendt."))
                #expect(try await ApplicationMessageRecord.query(on: app.db).count() == 0)
                // MUT
                let sent = try await amalie.upload(
                    path + "/beskeder", fields: [("body", "Se vedhæftede notat.")],
                    file: ("Notat.pdf", "application/pdf", AttachmentTests.pdf))
                // validate
                #expect(sent.status == .seeOther)
                let file = try #require(try await MessageAttachmentRecord.query(on: app.db).first())
                #expect(file.contentType == "application/pdf")
                let tine = Browser(app)
                try await tine.signIn(Demo.grantAdministrator)
                let page = try await tine.get(path).body.string
                #expect(page.contains("Notat.pdf"))
                let download = try await tine.get(path + "/beskeder/filer/" + file.id!.uuidString.lowercased())
                #expect(download.status == .ok)
                #expect(Array(download.body.readableBytesView) == AttachmentTests.pdf)
                let odense = Browser(app)
                try await odense.signIn("ansoger@odense.demo")
                #expect(
                    try await odense.get(path + "/beskeder/filer/" + file.id!.uuidString.lowercased()).status
                        == .notFound)
            }
        }
    }
}
