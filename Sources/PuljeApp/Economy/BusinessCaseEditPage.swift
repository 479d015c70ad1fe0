import Foundation
import PuljeDomain
import PuljeHTML

/// The form for a business case's figures. Every list shows its saved rows and one blank row to add to; a
/// row left blank is not saved. The year columns follow the horizon (saved, then shown again).
enum BusinessCaseEditPage {
    struct Model {
        var id: UUID
        var version: Int
        var form: BusinessCaseForm
        var initiatives: [(value: String, label: String)]
        /// A save refused because someone else saved first.
        var conflict: String?
        /// The sources the saved case's costs came from, by their marker.
        var sources: [String: CostSource] = [:]
        /// Where the success rate with the intervention came from, if from the evaluation data.
        var rateSource: RateSource? = nil
    }

    static func view(_ model: Model, errors: FormErrors, context: PageContext) -> Node {
        let form = model.form
        let title = form.text("title").isEmpty ? "Business case" : form.text("title")
        let columns = form.columnCount
        let firstYear = Int(form.text("firstYear"))
        func yearLabel(_ t: Int) -> String { firstYear.map { String($0 + t) } ?? "År \(t)" }
        return Layout.page(title: "Ret business case: \(title)", context: context) {
            tag("p", .class("breadcrumb")) {
                tag("a", .href(SiteURL.businessCases.path)) { "Business cases" }
                " › "
                tag("a", .href(SiteURL.businessCase(model.id).path)) { title }
            }
            tag("h1") { "Ret business case" }
            if let conflict = model.conflict {
                tag("div", .class("error-summary"), .init("role", "alert")) {
                    tag("h2") { "Ikke gemt" }
                    tag("p") { conflict }
                }
            }
            FormField.errorSummary(errors)
            tag(
                "form", .init("method", "post"), .init("action", SiteURL.editBusinessCase(model.id).path),
                .class("stacked"), .noValidate
            ) {
                Layout.csrfField(context)
                tag("input", .type("hidden"), .name("version"), .value(String(model.version)))
                tag("fieldset") {
                    tag("legend") { "Forudsætninger" }
                    FormField.text("title", label: "Titel", value: form.values["title"], errors: errors, required: true)
                    FormField.select(
                        "initiative", label: "Initiativ", options: [("", "Intet initiativ")] + model.initiatives,
                        selected: form.values["initiative"], errors: errors)
                    FormField.text(
                        "priceLevel", label: "Prisniveau (år)", value: form.values["priceLevel"], errors: errors,
                        hint: "Resultaterne vises i dette års priser.", required: true, inputMode: "numeric",
                        width: "short")
                    FormField.text(
                        "firstYear", label: "Første år", value: form.values["firstYear"], errors: errors,
                        hint: "Året, hvor den første årgang gennemfører indsatsen.", required: true,
                        inputMode: "numeric", width: "short")
                    FormField.text(
                        "horizon", label: "Horisont (år)", value: form.values["horizon"], errors: errors,
                        hint: "Hvor mange år resultatet beregnes over, højst 10.", required: true,
                        inputMode: "numeric", width: "short")
                    FormField.text(
                        "discountRate", label: "Diskonteringsrente (%)", value: form.values["discountRate"],
                        errors: errors, hint: "0, hvis der ikke skal diskonteres; fx 3,5.", inputMode: "decimal",
                        width: "short")
                    FormField.text(
                        "successRateNew", label: "Succesrate med indsatsen (%)", value: form.values["successRateNew"],
                        errors: errors, hint: "Andelen, der opnår effekten med den nye indsats, fx 12.",
                        required: true, inputMode: "decimal", width: "short")
                    if let source = model.rateSource {
                        tag("p", .class("notice")) {
                            "Hentet fra Pulje: \(source.description): \(DanishNumber.decimal(source.rate)) % (\(source.citizens) borgere)."
                        }
                        FormField.textArea(
                            "successRateOverrideReason", label: "Begrundelse, hvis succesraten afviger fra kilden",
                            value: form.values["successRateOverrideReason"], errors: errors, rows: 2)
                    }
                    FormField.text(
                        "successRateCurrent", label: "Succesrate med nuværende praksis (%)",
                        value: form.values["successRateCurrent"], errors: errors,
                        hint: "Andelen, der ville opnå effekten alligevel, fx 2.", required: true,
                        inputMode: "decimal", width: "short")
                }
                yearFields(
                    legend: "Borgere, der gennemfører indsatsen", hint: "Antal borgere pr. årgang (år).",
                    name: { "cohorts[\($0)]" }, label: yearLabel, columns: columns, form: form, errors: errors,
                    inputMode: "numeric", listName: "cohorts")
                tag("h2") { "Konsekvenser" }
                tag("p", .class("hint")) {
                    "Hvad ændrer sig for en borger, der opnår effekten, og hvad koster det? Skriv ændringen i forbrug pr. år som et negativt tal, når der bruges mindre (fx -10 uger på kontanthjælp). Priser i kroner pr. enhed; udfyld for de betalere, der bærer udgiften."
                }
                for k in 0..<(form.rowCount("consequences") + 1) {
                    consequenceFields(k, columns: columns, form: form, errors: errors)
                }
                tag("h2") { "Omkostninger" }
                tag("p", .class("hint")) {
                    "Etablering og drift af indsatsen tæller imod; sparede udgifter til den nuværende praksis tæller for. Beløb i kroner pr. år."
                }
                for i in 0..<(form.rowCount("costs") + 1) {
                    costFields(
                        i, columns: columns, label: yearLabel, form: form, errors: errors, sources: model.sources)
                }
                tag("div", .class("form-actions")) {
                    tag("button", .type("submit"), .class("button")) { "Gem og beregn" }
                    tag("a", .href(SiteURL.businessCase(model.id).path)) { "Fortryd" }
                }
            }
        }
    }

    static func yearFields(
        legend: String, hint: String?, name: (Int) -> String, label: (Int) -> String, columns: Int,
        form: BusinessCaseForm, errors: FormErrors, inputMode: String, listName: String
    ) -> Node {
        let error = errors.message(for: listName)
        return tag("fieldset", .class(error == nil ? "field year-grid" : "field year-grid has-error")) {
            tag("legend") { legend }
            if let hint { tag("p", .class("hint")) { hint } }
            if let error { tag("p", .class("error"), .id(FormField.fieldID(listName))) { "Fejl: " + error } }
            tag("div", .class("year-fields")) {
                for t in 0..<columns {
                    FormField.text(
                        name(t), label: label(t), value: form.values[name(t)], errors: errors, inputMode: inputMode,
                        width: "short")
                }
            }
        }
    }

    static func consequenceFields(_ k: Int, columns: Int, form: BusinessCaseForm, errors: FormErrors) -> Node {
        let path = "consequences[\(k)]"
        let blank = k == form.rowCount("consequences")
        return tag("fieldset", .class("row-block")) {
            tag("legend") { blank ? "Ny konsekvens" : "Konsekvens \(k + 1)" }
            if blank { tag("p", .class("hint")) { "Udfyld for at tilføje en konsekvens; tom gemmes den ikke." } }
            FormField.text(path + ".name", label: "Navn", value: form.values[path + ".name"], errors: errors)
            FormField.text(
                path + ".unit", label: "Enhed", value: form.values[path + ".unit"], errors: errors,
                hint: "Fx uger, døgn eller besøg.", width: "medium")
            FormField.text(
                path + ".priceLevel", label: "Priserne er i prisniveau (år)", value: form.values[path + ".priceLevel"],
                errors: errors, hint: "Tom: business casens prisniveau.", inputMode: "numeric", width: "short")
            if let error = errors.message(for: path + ".prices") {
                tag("p", .class("error"), .id(FormField.fieldID(path + ".prices"))) { "Fejl: " + error }
            }
            for payer in Payer.allCases {
                FormField.text(
                    path + ".prices.\(payer.rawValue)", label: "Pris pr. enhed, \(payer.danishName.lowercased()) (kr.)",
                    value: form.values[path + ".prices.\(payer.rawValue)"], errors: errors, inputMode: "decimal",
                    width: "medium")
            }
            yearFields(
                legend: "Ændring i forbrug pr. succesfuld borger", hint: nil, name: { path + ".changes[\($0)]" },
                label: { $0 == 0 ? "Året for gennemførelse" : "\($0). år efter" }, columns: columns, form: form,
                errors: errors, inputMode: "decimal", listName: path + ".changes")
        }
    }

    static func costFields(
        _ i: Int, columns: Int, label: (Int) -> String, form: BusinessCaseForm, errors: FormErrors,
        sources: [String: CostSource] = [:]
    ) -> Node {
        let path = "costs[\(i)]"
        let blank = i == form.rowCount("costs")
        let source = sources[form.text(path + ".source")]
        return tag("fieldset", .class("row-block")) {
            tag("legend") { blank ? "Ny omkostning" : "Omkostning \(i + 1)" }
            if let source {
                tag("input", .type("hidden"), .name(path + ".source"), .value(form.text(path + ".source")))
                tag("p", .class("notice")) {
                    "Hentet fra Pulje: \(source.description). Kildens beløb: "
                        + BusinessCasePages.sourceAmounts(source, firstYear: Int(form.text("firstYear"))) + "."
                }
                FormField.textArea(
                    path + ".overrideReason", label: "Begrundelse, hvis beløbene afviger fra kilden",
                    value: form.values[path + ".overrideReason"], errors: errors, rows: 2)
            }
            if blank { tag("p", .class("hint")) { "Udfyld for at tilføje en omkostning; tom gemmes den ikke." } }
            FormField.text(path + ".name", label: "Navn", value: form.values[path + ".name"], errors: errors)
            FormField.select(
                path + ".kind", label: "Slags", options: CostKind.allCases.map { ($0.rawValue, $0.danishName) },
                selected: form.values[path + ".kind"], errors: errors)
            FormField.select(
                path + ".payer", label: "Betaler", options: Payer.allCases.map { ($0.rawValue, $0.danishName) },
                selected: form.values[path + ".payer"], errors: errors)
            FormField.text(
                path + ".priceLevel", label: "Beløbene er i prisniveau (år)", value: form.values[path + ".priceLevel"],
                errors: errors, hint: "Tom: business casens prisniveau.", inputMode: "numeric", width: "short")
            yearFields(
                legend: "Beløb pr. år (kr.)", hint: nil, name: { path + ".amounts[\($0)]" }, label: label,
                columns: columns, form: form, errors: errors, inputMode: "decimal", listName: path + ".amounts")
        }
    }
}

/// The net price index: the values the agency has entered, and (for editors) the form to set one.
enum PriceIndexPage {
    struct Row {
        var year: Int
        var value: Decimal
        var updatedBy: String
        var updatedAt: Date
    }

    static func view(
        rows: [Row], canEdit: Bool, errors: FormErrors, posted: [String: String], context: PageContext
    ) -> Node {
        Layout.page(title: "Nettoprisindeks", context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.businessCases.path)) { "Business cases" } }
            tag("h1") { "Nettoprisindeks" }
            tag("p", .class("lead")) {
                "Business cases regner beløb om mellem prisniveauer med nettoprisindekset: pris i målår = pris × indeks(målår) / indeks(kildeår)."
            }
            if rows.isEmpty {
                tag("p", .class("notice")) {
                    "Indekset er tomt. Pulje opfinder ingen indeksværdier: indtast dem fra den officielle kilde (fx Danmarks Statistik). Indtil da kan kun beløb i business casens eget prisniveau bruges."
                }
            } else {
                tag("table", .class("data")) {
                    tag("caption") { "Indeksværdier" }
                    tag("thead") {
                        tag("tr") {
                            tag("th", .init("scope", "col")) { "År" }
                            tag("th", .init("scope", "col"), .class("amount")) { "Indeks" }
                            tag("th", .init("scope", "col")) { "Senest ændret" }
                        }
                    }
                    tag("tbody") {
                        for row in rows {
                            tag("tr") {
                                tag("th", .init("scope", "row")) { String(row.year) }
                                tag("td", .class("amount")) { DanishNumber.decimal(row.value) }
                                tag("td") { DanishTime.dateTime(row.updatedAt) + " af " + row.updatedBy }
                            }
                        }
                    }
                }
            }
            if canEdit {
                tag("h2", .id("saet")) { "Sæt en indeksværdi" }
                FormField.errorSummary(errors)
                tag(
                    "form", .init("method", "post"), .init("action", SiteURL.priceIndex.path), .class("stacked"),
                    .noValidate
                ) {
                    Layout.csrfField(context)
                    FormField.text(
                        "year", label: "År", value: posted["year"], errors: errors, required: true,
                        inputMode: "numeric", width: "short")
                    FormField.text(
                        "value", label: "Indeksværdi", value: posted["value"], errors: errors,
                        hint: "Fx 104,3. Lad feltet stå tomt for at fjerne året.", inputMode: "decimal",
                        width: "short")
                    tag("button", .type("submit"), .class("button")) { "Gem indeksværdi" }
                }
            }
        }
    }
}
