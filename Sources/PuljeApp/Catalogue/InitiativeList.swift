import PuljeDomain
import PuljeHTML

/// The catalogue: initiatives filtered by area and SUSI phase and searched by text.
enum InitiativeList {
    struct Model {
        var query: CatalogueQuery
        var initiatives: [Initiative]
        var totalCount: Int
    }

    static func view(_ model: Model, context: PageContext) -> Node {
        let total = model.initiatives.map(\.budget.total).sum()
        return Layout.page(title: "Initiativer", context: context) {
            tag("h1") { "Initiativer" }
            tag("p", .class("lead")) {
                "Kataloget over initiativer i Udviklings- og Investeringsprogrammerne med fase, budget og tidsplan."
            }
            if context.user?.may(.editCatalogue) == true || context.user?.may(.readPhaseVerdicts) == true {
                tag("p", .class("actions")) {
                    if context.user?.may(.editCatalogue) == true {
                        tag("a", .class("button"), .href(SiteURL.newInitiative.path)) { "Opret initiativ" }
                        " "
                    }
                    if context.user?.may(.readPhaseVerdicts) == true {
                        tag("a", .href(SiteURL.pipeline.path)) { "Initiativernes faser og fasevurderinger" }
                    }
                }
            }
            tag(
                "form", .init("method", "get"), .init("action", SiteURL.initiatives.path), .class("filters"),
                .init("role", "search"), .aria("label", "Filtrér initiativer")
            ) {
                FormField.select(
                    "omraade", label: "Område",
                    options: [("", "Alle områder")] + ProgrammeArea.allCases.map { ($0.rawValue, $0.danishName) },
                    selected: model.query.area?.rawValue ?? "", errors: FormErrors())
                FormField.select(
                    "fase", label: "SUSI-fase",
                    options: [("", "Alle faser")] + SUSIPhase.allCases.map { ($0.rawValue, $0.danishName) },
                    selected: model.query.phase?.rawValue ?? "", errors: FormErrors())
                FormField.text("q", label: "Søg", value: model.query.text, errors: FormErrors(), type: "search")
                tag("button", .type("submit"), .class("button")) { "Vis" }
            }
            tag("p", .id("resultat"), .init("role", "status")) {
                model.initiatives.count == model.totalCount
                    ? "\(model.totalCount) initiativer, i alt \(DanishAmount.millions(total))"
                    : "\(model.initiatives.count) af \(model.totalCount) initiativer, i alt \(DanishAmount.millions(total))"
            }
            if model.initiatives.isEmpty {
                tag("p") {
                    "Ingen initiativer passer til søgningen. Prøv med færre ord, eller vælg alle områder og faser."
                }
            } else {
                tag("table", .class("data")) {
                    tag("caption", .class("visually-hidden")) { "Initiativer" }
                    tag("thead") {
                        tag("tr") {
                            tag("th", .init("scope", "col")) { "Nr." }
                            tag("th", .init("scope", "col")) { "Titel" }
                            tag("th", .init("scope", "col")) { "Område" }
                            tag("th", .init("scope", "col")) { "Fase" }
                            tag("th", .init("scope", "col"), .class("amount")) { "Budget" }
                        }
                    }
                    tag("tbody") {
                        for initiative in model.initiatives {
                            tag("tr") {
                                tag("td") { initiative.number.description }
                                tag("td") {
                                    tag(
                                        "a",
                                        .href(
                                            SiteURL.initiative(
                                                year: initiative.programmeYear, number: initiative.number.description
                                            ).path)
                                    ) {
                                        initiative.title
                                    }
                                }
                                tag("td") { initiative.area.danishName }
                                tag("td") { initiative.phase.danishName }
                                tag("td", .class("amount")) { DanishAmount.millions(initiative.budget.total) }
                            }
                        }
                    }
                }
            }
        }
    }
}
