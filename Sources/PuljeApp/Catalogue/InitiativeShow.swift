import Foundation
import PuljeDomain
import PuljeHTML

/// An initiative's page: its texts, its budget by year and by category, a chart and its timeline.
enum InitiativeShow {
    static func view(
        _ initiative: Initiative, canEdit: Bool, canSeeHistory: Bool, canSeeGrantCases: Bool = false,
        businessCases: [(id: UUID, title: String)] = [], canSeePhaseGate: Bool = false, hasVerdicts: Bool = false,
        updatedAt: Date?, context: PageContext
    ) -> Node {
        let url = { (u: SiteURL) in u.path }
        let number = initiative.number.description
        return Layout.page(title: "\(number) \(initiative.title)", context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.initiatives.path)) { "Initiativer" } }
            tag("h1") {
                tag("span", .class("number")) { number + " " }
                initiative.title
            }
            if !initiative.facts.notes.isEmpty {
                tag("div", .class("notice")) {
                    tag("h2") { "Bemærk om teksten" }
                    tag("ul") { initiative.facts.notes.map { note in tag("li") { note } } }
                }
            }
            if canEdit || canSeeHistory || canSeeGrantCases || canSeePhaseGate {
                tag("p", .class("actions")) {
                    if canEdit {
                        tag(
                            "a", .class("button"),
                            .href(url(.editInitiative(year: initiative.programmeYear, number: number)))
                        ) {
                            "Redigér initiativ"
                        }
                    }
                    if canSeeHistory {
                        tag("a", .href(url(.initiativeHistory(year: initiative.programmeYear, number: number)))) {
                            "Se historik"
                        }
                    }
                    if canSeeGrantCases {
                        " "
                        tag("a", .href(url(.initiativeGrantOverview(number)))) { "Tilskudssager under initiativet" }
                    }
                    if canSeePhaseGate {
                        " "
                        tag("a", .href(url(.phaseGate(year: initiative.programmeYear, number: number)))) {
                            "Fasevurdering"
                        }
                    }
                }
            }
            if hasVerdicts {
                tag("p") {
                    tag("a", .href(url(.phaseVerdicts(year: initiative.programmeYear, number: number)))) {
                        "Afgjorte fasevurderinger af initiativet"
                    }
                }
            }
            if !businessCases.isEmpty {
                tag("p") {
                    "Business cases: "
                    for (index, businessCase) in businessCases.enumerated() {
                        if index > 0 { ", " }
                        tag("a", .href(url(.businessCase(businessCase.id)))) { businessCase.title }
                    }
                }
            }
            tag("dl", .class("facts")) {
                fact("Programår", String(initiative.programmeYear))
                fact("Område", initiative.area.danishName)
                fact("SUSI-fase", initiative.phase.danishName)
                fact("Spor", initiative.track.map { "Spor \($0)" } ?? "Ikke angivet")
                fact("Tilskudsmodtagere", initiative.grantRecipients)
                let facts = initiative.facts
                if !facts.municipalitiesSought.isEmpty {
                    fact("Antal kommuner", facts.municipalitiesSought + " kommuner")
                }
                if let years = facts.durationYears { fact("Varighed", "\(years) år") }
                if !facts.partners.isEmpty { fact("Samarbejdspartnere", facts.partners.joined(separator: ", ")) }
                if !facts.origin.isEmpty { fact("Bygger på", facts.origin) }
                fact(
                    "Budget i alt",
                    "\(DanishAmount.millions(initiative.budget.total)) (\(initiative.budget.priceLevel)-PL)")
                if let updatedAt { fact("Senest ændret", DanishTime.dateTime(updatedAt)) }
            }
            section("Formål", initiative.purpose)
            section("Baggrund", initiative.background)
            section("Målgruppe", initiative.targetGroup)
            section("Forventede resultater", initiative.expectedResults)
            section("Beskrivelse og aktiviteter", initiative.activities)
            section("Succeskriterier", initiative.successCriteria)
            budget(initiative.budget)
            timeline(initiative)
            section("Kriterier for ansøgningspuljen", initiative.applicationPoolCriteria)
            if (canEdit || canSeeHistory) && !initiative.facts.corrections.isEmpty {
                tag("section", .aria("labelledby", "rettelser")) {
                    tag("h2", .id("rettelser")) { "Rettelser i forhold til kilden" }
                    tag("p") {
                        "Åbenlyse skrivefejl i bevillingsteksten er rettet, da teksten blev overført. Ordlyd og grammatik står som trykt. Kun medarbejdere i styrelsen ser denne liste."
                    }
                    tag("ul") { initiative.facts.corrections.map { note in tag("li") { note } } }
                }
            }
        }
    }

    static func fact(_ term: String, _ value: String) -> Node { Layout.fact(term, value, whenEmpty: "–") }

    static func section(_ heading: String, _ text: String) -> Node {
        guard !text.isEmpty else { return .empty }
        return tag("section") {
            tag("h2") { heading }
            prose(text)
        }
    }

    static func budget(_ budget: InitiativeBudget) -> Node {
        tag("section", .aria("labelledby", "budget")) {
            tag("h2", .id("budget")) { "Budget" }
            tag("p") {
                "Beløb i \(budget.priceLevel)-priser (\(budget.priceLevel)-PL). Bevillingen fordeler budgettet på år og på kategorier hver for sig. Fordelingen på kategorier er anslået (»ca.« i bevillingsteksten)."
            }
            if !budget.isConsistent {
                tag("div", .class("warning"), .init("role", "alert")) {
                    tag("p") { "Budgettet hænger ikke sammen:" }
                    tag("ul") { budget.problems().map { problem in tag("li") { problem.danishMessage } } }
                }
            }
            tag("table", .class("data budget")) {
                tag("caption") { "Budget fordelt på år" }
                tag("thead") {
                    tag("tr") {
                        tag("th", .init("scope", "col")) { "År" }
                        for year in budget.years { tag("th", .init("scope", "col"), .class("amount")) { String(year) } }
                        tag("th", .init("scope", "col"), .class("amount")) { "I alt" }
                    }
                }
                tag("tbody") {
                    tag("tr") {
                        tag("th", .init("scope", "row")) { "Initiativ i alt" }
                        for year in budget.years {
                            tag("td", .class("amount")) { DanishAmount.kroner(budget.byYear[year] ?? .zero) }
                        }
                        tag("td", .class("amount total")) { DanishAmount.kroner(budget.sumOfYears) }
                    }
                }
            }
            BudgetChart.byYear(budget)
            tag("table", .class("data budget")) {
                tag("caption") { "Budget fordelt på kategorier" }
                tag("thead") {
                    tag("tr") {
                        tag("th", .init("scope", "col")) { "Kategori" }
                        tag("th", .init("scope", "col"), .class("amount")) { "Beløb (ca.)" }
                        tag("th", .init("scope", "col"), .class("amount")) { "Andel" }
                    }
                }
                tag("tbody") {
                    for category in BudgetCategory.allCases {
                        if let amount = budget.byCategory[category] {
                            tag("tr") {
                                tag("th", .init("scope", "row")) { category.danishName }
                                tag("td", .class("amount")) { DanishAmount.kroner(amount) }
                                tag("td", .class("amount")) { share(amount, of: budget.total) }
                            }
                        }
                    }
                }
                tag("tfoot") {
                    tag("tr") {
                        tag("th", .init("scope", "row")) { "I alt" }
                        tag("td", .class("amount total")) { DanishAmount.kroner(budget.sumOfCategories) }
                        tag("td", .class("amount")) { "100 %" }
                    }
                }
            }
        }
    }

    /// "12,5 %"
    static func share(_ part: Money, of whole: Money) -> String {
        guard whole.ore > 0 else { return "–" }
        let tenths = (part.ore * 1000 + whole.ore / 2) / whole.ore
        return "\(tenths / 10),\(tenths % 10) %"
    }

    static func timeline(_ initiative: Initiative) -> Node {
        guard !initiative.timeline.isEmpty else {
            return section("Udmøntning og tidsplan", initiative.implementationNote)
        }
        return tag("section", .aria("labelledby", "tidsplan")) {
            tag("h2", .id("tidsplan")) { "Tidsplan" }
            if !initiative.implementationNote.isEmpty { prose(initiative.implementationNote) }
            tag("table", .class("data timeline")) {
                tag("caption", .class("visually-hidden")) { "Tidsplan fordelt på kvartaler" }
                tag("thead") {
                    tag("tr") {
                        tag("th", .init("scope", "col")) { "Tid" }
                        tag("th", .init("scope", "col")) { "Aktivitet" }
                    }
                }
                tag("tbody") {
                    for entry in initiative.timeline {
                        tag("tr") {
                            tag("th", .init("scope", "row")) { entry.label }
                            tag("td") { tag("ul") { entry.activities.map { activity in tag("li") { activity } } } }
                        }
                    }
                }
            }
            BudgetChart.timeline(initiative.timeline)
        }
    }
}
