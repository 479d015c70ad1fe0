import Foundation
import PuljeDomain
import PuljeHTML

/// The instruments: the list, one instrument with its versions, and the form the evaluator defines one on.
enum InstrumentPages {
    struct ListModel {
        var instruments: [Instrument]
        var canEdit: Bool
    }

    static func list(_ model: ListModel, form: InstrumentForm?, errors: FormErrors, context: PageContext) -> Node {
        Layout.page(title: "Instrumenter", context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.evaluations.path)) { "Evaluering" } }
            tag("h1") { "Instrumenter" }
            tag("p", .class("lead")) {
                "Spørgeskemaerne, der bruges ved målepunkterne. WHO-5 er indbygget; evaluator tilføjer andre som data, uden programmering. En ændring gemmes som en ny version; svar beholder den version, de blev givet i."
            }
            tag("table", .class("data")) {
                tag("caption") { "Instrumenter" }
                tag("thead") {
                    tag("tr") {
                        for heading in ["Instrument", "Nøgle", "Version", "Spørgsmål", "Score"] {
                            tag("th", .init("scope", "col")) { heading }
                        }
                    }
                }
                tag("tbody") {
                    for instrument in model.instruments {
                        tag("tr") {
                            tag("td") { tag("a", .href(SiteURL.instrument(instrument.key).path)) { instrument.name } }
                            tag("td") { instrument.key }
                            tag("td") { String(instrument.version) }
                            tag("td") { String(instrument.items.count) }
                            tag("td") { instrument.scoring.scoreName }
                        }
                    }
                }
            }
            if model.canEdit {
                tag("h2", .id("nyt")) { "Nyt instrument" }
                editor(
                    form ?? InstrumentForm(values: ["scoring.method": "sum", "scoring.multiplier": "1"]),
                    action: SiteURL.instruments.path, isNew: true, version: nil, errors: errors, context: context)
            }
        }
    }

    struct ShowModel {
        var instrument: Instrument
        var versions: [Int]
        var canEdit: Bool
        var builtIn: Bool
        var conflict: String?
    }

    static func show(_ model: ShowModel, form: InstrumentForm?, errors: FormErrors, context: PageContext) -> Node {
        let instrument = model.instrument
        return Layout.page(title: instrument.name, context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.instruments.path)) { "Instrumenter" } }
            tag("h1") { instrument.name }
            tag("dl", .class("facts")) {
                Layout.fact("Nøgle", instrument.key)
                Layout.fact(
                    "Version",
                    "\(instrument.version)" + (model.versions.count > 1 ? " (af \(model.versions.count))" : ""))
                Layout.fact(
                    "Score",
                    "\(instrument.scoring.scoreName): \(instrument.scoring.method.danishName.lowercased()) × \(DanishNumber.decimal(instrument.scoring.multiplier))"
                )
                if let change = instrument.scoring.meaningfulChange {
                    Layout.fact("Betydende ændring", "\(DanishNumber.decimal(change)) point")
                }
                for category in instrument.scoring.categories {
                    Layout.fact(
                        "Kategori", "\(category.label): råscore fra \(DanishNumber.decimal(category.lowerBound))")
                }
                for flag in instrument.scoring.flags {
                    Layout.fact(
                        "Advarsel", "\(flag.label): " + flag.anyOf.map(\.danishText).joined(separator: " eller "))
                }
            }
            if !instrument.instruction.isEmpty { tag("p") { instrument.instruction } }
            tag("ol") {
                for item in instrument.items {
                    tag("li") {
                        item.text
                        if !item.required { " (valgfrit)" }
                        if item.reversed { " (vendes ved scoring)" }
                    }
                }
            }
            tag("p") {
                "Svar: " + instrument.scale.map { "\($0.value) = \($0.label)" }.joined(separator: ", ") + "."
            }
            if model.builtIn {
                tag("p", .class("hint")) { "WHO-5 er indbygget præcis som fastlagt og kan ikke ændres." }
            } else if model.canEdit {
                tag("h2", .id("ret")) { "Ny version" }
                if let conflict = model.conflict { tag("p", .class("notice")) { conflict } }
                editor(
                    form ?? InstrumentForm(instrument), action: SiteURL.instrument(instrument.key).path, isNew: false,
                    version: instrument.version, errors: errors, context: context)
            }
        }
    }

    static func rowCount(_ form: InstrumentForm, _ prefix: String) -> Int {
        (form.values.keys.compactMap { key -> Int? in
            guard key.hasPrefix(prefix + ".") else { return nil }
            let rest = key.dropFirst(prefix.count + 1)
            guard let dot = rest.firstIndex(of: ".") else { return nil }
            return Int(rest[..<dot])
        }.max() ?? -1) + 1
    }

    static func editor(
        _ form: InstrumentForm, action: String, isNew: Bool, version: Int?, errors: FormErrors, context: PageContext
    ) -> Node {
        let v = { (name: String) in form.values[name] }
        return tag("div") {
            FormField.errorSummary(errors)
            tag("form", .init("method", "post"), .init("action", action), .class("stacked"), .noValidate) {
                Layout.csrfField(context)
                if let version { tag("input", .type("hidden"), .name("version"), .value(String(version))) }
                if isNew {
                    FormField.text(
                        "key", label: "Nøgle", value: v("key"), errors: errors,
                        hint: "Små bogstaver (a–z), tal og bindestreger, fx ors. Kan ikke ændres senere.",
                        required: true,
                        width: "medium")
                }
                FormField.text("name", label: "Navn", value: v("name"), errors: errors, required: true)
                FormField.text(
                    "instruction", label: "Indledning", value: v("instruction"), errors: errors,
                    hint: "Fx \"Inden for de sidste to uger:\".")
                tag("h3") { "Svarskala" }
                tag("p", .class("hint")) {
                    "Én række pr. svarmulighed, med værdien den tæller med. Tomme rækker gemmes ikke."
                }
                for index in 0..<(rowCount(form, "scale") + 2) {
                    tag("fieldset", .class("row-block")) {
                        tag("legend") { "Svar \(index + 1)" }
                        FormField.text(
                            "scale.\(index).value", label: "Værdi", value: v("scale.\(index).value"), errors: errors,
                            inputMode: "numeric", width: "short")
                        FormField.text(
                            "scale.\(index).label", label: "Tekst", value: v("scale.\(index).label"), errors: errors)
                    }
                }
                tag("h3") { "Spørgsmål" }
                for index in 0..<(rowCount(form, "items") + 2) {
                    tag("fieldset", .class("row-block")) {
                        tag("legend") { "Spørgsmål \(index + 1)" }
                        FormField.text(
                            "items.\(index).key", label: "Nøgle", value: v("items.\(index).key"), errors: errors,
                            hint: "Fx 1 eller glad; kolonnenavn i eksporten.", width: "short")
                        FormField.text(
                            "items.\(index).text", label: "Tekst", value: v("items.\(index).text"), errors: errors)
                        for (flag, label) in [("optional", "Valgfrit"), ("reversed", "Vendes ved scoring")] {
                            let name = "items.\(index).\(flag)"
                            tag("div", .class("checkbox")) {
                                tag(
                                    "input", .type("checkbox"), .id(FormField.fieldID(name)), .name(name), .value("1"),
                                    .flag("checked", !(v(name) ?? "").isEmpty))
                                tag("label", .for(FormField.fieldID(name))) { label }
                            }
                        }
                    }
                }
                tag("h3") { "Scoring" }
                FormField.select(
                    "scoring.method", label: "Råscore",
                    options: InstrumentScoring.Method.allCases.map { ($0.rawValue, $0.danishName) },
                    selected: v("scoring.method"), errors: errors)
                FormField.text(
                    "scoring.multiplier", label: "Faktor", value: v("scoring.multiplier"), errors: errors,
                    hint: "Scoren er råscoren gange faktoren (WHO-5: 4).", inputMode: "decimal", width: "short")
                FormField.text(
                    "scoring.scoreName", label: "Scorens navn", value: v("scoring.scoreName"), errors: errors,
                    required: true)
                FormField.text(
                    "scoring.meaningfulChange", label: "Betydende ændring (point)",
                    value: v("scoring.meaningfulChange"),
                    errors: errors, hint: "Tom: ingen fastlagt.", inputMode: "decimal", width: "short")
                tag("h3") { "Kategorier" }
                for index in 0..<(rowCount(form, "scoring.categories") + 1) {
                    tag("fieldset", .class("row-block")) {
                        tag("legend") { "Kategori \(index + 1)" }
                        FormField.text(
                            "scoring.categories.\(index).lowerBound", label: "Fra råscore",
                            value: v("scoring.categories.\(index).lowerBound"), errors: errors, inputMode: "decimal",
                            width: "short")
                        FormField.text(
                            "scoring.categories.\(index).label", label: "Navn",
                            value: v("scoring.categories.\(index).label"), errors: errors)
                    }
                }
                tag("h3") { "Advarsler" }
                for index in 0..<(rowCount(form, "scoring.flags") + 1) {
                    tag("fieldset", .class("row-block")) {
                        tag("legend") { "Advarsel \(index + 1)" }
                        FormField.text(
                            "scoring.flags.\(index).label", label: "Navn", value: v("scoring.flags.\(index).label"),
                            errors: errors)
                        FormField.text(
                            "scoring.flags.\(index).rawBelow", label: "Når råscoren er under",
                            value: v("scoring.flags.\(index).rawBelow"), errors: errors, inputMode: "decimal",
                            width: "short")
                        FormField.text(
                            "scoring.flags.\(index).anyItemAtMost", label: "Eller når et svar er højst",
                            value: v("scoring.flags.\(index).anyItemAtMost"), errors: errors, inputMode: "numeric",
                            width: "short")
                    }
                }
                tag("button", .type("submit"), .class("button")) { isNew ? "Opret instrumentet" : "Gem ny version" }
            }
        }
    }
}
