import Foundation
import PuljeDomain
import PuljeHTML

/// The agency's list of submitted applications across every call: filters, order, search, and pages that
/// continue after the last row shown (keyset), so the list is as fast on page 2.000 as on page 1.
enum ApplicationListPage {
    struct Model {
        var query: ApplicationListQuery
        var rows: [ApplicationListRow]
        var next: ListCursor?
        /// The names of the filtered call and applicant, to show what the list is filtered by.
        var callTitle: String?
        var organisationName: String?
    }

    static func link(_ query: ApplicationListQuery, after cursor: ListCursor? = nil) -> String {
        SiteURL.applications.path(query: query.parameters(after: cursor))
    }

    static func without(_ query: ApplicationListQuery, call: Bool) -> ApplicationListQuery {
        var out = query
        out.after = nil
        if call { out.callID = nil } else { out.organisationID = nil }
        return out
    }

    /// The query with another filter (and so from its first page).
    static func filtered(
        _ query: ApplicationListQuery, organisation: UUID? = nil, call: UUID? = nil
    )
        -> ApplicationListQuery
    {
        var out = query
        out.after = nil
        if let organisation { out.organisationID = organisation }
        if let call { out.callID = call }
        return out
    }

    static func view(_ model: Model, context: PageContext) -> Node {
        let query = model.query
        let base = filtered(query)
        return Layout.page(title: "Ansøgninger", context: context) {
            tag("h1") { "Ansøgninger" }
            tag("p", .class("lead")) { "Indsendte ansøgninger til alle puljer." }
            tag(
                "form", .init("method", "get"), .init("action", SiteURL.applications.path), .class("filters"),
                .init("role", "search"), .aria("label", "Filtrér ansøgninger")
            ) {
                if let call = query.callID {
                    tag("input", .type("hidden"), .name("pulje"), .value(call.uuidString.lowercased()))
                }
                if let organisation = query.organisationID {
                    tag("input", .type("hidden"), .name("ansoeger"), .value(organisation.uuidString.lowercased()))
                }
                FormField.text(
                    "q", label: "Søg", value: query.text, errors: FormErrors(),
                    hint: "Ansøgerens navn eller et helt journalnummer (UIP-…).", type: "search")
                FormField.select(
                    "status", label: "Status",
                    options: [("", "Alle")]
                        + ApplicationStatus.allCases.filter { $0 != .draft }.map { ($0.rawValue, $0.danishName) },
                    selected: query.status?.rawValue ?? "", errors: FormErrors())
                FormField.select(
                    "sortering", label: "Rækkefølge",
                    options: ApplicationListSort.allCases.map { ($0.rawValue, $0.danishName) },
                    selected: query.sort.rawValue, errors: FormErrors())
                tag("button", .type("submit"), .class("button")) { "Vis" }
            }
            if query.callID != nil || query.organisationID != nil {
                tag("p", .class("active-filters")) {
                    if let title = model.callTitle {
                        "Pulje: \(title) ("
                        tag("a", .href(link(without(base, call: true)))) { "fjern" }
                        ") "
                    }
                    if let name = model.organisationName {
                        "Ansøger: \(name) ("
                        tag("a", .href(link(without(base, call: false)))) { "fjern" }
                        ")"
                    }
                }
            }
            tag("p", .id("resultat"), .init("role", "status")) {
                model.rows.isEmpty
                    ? (query.after == nil ? "Ingen ansøgninger passer til filtrene." : "Der er ikke flere ansøgninger.")
                    : "Viser " + danishCount(model.rows.count, "ansøgning", "ansøgninger")
                        + (query.after == nil ? "" : " (fortsat)") + (model.next == nil ? "." : "; der er flere.")
            }
            if !model.rows.isEmpty {
                tag("table", .class("data")) {
                    tag("caption") { "Ansøgninger, \(query.sort.danishName.lowercased())" }
                    tag("thead") {
                        tag("tr") {
                            tag("th", .init("scope", "col")) { "Journalnummer" }
                            tag("th", .init("scope", "col")) { "Ansøger" }
                            tag("th", .init("scope", "col")) { "Pulje" }
                            tag("th", .init("scope", "col")) { "Status" }
                            tag("th", .init("scope", "col")) { "Indsendt" }
                        }
                    }
                    tag("tbody") {
                        for row in model.rows {
                            let byOrganisation = filtered(base, organisation: row.organisationID)
                            let byCall = filtered(base, call: row.callID)
                            tag("tr") {
                                tag("td") {
                                    tag("a", .href(SiteURL.application(row.id).path)) { row.submissionNumber }
                                }
                                tag("td") {
                                    tag(
                                        "a", .href(link(byOrganisation)),
                                        .aria("label", "Vis kun \(row.organisationName)")
                                    ) {
                                        row.organisationName
                                    }
                                }
                                tag("td") {
                                    tag("a", .href(link(byCall)), .aria("label", "Vis kun \(row.callTitle)")) {
                                        row.callTitle
                                    }
                                }
                                tag("td") { row.status.danishName }
                                tag("td") { DanishTime.dateTime(row.submittedAt) }
                            }
                        }
                    }
                }
            }
            tag("nav", .aria("label", "Sider"), .class("pager")) {
                if query.after != nil { tag("a", .href(link(base))) { "Til første side" } }
                if let next = model.next {
                    if query.after != nil { " · " }
                    tag("a", .href(link(base, after: next)), .init("rel", "next")) {
                        "Næste \(ApplicationListQuery.pageSize)"
                    }
                }
            }
        }
    }
}
