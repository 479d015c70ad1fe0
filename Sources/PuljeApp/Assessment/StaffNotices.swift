import Foundation
import PuljeDomain

/// The e-mails that tell agency staff their turn has come (issue 14): an assessor assigned, a lead assessor
/// whose colleagues have all scored, directors with a proposal to approve. Written to the outbox in the same
/// transaction as the change they report; they name the case, never its content.
enum StaffNotices {
    struct Notice {
        var to: [String]
        var subject: String
        var body: String
    }

    static func assigned(
        _ applications: [(organisation: String, link: String)], call: String, to email: String
    )
        -> Notice
    {
        let list = applications.map { "- \($0.organisation): \($0.link)" }.joined(separator: "\n")
        return Notice(
            to: [email],
            subject: "Du er bedømmer på \(DanishCount.of(applications.count, "ansøgning", "ansøgninger")) til \(call)",
            body: """
                Du er tildelt som bedømmer på følgende ansøgninger til "\(call)":

                \(list)

                Afgiv habilitetserklæring for hver ansøgning, før du læser den. Derefter kan du give point.

                Denne e-mail er sendt automatisk af Pulje.
                """)
    }

    static func readyForConsensus(organisation: String, call: String, link: String, to email: String) -> Notice {
        Notice(
            to: [email],
            subject: "Alle bedømmere har givet point: \(organisation) (\(call))",
            body: """
                Alle bedømmere har nu givet point på \(organisation)s ansøgning til "\(call)". Som ledende bedømmer kan du se pointene side om side og registrere konsensus:

                \(link)

                Denne e-mail er sendt automatisk af Pulje.
                """)
    }

    static func proposalWaiting(call: String, proposedBy: String, link: String, to emails: [String]) -> Notice {
        Notice(
            to: emails,
            subject: "Indstilling til godkendelse: \(call)",
            body: """
                \(proposedBy) har indstillet afgørelsen for "\(call)". Den venter på godkendelse af en direktør, som ikke selv har indstillet den:

                \(link)

                Denne e-mail er sendt automatisk af Pulje.
                """)
    }
}
