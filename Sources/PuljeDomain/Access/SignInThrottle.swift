import Foundation

/// Slows down guessing: after too many failed sign-ins for one account, or from one address,
/// within a window, further attempts are refused until the oldest failure leaves the window.
public struct SignInThrottle: Sendable {
    public var window: TimeInterval
    public var maximumFailuresPerAccount: Int
    public var maximumFailuresPerAddress: Int

    public init(window: TimeInterval = 15 * 60, maximumFailuresPerAccount: Int = 5, maximumFailuresPerAddress: Int = 20)
    {
        self.window = window
        self.maximumFailuresPerAccount = maximumFailuresPerAccount
        self.maximumFailuresPerAddress = maximumFailuresPerAddress
    }

    public enum Verdict: Equatable, Sendable {
        case allowed
        /// Refused until the given instant.
        case refusedUntil(Date)
    }

    /// Judges an attempt from the failures already recorded (instants of failed attempts in any order).
    public func verdict(accountFailures: [Date], addressFailures: [Date], now: Date) -> Verdict {
        let since = now.addingTimeInterval(-window)
        let account = accountFailures.filter { $0 > since }.sorted()
        let address = addressFailures.filter { $0 > since }.sorted()
        var until: Date?
        if account.count >= maximumFailuresPerAccount {
            until = account[account.count - maximumFailuresPerAccount].addingTimeInterval(window)
        }
        if address.count >= maximumFailuresPerAddress {
            let addressUntil = address[address.count - maximumFailuresPerAddress].addingTimeInterval(window)
            until = max(until ?? addressUntil, addressUntil)
        }
        return until.map(Verdict.refusedUntil) ?? .allowed
    }

    /// "Prøv igen om 12 minutter."
    public static func danishRetryMessage(until: Date, now: Date) -> String {
        let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
        return
            "For mange mislykkede forsøg på at logge ind. Prøv igen om \(minutes) \(minutes == 1 ? "minut" : "minutter")."
    }
}
