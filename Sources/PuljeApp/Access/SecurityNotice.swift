import Fluent
import Foundation
import PuljeDomain

/// An e-mail to a user when how they sign in has changed (password, second factor, the e-ID linked), so that a
/// change they did not make is noticed. Sent through the outbox in the transaction of the change.
enum SecurityNotice {
    enum Change {
        case password
        case twoFactorOn
        case twoFactorOff
        case linkedToEID(String)

        var subject: String {
            switch self {
            case .password: "Din adgangskode til Pulje er skiftet"
            case .twoFactorOn: "Totrinsbekræftelse er slået til i Pulje"
            case .twoFactorOff: "Totrinsbekræftelse er slået fra i Pulje"
            case .linkedToEID(let label): "Din bruger i Pulje er knyttet til \(label)"
            }
        }
    }

    static func body(_ change: Change, name: String, at now: Date, publicURL: String) -> String {
        """
        Kære \(name)

        \(change.subject) den \(DanishTime.dateTime(now)).

        Var det dig, skal du ikke gøre noget. Var det ikke dig, så log ind og skift din adgangskode, og log ud på alle enheder under Min profil (\(publicURL)\(SiteURL.profile.path)). Kontakt derefter en administrator i Social- og Boligstyrelsen.

        Venlig hilsen
        Pulje
        """
    }

    static func send(
        _ change: Change, to email: String, name: String, at now: Date, publicURL: String, on db: any Database
    ) async throws {
        try await Outbox.enqueue(
            to: [email], subject: change.subject,
            body: body(change, name: name, at: now, publicURL: publicURL), kind: "security", at: now, on: db)
    }
}
