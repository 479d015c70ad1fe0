import PuljeDomain
import PuljeHTML

/// The form to create or edit an initiative, with its budget and timeline.
enum InitiativeEdit {
    static func view(form: InitiativeForm, errors: FormErrors, existing: Initiative?, context: PageContext) -> Node {
        let title = existing.map { "Redigér initiativ \($0.number)" } ?? "Opret initiativ"
        let action =
            existing.map { SiteURL.initiative(year: $0.programmeYear, number: $0.number.description).path }
            ?? SiteURL.initiatives.path
        let defaultYear = existing?.programmeYear ?? (Int(form.programmeYear ?? "") ?? 2022)
        return Layout.page(title: title, context: context) {
            tag("h1") { title }
            FormField.errorSummary(errors)
            tag("form", .init("method", "post"), .init("action", action), .class("stacked"), .noValidate) {
                Layout.csrfField(context)
                tag("fieldset") {
                    tag("legend") { "Initiativet" }
                    if existing == nil {
                        FormField.text(
                            "programmeYear", label: "Programår", value: form.programmeYear, errors: errors,
                            required: true, inputMode: "numeric", width: "short")
                        FormField.text(
                            "number", label: "Nummer", value: form.number, errors: errors,
                            hint: "Fx 1.8. Nummeret kan ikke ændres senere.", required: true, width: "short")
                    }
                    FormField.text("title", label: "Titel", value: form.title, errors: errors, required: true)
                    FormField.select(
                        "area", label: "Område",
                        options: [("", "Vælg område")] + ProgrammeArea.allCases.map { ($0.rawValue, $0.danishName) },
                        selected: form.area, errors: errors, required: true)
                    FormField.select(
                        "phase", label: "SUSI-fase",
                        options: [("", "Vælg fase")] + SUSIPhase.allCases.map { ($0.rawValue, $0.danishName) },
                        selected: form.phase, errors: errors, required: true)
                    FormField.select(
                        "track", label: "Spor", options: [("", "Intet spor"), ("1", "Spor 1"), ("2", "Spor 2")],
                        selected: form.track, errors: errors)
                    FormField.textArea(
                        "grantRecipients", label: "Tilskudsmodtagere", value: form.grantRecipients,
                        errors: errors, rows: 2)
                }
                tag("fieldset") {
                    tag("legend") { "Beskrivelse" }
                    tag("p", .class("hint")) {
                        "Adskil afsnit med en tom linje. Linjer, der begynder med \"• \" eller \"- \", vises som punktopstilling."
                    }
                    FormField.textArea("purpose", label: "Formål", value: form.purpose, errors: errors)
                    FormField.textArea("background", label: "Baggrund", value: form.background, errors: errors, rows: 8)
                    FormField.textArea("targetGroup", label: "Målgruppe", value: form.targetGroup, errors: errors)
                    FormField.textArea(
                        "expectedResults", label: "Forventede resultater", value: form.expectedResults, errors: errors)
                    FormField.textArea(
                        "activities", label: "Beskrivelse og aktiviteter", value: form.activities, errors: errors,
                        rows: 8)
                    FormField.textArea(
                        "successCriteria", label: "Succeskriterier", value: form.successCriteria, errors: errors)
                    FormField.textArea(
                        "implementationNote", label: "Udmøntning", value: form.implementationNote, errors: errors,
                        rows: 3)
                    FormField.textArea(
                        "applicationPoolCriteria", label: "Kriterier for ansøgningspuljen",
                        value: form.applicationPoolCriteria, errors: errors, rows: 8)
                }
                tag("fieldset") {
                    tag("legend") { "Budget" }
                    tag("p", .class("hint")) {
                        "Beløb i kroner, fx 1.500.000. Årene og kategorierne skal hver for sig summere til det samlede beløb; ellers gemmes intet."
                    }
                    FormField.text(
                        "priceLevel", label: "Prisniveau (år)", value: form.priceLevel, errors: errors,
                        required: true, inputMode: "numeric", width: "short")
                    FormField.text(
                        "total", label: "Samlet beløb i kroner", value: form.total, errors: errors,
                        required: true, inputMode: "decimal", width: "medium")
                    tag("fieldset", .class(errors.message(for: "years") == nil ? "field" : "field has-error")) {
                        tag("legend") { "Fordelt på år" }
                        if let error = errors.message(for: "years") {
                            tag("p", .class("error"), .id("felt-years")) { "Fejl: " + error }
                        }
                        for year in form.budgetYears(defaultYear: defaultYear) {
                            FormField.text(
                                "years[\(year)]", label: String(year), value: form.years?[String(year)],
                                errors: errors, inputMode: "decimal", width: "medium")
                        }
                    }
                    tag("fieldset", .class(errors.message(for: "categories") == nil ? "field" : "field has-error")) {
                        tag("legend") { "Fordelt på kategorier" }
                        if let error = errors.message(for: "categories") {
                            tag("p", .class("error"), .id("felt-categories")) { "Fejl: " + error }
                        }
                        for category in BudgetCategory.allCases {
                            FormField.text(
                                "categories[\(category.rawValue)]", label: category.danishName,
                                value: form.categories?[category.rawValue], errors: errors,
                                inputMode: "decimal", width: "medium")
                        }
                    }
                }
                tag("fieldset") {
                    tag("legend") { "Tidsplan" }
                    FormField.textArea(
                        "timeline", label: "Tidsplan", value: form.timeline, errors: errors,
                        hint: "Én periode pr. linje: \"1.-2. kvartal 2022: Aktivitet; Aktivitet\".", rows: 8)
                }
                tag("button", .type("submit"), .class("button")) {
                    existing == nil ? "Opret initiativ" : "Gem ændringer"
                }
            }
        }
    }
}
