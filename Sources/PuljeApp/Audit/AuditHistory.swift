import Foundation
import PuljeDomain
import PuljeHTML

/// The history of one thing: who changed what, and when.
enum AuditHistory {
    /// One line of a history page, as the reader may see it.
    struct Row: Equatable {
        var at: Date
        var who: String
        var organisation: String
        var action: String
        var summary: String
    }

    /// The entries a reader of a case may see: the assessment's inside only for history staff, and people
    /// of other organisations by their organisation only, unless the reader is history staff.
    static func rows(
        _ entries: [AuditEntryRecord], reader: CaseHistoryReader, readerOrganisation: UUID
    ) -> [Row] {
        entries.filter { reader.mayRead($0.action) }.map { entry in
            let named = reader.seesNamesOfOtherOrganisations || entry.organisationID == readerOrganisation
            return Row(
                at: entry.at, who: named ? entry.actorName : entry.organisationName,
                organisation: named ? entry.organisationName : "", action: actionName(entry.action),
                summary: entry.summary)
        }
    }

    /// Every entry, with names, for pages only history staff reach.
    static func rows(_ entries: [AuditEntryRecord]) -> [Row] {
        entries.map {
            Row(
                at: $0.at, who: $0.actorName, organisation: $0.organisationName, action: actionName($0.action),
                summary: $0.summary)
        }
    }

    static func view(
        title: String, backLink: (SiteURL, String), entries: [Row], context: PageContext
    ) -> Node {
        Layout.page(title: title, context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(backLink.0.path)) { backLink.1 } }
            tag("h1") { title }
            if entries.isEmpty {
                tag("p") { "Der er endnu ingen registrerede ændringer." }
            } else {
                tag("table", .class("data")) {
                    tag("caption", .class("visually-hidden")) { title }
                    tag("thead") {
                        tag("tr") {
                            tag("th", .init("scope", "col")) { "Tidspunkt" }
                            tag("th", .init("scope", "col")) { "Hvem" }
                            tag("th", .init("scope", "col")) { "Handling" }
                            tag("th", .init("scope", "col")) { "Ændringer" }
                        }
                    }
                    tag("tbody") {
                        for entry in entries {
                            tag("tr") {
                                tag("td") { DanishTime.dateTimeWithSeconds(entry.at) }
                                tag("td") {
                                    entry.who
                                    if !entry.organisation.isEmpty { tag("br"); entry.organisation }
                                }
                                tag("td") { entry.action }
                                tag("td") {
                                    tag("ul") {
                                        entry.summary.split(separator: "\n").map { line in tag("li") { String(line) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func actionName(_ action: String) -> String { AuditAction.danishName(of: action) }
}
