import Foundation
import PuljeDomain
import PuljeHTML

/// The agency's overview of a call's grant cases (`GrantOverview`): the page with its chart and tables, and
/// the rows it is built from.
enum GrantOverviewPage {
    struct Model {
        var callID: UUID
        var callTitle: String
        var overview: GrantOverview
    }

    /// A case as the overview sees it: the approved budget by year, approved accounts, released payments,
    /// what is overdue now and the attendance at mandatory activities held so far.
    static func row(_ found: GrantCase) -> GrantOverview.Row {
        var spent: [Int: Money] = [:]
        for accounts in found.accounts where accounts.accountsStatus == .approved {
            spent[accounts.year, default: .zero] += accounts.actual().values.sum()
        }
        return GrantOverview.Row(
            caseID: found.id, organisation: found.organisationName, status: found.status, award: found.award,
            budgetByYear: found.grantsMoney ? found.budget.byYear() : [:], spentByYear: spent,
            released: found.releasedPayments,
            overdue: found.dueItems.filter { $0.state == .overdue }.map(\.text), obligations: found.obligations)
    }

    struct InitiativeModel {
        var number: String
        /// How many calls name the initiative, with or without cases.
        var callCount: Int
        var overview: InitiativeGrantOverview
    }

    static func model(callID: UUID, callTitle: String, cases: [GrantCase]) -> Model {
        Model(callID: callID, callTitle: callTitle, overview: GrantOverview(rows: cases.map(row)))
    }

    static func page(_ model: Model, context: PageContext) -> Node {
        let overview = model.overview
        return Layout.page(title: "Overblik: \(model.callTitle)", context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.grantCases.path)) { "Tilskudssager" } }
            tag("h1") { "Overblik over tilskudssagerne" }
            tag("p", .class("lead")) { model.callTitle }
            if overview.rows.isEmpty {
                tag("p") { "Puljen har endnu ingen tilskudssager. De oprettes, når afgørelsen er godkendt." }
            } else {
                summary(overview)
                tag("p", .class("downloads")) {
                    "Hent overblikket: "
                    tag("a", .href(SiteURL.callGrantOverviewXLSX(model.callID).path)) { "Excel-regneark (XLSX)" }
                    " · "
                    tag("a", .href(SiteURL.callGrantOverviewCSV(model.callID).path)) { "CSV til dansk Excel" }
                }
                spendByYear(overview)
                cases(model)
            }
        }
    }

    static func summary(_ overview: GrantOverview) -> Node {
        tag("dl", .class("facts")) {
            tag("dt") { "Tilskudssager" }
            tag("dd") { String(overview.rows.count) }
            tag("dt") { "Tilsagn i alt" }
            tag("dd") { DanishAmount.kroner(overview.award) }
            tag("dt") { "Udbetalt" }
            tag("dd") { DanishAmount.kroner(overview.released) }
            tag("dt") { "Forbrug i godkendte regnskaber" }
            tag("dd") {
                DanishAmount.kroner(overview.spent) + " ("
                    + "\(GrantOverview.percent(overview.spent, of: overview.award)) % af tilsagn)"
            }
            tag("dt") { "Sager der kræver opmærksomhed" }
            tag("dd") {
                overview.casesNeedingAttention == 0
                    ? "Ingen"
                    : "\(overview.casesNeedingAttention) (overskredne frister eller manglende fremmøde)"
            }
        }
    }

    static func spendByYear(_ overview: GrantOverview) -> Node {
        let years = overview.years
        return Node.fragment([
            tag("h2") { "Forbrug mod budget pr. år" },
            years.isEmpty
                ? tag("p") { "Der er endnu hverken budget eller regnskab at vise." }
                : Node.fragment([
                    chart(years.map { ($0, overview.budget(year: $0), overview.spent(year: $0)) }, narrow: false),
                    chart(years.map { ($0, overview.budget(year: $0), overview.spent(year: $0)) }, narrow: true),
                    tag("div", .class("table-scroll")) {
                        tag("table", .class("data")) {
                            tag("caption") { "Budget og forbrug pr. år for alle sager" }
                            tag("thead") {
                                tag("tr") {
                                    tag("th", .init("scope", "col")) { "År" }
                                    tag("th", .init("scope", "col"), .class("number")) { "Budget" }
                                    tag("th", .init("scope", "col"), .class("number")) { "Forbrug" }
                                    tag("th", .init("scope", "col"), .class("number")) { "Forbrug af budget" }
                                }
                            }
                            tag("tbody") {
                                for year in years {
                                    tag("tr") {
                                        tag("th", .init("scope", "row")) { String(year) }
                                        tag("td", .class("number")) { DanishAmount.kroner(overview.budget(year: year)) }
                                        tag("td", .class("number")) { DanishAmount.kroner(overview.spent(year: year)) }
                                        tag("td", .class("number")) {
                                            "\(GrantOverview.percent(overview.spent(year: year), of: overview.budget(year: year))) %"
                                        }
                                    }
                                }
                            }
                        }
                    },
                ]),
        ])
    }

    static func cases(_ model: Model) -> Node {
        Node.fragment([
            tag("h2") { "Kommunernes sager" },
            tag("div", .class("table-scroll")) {
                tag("table", .class("data")) {
                    tag("caption", .class("visually-hidden")) { "Kommunernes sager" }
                    tag("thead") {
                        tag("tr") {
                            tag("th", .init("scope", "col")) { "Modtager" }
                            tag("th", .init("scope", "col")) { "Status" }
                            tag("th", .init("scope", "col"), .class("number")) { "Tilsagn" }
                            tag("th", .init("scope", "col"), .class("number")) { "Forbrug" }
                            tag("th", .init("scope", "col")) { "Obligatoriske aktiviteter" }
                            tag("th", .init("scope", "col")) { "Overskredet" }
                        }
                    }
                    tag("tbody") {
                        for row in model.overview.rows {
                            tag("tr") {
                                tag("th", .init("scope", "row")) {
                                    tag("a", .href(SiteURL.grantCase(row.caseID).path)) { row.organisation }
                                }
                                tag("td") { row.status.danishName }
                                tag("td", .class("number")) {
                                    row.award > .zero ? DanishAmount.kroner(row.award) : "Deltagelse"
                                }
                                tag("td", .class("number")) {
                                    DanishAmount.kroner(row.spent) + " (\(row.spentPercent) %)"
                                }
                                tag("td") {
                                    if row.obligations.held == 0 {
                                        "Ingen afholdt endnu"
                                    } else {
                                        "\(row.obligations.attended) af \(row.obligations.held)"
                                        if !row.obligations.missed.isEmpty {
                                            tag("br")
                                            tag("span", .class("warning-text")) {
                                                "Udeblev: "
                                                    + row.obligations.missed.map(\.title).joined(separator: ", ")
                                            }
                                        }
                                    }
                                }
                                tag("td") {
                                    if row.overdue.isEmpty {
                                        "Intet"
                                    } else {
                                        tag("ul", .class("bare")) {
                                            for item in row.overdue { tag("li", .class("warning-text")) { item } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            },
        ])
    }

    /// Grouped bars, budget beside spend, per year. The table below the chart carries the same figures. The
    /// narrow chart is drawn for phones (the page shows one of the two): as wide as a phone, so its text stays
    /// readable, without the amounts over the bars.
    static func chart(_ years: [(year: Int, budget: Money, spent: Money)], narrow: Bool) -> Node {
        let width = narrow ? 340 : 640, height = narrow ? 220 : 280, left = narrow ? 10 : 20, bottom = 60
        let top = narrow ? 10 : 30
        let plotHeight = height - bottom - top
        let maxOre = max(years.flatMap { [$0.budget.ore, $0.spent.ore] }.max() ?? 1, 1)
        let slot = (width - left - 10) / max(years.count, 1)
        let barWidth = min(70, slot * 3 / 10)
        func barHeight(_ money: Money) -> Int {
            money.ore <= 0 ? 0 : Int((Double(money.ore) / Double(maxOre)) * Double(plotHeight))
        }
        let summary = years.map {
            "\($0.year): budget \(DanishAmount.millions($0.budget)), forbrug \(DanishAmount.millions($0.spent))"
        }.joined(separator: "; ")
        return tag(
            "svg", .class(narrow ? "chart chart-narrow" : "chart chart-wide"),
            .init("viewBox", "0 0 \(width) \(height)"), .init("role", "img"),
            .aria(
                "label",
                "Søjlediagram over budget og forbrug pr. år: \(summary.hasSuffix(".") ? summary : summary + ".")"),
            .init("xmlns", "http://www.w3.org/2000/svg")
        ) {
            tag(
                "line", .init("x1", "\(left)"), .init("y1", "\(height - bottom)"), .init("x2", "\(width - 5)"),
                .init("y2", "\(height - bottom)"), .class("axis"))
            for (index, entry) in years.enumerated() {
                let center = left + index * slot + slot / 2
                for (offset, amount, kind) in [(-barWidth - 2, entry.budget, "bar"), (2, entry.spent, "bar spent")] {
                    let h = barHeight(amount)
                    let x = center + offset
                    tag(
                        "rect", .init("x", "\(x)"), .init("y", "\(height - bottom - h)"), .init("width", "\(barWidth)"),
                        .init("height", "\(h)"), .class(kind))
                    if !narrow {
                        tag(
                            "text", .init("x", "\(x + barWidth / 2)"), .init("y", "\(height - bottom - h - 8)"),
                            .init("text-anchor", "middle"), .class("value")
                        ) { DanishAmount.millions(amount) }
                    }
                }
                tag(
                    "text", .init("x", "\(center)"), .init("y", "\(height - bottom + 24)"),
                    .init("text-anchor", "middle"), .class("label")
                ) { String(entry.year) }
            }
            tag(
                "rect", .init("x", "\(left)"), .init("y", "\(height - 22)"), .init("width", "16"),
                .init("height", "16"), .class("bar"))
            tag("text", .init("x", "\(left + 22)"), .init("y", "\(height - 9)"), .class("label")) { "Budget" }
            tag(
                "rect", .init("x", "\(left + (narrow ? 90 : 120))"), .init("y", "\(height - 22)"), .init("width", "16"),
                .init("height", "16"), .class("bar spent"))
            tag("text", .init("x", "\(left + (narrow ? 112 : 142))"), .init("y", "\(height - 9)"), .class("label")) {
                narrow ? "Forbrug" : "Forbrug (godkendte regnskaber)"
            }
        }
    }

    /// An initiative's grant cases across its calls: the totals, and one line per round with a link to that
    /// round's own overview.
    static func initiativePage(_ model: InitiativeModel, context: PageContext) -> Node {
        let overview = model.overview
        return Layout.page(title: "Overblik: initiativ \(model.number)", context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.grantCases.path)) { "Tilskudssager" } }
            tag("h1") { "Overblik over initiativ \(model.number)" }
            tag("p", .class("lead")) { "Tilskudssagerne i alle puljer under initiativet, pulje for pulje." }
            if model.callCount == 0 {
                tag("p") { "Ingen puljer hører til initiativ \(model.number) endnu." }
            } else if overview.rounds.isEmpty {
                tag("p") {
                    "Ingen af initiativets \(model.callCount == 1 ? "pulje" : "\(model.callCount) puljer") har endnu tilskudssager. De oprettes, når en afgørelse er godkendt."
                }
            } else {
                tag("dl", .class("facts")) {
                    Layout.fact("Puljer med sager", "\(overview.rounds.count) af \(model.callCount)")
                    Layout.fact("Tilskudssager", String(overview.caseCount))
                    Layout.fact("Tilsagn i alt", DanishAmount.kroner(overview.award))
                    Layout.fact("Udbetalt", DanishAmount.kroner(overview.released))
                    Layout.fact(
                        "Forbrug i godkendte regnskaber",
                        DanishAmount.kroner(overview.spent) + " (\(overview.spentPercent) % af tilsagn)")
                    Layout.fact(
                        "Sager der kræver opmærksomhed",
                        overview.casesNeedingAttention == 0
                            ? "Ingen"
                            : "\(overview.casesNeedingAttention) (overskredne frister eller manglende fremmøde)")
                }
                tag("p", .class("downloads")) {
                    "Hent overblikket: "
                    tag("a", .href(SiteURL.initiativeGrantOverviewXLSX(model.number).path)) { "Excel-regneark (XLSX)" }
                    " · "
                    tag("a", .href(SiteURL.initiativeGrantOverviewCSV(model.number).path)) { "CSV til dansk Excel" }
                }
                tag("div", .class("table-scroll")) {
                    tag("table", .class("data")) {
                        tag("caption") { "Initiativets puljer" }
                        tag("thead") {
                            tag("tr") {
                                tag("th", .init("scope", "col")) { "Pulje" }
                                for heading in ["Sager", "Tilsagn", "Udbetalt", "Forbrug", "Forbrug af tilsagn"] {
                                    tag("th", .init("scope", "col"), .class("number")) { heading }
                                }
                                tag("th", .init("scope", "col"), .class("number")) { "Kræver opmærksomhed" }
                            }
                        }
                        tag("tbody") {
                            for round in overview.rounds {
                                tag("tr") {
                                    tag("th", .init("scope", "row")) {
                                        tag("a", .href(SiteURL.callGrantOverview(round.callID).path)) { round.title }
                                    }
                                    tag("td", .class("number")) { String(round.overview.rows.count) }
                                    tag("td", .class("number")) { DanishAmount.kroner(round.overview.award) }
                                    tag("td", .class("number")) { DanishAmount.kroner(round.overview.released) }
                                    tag("td", .class("number")) { DanishAmount.kroner(round.overview.spent) }
                                    tag("td", .class("number")) { "\(round.spentPercent) %" }
                                    tag("td", .class("number")) { String(round.overview.casesNeedingAttention) }
                                }
                            }
                        }
                        tag("tfoot") {
                            tag("tr") {
                                tag("th", .init("scope", "row")) { "I alt" }
                                tag("td", .class("number")) { String(overview.caseCount) }
                                tag("td", .class("number")) { DanishAmount.kroner(overview.award) }
                                tag("td", .class("number")) { DanishAmount.kroner(overview.released) }
                                tag("td", .class("number")) { DanishAmount.kroner(overview.spent) }
                                tag("td", .class("number")) { "\(overview.spentPercent) %" }
                                tag("td", .class("number")) { String(overview.casesNeedingAttention) }
                            }
                        }
                    }
                }
            }
        }
    }
}
