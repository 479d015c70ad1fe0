import Foundation

/// A municipal signatory's approval of an application before submission, where the call's guide requires
/// one ("ved direktørunderskrift"). It holds for the version it was given on: any later save needs a new one.
public struct ApplicationApproval: Hashable, Sendable {
    public var by: String
    public var at: Date
    public var version: Int

    public init(by: String, at: Date, version: Int) {
        self.by = by
        self.at = at
        self.version = version
    }

    /// Why the application cannot be submitted for want of approval, in Danish; nil when it can.
    public static func problem(
        rules: CallRules, approval: ApplicationApproval?, currentVersion: Int
    ) -> ApplicationProblem? {
        guard rules.requiredApproval != nil else { return nil }
        guard let approval else {
            return ApplicationProblem(
                "approval",
                "Ansøgningen skal godkendes af en tegningsberettiget i kommunen (direktør eller tilsvarende ledelsesniveau), før den kan indsendes."
            )
        }
        guard approval.version == currentVersion else {
            return ApplicationProblem(
                "approval",
                "Ansøgningen er ændret, efter at \(approval.by) godkendte den \(DanishTime.dateTime(approval.at)). Den skal godkendes igen, før den kan indsendes."
            )
        }
        return nil
    }
}
