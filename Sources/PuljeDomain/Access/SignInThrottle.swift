import Foundation

/// Slows down guessing. After too many failed sign-ins for one account within a window, that account's
/// further attempts are refused until the oldest failure leaves the window. Failures from one address only
/// slow that address down (each attempt waits a little longer, up to `maximumDelay`), never lock it out:
/// an office behind one address, or every user behind a reverse proxy, shares it with the attacker.
public struct SignInThrottle: Sendable {
    public var window: TimeInterval
    public var maximumFailuresPerAccount: Int
    /// Failures from one address within the window before its attempts are slowed down.
    public var maximumFailuresPerAddress: Int
    /// The longest an attempt from a busy address waits before it is judged.
    public var maximumDelay: TimeInterval

    public init(
        window: TimeInterval = 15 * 60, maximumFailuresPerAccount: Int = 5, maximumFailuresPerAddress: Int = 20,
        maximumDelay: TimeInterval = 10
    ) {
        self.window = window
        self.maximumFailuresPerAccount = maximumFailuresPerAccount
        self.maximumFailuresPerAddress = maximumFailuresPerAddress
        self.maximumDelay = maximumDelay
    }

    public enum Verdict: Equatable, Sendable {
        case allowed
        /// Judge the attempt only after waiting this many seconds (the address has failed often).
        case delayed(TimeInterval)
        /// Refused until the given instant (the account has failed too often).
        case refusedUntil(Date)
    }

    /// Judges an attempt from the failures already recorded (instants of failed attempts in any order).
    public func verdict(accountFailures: [Date], addressFailures: [Date], now: Date) -> Verdict {
        let since = now.addingTimeInterval(-window)
        let account = accountFailures.filter { $0 > since }.sorted()
        if account.count >= maximumFailuresPerAccount {
            return .refusedUntil(account[account.count - maximumFailuresPerAccount].addingTimeInterval(window))
        }
        let address = addressFailures.filter { $0 > since }.count
        if address >= maximumFailuresPerAddress {
            // One second at the limit, one more for every ten failures beyond it.
            let excess = address - maximumFailuresPerAddress
            return .delayed(min(maximumDelay, 1 + Double(excess / 10)))
        }
        return .allowed
    }

    /// "Prøv igen om 12 minutter."
    public static func danishRetryMessage(until: Date, now: Date) -> String {
        let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
        return
            "For mange mislykkede forsøg på at logge ind. Prøv igen om \(minutes) \(minutes == 1 ? "minut" : "minutter")."
    }
}
