import Fluent
import Foundation
import PuljeDomain
import Vapor

/// E-mail reminders of status reports: to the municipality's people when a report comes within a week of its
/// due date and again when it is overdue, each once (`GrantStore.claimReminder`), written to the outbox in
/// the same transaction as the claim.
enum GrantReminders {
    /// Sends every reminder due now; returns how many were sent.
    @discardableResult
    static func send(_ app: Application, at now: Date) async throws -> Int {
        // Only the rounds that could give a reminder now (due within a week, or overdue), and only the cases
        // of their calls: the round is a walk over the cases that can owe something, not over every case.
        let rounds = Dictionary(
            grouping: try await GrantStore.allRounds(on: app.db).filter {
                ReminderKind(DueState.of(due: $0.dueAt, done: false, at: now)) != nil
            }
        ) { $0.$call.id }
        let cases = try await GrantStore.cases(ofCalls: Array(rounds.keys), on: app.db)
            .filter { $0.caseStatus != .closed }
        let delivered = Set(
            try await GrantStore.reports(ofCases: try cases.map { try $0.requireID() }, on: app.db)
                .filter { $0.reportStatus.isDelivered }.map { [$0.$grantCase.id, $0.$round.id] })
        var sent = 0
        for grantCase in cases {
            let caseID = try grantCase.requireID()
            let callID = grantCase.$call.id
            for round in rounds[callID] ?? [] {
                let roundID = try round.requireID()
                let state = DueState.of(due: round.dueAt, done: delivered.contains([caseID, roundID]), at: now)
                guard let kind = ReminderKind(state) else { continue }
                let link = app.config.publicURL + SiteURL.statusReport(caseID, roundID).path
                let due = DanishTime.dateTime(round.dueAt)
                let recorded = try await app.writeTransaction { db -> Bool in
                    guard try await GrantStore.claimReminder(kind, of: roundID, in: caseID, at: now, on: db) else {
                        return false
                    }
                    let subject: String
                    let body: String
                    switch kind {
                    case .dueSoon:
                        subject = "Påmindelse: \(round.title) skal afleveres senest \(due)"
                        body =
                            "\(round.title) i jeres tilskudssag (\(grantCase.call.title)) skal afleveres senest \(due).\n\nSkriv og indsend rapporten i Pulje: \(link)"
                    case .overdue:
                        subject = "Fristen er overskredet: \(round.title)"
                        body =
                            "Fristen for \(round.title) i jeres tilskudssag (\(grantCase.call.title)) var \(due), og rapporten er ikke indsendt.\n\nIndsend den hurtigst muligt i Pulje: \(link)"
                    }
                    try await Outbox.enqueue(
                        to: try await GrantStore.municipalRecipients(of: grantCase, on: db), subject: subject,
                        body: body, kind: "grant-reminder", at: now, on: db)
                    return true
                }
                if recorded { sent += 1 }
            }
        }
        return sent
    }
}

/// Looks for reminders due (and evaluations past their end date) with `serve`, every `PULJE_REMINDER_POLL_SECONDS` (5 minutes by default).
final class ReminderService: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?
    let interval: TimeInterval

    init(interval: TimeInterval) { self.interval = interval }

    func didBootAsync(_ application: Application) async throws {
        let interval = interval
        let app = application
        task = Task {
            while !Task.isCancelled {
                do {
                    let sent = try await GrantReminders.send(app, at: app.now())
                    if sent > 0 { app.logger.info("Reminders written to the outbox: \(sent)") }
                    app.metrics.jobRound("reminders", failed: false)
                } catch {
                    app.logger.error("Reminder round failed: \(error)")
                    app.metrics.jobRound("reminders", failed: true)
                }
                // Citizen data of evaluations past their end date is deleted or anonymised in the same round.
                do {
                    let purged = try await EvaluationActions.purgeEnded(app: app)
                    if purged > 0 { app.logger.info("Evaluations past their end date purged: \(purged)") }
                    app.metrics.jobRound("evaluation-retention", failed: false)
                } catch {
                    app.logger.error("Evaluation retention round failed: \(error)")
                    app.metrics.jobRound("evaluation-retention", failed: true)
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
