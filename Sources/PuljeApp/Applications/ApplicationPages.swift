import Foundation
import PuljeDomain
import PuljeHTML

extension ApplicationForm {
    /// The form as it shows stored content, with blank rows to add to (three budget lines, two services, a contact).
    init(_ content: ApplicationContent, version: Int) {
        self.init(pairs: Self.pairs(of: content))
        posted = nil
        self.version = version
        base = ApplicationStore.encode(content)
        var services = self.services ?? [:]
        for i in content.services.count..<(content.services.count + 2) { services[String(i)] = ServiceRow() }
        self.services = services
        var contacts = self.contacts ?? [:]
        contacts[String(content.contacts.count)] = ContactRow()
        self.contacts = contacts
        var budget = self.budget ?? [:]
        for i in content.budget.count..<(content.budget.count + 3) { budget[String(i)] = BudgetRow() }
        self.budget = budget
    }
}

enum ApplicationPage {
    static func view(
        _ loaded: ApplicationCase, content: ApplicationContent, formVersion: Int, errors: FormErrors,
        conflict: ApplicationContent?, now: Date, context: PageContext,
        posted: ApplicationForm? = nil, conflicts: Set<ContentMerge.Field> = [], step: ApplicationSection? = nil
    ) -> Node {
        let application = loaded.application
        let id = application.id!
        let rules = loaded.rules
        let form = posted ?? ApplicationForm(content, version: formVersion)
        let title = (step.map { $0.danishName + " – " } ?? "") + "Ansøgning: \(loaded.call.title)"
        return Layout.page(title: title, context: context) {
            tag("p", .class("breadcrumb")) {
                tag("a", .href(SiteURL.call(loaded.call.id!).path)) { loaded.call.title }
            }
            tag("h1") { "Ansøgning til " + loaded.call.title }
            tag("dl", .class("facts")) {
                // A step shows only the deadline and the last save, so its fields come soon on a phone.
                if step == nil {
                    fact("Status", application.applicationStatus.danishName)
                    fact(
                        "Ansøger",
                        context.user?.organisationID == application.$organisation.id
                            ? (context.user?.organisationName ?? "") : "")
                    fact("Ansvarlig", loaded.responsible.name)
                    if !loaded.contributors.isEmpty {
                        fact("Bidragydere", loaded.contributors.map(\.name).joined(separator: ", "))
                    }
                }
                if let deadline = rules.deadline {
                    fact(
                        "Frist",
                        deadline.danishText
                            + (deadline.danishTimeLeft(at: now).map { " (\($0) tilbage)" } ?? " – udløbet"))
                }
                group {
                    tag("dt") { "Senest gemt" }
                    // The autosave writes its time here, so the page never shows two save times.
                    tag("dd", .id("senest-gemt")) {
                        DanishTime.dateTimeWithSeconds(application.lastSavedAt) + " af " + application.lastSavedBy
                    }
                }
                if let number = application.submissionNumber {
                    fact("Indsendt", "\(DanishTime.dateTimeWithSeconds(application.submittedAt!)) som \(number)")
                }
            }
            // The municipality sees the answer first, before everything it wrote.
            if let letter = loaded.outcome?.letters.last,
                context.user?.organisationID == application.$organisation.id
            {
                tag("div", .class("decision-summary"), .id("afgoerelse")) {
                    tag("h2") { "Afgørelse: \(letter.letterKind.danishName)" }
                    tag("p") {
                        "Styrelsen har truffet afgørelse \(DanishTime.dateTime(letter.createdAt)). "
                        tag("a", .href(SiteURL.letter(id, letter.id!).path)) { "Læs brevet" }
                    }
                }
            }
            if let conflict {
                tag("div", .class("warning"), .init("role", "alert"), .id("konflikt")) {
                    tag("h2") { "Nogen har gemt en nyere udgave" }
                    tag("p") {
                        "\(application.lastSavedBy) gemte ansøgningen \(DanishTime.dateTimeWithSeconds(application.lastSavedAt)), efter du åbnede den. Din udgave er ikke gemt endnu. Det, som kun én af jer har ændret, er lagt sammen i felterne herunder. Vælg for hvert felt, I begge har ændret, hvilken udgave der skal gælde, og tryk Gem."
                    }
                }
                let _ = conflict
            }
            FormField.errorSummary(errors)
            if let step, loaded.canWrite {
                stepBody(
                    loaded, step: step, form: form, errors: errors, conflict: conflict, conflicts: conflicts,
                    context: context)
            } else {
                if loaded.canWrite {
                    if let progress = try? loaded.progress() { sectionsMenu(progress, id: id) }
                    editForm(
                        form: form, rules: rules, id: id, errors: errors, conflict: conflict, conflicts: conflicts,
                        context: context)
                    // Attachments belong to the application: they come before the way to submission.
                    AttachmentsSection.view(
                        loaded.attachments, rules: rules, applicationID: id, canWrite: true, context: context)
                    approvalBox(loaded, version: formVersion, context: context)
                    submitBox(loaded, now: now)
                    teamBox(loaded, context: context)
                } else {
                    readOnly(content: content, rules: rules)
                    if application.applicationStatus == .draft {
                        approvalBox(loaded, version: formVersion, context: context)
                    }
                    if let number = application.submissionNumber {
                        tag("p") { tag("a", .href(SiteURL.receipt(id).path)) { "Se kvittering for \(number)" } }
                    }
                }
                if loaded.canWrite && loaded.isResponsible && application.applicationStatus.mayBeDeleted {
                    tag("h2") { "Slet kladde" }
                    tag("p") {
                        "Kladden og dens bilag slettes. Det kan ikke fortrydes, men I kan starte en ny ansøgning."
                    }
                    Layout.postButton(
                        .deleteDraft(id), label: "Slet kladden", context: context, style: "button secondary")
                } else if loaded.isResponsible && application.applicationStatus == .submitted
                    && (rules.deadline?.isOpen(at: now) ?? false)
                {
                    tag("h2") { "Træk ansøgningen tilbage" }
                    tag("p") {
                        "Indtil fristen kan ansøgningen trækkes tilbage. Det kan ikke fortrydes, men I kan starte en ny."
                    }
                    Layout.postButton(
                        .withdrawApplication(id), label: "Træk ansøgningen tilbage", context: context,
                        style: "button secondary")
                }
                if let outcome = loaded.outcome {
                    CaseOutcomeSection.view(outcome, loaded: loaded, context: context)
                }
                if !loaded.canWrite {
                    AttachmentsSection.view(
                        loaded.attachments, rules: rules, applicationID: id, canWrite: false, context: context)
                }
                MessagesSection.view(
                    loaded.messages, applicationID: id,
                    canWrite: application.applicationStatus != .draft
                        && context.user?.may(.writeCaseMessage, ownedBy: application.$organisation.id) == true,
                    context: context)
                if rules.budget.hasBudget {
                    tag("p") {
                        "Hent budgettet som "
                        tag("a", .href(SiteURL.budgetXLSX(id).path)) { "Excel-regneark (XLSX)" }
                        " eller "
                        tag("a", .href(SiteURL.budgetCSV(id).path)) { "CSV til dansk Excel" }
                        "."
                    }
                }
                tag("p") {
                    tag("a", .href(SiteURL.applicationPrint(id).path)) { "Udskriv ansøgningen eller gem den som PDF" }
                }
                tag("p") { tag("a", .href(SiteURL.applicationHistory(id).path)) { "Se ansøgningens historik" } }
            }
        }
    }

    /// One section of the form on a page of its own: the sections menu with this one marked, the section,
    /// and the ways on (saving first) and back. The last step leads to "Tjek og indsend".
    static func stepBody(
        _ loaded: ApplicationCase, step: ApplicationSection, form: ApplicationForm, errors: FormErrors,
        conflict: ApplicationContent?, conflicts: Set<ContentMerge.Field>, context: PageContext
    ) -> Node {
        let id = loaded.application.id!
        let sections = ApplicationSection.of(loaded.rules)
        let number = (sections.firstIndex(of: step) ?? 0) + 1
        let (previous, next) = step.neighbours(in: sections)
        return group {
            if let progress = try? loaded.progress() { sectionsMenu(progress, id: id, current: step) }
            // Steps are counted with "Tjek og indsend", the last.
            let count = "Trin \(number) af \(sections.count + 1)"
            switch step {
            case .attachments:
                tag("p", .class("step-count"), .id("trin")) { count }
                AttachmentsSection.view(
                    loaded.attachments, rules: loaded.rules, applicationID: id, canWrite: true, context: context,
                    step: step)
                stepLinks(id: id, previous: previous, next: next)
            case .approval:
                tag("p", .class("step-count"), .id("trin")) { count }
                approvalBox(loaded, version: loaded.application.version, context: context, step: step)
                stepLinks(id: id, previous: previous, next: next)
            default:
                tag("h2", .id("trin")) { count + ": " + step.danishName }
                editForm(
                    form: form, rules: loaded.rules, id: id, errors: errors, conflict: conflict, conflicts: conflicts,
                    context: context, step: step, last: next == nil)
            }
            tag("p") { tag("a", .href(SiteURL.application(id).path)) { "Se hele ansøgningen på én side" } }
        }
    }

    /// The way back and on from a step with no form to save (attachments, approval): links.
    static func stepLinks(id: UUID, previous: ApplicationSection?, next: ApplicationSection?) -> Node {
        tag("p", .class("step-links")) {
            tag(
                "a", .class("button"),
                .href((next.map { SiteURL.applicationStep(id, $0) } ?? .checkApplication(id)).path)
            ) {
                next.map { "Videre til " + $0.danishName.lowercased() } ?? "Videre til Tjek og indsend"
            }
            if let previous {
                " "
                tag("a", .class("button secondary"), .href(SiteURL.applicationStep(id, previous).path)) {
                    "Tilbage til " + previous.danishName.lowercased()
                }
            }
        }
    }

    static func fact(_ term: String, _ value: String) -> Node { Layout.fact(term, value) }

    /// The stored text of a field when it differs from what the user sent.
    static func theirs(_ mine: String?, _ theirs: String?) -> Node {
        let a = (mine ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let b = (theirs ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard a != b else { return .empty }
        return tag("div", .class("their-version")) {
            tag("p", .class("hint")) { "Den gemte udgave:" }
            tag("pre") { b.isEmpty ? "(tom)" : b }
        }
    }

    /// After a conflict: for each field both people changed, the user chooses which version holds.
    static func choices(_ conflicts: Set<ContentMerge.Field>, saved: ApplicationContent, rules: CallRules) -> Node {
        tag("fieldset", .class("conflict-choices"), .id("valg")) {
            tag("legend") { "Felter, I begge har ændret" }
            for field in conflicts.sorted() {
                let name = "keep[\(field)]"
                let fieldID = "valg-" + field.description.replacingOccurrences(of: ".", with: "-")
                tag("fieldset", .class("field")) {
                    tag("legend") { label(field, rules: rules) }
                    tag("p", .class("hint")) { "Den gemte udgave: " + summary(field, of: saved) }
                    tag("div", .class("radio")) {
                        tag(
                            "input", .type("radio"), .id(fieldID + "-mine"), .name(name), .value("mine"),
                            .flag("checked"))
                        tag("label", .for(fieldID + "-mine")) { "Behold min udgave (den står i feltet herunder)" }
                    }
                    tag("div", .class("radio")) {
                        tag("input", .type("radio"), .id(fieldID + "-saved"), .name(name), .value("saved"))
                        tag("label", .for(fieldID + "-saved")) { "Brug den gemte udgave" }
                    }
                }
            }
        }
    }

    static func label(_ field: ContentMerge.Field, rules: CallRules) -> String {
        switch field {
        case .projectTitle: "Projektets titel"
        case .targetAreas: "Målområder"
        case .services: "Deltagende tilbud"
        case .contacts: "Kontaktpersoner"
        case .answer(let id): rules.questions.first { $0.id == id }?.text ?? id
        case .declarations: "Erklæringer"
        case .budget: "Budget"
        }
    }

    static func summary(_ field: ContentMerge.Field, of content: ApplicationContent) -> String {
        func orEmpty(_ text: String) -> String { text.isEmpty ? "(tom)" : text }
        switch field {
        case .projectTitle: return orEmpty(content.projectTitle)
        case .targetAreas: return orEmpty(content.targetAreaCodes.joined(separator: ", "))
        case .services: return orEmpty(content.services.map(\.name).joined(separator: ", "))
        case .contacts: return orEmpty(content.contacts.map(\.name).joined(separator: ", "))
        case .answer(let id): return orEmpty(content.answers[id] ?? "")
        case .declarations: return "\(content.declarations.count) erklæret"
        case .budget:
            return DanishCount.of(content.budget.count, "linje", "linjer") + ", i alt "
                + DanishAmount.kroner(BudgetTotals(content.budget).total)
        }
    }

    static func editForm(
        form: ApplicationForm, rules: CallRules, id: UUID, errors: FormErrors, conflict: ApplicationContent?,
        conflicts: Set<ContentMerge.Field> = [], context: PageContext, step: ApplicationSection? = nil,
        last: Bool = false
    ) -> Node {
        // On a step only its own section; the fields of the others stay as saved.
        func shows(_ section: ApplicationSection) -> Bool { step == nil || step == section }
        let conflicts = conflicts.filter { step == nil || ApplicationSection.of(field: $0.description) == step }
        return tag(
            "form", .init("method", "post"), .init("action", SiteURL.application(id).path),
            .class("stacked application-form"),
            .id("ansoegning"), .data("autosave", SiteURL.application(id).path), .noValidate
        ) {
            Layout.csrfField(context)
            tag("input", .type("hidden"), .name("version"), .value(String(form.version ?? 0)))
            tag("input", .type("hidden"), .name("base"), .value(form.base ?? ""))
            if let step { tag("input", .type("hidden"), .name("section"), .value(step.rawValue)) }
            if let conflict, !conflicts.isEmpty {
                choices(conflicts, saved: conflict, rules: rules)
            }
            if shows(.project) {
                tag("fieldset", .id(anchor(.project))) {
                    tag("legend") { "Projektet" }
                    FormField.text(
                        "projectTitle", label: "Projektets titel", value: form.projectTitle, errors: errors,
                        required: true)
                    if let conflict { theirs(form.projectTitle, conflict.projectTitle) }
                    if !rules.targetAreas.isEmpty {
                        FormField.checkboxes(
                            "targetAreas", legend: "Målområder", options: rules.targetAreas.map { ($0.code, $0.name) },
                            checked: Set(form.targetAreas ?? []), errors: errors,
                            hint: "Vælg de målområder, projektet dækker.")
                    }
                }
            }
            if shows(.services) {
                tag("fieldset", .id(anchor(.services))) {
                    tag("legend") { "Deltagende tilbud" }
                    tag("p", .class("hint")) {
                        "Fx et botilbud efter SEL § 108 og antallet af borgere, der er tilknyttet."
                    }
                    for (index, row) in ApplicationForm.rows(form.services).enumerated() {
                        tag("div", .class("row-group")) {
                            FormField.text(
                                "services[\(index)][name]", label: "Tilbud \(index + 1): navn", value: row.name,
                                errors: errors)
                            legalBasisField(index: index, value: row.legalBasis, rules: rules, errors: errors)
                            FormField.text(
                                "services[\(index)][citizens]", label: "Antal borgere", value: row.citizens,
                                errors: errors,
                                inputMode: "numeric", width: "short")
                        }
                    }
                }
            }
            if shows(.contacts) {
                tag("fieldset", .id(anchor(.contacts))) {
                    tag("legend") { "Kontaktpersoner" }
                    for (index, row) in ApplicationForm.rows(form.contacts).enumerated() {
                        tag("div", .class("row-group")) {
                            FormField.text(
                                "contacts[\(index)][name]", label: "Kontaktperson \(index + 1): navn", value: row.name,
                                errors: errors)
                            FormField.text(
                                "contacts[\(index)][role]", label: "Rolle", value: row.role, errors: errors,
                                width: "medium"
                            )
                            FormField.text(
                                "contacts[\(index)][email]", label: "E-mail", value: row.email, errors: errors,
                                type: "email", width: "medium")
                            FormField.text(
                                "contacts[\(index)][phone]", label: "Telefon", value: row.phone, errors: errors,
                                type: "tel", width: "medium")
                        }
                    }
                }
            }
            if !rules.questions.isEmpty && shows(.questions) {
                tag("fieldset", .id(anchor(.questions))) {
                    tag("legend") { "Spørgsmål" }
                    for question in rules.questions {
                        let name = "answers[\(question.id)]"
                        let value = form.answers?[question.id] ?? ""
                        tag("div", .class("question")) {
                            FormField.textArea(
                                name, label: question.text, value: value, errors: errors,
                                hint: [question.guidance, "Højst \(question.maxLength) tegn."].filter { !$0.isEmpty }
                                    .joined(separator: " "),
                                rows: 8, required: question.required)
                            tag(
                                "p", .class("char-count"), .data("for", FormField.fieldID(name)),
                                .data("max", String(question.maxLength))
                            ) {
                                "\(value.count) af \(question.maxLength) tegn"
                            }
                            if let conflict { theirs(value, conflict.answers[question.id]) }
                        }
                    }
                }
            }
            if !rules.minimumConditions.isEmpty && shows(.declarations) {
                tag("div", .id(anchor(.declarations))) {
                    FormField.checkboxes(
                        "declarations", legend: "Erklæringer om minimumsbetingelserne",
                        options: rules.minimumConditions.map { ($0.id, $0.text) },
                        checked: Set(form.declarations ?? []), errors: errors,
                        hint: "Alle betingelser skal være opfyldt, før ansøgningen kan indsendes.")
                }
            }
            if rules.budget.hasBudget && shows(.budget) { budgetSection(form: form, rules: rules, errors: errors) }
            // The save status and Gem stay in view at the bottom of the screen while the user works.
            tag("div", .class("form-bar")) {
                tag("p", .class("save-status"), .id("gem-status"), .init("role", "status"), .aria("live", "polite")) {
                    ""
                }
                if step != nil {
                    // "Gem og fortsæt" first: Enter in a field goes on, never back.
                    tag("button", .type("submit"), .name("go"), .value("next"), .class("button")) {
                        last ? "Gem og tjek ansøgningen" : "Gem og fortsæt"
                    }
                    tag("button", .type("submit"), .name("go"), .value("stay"), .class("button secondary")) { "Gem" }
                    tag("button", .type("submit"), .name("go"), .value("previous"), .class("button secondary")) {
                        "Forrige"
                    }
                } else {
                    tag("button", .type("submit"), .class("button")) { "Gem" }
                }
            }
        }
    }

    /// The legal basis of a participating service: picked from the call's list where it has one (so it
    /// matches exactly what screening checks), typed where it has none. A value from before the list, or one
    /// not on it, stays selectable and is marked, so nothing typed is lost.
    static func legalBasisField(index: Int, value: String?, rules: CallRules, errors: FormErrors) -> Node {
        let name = "services[\(index)][legalBasis]"
        guard !rules.legalBases.isEmpty else {
            return FormField.text(name, label: "Lovgrundlag", value: value, errors: errors, width: "medium")
        }
        var options: [(value: String, label: String)] = [("", "Vælg lovgrundlag")]
        options += rules.legalBases.map { ($0, $0) }
        if let value, !value.isEmpty, !rules.legalBases.contains(value) {
            options.append((value, value + " (ikke på puljens liste)"))
        }
        return FormField.select(name, label: "Lovgrundlag", options: options, selected: value ?? "", errors: errors)
    }

    static func budgetSection(form: ApplicationForm, rules: CallRules, errors: FormErrors) -> Node {
        let years = Array(rules.projectYears ?? 2024...2024)
        let monthNames = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
        let parsed = (try? form.content().get())?.budget ?? []
        return tag("fieldset", .class("budget-form"), .id(anchor(.budget))) {
            tag("legend") { "Budget" }
            tag("p", .class("hint")) {
                "Hver udgift angives som antal × enhedspris med en konkret beskrivelse (ikke samleposter som løn, overhead eller diverse) og fordeles på de måneder, hvor den falder. Tomme linjer ignoreres; gem for at få flere."
            }
            if let error = errors.message(for: "budget") { tag("p", .class("error")) { "Fejl: " + error } }
            for (index, row) in ApplicationForm.rows(form.budget).enumerated() {
                let prefix = "budget[\(index)]"
                tag("fieldset", .class("budget-line"), .data("line", String(index))) {
                    tag("legend") { "Linje \(index + 1)" }
                    if let error = errors.message(for: "budget.\(index)") {
                        tag("p", .class("error")) { "Fejl: " + error }
                    }
                    FormField.select(
                        prefix + "[category]", label: "Kategori",
                        options: [("", "Vælg kategori")]
                            + rules.budget.eligibleCategories.map { ($0.rawValue, $0.danishName) },
                        selected: row.category, errors: errors)
                    FormField.text(
                        prefix + "[description]", label: "Beskrivelse", value: row.description, errors: errors)
                    FormField.text(
                        prefix + "[units]", label: "Antal", value: row.units, errors: errors, inputMode: "decimal",
                        width: "short")
                    FormField.text(
                        prefix + "[unitPrice]", label: "Enhedspris (kr.)", value: row.unitPrice, errors: errors,
                        inputMode: "decimal", width: "medium")
                    FormField.select(
                        prefix + "[year]", label: "Projektår", options: years.map { (String($0), String($0)) },
                        selected: row.year ?? String(years[0]), errors: errors)
                    tag("fieldset", .class("months")) {
                        tag("legend") { "Måneder" }
                        for month in 1...12 {
                            let fieldID = FormField.fieldID(prefix + "[months]") + "-\(month)"
                            tag("span", .class("month")) {
                                tag(
                                    "input", .type("checkbox"), .id(fieldID), .name(prefix + "[months][]"),
                                    .value(String(month)),
                                    .flag("checked", (row.months ?? []).contains(String(month))))
                                tag("label", .for(fieldID)) { monthNames[month - 1] }
                            }
                        }
                    }
                    FormField.text(prefix + "[note]", label: "Budgetnote", value: row.note, errors: errors)
                }
            }
            totals(parsed)
        }
    }

    static func totals(_ lines: [BudgetLine]) -> Node {
        let totals = BudgetTotals(lines)
        return tag("table", .class("data budget-totals"), .id("budget-totaler")) {
            tag("caption") { "Budget i alt" }
            tag("thead") {
                tag("tr") {
                    tag("th", .init("scope", "col")) { "" }
                    tag("th", .init("scope", "col"), .class("amount")) { "Beløb" }
                }
            }
            tag("tbody") {
                for (year, amount) in totals.byYear.sorted(by: { $0.key < $1.key }) {
                    tag("tr") {
                        tag("th", .init("scope", "row")) { "Projektår \(year)" }
                        tag("td", .class("amount")) { DanishAmount.kroner(amount) }
                    }
                }
                for category in ExpenseCategory.allCases {
                    if let amount = totals.byCategory[category] {
                        tag("tr") {
                            tag("th", .init("scope", "row")) { category.danishName }
                            tag("td", .class("amount")) { DanishAmount.kroner(amount) }
                        }
                    }
                }
            }
            tag("tfoot") {
                tag("tr") {
                    tag("th", .init("scope", "row")) { "I alt" }
                    tag("td", .class("amount total"), .id("budget-i-alt")) { DanishAmount.kroner(totals.total) }
                }
            }
        }
    }

    /// The way to submission: the "check your answers" page, which lists what is missing and holds the
    /// submit button. The page's script saves unsaved changes first; without it, the text says to save.
    static func submitBox(_ loaded: ApplicationCase, now: Date) -> Node {
        let id = loaded.application.id!
        return tag("section", .class("submit-box"), .id("indsend")) {
            tag("h2") { "Indsend" }
            if !(loaded.rules.deadline?.isOpen(at: now) ?? false) {
                tag("p") { "Fristen er udløbet. Efter fristen er det ikke muligt at indsende ansøgninger." }
            } else {
                tag("p") {
                    "Gem dine ændringer, og tjek ansøgningen, før den indsendes. Siden viser, hvad der eventuelt mangler."
                        + (loaded.isResponsible
                            ? ""
                            : " Kun den ansvarlige, \(loaded.responsible.name), kan indsende ansøgningen.")
                }
                tag(
                    "form", .init("method", "get"), .init("action", SiteURL.checkApplication(id).path),
                    .data("submit-after-save", "")
                ) {
                    tag("button", .type("submit"), .class("button")) { "Tjek og indsend" }
                }
            }
        }
    }

    /// Where each section of the form is on the page.
    static func anchor(_ section: ApplicationSection) -> String {
        switch section {
        case .attachments: "bilag"
        case .approval: "godkendelse"
        default: "afsnit-" + section.rawValue
        }
    }

    /// The sections of the form with what is missing in each and how far the application has come. The
    /// page's script updates it after each autosave.
    static func sectionsMenu(_ progress: ApplicationProgress, id: UUID, current: ApplicationSection? = nil) -> Node {
        // On a step the menu is folded, so the step's own fields come first on a phone; it opens with a tap.
        let heading = tag("h2", .id("afsnit-overskrift")) { "Ansøgningens afsnit" }
        return tag("nav", .class("form-sections"), .aria("labelledby", "afsnit-overskrift")) {
            if current == nil {
                heading
                tag("p", .id("afsnit-status")) { progress.danishSummary }
            }
            folded(current != nil, summary: heading, status: progress.danishSummary) {
                tag(
                    "progress", .id("afsnit-fremskridt"), .init("max", String(progress.items.count)),
                    .init("value", String(progress.doneCount)), .aria("labelledby", "afsnit-status")
                ) { "\(progress.doneCount) af \(progress.items.count)" }
                tag("ol") {
                    for item in progress.items {
                        tag("li", .data("section", item.section.rawValue)) {
                            // On the page with every section the menu leads within it; on a step, to the other steps.
                            if current == nil {
                                tag("a", .href("#" + anchor(item.section))) { item.section.danishName }
                            } else if item.section == current {
                                tag(
                                    "a", .href(SiteURL.applicationStep(id, item.section).path), .aria("current", "step")
                                ) {
                                    item.section.danishName
                                }
                            } else {
                                tag("a", .href(SiteURL.applicationStep(id, item.section).path), .data("after-save", ""))
                                {
                                    item.section.danishName
                                }
                            }
                            " "
                            sectionState(item.problems.count)
                        }
                    }
                    tag("li") {
                        tag("a", .href(SiteURL.checkApplication(id).path), .data("after-save", "")) {
                            "Tjek og indsend"
                        }
                    }
                }
            }
            if current == nil, let first = progress.items.first {
                tag("p") {
                    tag("a", .href(SiteURL.applicationStep(id, first.section).path)) {
                        "Udfyld ansøgningen afsnit for afsnit"
                    }
                }
            }
        }
    }

    /// The content as it is, or folded in a `details` element whose summary holds the heading and the status.
    static func folded(
        _ fold: Bool, summary heading: Node, status: String, @NodeBuilder _ content: () -> [Node]
    ) -> Node {
        guard fold else { return .fragment(content()) }
        return tag("details") {
            tag("summary") {
                heading
                tag("span", .id("afsnit-status")) { status }
            }
            content()
        }
    }

    /// "Klar", or how many things are missing (the script writes the same words).
    static func sectionState(_ missing: Int) -> Node {
        tag("span", .class("section-state " + (missing == 0 ? "done" : "missing"))) {
            missing == 0 ? "Klar" : "Mangler \(missing)"
        }
    }

    /// Where the call requires a director's approval before submission: whether the saved version is approved,
    /// and for a signatory of the municipality the button that approves it.
    static func approvalBox(
        _ loaded: ApplicationCase, version: Int, context: PageContext, step: ApplicationSection? = nil
    ) -> Node {
        guard let wording = loaded.rules.requiredApproval else { return .empty }
        let application = loaded.application
        let id = application.id!
        let problem = ApplicationApproval.problem(
            rules: loaded.rules, approval: application.approval, currentVersion: application.version)
        let maySign =
            context.user.map {
                $0.may(.approveApplication, ownedBy: application.$organisation.id)
                    && $0.organisationID == application.$organisation.id
            } ?? false
        return tag("section", .class("approval-box"), .id("godkendelse")) {
            tag("h2") { "Godkendelse før indsendelse" }
            tag("p") {
                "Ifølge vejledningen skal ansøgningen godkendes \(wording). En tegningsberettiget i kommunen godkender den udgave, der er gemt; ændres ansøgningen bagefter, skal den godkendes igen."
            }
            if let approval = application.approval, problem == nil {
                tag("p", .class("status-ok")) {
                    "Godkendt af \(approval.by) \(DanishTime.dateTime(approval.at))."
                }
            } else if let problem {
                tag("p", .class("warning-text")) { problem.message }
            }
            if maySign && problem != nil {
                // Unsaved changes on the page are saved first: the signatory approves what is on the screen.
                tag(
                    "form", .init("method", "post"),
                    .init(
                        "action", SiteURL.approveApplication(id).path + (step.map { "?afsnit=" + $0.rawValue } ?? "")),
                    .data("submit-after-save", "")
                ) {
                    Layout.csrfField(context)
                    tag("input", .type("hidden"), .name("version"), .value(String(version)))
                    tag("button", .type("submit"), .class("button")) { "Godkend ansøgningen" }
                }
            } else if problem != nil {
                tag("p", .class("hint")) {
                    "Bed en tegningsberettiget i kommunen (fx direktøren) om at åbne ansøgningen i Pulje og godkende den."
                }
            }
        }
    }

    static func teamBox(_ loaded: ApplicationCase, context: PageContext) -> Node {
        let id = loaded.application.id!
        return tag("section") {
            tag("h2") { "Samarbejde om ansøgningen" }
            tag(
                "form", .init("method", "post"), .init("action", SiteURL.applicationContributors(id).path),
                .class("narrow")
            ) {
                Layout.csrfField(context)
                FormField.text(
                    "email", label: "Tilføj en kollega (e-mailadresse)", value: nil, errors: FormErrors(),
                    hint: "Kollegaen skal være bruger i samme kommune.", type: "email")
                tag("button", .type("submit"), .class("button secondary")) { "Tilføj" }
            }
            if loaded.isResponsible && !loaded.contributors.isEmpty {
                tag(
                    "form", .init("method", "post"), .init("action", SiteURL.applicationResponsible(id).path),
                    .class("narrow")
                ) {
                    Layout.csrfField(context)
                    FormField.select(
                        "userID", label: "Giv ansvaret videre til",
                        options: loaded.contributors.map { ($0.id!.uuidString, $0.name) }, selected: nil,
                        errors: FormErrors())
                    tag("button", .type("submit"), .class("button secondary")) { "Giv ansvaret videre" }
                }
            }
        }
    }

    static func readOnly(content: ApplicationContent, rules: CallRules) -> Node {
        group {
            tag("h2") { content.projectTitle.isEmpty ? "(Ingen titel)" : content.projectTitle }
            if !content.targetAreaCodes.isEmpty {
                tag("p") {
                    "Målområder: "
                        + rules.targetAreas.filter { content.targetAreaCodes.contains($0.code) }.map(\.name).joined(
                            separator: ", ")
                }
            }
            if !content.services.isEmpty {
                tag("h3") { "Deltagende tilbud" }
                tag("ul") {
                    content.services.map { s in tag("li") { "\(s.name) (\(s.legalBasis)), \(s.citizens) borgere" } }
                }
            }
            if !content.contacts.isEmpty {
                tag("h3") { "Kontaktpersoner" }
                tag("ul") {
                    content.contacts.map { c in
                        tag("li") { [c.name, c.role, c.email, c.phone].filter { !$0.isEmpty }.joined(separator: ", ") }
                    }
                }
            }
            for question in rules.questions {
                tag("h3") { question.text }
                prose(content.answers[question.id] ?? "(ikke besvaret)")
            }
            if !rules.minimumConditions.isEmpty {
                tag("h3") { "Erklæringer" }
                tag("ul") {
                    for condition in rules.minimumConditions {
                        tag("li") {
                            (content.declarations.contains(condition.id) ? "Erklæret: " : "Ikke erklæret: ")
                                + condition.text
                        }
                    }
                }
            }
            if !content.budget.isEmpty {
                tag("h3") { "Budget" }
                tag("table", .class("data")) {
                    tag("thead") {
                        tag("tr") {
                            for h in ["Kategori", "Beskrivelse", "Antal", "Enhedspris", "År", "Måneder", "Beløb"] {
                                tag("th", .init("scope", "col")) { h }
                            }
                        }
                    }
                    tag("tbody") {
                        for line in content.budget {
                            tag("tr") {
                                tag("td") { line.category.danishName }
                                tag("td") { line.description + (line.note.isEmpty ? "" : " (\(line.note))") }
                                tag("td", .class("amount")) { DanishNumber.format(hundredths: line.unitsHundredths) }
                                tag("td", .class("amount")) { DanishAmount.kroner(line.unitPrice) }
                                tag("td") { String(line.year) }
                                tag("td") { line.months.map(String.init).joined(separator: ", ") }
                                tag("td", .class("amount")) { DanishAmount.kroner(line.amount) }
                            }
                        }
                    }
                }
                totals(content.budget)
            }
        }
    }
}

enum ReceiptPage {
    static func view(_ loaded: ApplicationCase, context: PageContext) -> Node {
        let a = loaded.application
        return Layout.page(title: "Kvittering \(a.submissionNumber ?? "")", context: context) {
            tag("h1") { "Kvittering for indsendt ansøgning" }
            tag("div", .class("flash"), .init("role", "status")) {
                tag("p") { "Ansøgningen er modtaget. Gem eller udskriv kvitteringen." }
            }
            tag("dl", .class("facts receipt")) {
                ApplicationPage.fact("Pulje", loaded.call.title)
                ApplicationPage.fact("Ansøgningsnummer", a.submissionNumber ?? "")
                ApplicationPage.fact("Modtaget", a.submittedAt.map(DanishTime.dateTimeWithSeconds) ?? "")
                ApplicationPage.fact("Indsendt af", a.submittedBy ?? "")
                ApplicationPage.fact("Status", a.applicationStatus.danishName)
                ApplicationPage.fact("Kontrolsum (SHA-256)", a.digest ?? "")
            }
            tag("p", .class("hint")) {
                "Kontrolsummen er beregnet ud fra det indsendte indhold. Den ændres, hvis blot ét tegn i ansøgningen ændres, og viser dermed, at det indsendte ikke er ændret siden."
            }
            tag("p") { tag("a", .href(SiteURL.application(a.id!).path)) { "Se den indsendte ansøgning" } }
            tag("p") {
                tag("a", .href(SiteURL.applicationPrint(a.id!).path)) { "Udskriv ansøgningen eller gem den som PDF" }
            }
            tag("p") { tag("a", .href(SiteURL.myCases.path)) { "Til Mine sager" } }
        }
    }
}

/// The application on one page for print or PDF: the receipt's facts, then the content as read-only text.
enum PrintPage {
    static func view(_ loaded: ApplicationCase, content: ApplicationContent, context: PageContext) -> Node {
        let a = loaded.application
        let title = content.projectTitle.isEmpty ? "(uden titel)" : content.projectTitle
        return Layout.page(title: "Udskrift: \(title)", context: context) {
            tag("p", .class("breadcrumb no-print")) {
                tag("a", .href(SiteURL.application(a.id!).path)) { "Tilbage til ansøgningen" }
            }
            tag("h1") { "Ansøgning til \(loaded.call.title)" }
            tag("dl", .class("facts receipt")) {
                ApplicationPage.fact("Ansøger", a.$organisation.value?.name ?? "")
                ApplicationPage.fact("Status", a.applicationStatus.danishName)
                ApplicationPage.fact("Ansøgningsnummer", a.submissionNumber ?? "")
                ApplicationPage.fact("Indsendt", a.submittedAt.map(DanishTime.dateTimeWithSeconds) ?? "")
                ApplicationPage.fact("Indsendt af", a.submittedBy ?? "")
                ApplicationPage.fact("Kontrolsum (SHA-256)", a.digest ?? "")
                if a.submittedAt == nil {
                    ApplicationPage.fact(
                        "Senest gemt", DanishTime.dateTimeWithSeconds(a.lastSavedAt) + " af " + a.lastSavedBy)
                }
            }
            if a.submittedAt == nil {
                tag("p", .class("warning-text")) { "Kladde – ansøgningen er ikke indsendt." }
            }
            ApplicationPage.readOnly(content: content, rules: loaded.rules)
            if !loaded.attachments.isEmpty {
                tag("h3") { "Bilag" }
                tag("ul") {
                    loaded.attachments.map { file in
                        tag("li") { "\(file.fileName) (\(FileType.danishSize(file.bytes)), SHA-256 \(file.sha256))" }
                    }
                }
            }
            tag("p", .class("hint no-print")) {
                "Brug browserens udskriftsfunktion (Ctrl+P eller ⌘P) for at udskrive siden eller gemme den som PDF."
            }
        }
    }
}

enum MyCasesPage {
    /// One case as the list shows it: plain data, so the page can be built from a fixture.
    struct Row: Equatable {
        var id: UUID
        var project: String
        var call: String
        var status: String
        /// For a draft the deadline and the time left; for a submitted application when it was submitted.
        var when: String
        var responsible: String
        var number: String
    }

    static func row(_ a: ApplicationRecord, now: Date) -> Row {
        let content = (try? a.submittedContent()) ?? (try? a.content())
        let when: String
        if let submitted = a.submittedAt {
            when = "Indsendt " + DanishTime.dateTime(submitted)
        } else if a.applicationStatus == .draft, let deadline = a.call.deadlineAt.map(Deadline.init(instant:)) {
            when =
                "Frist " + deadline.shortDanishText
                + (deadline.danishTimeLeft(at: now).map { " (\($0) tilbage)" } ?? " – udløbet")
        } else {
            when = "–"
        }
        return Row(
            id: a.id ?? UUID(),
            project: content.map(\.projectTitle).flatMap { $0.isEmpty ? nil : $0 } ?? "(uden titel)",
            call: a.call.title, status: a.applicationStatus.danishName, when: when, responsible: a.responsible.name,
            number: a.submissionNumber ?? "–")
    }

    /// A grant case as the list shows it: its call, status and what is due next.
    struct GrantRow: Equatable {
        var id: UUID
        var call: String
        var status: String
        /// "Statusrapport 1 – Frist snart: 1. marts 2027 kl. 12.00", or that nothing is due.
        var next: String
    }

    static func grantRow(_ found: GrantCase) -> GrantRow {
        let next = found.dueItems.first.map { item in
            item.text + (item.due.map { " – " + item.state.danishText(due: $0) } ?? "")
        }
        return GrantRow(
            id: found.id, call: found.callTitle, status: found.status.danishName, next: next ?? "Intet udestående")
    }

    /// Where the lists continue: the filter, the cursors of the pages shown and of the next ones.
    struct Paging: Equatable {
        var query = MyCasesQuery()
        var next: ListCursor?
        var grantCasesNext: ListCursor?
    }

    static func view(
        _ applications: [ApplicationRecord], grants: [GrantCase] = [], user: CurrentUser, now: Date,
        paging: Paging = Paging(), context: PageContext
    ) -> Node {
        view(
            rows: applications.map { row($0, now: now) }, grants: grants.map(grantRow),
            organisation: user.organisationName, paging: paging, context: context)
    }

    /// The page's address with the filter and cursors given (the first page of each list without them).
    static func link(_ query: MyCasesQuery, after: ListCursor? = nil, grantCasesAfter: ListCursor? = nil) -> String {
        SiteURL.myCases.path(query: query.parameters(after: after, grantCasesAfter: grantCasesAfter))
    }

    static func view(
        rows: [Row], grants: [GrantRow] = [], organisation: String, paging: Paging = Paging(), context: PageContext
    ) -> Node {
        let query = paging.query
        var firstPage = query
        firstPage.after = nil
        return Layout.page(title: "Mine sager", context: context) {
            tag("h1") { "Mine sager" }
            if !grants.isEmpty || query.grantCasesAfter != nil {
                tag("h2", .id("tilskudssager")) { "Tilskudssager" }
                if grants.isEmpty {
                    tag("p") { "Der er ikke flere tilskudssager." }
                } else {
                    tag("table", .class("data")) {
                        tag("caption", .class("visually-hidden")) { "Tilskudssager" }
                        tag("thead") {
                            tag("tr") {
                                for h in ["Pulje", "Status", "Næste"] { tag("th", .init("scope", "col")) { h } }
                            }
                        }
                        tag("tbody") {
                            for grant in grants {
                                tag("tr") {
                                    tag("td") { tag("a", .href(SiteURL.grantCase(grant.id).path)) { grant.call } }
                                    tag("td") { grant.status }
                                    tag("td") { grant.next }
                                }
                            }
                        }
                    }
                }
                Layout.pager(
                    first: query.grantCasesAfter == nil
                        ? nil : link(query, after: query.after) + "#tilskudssager",
                    next: paging.grantCasesNext.map {
                        link(query, after: query.after, grantCasesAfter: $0) + "#tilskudssager"
                    },
                    firstText: "Til de nyeste tilskudssager",
                    nextText: "Næste \(MyCasesQuery.grantCasesPageSize) tilskudssager", label: "Sider med tilskudssager"
                )
                tag("h2", .id("ansoegninger")) { "Ansøgninger" }
            }
            tag("p", .class("lead")) { "\(organisation)s ansøgninger og deres status." }
            if rows.isEmpty && query.status == nil && query.text.isEmpty && query.after == nil {
                tag("p") {
                    "Der er ingen ansøgninger endnu. Find en åben pulje under "
                    tag("a", .href(SiteURL.calls.path)) { "Puljer" }
                    "."
                }
            } else {
                tag(
                    "form", .init("method", "get"), .init("action", SiteURL.myCases.path + "#ansoegninger"),
                    .class("filters"), .init("role", "search"), .aria("label", "Filtrér ansøgninger")
                ) {
                    FormField.text(
                        "q", label: "Søg", value: query.text, errors: FormErrors(),
                        hint: "Projektets eller puljens titel, eller et helt journalnummer (UIP-…).", type: "search")
                    FormField.select(
                        "status", label: "Status",
                        options: [("", "Alle")] + ApplicationStatus.allCases.map { ($0.rawValue, $0.danishName) },
                        selected: query.status?.rawValue ?? "", errors: FormErrors())
                    FormField.select(
                        "sortering", label: "Rækkefølge",
                        options: MyApplicationsSort.allCases.map { ($0.rawValue, $0.danishName) },
                        selected: query.sort.rawValue, errors: FormErrors())
                    tag("button", .type("submit"), .class("button")) { "Vis" }
                }
                tag("p", .id("resultat"), .init("role", "status")) {
                    rows.isEmpty
                        ? (query.after == nil
                            ? "Ingen ansøgninger passer til filtrene." : "Der er ikke flere ansøgninger.")
                        : "Viser " + danishCount(rows.count, "ansøgning", "ansøgninger")
                            + (query.after == nil ? "" : " (fortsat)") + (paging.next == nil ? "." : "; der er flere.")
                }
            }
            if !rows.isEmpty {
                tag("table", .class("data")) {
                    tag("caption", .class("visually-hidden")) { "Ansøgninger" }
                    tag("thead") {
                        tag("tr") {
                            for h in ["Projekt", "Pulje", "Status", "Frist eller indsendt", "Ansvarlig", "Nummer"] {
                                tag("th", .init("scope", "col")) { h }
                            }
                        }
                    }
                    tag("tbody") {
                        for row in rows {
                            tag("tr") {
                                tag("td") { tag("a", .href(SiteURL.application(row.id).path)) { row.project } }
                                tag("td") { row.call }
                                tag("td") { row.status }
                                tag("td") { row.when }
                                tag("td") { row.responsible }
                                tag("td") { row.number }
                            }
                        }
                    }
                }
            }
            Layout.pager(
                first: query.after == nil
                    ? nil : link(firstPage, grantCasesAfter: query.grantCasesAfter) + "#ansoegninger",
                next: paging.next.map {
                    link(query, after: $0, grantCasesAfter: query.grantCasesAfter) + "#ansoegninger"
                },
                firstText: query.sort == .saved ? "Til de senest gemte ansøgninger" : "Til de nyeste ansøgninger",
                nextText: "Næste \(MyCasesQuery.applicationsPageSize) ansøgninger", label: "Sider med ansøgninger")
        }
    }
}
