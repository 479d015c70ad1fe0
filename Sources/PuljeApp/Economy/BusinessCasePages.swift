import Foundation
import PuljeDomain
import PuljeHTML

/// The business case pages: the list, the computation shown step by step, the form, and the net price index.
enum BusinessCasePages {
    struct ListRow {
        var id: UUID
        var title: String
        var initiative: String?
        var updatedAt: Date
        var updatedBy: String
        /// "Break-even 2026 · nutidsværdi 1.891.614 kr." or why it cannot be computed.
        var outcome: String
    }

    struct ListModel {
        var rows: [ListRow]
        var initiatives: [(value: String, label: String)]
        var canEdit: Bool
    }

    static func outcome(_ computed: Result<BusinessCaseResult, BusinessCaseProblems>) -> String {
        switch computed {
        case .success(let result):
            let breakEven = result.total.breakEvenYear.map { "Break-even \($0)" } ?? "Ingen break-even i horisonten"
            return breakEven + " · nutidsværdi \(DanishAmount.kroner(result.total.presentValue))"
        case .failure(let failure):
            return "Kan ikke beregnes: " + (failure.problems.first?.message ?? "")
        }
    }

    static func list(_ model: ListModel, errors: FormErrors, posted: [String: String], context: PageContext) -> Node {
        Layout.page(title: "Business cases", context: context) {
            tag("h1") { "Business cases" }
            tag("p", .class("lead")) {
                "En indsats' omkostninger holdt op mod de offentlige udgifter, dens virkning ændrer, år for år og pr. betaler (i stil med den socialøkonomiske investeringsmodel, SØM)."
            }
            if model.rows.isEmpty {
                tag("p") { "Der er endnu ingen business cases." }
            } else {
                tag("table", .class("data")) {
                    tag("caption") { "Business cases" }
                    tag("thead") {
                        tag("tr") {
                            tag("th", .init("scope", "col")) { "Titel" }
                            tag("th", .init("scope", "col")) { "Initiativ" }
                            tag("th", .init("scope", "col")) { "Resultat" }
                            tag("th", .init("scope", "col")) { "Senest ændret" }
                        }
                    }
                    tag("tbody") {
                        for row in model.rows {
                            tag("tr") {
                                tag("td") { tag("a", .href(SiteURL.businessCase(row.id).path)) { row.title } }
                                tag("td") { row.initiative ?? "–" }
                                tag("td") { row.outcome }
                                tag("td") { DanishTime.dateTime(row.updatedAt) + " af " + row.updatedBy }
                            }
                        }
                    }
                }
            }
            tag("p") {
                tag("a", .href(SiteURL.priceIndex.path)) { "Nettoprisindekset" }
                " bruges til at regne beløb om mellem prisniveauer."
            }
            if model.canEdit {
                tag("h2", .id("ny")) { "Ny business case" }
                FormField.errorSummary(errors)
                tag(
                    "form", .init("method", "post"), .init("action", SiteURL.businessCases.path), .class("stacked"),
                    .noValidate
                ) {
                    Layout.csrfField(context)
                    FormField.text("title", label: "Titel", value: posted["title"], errors: errors, required: true)
                    FormField.select(
                        "initiative", label: "Initiativ", options: [("", "Intet initiativ")] + model.initiatives,
                        selected: posted["initiative"], errors: errors,
                        hint: "Business casen vises på initiativets side.")
                    tag("button", .type("submit"), .class("button")) { "Opret business case" }
                }
            }
        }
    }

    struct ShowModel {
        var id: UUID
        var title: String
        var initiative: BusinessCaseInitiative?
        var updatedAt: Date
        var updatedBy: String
        var computed: Result<BusinessCaseResult, BusinessCaseProblems>
        var canEdit: Bool
        /// The case's changes, newest first; nil for readers who may not see audit history.
        var history: [(at: Date, who: String, what: String)]?
        /// Where the success rate came from, if from the evaluation data.
        var rateSource: RateSource? = nil
        /// Evaluations under the initiative a success rate can be taken from (for editors).
        var evaluations: [(id: UUID, title: String)] = []
    }

    static func show(_ model: ShowModel, context: PageContext) -> Node {
        Layout.page(title: "Business case: \(model.title)", context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.businessCases.path)) { "Business cases" } }
            tag("h1") { model.title }
            tag("p", .class("lead")) {
                if let initiative = model.initiative {
                    "Initiativ "
                    tag("a", .href(SiteURL.initiative(year: initiative.year, number: initiative.number).path)) {
                        "\(initiative.number) (\(initiative.year))"
                    }
                    ". "
                }
                "Senest ændret \(DanishTime.dateTime(model.updatedAt)) af \(model.updatedBy)."
            }
            if model.canEdit {
                tag("div", .class("form-actions")) {
                    tag("a", .href(SiteURL.editBusinessCase(model.id).path), .class("button")) { "Ret tallene" }
                    if model.initiative != nil {
                        tag(
                            "form", .init("method", "post"),
                            .init("action", SiteURL.businessCaseAccounts(model.id).path)
                        ) {
                            Layout.csrfField(context)
                            tag("button", .type("submit"), .class("button secondary")) {
                                "Hent omkostninger fra tilskudssagernes regnskaber"
                            }
                        }
                    }
                }
                if !model.evaluations.isEmpty {
                    tag(
                        "form", .init("method", "post"),
                        .init("action", SiteURL.businessCaseSuccessRate(model.id).path), .class("stacked")
                    ) {
                        Layout.csrfField(context)
                        FormField.select(
                            "evaluation", label: "Evaluering",
                            options: model.evaluations.map { ($0.id.uuidString, $0.title) }, selected: nil,
                            errors: FormErrors(),
                            hint:
                                "Succesraten med indsatsen sættes til andelen med en betydende bedring fra baseline til den seneste måling med mindst 5 borgere."
                        )
                        tag("button", .type("submit"), .class("button secondary")) {
                            "Hent succesrate fra evalueringsdata"
                        }
                    }
                }
            }
            if let source = model.rateSource {
                tag("p", .class("notice")) {
                    "Succesraten med indsatsen er hentet fra Pulje: \(source.description): \(DanishNumber.decimal(source.rate)) % (\(source.citizens) borgere)."
                }
            }
            switch model.computed {
            case .failure(let failure):
                tag("div", .class("error-summary"), .init("role", "alert")) {
                    tag("h2") { "Business casen kan ikke beregnes endnu" }
                    tag("ul") { for problem in failure.problems { tag("li") { problem.message } } }
                }
            case .success(let result):
                keyFigures(result)
                tag("p", .class("downloads")) {
                    "Hent beregningen: "
                    tag("a", .href(SiteURL.businessCaseXLSX(model.id).path)) { "Excel-regneark (XLSX)" }
                    " · "
                    tag("a", .href(SiteURL.businessCaseJSON(model.id).path)) { "JSON" }
                }
                tag("h2") { "Nettoresultat år for år" }
                BusinessCaseChart.netAndCumulative(result)
                tag("p", .class("hint")) {
                    "Søjlerne er nettoresultatet i hvert år (brune under nul), linjen det akkumulerede resultat. Tallene står i tabellen."
                }
                payerTable(result.total, years: result.years, caption: "Alle betalere")
                sensitivity(result)
                steps(result)
            }
            if let history = model.history {
                tag("h2") { "Ændringer" }
                tag("ul", .class("history")) {
                    for entry in history {
                        tag("li") { DanishTime.dateTime(entry.at) + ", " + entry.who + ": " + entry.what }
                    }
                }
            }
        }
    }

    /// "2024: 450.000 kr., 2025: 610.000 kr." – a source's amounts by calendar year.
    static func sourceAmounts(_ source: CostSource, firstYear: Int?) -> String {
        let shown = source.amounts.enumerated().filter { $0.element != 0 }.map { t, amount in
            "\(firstYear.map { String($0 + t) } ?? "år \(t)"): "
                + (BusinessCaseMath.money(amount).map(DanishAmount.kroner) ?? "\(amount) kr.")
        }
        return shown.isEmpty ? "ingen" : shown.joined(separator: ", ")
    }

    static func breakEvenText(_ year: Int?) -> String { year.map(String.init) ?? "Ikke inden for horisonten" }

    static func keyFigures(_ result: BusinessCaseResult) -> Node {
        tag("dl", .class("facts")) {
            tag("dt") { "Break-even (alle betalere)" }
            tag("dd") { breakEvenText(result.total.breakEvenYear) }
            tag("dt") { "Akkumuleret nettoresultat \(result.years.last.map(String.init) ?? "")" }
            tag("dd") { DanishAmount.kroner(result.total.cumulative.last ?? .zero) }
            tag("dt") { "Nutidsværdi (diskonteringsrente \(DanishNumber.decimal(result.input.discountRate)) %)" }
            tag("dd") { DanishAmount.kroner(result.total.presentValue) }
            for line in result.payers
            where line.gross.contains(where: { $0 != .zero }) || line.costs.contains(where: { $0 != .zero }) {
                tag("dt") { "Break-even, \(line.payer?.danishName.lowercased() ?? "")" }
                tag("dd") { breakEvenText(line.breakEvenYear) }
            }
            tag("dt") { "Prisniveau" }
            tag("dd") { "\(result.input.priceLevel)-priser" }
        }
    }

    /// Gross effect, costs, net, cumulative and discounted net by year for one payer or all.
    static func payerTable(_ line: BusinessCaseResult.PayerLine, years: [Int], caption: String) -> Node {
        tag("table", .class("data numbers")) {
            tag("caption") { caption + " (kr.)" }
            tag("thead") {
                tag("tr") {
                    tag("th", .init("scope", "col")) { "" }
                    for year in years { tag("th", .init("scope", "col"), .class("amount")) { String(year) } }
                }
            }
            tag("tbody") {
                amountRow("Bruttogevinst (G)", line.gross)
                amountRow("Omkostninger (K)", line.costs)
                amountRow("Nettoresultat (G − K)", line.net)
                amountRow("Akkumuleret", line.cumulative)
                amountRow("Diskonteret nettoresultat", line.discountedNet)
            }
        }
    }

    static func amountRow(_ label: String, _ amounts: [Money]) -> Node {
        tag("tr") {
            tag("th", .init("scope", "row")) { label }
            for amount in amounts { tag("td", .class("amount")) { DanishAmount.plain(amount) } }
        }
    }

    static func sensitivity(_ result: BusinessCaseResult) -> Node {
        tag("section", .aria("labelledby", "foelsomhed")) {
            tag("h2", .id("foelsomhed")) { "Følsomhed" }
            tag("p") {
                "Hvad sker der, hvis indsatsen virker mindre eller bedre end antaget, eller priserne er lavere eller højere? Succesraten er forskellen mellem indsatsen og nuværende praksis; priserne er konsekvensernes enhedspriser. Omkostningerne står fast."
            }
            tag("table", .class("data")) {
                tag("caption") { "Følsomhedsberegning, alle betalere" }
                tag("thead") {
                    tag("tr") {
                        tag("th", .init("scope", "col")) { "Scenarie" }
                        tag("th", .init("scope", "col"), .class("amount")) {
                            "Akkumuleret \(result.years.last.map(String.init) ?? "")"
                        }
                        tag("th", .init("scope", "col"), .class("amount")) { "Nutidsværdi" }
                        tag("th", .init("scope", "col")) { "Break-even" }
                    }
                }
                tag("tbody") {
                    for line in result.sensitivity {
                        tag("tr") {
                            tag("th", .init("scope", "row")) { line.label }
                            tag("td", .class("amount")) { DanishAmount.kroner(line.cumulative) }
                            tag("td", .class("amount")) { DanishAmount.kroner(line.presentValue) }
                            tag("td") { breakEvenText(line.breakEvenYear) }
                        }
                    }
                }
            }
        }
    }

    /// The computation written out so that each figure can be checked by hand.
    static func steps(_ result: BusinessCaseResult) -> Node {
        let input = result.input
        return tag("section", .aria("labelledby", "beregningen")) {
            tag("h2", .id("beregningen")) { "Beregningen trin for trin" }
            tag("p") {
                "Alle beløb er afrundet til hele øre (halvdelen væk fra nul). År 0 er \(result.years.first.map(String.init) ?? ""); horisonten er \(input.horizon) år."
            }
            tag("h3") { "1. Succesfulde borgere" }
            tag("p") {
                "Succesraten s = \(DanishNumber.decimal(input.successRateNew)) % (med indsatsen) − \(DanishNumber.decimal(input.successRateCurrent)) % (nuværende praksis) = \(DanishNumber.decimal(result.successShare * 100)) %. Succesfulde borgere S = antal, der gennemfører × s."
                    + (input.successRateSource.map {
                        " Succesraten med indsatsen er hentet fra \($0.description) (\($0.citizens) borgere)"
                            + (input.successRateOverrideReason.map { "; den afviger fra kilden, fordi: " + $0 } ?? "")
                            + "."
                    } ?? "")
            }
            tag("table", .class("data numbers")) {
                tag("caption") { "Borgere pr. årgang" }
                tag("thead") {
                    tag("tr") {
                        tag("th", .init("scope", "col")) { "Årgang" }
                        tag("th", .init("scope", "col"), .class("amount")) { "Gennemfører (N)" }
                        tag("th", .init("scope", "col"), .class("amount")) { "Succesfulde (S = N × s)" }
                    }
                }
                tag("tbody") {
                    for (c, count) in input.cohorts.enumerated() {
                        tag("tr") {
                            tag("th", .init("scope", "row")) { String(input.firstYear + c) }
                            tag("td", .class("amount")) { DanishNumber.grouped(count) }
                            tag("td", .class("amount")) { DanishNumber.decimal(result.successfulCitizens[c]) }
                        }
                    }
                }
            }
            tag("h3") { "2. Priser i \(input.priceLevel)-niveau" }
            if result.consequences.isEmpty && result.costs.isEmpty {
                tag("p") { "Der er ingen konsekvenser eller omkostninger endnu." }
            } else {
                tag("p") {
                    "Pris i \(input.priceLevel)-niveau = pris × NPI(\(input.priceLevel)) / NPI(kildens prisniveau), afrundet til øre."
                }
                tag("ul") {
                    for line in result.consequences {
                        tag("li") {
                            "\(line.name) (pris pr. \(line.unit.isEmpty ? "enhed" : line.unit)): \(line.sourcePriceLevel)-priser × \(DanishNumber.decimal(line.priceFactor, decimals: 6)) → "
                                + Payer.allCases.compactMap { payer in
                                    line.prices[payer].map {
                                        "\(payer.danishName.lowercased()) \(DanishAmount.kroner($0))"
                                    }
                                }.joined(separator: ", ")
                        }
                    }
                    for line in result.costs where line.sourcePriceLevel != input.priceLevel {
                        tag("li") {
                            "\(line.name): \(line.sourcePriceLevel)-priser × \(DanishNumber.decimal(line.priceFactor, decimals: 6))"
                        }
                    }
                }
            }
            tag("h3") { "3. Gevinst pr. konsekvens" }
            tag("p") {
                "For hvert år t: gevinsten = −Σ S(årgang c) × ændring i forbrug (t − c år efter gennemførelsen) × pris. Mindre forbrug (en negativ ændring) er en gevinst for den, der betaler."
            }
            for (k, line) in result.consequences.enumerated() {
                let changes = input.consequences[k].changes
                tag("p") {
                    "\(line.name): ændring i forbrug pr. succesfuld borger (\(line.unit.isEmpty ? "enheder" : line.unit)) i året for gennemførelsen og årene efter: "
                        + (changes.isEmpty ? "ingen" : changes.map { DanishNumber.decimal($0) }.joined(separator: "; "))
                        + "."
                }
                tag("table", .class("data numbers")) {
                    tag("caption") { "\(line.name): gevinst (kr.)" }
                    tag("thead") {
                        tag("tr") {
                            tag("th", .init("scope", "col")) { "" }
                            for year in result.years {
                                tag("th", .init("scope", "col"), .class("amount")) { String(year) }
                            }
                        }
                    }
                    tag("tbody") {
                        for payer in Payer.allCases {
                            if let effects = line.effects[payer] { amountRow(payer.danishName, effects) }
                        }
                    }
                }
            }
            tag("h3") { "4. Omkostninger" }
            if result.costs.isEmpty {
                tag("p") { "Der er ingen omkostninger." }
            } else {
                tag("table", .class("data numbers")) {
                    tag("caption") { "Omkostninger i \(input.priceLevel)-priser (kr.); sparede udgifter trækkes fra" }
                    tag("thead") {
                        tag("tr") {
                            tag("th", .init("scope", "col")) { "" }
                            for year in result.years {
                                tag("th", .init("scope", "col"), .class("amount")) { String(year) }
                            }
                        }
                    }
                    tag("tbody") {
                        for line in result.costs {
                            amountRow(
                                "\(line.name) (\(line.kind.danishName.lowercased()), \(line.payer.danishName.lowercased()))",
                                line.amounts)
                        }
                    }
                }
            }
            for cost in input.costs {
                if let source = cost.source {
                    tag("p") {
                        "\(cost.name): hentet fra Pulje, \(source.description) ("
                            + sourceAmounts(source, firstYear: input.firstYear) + ")."
                            + (cost.differsFromSource
                                ? " Beløbene er ændret: \(cost.overrideReason ?? "")" : " Beløbene er kildens.")
                    }
                }
            }
            tag("h3") { "5. Resultat pr. betaler" }
            tag("p") {
                "Nettoresultat = gevinst − omkostninger. Break-even er det første år, hvor det akkumulerede resultat er mindst 0. Det diskonterede resultat er nettoresultatet × (1 + r)^−t med r = \(DanishNumber.decimal(input.discountRate)) %; nutidsværdien er summen."
            }
            for line in result.payers
            where line.gross.contains(where: { $0 != .zero }) || line.costs.contains(where: { $0 != .zero }) {
                payerTable(line, years: result.years, caption: line.payer?.danishName ?? "")
                tag("p") {
                    "\(line.payer?.danishName ?? ""): nutidsværdi \(DanishAmount.kroner(line.presentValue)), break-even \(breakEvenText(line.breakEvenYear).lowercased())."
                }
            }
        }
    }
}

/// The net result by year as bars and the cumulative result as a line, over a zero line.
enum BusinessCaseChart {
    static func netAndCumulative(_ result: BusinessCaseResult) -> Node {
        let net = result.total.net.map { Double($0.ore) / 100 }
        let cumulative = result.total.cumulative.map { Double($0.ore) / 100 }
        guard !net.isEmpty else { return .empty }
        let width = 640, height = 280, left = 90, right = 10, top = 20, bottom = 40
        let high = max((net + cumulative).max() ?? 0, 0)
        let low = min((net + cumulative).min() ?? 0, 0)
        let span = max(high - low, 1)
        let plot = Double(height - top - bottom)
        func y(_ value: Double) -> Int { top + Int(((high - value) / span * plot).rounded()) }
        let slot = (width - left - right) / net.count
        let bar = max(4, min(60, slot * 6 / 10))
        let summary = result.years.indices.map {
            "\(result.years[$0]): netto \(DanishAmount.kroner(result.total.net[$0])), akkumuleret \(DanishAmount.kroner(result.total.cumulative[$0]))"
        }.joined(separator: "; ")
        return tag(
            "svg", .class("chart"), .init("viewBox", "0 0 \(width) \(height)"), .init("role", "img"),
            .aria("label", "Nettoresultat som søjler og akkumuleret resultat som linje, alle betalere. \(summary)."),
            .init("xmlns", "http://www.w3.org/2000/svg")
        ) {
            tag(
                "line", .init("x1", "\(left)"), .init("y1", "\(y(0))"), .init("x2", "\(width - right)"),
                .init("y2", "\(y(0))"), .class("axis"))
            tag(
                "text", .init("x", "\(left - 6)"), .init("y", "\(y(high) + 4)"), .init("text-anchor", "end"),
                .class("label")
            ) {
                DanishAmount.millions(Money(ore: Int64(high * 100)))
            }
            tag(
                "text", .init("x", "\(left - 6)"), .init("y", "\(y(0) + 4)"), .init("text-anchor", "end"),
                .class("label")
            ) {
                "0"
            }
            if low < 0 {
                tag(
                    "text", .init("x", "\(left - 6)"), .init("y", "\(y(low) + 4)"), .init("text-anchor", "end"),
                    .class("label")
                ) {
                    DanishAmount.millions(Money(ore: Int64(low * 100)))
                }
            }
            for (index, value) in net.enumerated() {
                let x = left + index * slot + (slot - bar) / 2
                let top = min(y(value), y(0))
                tag(
                    "rect", .init("x", "\(x)"), .init("y", "\(top)"), .init("width", "\(bar)"),
                    .init("height", "\(max(abs(y(value) - y(0)), 1))"), .class(value < 0 ? "bar negative" : "bar"))
                if net.count <= 6 || index % 2 == 0 {
                    tag(
                        "text", .init("x", "\(x + bar / 2)"), .init("y", "\(height - bottom + 20)"),
                        .init("text-anchor", "middle"), .class("label")
                    ) { String(result.years[index]) }
                }
            }
            let points = cumulative.enumerated().map { index, value in
                "\(left + index * slot + slot / 2),\(y(value))"
            }.joined(separator: " ")
            tag("polyline", .init("points", points), .class("line"))
            for (index, value) in cumulative.enumerated() {
                tag(
                    "circle", .init("cx", "\(left + index * slot + slot / 2)"), .init("cy", "\(y(value))"),
                    .init("r", "4"), .class("point"))
            }
        }
    }
}
