import Fluent
import Foundation
import PuljeDomain
import SQLKit
import Vapor

/// A message waiting to be delivered, or delivered. One recipient a row, so one bad address
/// does not hold up the others. Rows are never deleted by delivery: the outbox is also the record.
final class OutboxMessageRecord: Model, @unchecked Sendable {
    static let schema = "outbox_messages"

    @ID(key: .id) var id: UUID?
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "kind") var kind: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    /// Set while one deliverer works on it, so two instances never send the same message twice.
    @OptionalField(key: "claimed_until") var claimedUntil: Date?
    @OptionalField(key: "claim_token") var claimToken: UUID?
    @OptionalField(key: "sent_at") var sentAt: Date?
    @OptionalField(key: "last_error") var lastError: String?

    init() {}
    init(recipient: String, subject: String, body: String, kind: String, at now: Date) {
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.kind = kind
        self.createdAt = now
        self.attempts = 0
        self.nextAttemptAt = now
    }
}

/// The one way to send e-mail: put it in the outbox, in the same transaction as the change it reports.
enum Outbox {
    static func enqueue(
        to recipients: [String], subject: String, body: String, kind: String, at now: Date, on db: any Database
    ) async throws {
        let unique = Array(Set(recipients.map { $0.lowercased() }.filter { UserForm.isValidEmail($0) })).sorted()
        guard !unique.isEmpty else { return }
        try await OutboxStore.add(
            unique.map { OutboxMessageRecord(recipient: $0, subject: subject, body: body, kind: kind, at: now) }, on: db
        )
    }

    /// How long to wait after the n-th failed attempt: 1 minute, 5, 15, 1 hour, then 6 hours.
    static func backoff(afterAttempts attempts: Int) -> TimeInterval {
        [60, 300, 900, 3_600][safe: attempts - 1] ?? 21_600
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// An RFC 5322 message with a UTF-8 plain-text body, as a sendmail-compatible command reads it with -t.
enum MailMessage {
    static func render(from: String, to: String, subject: String, body: String, date: Date, id: UUID) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = DanishTime.timeZone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let domain = from.split(separator: "@").last.map(String.init) ?? "pulje.local"
        let lines = body.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false
        )
        .map { $0.hasPrefix(".") ? "." + $0 : String($0) }
        return [
            "From: Pulje <\(from)>", "To: \(to)", "Subject: \(encodeHeader(subject))",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <\(id.pathValue)@\(domain)>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
            "Auto-Submitted: auto-generated",
            "", lines.joined(separator: "\r\n"), "",
        ].joined(separator: "\r\n")
    }

    /// RFC 2047 encoded-words for a header with non-ASCII text, in chunks that keep lines short.
    static func encodeHeader(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII }) else { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            if (chunk + String(character)).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }
}
