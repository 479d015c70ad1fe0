import Foundation
import Vapor

/// The server's clock, passed in so that a test can say "it is now 11:59:59 on deadline day".
extension Application {
    private struct ClockKey: StorageKey {
        typealias Value = @Sendable () -> Date
    }

    public var now: @Sendable () -> Date {
        get { storage[ClockKey.self] ?? { Date() } }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    /// The address a request came from, as the audit log and the sign-in throttle see it.
    var clientAddress: String {
        remoteAddress?.ipAddress ?? "ukendt"
    }
}
