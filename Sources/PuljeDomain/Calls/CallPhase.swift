import Foundation

/// Whether a call is being written or can be read by applicants.
public enum CallStatus: String, Codable, Sendable, CaseIterable {
    case draft
    case published
}

/// Where a published call is in time, by the server's clock: before it opens, open, or past its deadline.
public enum CallPhase: String, Sendable, CaseIterable {
    case upcoming
    case open
    case closed

    /// The phase at `now`. A call without an opening time is open until its deadline; the deadline is the
    /// instant the door shuts (`Deadline.isOpen`).
    public init(rules: CallRules, at now: Date) {
        if let opensAt = rules.opensAt, now < opensAt {
            self = .upcoming
        } else if let deadline = rules.deadline, !deadline.isOpen(at: now) {
            self = .closed
        } else {
            self = .open
        }
    }

    /// Whether an application can be started or submitted: published and open.
    public static func acceptsApplications(status: CallStatus, rules: CallRules, at now: Date) -> Bool {
        status == .published && CallPhase(rules: rules, at: now) == .open
    }
}
