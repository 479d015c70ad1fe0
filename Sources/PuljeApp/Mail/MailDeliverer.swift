import Fluent
import Foundation
import Vapor

/// Delivers the outbox in the background: claims due messages, pipes each to the configured
/// sendmail-compatible command (`msmtp -t`, `/usr/sbin/sendmail -t -i`), marks it sent, or records the
/// error and tries again later. A message is never lost: it stays in the outbox until a command accepts it.
struct MailDeliverer: Sendable {
    let command: [String]
    let from: String
    let claimSeconds: TimeInterval = 120

    /// Delivers what is due now; returns how many were sent and how many failed.
    @discardableResult
    func deliverDue(
        on db: any Database, now: Date, logger: Logger, limit: Int = 20
    ) async throws -> (sent: Int, failed: Int) {
        let due = try await OutboxStore.due(at: now, limit: limit, on: db)
        var sent = 0
        var failed = 0
        for message in due {
            let id = try message.requireID()
            let token = UUID()
            // Claim it; if another instance claimed it first, our token is not there and we skip it.
            guard
                let claimed = try await OutboxStore.claim(
                    id, token: token, until: now.addingTimeInterval(claimSeconds), at: now, on: db)
            else { continue }
            let raw = MailMessage.render(
                from: from, to: claimed.recipient, subject: claimed.subject, body: claimed.body,
                date: claimed.createdAt, id: id)
            let result = await run(raw)
            if let error = result {
                failed += 1
                let attempts = claimed.attempts + 1
                logger.warning("Mail to \(claimed.recipient) failed (attempt \(attempts)): \(error)")
                try await OutboxStore.failed(
                    id, attempts: attempts, error: error,
                    retryAt: now.addingTimeInterval(Outbox.backoff(afterAttempts: attempts)), on: db)
            } else {
                sent += 1
                try await OutboxStore.sent(id, attempts: claimed.attempts + 1, at: now, on: db)
            }
        }
        return (sent, failed)
    }

    /// Runs the command with the message on standard input; nil on success, else what went wrong.
    func run(_ message: String) async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: command[0])
                process.arguments = Array(command.dropFirst())
                let input = Pipe()
                let errors = Pipe()
                process.standardInput = input
                process.standardError = errors
                process.standardOutput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(returning: "kunne ikke starte \(command[0]): \(error.localizedDescription)")
                    return
                }
                input.fileHandleForWriting.write(Data(message.utf8))
                try? input.fileHandleForWriting.close()
                let stderr = errors.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                if process.terminationStatus == 0 {
                    continuation.resume(returning: nil)
                } else {
                    let text = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    continuation.resume(returning: "afsluttede med \(process.terminationStatus): \(text.prefix(500))")
                }
            }
        }
    }
}

/// Starts the deliverer with `serve` and stops it with the application.
final class MailDeliveryService: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?
    let deliverer: MailDeliverer
    let interval: TimeInterval

    init(deliverer: MailDeliverer, interval: TimeInterval) {
        self.deliverer = deliverer
        self.interval = interval
    }

    func didBootAsync(_ application: Application) async throws {
        let deliverer = deliverer
        let interval = interval
        let app = application
        task = Task {
            app.logger.info("Mail delivery started: \(deliverer.command.joined(separator: " "))")
            while !Task.isCancelled {
                do {
                    try await deliverer.deliverDue(on: app.db, now: app.now(), logger: app.logger)
                    app.metrics.jobRound("mail", failed: false)
                } catch {
                    app.logger.error("Mail delivery round failed: \(error)")
                    app.metrics.jobRound("mail", failed: true)
                }
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        task = nil
    }
}
