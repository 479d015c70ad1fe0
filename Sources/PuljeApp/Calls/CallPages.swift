import Foundation
import PuljeDomain
import PuljeHTML

/// Open, upcoming and closed calls (and drafts, for staff).
enum CallList {
    struct Item {
        var call: CallRecord
        var rules: CallRules
    }

    struct Model {
        var now: Date
        var canCreate: Bool
        var open: [Item] = []
        var upcoming: [Item] = []
        var closed: [Item] = []
        var drafts: [Item] = []
    }

    static func view(_ model: Model, context: PageContext) -> Node {
        Layout.page(title: "Puljer", context: context) {
            tag("h1") { "Puljer" }
            tag("p", .class("lead")) {
                "Ansøgningspuljer, partnerskaber og implementeringsstøtte, som kommunerne kan søge."
            }
            if model.canCreate {
                tag("p") { tag("a", .class("button"), .href(SiteURL.newCall.path)) { "Opret pulje" } }
            }
            section("Åbne puljer", model.open, now: model.now, empty: "Der er ingen åbne puljer lige nu.")
            section("Kommende puljer", model.upcoming, now: model.now, empty: "Der er ingen kommende puljer.")
            section("Lukkede puljer", model.closed, now: model.now, empty: "Der er ingen lukkede puljer.")
            if model.canCreate && !model.drafts.isEmpty {
                section("Kladder (ikke offentliggjort)", model.drafts, now: model.now, empty: "")
            }
        }
    }

    static func section(_ heading: String, _ items: [Item], now: Date, empty: String) -> Node {
        tag("section") {
            tag("h2") { heading }
            if items.isEmpty {
                tag("p") { empty }
            } else {
                tag("ul", .class("call-list")) {
                    for item in items {
                        tag("li") {
                            tag("a", .href(SiteURL.call(item.call.id!).path)) { item.call.title }
                            tag("p", .class("meta")) {
                                if let deadline = item.rules.deadline {
                                    "Frist: " + deadline.danishText
                                    if let left = deadline.danishTimeLeft(at: now) { " (" + left + " tilbage)" }
                                } else {
                                    "Ingen frist fastsat endnu"
                                }
                                if let funds = item.rules.funds { " · " + DanishAmount.millions(funds) }
                                if let round = item.rules.round { " · Runde \(round)" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A call's page: everything an applicant needs.
enum CallShow {
    static func view(
        call: CallRecord, rules: CallRules, phase: CallPhase, now: Date,
        existingApplication: ApplicationRecord?, recipients: [String], context: PageContext
    ) -> Node {
        let id = call.id!
        return Layout.page(title: call.title, context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.calls.path)) { "Puljer" } }
            tag("h1") { call.title }
            if call.callStatus == .draft {
                tag("div", .class("warning")) { tag("p") { "Kladde – puljen er ikke offentliggjort." } }
            }
            tag("div", .class("deadline-box")) {
                if let deadline = rules.deadline {
                    tag("p", .class("deadline")) {
                        tag("strong") { "Ansøgningsfrist: " }
                        deadline.danishText
                    }
                    switch phase {
                    case .open:
                        if let left = deadline.danishTimeLeft(at: now) { tag("p") { "Tid tilbage: " + left + "." } }
                    case .upcoming:
                        if let opens = rules.opensAt {
                            tag("p") { "Puljen åbner " + DanishTime.weekdayDateTime(opens) + "." }
                        }
                    case .closed:
                        tag("p") { "Fristen er udløbet. Efter fristen kan der ikke indsendes ansøgninger." }
                    }
                    tag("p") {
                        tag("a", .href(SiteURL.callCalendar(id).path)) { "Føj fristen til din kalender (.ics)" }
                    }
                }
                if let answer = rules.answerExpected { tag("p") { "Forventet svar: " + answer.danishText + "." } }
            }
            applyBox(call: call, phase: phase, existing: existingApplication, context: context)
            if context.user?.may(.manageCalls) == true {
                tag("p", .class("actions")) {
                    tag("a", .class("button"), .href(SiteURL.editCall(id).path)) { "Redigér pulje" }
                    if call.callStatus == .draft {
                        Layout.postButton(
                            .publishCall(id), label: "Offentliggør", context: context, style: "button secondary")
                    }
                    tag("span") { "Version \(call.version)" }
                }
            }
            if !call.summary.isEmpty {
                tag("section") {
                    tag("h2") { "Om puljen" }
                    prose(call.summary)
                }
            }
            tag("dl", .class("facts")) {
                fact("Hvem kan søge", rules.applicantKinds.map(\.danishName).sorted().joined(separator: ", "))
                if !rules.legalBases.isEmpty {
                    fact("Lovgrundlag for tilbud", rules.legalBases.joined(separator: ", "))
                }
                if !rules.targetAreas.isEmpty {
                    fact("Målområder", rules.targetAreas.map(\.name).joined(separator: ", "))
                }
                if let sought = rules.municipalitiesSought {
                    fact(
                        "Antal kommuner",
                        sought.lowerBound == sought.upperBound
                            ? "\(sought.lowerBound)" : "\(sought.lowerBound)-\(sought.upperBound)")
                }
                if let funds = rules.funds { fact("Midler til fordeling", DanishAmount.millions(funds)) }
                if !rules.financeLawAccount.isEmpty { fact("Finanslovskonto", rules.financeLawAccount) }
                if let number = rules.journalNumber { fact("Journalnummer", number) }
                if !rules.projectStart.isEmpty { fact("Projektperiode", period(rules.projectStart, rules.projectEnd)) }
                if let round = rules.round { fact("Runde", String(round)) }
                if !rules.startUpMeeting.isEmpty { fact("Opstartsmøde", rules.startUpMeeting) }
            }
            if !call.targetGroup.isEmpty {
                tag("section") {
                    tag("h2") { "Målgruppe" }
                    prose(call.targetGroup)
                }
            }
            if !rules.minimumConditions.isEmpty {
                tag("section") {
                    tag("h2") { "Minimumsbetingelser" }
                    tag("p") { "Ansøgeren skal erklære, at følgende er opfyldt:" }
                    tag("ol") { rules.minimumConditions.map { c in tag("li") { c.text } } }
                    if let approval = rules.requiredApproval {
                        tag("p") {
                            "Ansøgningen skal godkendes \(approval). I Pulje godkender en tegningsberettiget i kommunen ansøgningen, før den ansvarlige kan indsende den."
                        }
                    }
                }
            }
            if !rules.criteria.isEmpty {
                let fromGuide = rules.criteria.contains { !$0.guidePriority.isEmpty }
                tag("section") {
                    tag("h2") { "Tildelingskriterier" }
                    tag("p") {
                        if fromGuide {
                            "Kriterierne og det, der prioriteres, står som i puljens vejledning. Vejledningen angiver ikke point eller talvægte: Styrelsen giver hvert kriterium point på skalaen \(rules.scale.danishText) med en skriftlig begrundelse og vægter kriterierne som vist i kolonnen »Styrelsens vægt«."
                        } else {
                            "Hvert kriterium gives point på skalaen \(rules.scale.danishText) med en skriftlig begrundelse og vægtes som vist."
                        }
                    }
                    tag("table", .class("data")) {
                        tag("thead") {
                            tag("tr") {
                                tag("th", .init("scope", "col")) { "Kriterium" }
                                tag("th", .init("scope", "col")) { "Uddybning" }
                                if fromGuide { tag("th", .init("scope", "col")) { "Vejledningen prioriterer" } }
                                tag("th", .init("scope", "col"), .class("amount")) {
                                    fromGuide ? "Styrelsens vægt" : "Vægt"
                                }
                            }
                        }
                        tag("tbody") {
                            for criterion in rules.criteria {
                                tag("tr") {
                                    tag("th", .init("scope", "row")) { criterion.name }
                                    tag("td") {
                                        criterion.description
                                        if let minimum = criterion.minimumScore {
                                            tag("br")
                                            "Mindst \(score(minimum)) point for at kunne komme i betragtning."
                                        }
                                    }
                                    if fromGuide {
                                        tag("td") { criterion.guidePriority.isEmpty ? "–" : criterion.guidePriority }
                                    }
                                    tag("td", .class("amount")) { String(criterion.weight) }
                                }
                            }
                        }
                    }
                }
            }
            if rules.budget.hasBudget {
                tag("section") {
                    tag("h2") { "Budget" }
                    tag("ul") {
                        tag("li") {
                            "Støtteberettigede udgifter: "
                                + rules.budget.eligibleCategories.map(\.danishName).joined(separator: ", ") + "."
                        }
                        if let max = rules.budget.maximumTotal {
                            tag("li") { "Der kan højst søges " + DanishAmount.kroner(max) + " i alt." }
                        }
                        if let max = rules.budget.maximumPerYear {
                            tag("li") { "Der kan højst søges " + DanishAmount.kroner(max) + " pr. år." }
                        }
                        if rules.budget.requiresMonthlySpread {
                            tag("li") { "Udgifterne fordeles på de måneder, hvor de falder." }
                        }
                        tag("li") {
                            "Udgifter skal specificeres; samleposter som løn, overhead og diverse godkendes ikke."
                        }
                    }
                }
            }
            if !rules.contacts.isEmpty {
                tag("section") {
                    tag("h2") { "Kontakt" }
                    tag("ul") {
                        for contact in rules.contacts {
                            tag("li") {
                                contact.name
                                if !contact.role.isEmpty { ", " + contact.roleAfterComma }
                                if !contact.email.isEmpty {
                                    ", "
                                    tag("a", .href("mailto:" + contact.email)) { contact.email }
                                }
                                if !contact.phone.isEmpty { ", tlf. " + contact.phone }
                            }
                        }
                    }
                }
            }
            if !rules.documents.isEmpty {
                tag("section") {
                    tag("h2") { "Dokumenter" }
                    tag("ul") {
                        for document in rules.documents {
                            tag("li") {
                                if document.url.isEmpty {
                                    document.title
                                } else {
                                    tag("a", .href(document.url)) { document.title }
                                }
                            }
                        }
                    }
                }
            }
            if phase == .closed, let user = context.user, user.seesAllAssessments || user.isAssessor {
                tag("p") {
                    tag("a", .href(SiteURL.callAssessment(id).path), .class("button")) { "Vurdering af ansøgningerne" }
                }
            }
            if !recipients.isEmpty {
                tag("section", .id("modtagere")) {
                    tag("h2") { "Tilskudsmodtagere" }
                    tag("ul") { recipients.map { r in tag("li") { r } } }
                }
            }
        }
    }

    static func applyBox(
        call: CallRecord, phase: CallPhase, existing: ApplicationRecord?, context: PageContext
    ) -> Node {
        guard call.callStatus == .published else { return .empty }
        guard let user = context.user else {
            if phase == .open {
                return tag("p", .class("apply")) {
                    tag("a", .class("button"), .href(SiteURL.signIn.path + "?naeste=" + SiteURL.call(call.id!).path)) {
                        "Log ind for at søge"
                    }
                }
            }
            return .empty
        }
        guard user.may(.writeApplication) else { return .empty }
        if let existing {
            return tag("p", .class("apply")) {
                tag("a", .class("button"), .href(SiteURL.application(existing.id!).path)) {
                    existing.applicationStatus == .draft ? "Fortsæt jeres ansøgning" : "Se jeres ansøgning"
                }
            }
        }
        guard phase == .open else { return .empty }
        return Layout.postButton(
            .startApplication(call.id!), label: "Start en ansøgning for \(user.organisationName)", context: context,
            style: "button")
    }

    static func fact(_ term: String, _ value: String) -> Node { Layout.fact(term, value) }

    /// "2024-01-01" – "2026-12-31" as "1. januar 2024 – 31. december 2026".
    static func period(_ start: String, _ end: String) -> String {
        CalendarDate.danishText(ofStored: start) + " – " + CalendarDate.danishText(ofStored: end)
    }

    static func score(_ value: Double) -> String { DanishScore.format(value) }
}

/// The form to create or edit a call.
enum CallEdit {
    static func view(
        form: CallForm, errors: FormErrors, existing: CallRecord?, missing: [String], context: PageContext
    ) -> Node {
        let title = existing == nil ? "Opret pulje" : "Redigér pulje"
        let action = existing.map { SiteURL.call($0.id!).path } ?? SiteURL.calls.path
        return Layout.page(title: title, context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.calls.path)) { "Puljer" } }
            tag("h1") { title }
            if !missing.isEmpty {
                tag("div", .class("error-summary"), .init("role", "alert")) {
                    tag("h2") { "Puljen kan ikke offentliggøres endnu" }
                    tag("p") { "Følgende mangler:" }
                    tag("ul") { missing.map { m in tag("li") { m } } }
                }
            }
            FormField.errorSummary(errors)
            tag("form", .init("method", "post"), .init("action", action), .class("stacked"), .noValidate) {
                Layout.csrfField(context)
                tag("fieldset") {
                    tag("legend") { "Puljen" }
                    FormField.text("title", label: "Titel", value: form.title, errors: errors, required: true)
                    FormField.textArea("summary", label: "Om puljen", value: form.summary, errors: errors, rows: 6)
                    FormField.textArea(
                        "targetGroup", label: "Målgruppe", value: form.targetGroup, errors: errors, rows: 3)
                    FormField.text(
                        "initiativeNumber", label: "Initiativ (nummer)", value: form.initiativeNumber, errors: errors,
                        hint: "Fx 1.2. Kan være tomt for en fritstående pulje.", width: "short")
                    FormField.text(
                        "round", label: "Runde", value: form.round, errors: errors, inputMode: "numeric", width: "short"
                    )
                }
                tag("fieldset") {
                    tag("legend") { "Ansøgerkreds og målområder" }
                    FormField.checkboxes(
                        "applicantKinds", legend: "Hvem kan søge",
                        options: OrganisationKind.allCases.filter { $0 != .agency && $0 != .evaluator }.map {
                            ($0.rawValue, $0.danishName)
                        }, checked: Set(form.applicantKinds ?? []), errors: errors)
                    FormField.textArea(
                        "legalBases", label: "Lovgrundlag for ansøgers tilbud", value: form.legalBases, errors: errors,
                        hint: "Ét pr. linje, fx SEL § 108.", rows: 3)
                    FormField.textArea(
                        "targetAreas", label: "Målområder", value: form.targetAreas, errors: errors,
                        hint:
                            "Ét pr. linje: kode; navn; mindst valgte. Fx \"handicap; Handicapområdet; 1\", hvis mindst én valgt ansøgning skal dække området.",
                        rows: 3)
                    FormField.text(
                        "municipalitiesMin", label: "Antal kommuner, der søges: mindst", value: form.municipalitiesMin,
                        errors: errors, inputMode: "numeric", width: "short")
                    FormField.text(
                        "municipalitiesMax", label: "Antal kommuner, der søges: højst", value: form.municipalitiesMax,
                        errors: errors, inputMode: "numeric", width: "short")
                }
                tag("fieldset") {
                    tag("legend") { "Tid" }
                    tag("p", .class("hint")) { "Alle tidspunkter er dansk tid. Fristen skal altid have et klokkeslæt." }
                    FormField.text(
                        "opensDate", label: "Åbner (dato)", value: form.opensDate, errors: errors, type: "date",
                        width: "medium")
                    FormField.text(
                        "opensTime", label: "Åbner (klokkeslæt)", value: form.opensTime, errors: errors, type: "time",
                        width: "short")
                    FormField.text(
                        "deadlineDate", label: "Ansøgningsfrist (dato)", value: form.deadlineDate, errors: errors,
                        type: "date", required: true, width: "medium")
                    FormField.text(
                        "deadlineTime", label: "Ansøgningsfrist (klokkeslæt)", value: form.deadlineTime, errors: errors,
                        type: "time", required: true, width: "short")
                    FormField.text(
                        "answerExpected", label: "Forventet svar", value: form.answerExpected, errors: errors,
                        hint: "Fx \"uge 51 2023\", \"15.11.2022\" eller \"december 2019\".", width: "medium")
                    FormField.text(
                        "projectStart", label: "Projektperiode: start", value: form.projectStart, errors: errors,
                        type: "date", width: "medium")
                    FormField.text(
                        "projectEnd", label: "Projektperiode: slut", value: form.projectEnd, errors: errors,
                        type: "date", width: "medium")
                    FormField.textArea(
                        "startUpMeeting", label: "Obligatorisk opstartsmøde", value: form.startUpMeeting,
                        errors: errors, hint: "Hvornår, hvor, og hvem der skal deltage.", rows: 3)
                }
                tag("fieldset") {
                    tag("legend") { "Midler og budget" }
                    FormField.text(
                        "funds", label: "Midler til fordeling (kr.)", value: form.funds, errors: errors,
                        hint: "Tomt, hvis puljen giver støtte og ikke penge.", inputMode: "decimal", width: "medium")
                    FormField.text(
                        "financeLawAccount", label: "Finanslovskonto", value: form.financeLawAccount, errors: errors,
                        width: "medium")
                    FormField.text(
                        "journalNumber", label: "Journalnummer", value: form.journalNumber, errors: errors,
                        hint: "Styrelsens journalnummer for puljen. Det står på alle brevene.", width: "medium")
                    FormField.checkboxes(
                        "eligibleCategories", legend: "Støtteberettigede udgifter",
                        options: ExpenseCategory.allCases.map { ($0.rawValue, $0.danishName) },
                        checked: Set(form.eligibleCategories ?? []), errors: errors,
                        hint: "Vælg ingen, hvis ansøgningen ikke har et budget.")
                    FormField.text(
                        "maximumTotal", label: "Højst i alt pr. ansøgning (kr.)", value: form.maximumTotal,
                        errors: errors, inputMode: "decimal", width: "medium")
                    FormField.text(
                        "maximumPerYear", label: "Højst pr. år (kr.)", value: form.maximumPerYear, errors: errors,
                        inputMode: "decimal", width: "medium")
                    tag("div", .class("checkbox")) {
                        tag(
                            "input", .type("checkbox"), .id("felt-requiresMonthlySpread"),
                            .name("requiresMonthlySpread"), .value("true"),
                            .flag("checked", form.requiresMonthlySpread == "true"))
                        tag("label", .for("felt-requiresMonthlySpread")) { "Udgifterne skal fordeles på måneder" }
                    }
                }
                tag("fieldset") {
                    tag("legend") { "Betingelser, kriterier og skema" }
                    FormField.textArea(
                        "minimumConditions", label: "Minimumsbetingelser", value: form.minimumConditions,
                        errors: errors, hint: "Én pr. linje: kode; betingelse.", rows: 5)
                    FormField.textArea(
                        "criteria", label: "Tildelingskriterier", value: form.criteria, errors: errors,
                        hint: "Ét pr. linje: kode; navn; vægt; minimum; uddybning. Minimum kan være tomt.", rows: 6)
                    FormField.text(
                        "scaleMinimum", label: "Pointskala: laveste", value: form.scaleMinimum, errors: errors,
                        inputMode: "decimal", width: "short")
                    FormField.text(
                        "scaleMaximum", label: "Pointskala: højeste", value: form.scaleMaximum, errors: errors,
                        inputMode: "decimal", width: "short")
                    FormField.text(
                        "scaleStep", label: "Pointskala: trin", value: form.scaleStep, errors: errors,
                        inputMode: "decimal", width: "short")
                    FormField.text(
                        "requiredApproval", label: "Godkendelse før indsendelse", value: form.requiredApproval,
                        errors: errors,
                        hint:
                            "Vejledningens ord, fx »ved direktørunderskrift (eller tilsvarende ledelsesniveau)«. En tegningsberettiget i kommunen skal da godkende ansøgningen i Pulje, før den kan indsendes. Tomt: ingen godkendelse."
                    )
                    FormField.textArea(
                        "questions", label: "Spørgsmål i ansøgningsskemaet", value: form.questions, errors: errors,
                        hint: "Ét pr. linje: kode; spørgsmål; maks tegn; ja/nej (påkrævet); kriterium; vejledning.",
                        rows: 8)
                    FormField.textArea(
                        "attachmentKinds", label: "Tilladte bilag", value: form.attachmentKinds, errors: errors,
                        hint: "Ét pr. linje: kode; navn; maks MB; ja/nej (påkrævet).", rows: 3)
                }
                tag("fieldset", .id("vilkaar")) {
                    tag("legend") { "Vilkår for tilskudssagerne" }
                    tag("p", .class("hint")) {
                        "Gælder de tilskudssager, som afgørelsen åbner. De kan ikke ændres, når puljen har tilskudssager."
                    }
                    FormField.textArea(
                        "teamRoles", label: "Roller i kommunens organisering", value: form.teamRoles, errors: errors,
                        hint: "Én pr. linje: kode; navn; ja/nej (påkrævet), fx »projektleder; Projektleder; ja«.",
                        rows: 6)
                    FormField.text(
                        "reallocationNoticePercent", label: "Omfordeling mod orientering: højst andel af budgettet (%)",
                        value: form.reallocationNoticePercent, errors: errors,
                        hint: "En omfordeling mellem kategorier op til denne andel kræver kun orientering.",
                        inputMode: "numeric", width: "short")
                    FormField.text(
                        "reallocationNoticeAmount", label: "Omfordeling mod orientering: højst beløb (kr.)",
                        value: form.reallocationNoticeAmount, errors: errors,
                        hint: "Tomt: andelen alene afgør.", inputMode: "decimal", width: "medium")
                    FormField.text(
                        "secondApprovalAbove", label: "To godkendere ved ændringer over (kr.)",
                        value: form.secondApprovalAbove, errors: errors, inputMode: "decimal", width: "medium")
                    FormField.text(
                        "auditorStatementFrom", label: "Revisorerklæring på regnskabet fra tilskud på (kr.)",
                        value: form.auditorStatementFrom, errors: errors, hint: "Tomt: aldrig.",
                        inputMode: "decimal", width: "medium")
                }
                tag("fieldset") {
                    tag("legend") { "Kontakt og dokumenter" }
                    FormField.textArea(
                        "contacts", label: "Kontaktpersoner", value: form.contacts, errors: errors,
                        hint: "Én pr. linje: navn; rolle; e-mail; telefon.", rows: 3)
                    FormField.textArea(
                        "documents", label: "Dokumenter", value: form.documents, errors: errors,
                        hint: "Ét pr. linje: titel; adresse (https://…).", rows: 4)
                }
                tag("button", .type("submit"), .class("button")) {
                    existing == nil ? "Gem som kladde" : "Gem ændringer"
                }
            }
        }
    }
}
