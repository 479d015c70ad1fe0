import PuljeDomain
import PuljeHTML
import Vapor

/// The outbox as a page, for administrators in the demo environment: what was sent, what waits, what failed.
enum OutboxPage {
    static func view(_ messages: [OutboxMessageRecord], context: PageContext) -> Node {
        Layout.page(title: "Udbakke", context: context) {
            tag("h1") { "Udbakke" }
            tag("p", .class("lead")) {
                "E-mail, som Pulje har sendt eller skal sende. Siden findes kun i demomiljøet."
            }
            if messages.isEmpty {
                tag("p") { "Udbakken er tom." }
            } else {
                tag("table", .class("data")) {
                    tag("caption", .class("visually-hidden")) { "Udbakke" }
                    tag("thead") {
                        tag("tr") {
                            for h in ["Oprettet", "Til", "Emne", "Status"] { tag("th", .init("scope", "col")) { h } }
                        }
                    }
                    tag("tbody") {
                        for m in messages {
                            tag("tr") {
                                tag("td") { DanishTime.dateTimeWithSeconds(m.createdAt) }
                                tag("td") { m.recipient }
                                tag("td") {
                                    tag("details") {
                                        tag("summary") { m.subject }
                                        tag("pre", .class("mail-body")) { m.body }
                                    }
                                }
                                tag("td") {
                                    if let sent = m.sentAt {
                                        "Sendt " + DanishTime.dateTimeWithSeconds(sent)
                                    } else if m.attempts > 0 {
                                        "Mislykkedes \(m.attempts) gange; næste forsøg "
                                            + DanishTime.dateTime(m.nextAttemptAt)
                                        if let error = m.lastError { tag("br"); error }
                                    } else {
                                        "Venter"
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
