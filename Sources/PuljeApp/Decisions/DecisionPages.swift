import Foundation
import PuljeDomain
import PuljeHTML

enum DecisionPages {
    static func portfolio(
        _ assessment: CallAssessment, portfolio: CallAssessment.Portfolio, user: CurrentUser, errors: FormErrors,
        context: PageContext, posted: OverrideForm? = nil,
        proposed: ProposeForm? = nil
    ) -> Node {
        let callID = assessment.call.id!
        let instance = portfolio.instance
        let decision = assessment.decision
        let approved = decision?.decisionStatus == .approved
        return Layout.page(title: "Udvælgelse: \(assessment.call.title)", context: context) {
            tag("p", .class("breadcrumb")) {
                tag("a", .href(SiteURL.callAssessment(callID).path)) { "Vurdering: " + assessment.call.title }
            }
            tag("h1") { "Udvælgelse og afgørelse" }
            FormField.errorSummary(errors)
            tag("h2") { "Rammer" }
            tag("ul") {
                tag("li") { "Midler: \(DanishAmount.kroner(instance.funds))" }
                tag("li") { "Antal kommuner: \(instance.minCount)–\(instance.maxCount)" }
                for area in assessment.rules.targetAreas {
                    tag("li") {
                        "\(area.name): mindst \(DanishCount.of(area.minimumSelected ?? 0, "valgt ansøgning", "valgte ansøgninger"))"
                    }
                }
            }
            tag("p") {
                "Forslaget er det udvalg, der giver den højeste samlede vægtede score inden for rammerne. Det er beregnet eksakt (alle kombinationer er afsøgt eller udelukket). Styrelsen kan til- og fravælge ansøgninger og nedsætte bevilgede beløb; hver justering skal begrundes og logges."
            }
            switch portfolio.result {
            case .failure(let error):
                tag("div", .class("warning"), .init("role", "alert")) {
                    tag("h2") { error.kind == .searchLimit ? "Beregningen blev ikke færdig" : "Intet gyldigt udvalg" }
                    tag("ul") { error.messages.map { m in tag("li") { m } } }
                }
            case .success(let explanation):
                proposal(assessment, portfolio: portfolio, explanation: explanation)
            }
            if !portfolio.ineligible.isEmpty {
                tag("h2") { "Kan ikke vælges" }
                tag("ul") {
                    for (application, reason) in portfolio.ineligible {
                        tag("li") { "\(application.organisation.name): \(reason)" }
                    }
                }
            }
            if user.may(.manageAssessment) && !approved && !instance.candidates.isEmpty {
                adjustForm(assessment, instance: instance, errors: errors, context: context, posted: posted)
            }
            decisionSection(assessment, user: user, errors: errors, context: context, posted: proposed)
            tag("p") {
                "Hent udvalget som "
                tag("a", .href(SiteURL.selectionXLSX(callID).path)) { "Excel-regneark (XLSX)" }
                " eller "
                tag("a", .href(SiteURL.selectionCSV(callID).path)) { "CSV til dansk Excel" }
                "."
            }
        }
    }

    static func proposal(
        _ assessment: CallAssessment, portfolio: CallAssessment.Portfolio, explanation: PortfolioExplanation
    ) -> Node {
        let candidates = Dictionary(uniqueKeysWithValues: portfolio.instance.candidates.map { ($0.id, $0) })
        let selected = Set(explanation.selection.selected)
        let areaNames = Dictionary(uniqueKeysWithValues: assessment.rules.targetAreas.map { ($0.code, $0.name) })
        return .fragment([
            tag("h2") { "Forslag" },
            tag("p", .id("forslag-total")) {
                "\(DanishCount.of(selected.count, "ansøgning", "ansøgninger")), samlet score \(DanishScore.format(explanation.selection.totalScore)), i alt \(DanishAmount.kroner(explanation.selection.totalAmount)) af \(DanishAmount.kroner(portfolio.instance.funds))"
            },
            tag("table", .class("data"), .id("udvalg")) {
                tag("caption") { "Alle ansøgninger, der kan vælges" }
                tag("thead") {
                    tag("tr") {
                        for heading in ["Ansøger", "Valgt", "Score", "Beløb", "Målområder", "Forklaring"] {
                            tag("th", .init("scope", "col")) { heading }
                        }
                    }
                }
                tag("tbody") {
                    for entry in explanation.entries {
                        let candidate = candidates[entry.id]
                        let override = entry.id.uuid.flatMap { assessment.overrides[$0] }
                        tag("tr") {
                            tag("th", .init("scope", "row")) { assessment.name(entry.id) }
                            tag("td") { selected.contains(entry.id) ? "Ja" : "Nej" }
                            tag("td", .class("amount")) { candidate.map { DanishScore.format($0.score) } ?? "" }
                            tag("td", .class("amount")) { candidate.map { DanishAmount.kroner($0.amount) } ?? "" }
                            tag("td") {
                                (candidate?.areas.sorted() ?? []).map { areaNames[$0] ?? $0 }.joined(separator: ", ")
                            }
                            tag("td") {
                                explain(entry.text, assessment: assessment)
                                if let override {
                                    tag("br")
                                    "Justeret af \(override.changedBy): \(override.reason)"
                                }
                            }
                        }
                    }
                }
            },
            tag("p") {
                "Reserveliste (de ansøgninger, det koster mindst at tage med, står først): "
                    + (explanation.reserve.isEmpty
                        ? "ingen" : explanation.reserve.map(assessment.name).joined(separator: ", "))
                    + "."
            },
        ])
    }

    /// Explanations name applications by id; show the organisation instead.
    static func explain(_ text: String, assessment: CallAssessment) -> String {
        var result = text
        for application in assessment.applications {
            result = result.replacingOccurrences(
                of: CandidateID(application.id!).rawValue, with: application.organisation.name)
        }
        return result
    }

    static func adjustForm(
        _ assessment: CallAssessment, instance: PortfolioInstance, errors: FormErrors, context: PageContext,
        posted: OverrideForm?
    ) -> Node {
        tag("section", .id("justering")) {
            tag("h2") { "Justér udvælgelsen" }
            tag("form", .init("method", "post"), .init("action", SiteURL.portfolioAdjust(assessment.call.id!).path)) {
                Layout.csrfField(context)
                FormField.select(
                    "applicationID", label: "Ansøgning",
                    options: instance.candidates.map { ($0.id.rawValue, assessment.name($0.id)) },
                    selected: posted?.applicationID?.uuidString, errors: errors)
                FormField.select(
                    "choice", label: "Valg",
                    options: [("", "Efter beregningen"), ("include", "Tilvælg"), ("exclude", "Fravælg")],
                    selected: posted?.choice, errors: errors)
                FormField.text(
                    "granted", label: "Bevilget beløb (kr.)", value: posted?.granted, errors: errors,
                    hint: "Tomt: det ansøgte beløb. Kan sættes lavere end det ansøgte.", inputMode: "numeric")
                FormField.textArea(
                    "reason", label: "Begrundelse", value: posted?.reason, errors: errors,
                    hint: "Skal udfyldes; vælg \"Efter beregningen\" og tomt beløb for at fjerne en justering.",
                    rows: 3)
                tag("button", .type("submit"), .class("button secondary")) { "Gem justering" }
            }
        }
    }

    static func decisionSection(
        _ assessment: CallAssessment, user: CurrentUser, errors: FormErrors, context: PageContext,
        posted: ProposeForm?
    ) -> Node {
        let callID = assessment.call.id!
        let decision = assessment.decision
        return tag("section", .id("afgoerelse")) {
            tag("h2") { "Afgørelse" }
            if let decision {
                let lines = (try? decision.lines()) ?? []
                tag("p") {
                    "\(decision.decisionStatus.danishName): indstillet af \(decision.proposedBy) \(DanishTime.dateTime(decision.proposedAt))"
                    if let by = decision.approvedBy, let at = decision.approvedAt {
                        ", godkendt af \(by) \(DanishTime.dateTime(at))"
                    }
                    "."
                }
                tag("ul") {
                    for line in lines {
                        tag("li") {
                            "\(assessment.name(CandidateID(line.applicationID))): \(DanishAmount.kroner(Money(ore: line.grantedOre)))"
                        }
                    }
                }
                tag("p") {
                    "I alt \(DanishAmount.kroner(lines.map { Money(ore: $0.grantedOre) }.sum())) Vilkår: \(decision.conditions)"
                }
                if decision.decisionStatus == .proposed && user.may(.approveDecision) {
                    if let problem = FourEyes.problem(proposedBy: decision.proposedByID, approver: user.id) {
                        tag("p") { problem }
                    } else {
                        tag("p") {
                            "Ved godkendelse får hver ansøger tilsagn eller afslag i sin sag og på e-mail. Det kan ikke fortrydes."
                        }
                        Layout.postButton(
                            .approveDecision(callID), label: "Godkend afgørelsen", context: context, style: "button")
                    }
                }
            } else {
                tag("p") { "Afgørelsen er ikke indstillet endnu." }
            }
            if user.may(.proposeDecision) && decision?.decisionStatus != .approved {
                tag("form", .init("method", "post"), .init("action", SiteURL.proposeDecision(callID).path)) {
                    Layout.csrfField(context)
                    FormField.textArea(
                        "conditions", label: "Vilkår for tilsagnene", value: posted?.conditions ?? decision?.conditions,
                        errors: errors,
                        hint: "Står i tilsagnsbrevene.", rows: 4)
                    FormField.textArea(
                        "note", label: "Bemærkning til direktøren", value: posted?.note ?? decision?.note,
                        errors: errors,
                        rows: 2)
                    tag("button", .type("submit"), .class("button")) {
                        decision == nil ? "Indstil forslaget som afgørelse" : "Indstil igen med det aktuelle forslag"
                    }
                }
            }
        }
    }

    /// The letter as the agency sent it, under its letterhead: the agency, the recipient, the date, the
    /// journal number and the application's number. Prints on its own (print styles) or saves as PDF.
    static func letter(
        _ letter: LetterRecord, applicationID: UUID, callTitle: String, recipient: String, submissionNumber: String,
        context: PageContext
    ) -> Node {
        Layout.page(title: "\(letter.letterKind.danishName): \(callTitle)", context: context) {
            tag("p", .class("breadcrumb no-print")) {
                tag("a", .href(SiteURL.application(applicationID).path)) { "Tilbage til sagen" }
            }
            tag("article", .class("letter")) {
                tag("header", .class("letterhead")) {
                    tag("p", .class("letterhead-sender")) {
                        tag("strong") { "Social- og Boligstyrelsen" }
                        tag("br")
                        "Udviklings- og Investeringsprogrammerne"
                    }
                    tag("p", .class("letterhead-recipient")) { recipient }
                    tag("dl", .class("letterhead-facts")) {
                        Layout.fact("Dato", DanishTime.date(letter.createdAt))
                        Layout.fact("J.nr.", letter.journalNumber ?? submissionNumber)
                        Layout.fact("Ansøgningsnummer", submissionNumber)
                    }
                }
                tag("h1") { letter.letterKind.danishName }
                tag("p", .class("hint no-print")) { "Dannet \(DanishTime.dateTime(letter.createdAt))" }
                for paragraph in letter.body.components(separatedBy: "\n\n") {
                    tag("p", .class("letter-paragraph")) { paragraph }
                }
            }
            tag("p", .class("no-print")) { "Brug browserens udskriftsfunktion for at udskrive brevet." }
        }
    }

    static func templates(
        _ templates: [LetterKind: String], user: CurrentUser, errors: FormErrors, context: PageContext
    ) -> Node {
        Layout.page(title: "Brevskabeloner", context: context) {
            tag("h1") { "Brevskabeloner" }
            tag("p") {
                "Brevene dannes ud fra disse skabeloner, når en afgørelse godkendes: tilsagn om tilskud for puljer med midler, tilsagn om deltagelse for puljer med støtte eller partnerskab uden tilskud, og afslag. Felter skrives som {{navn}}."
            }
            tag("div", .class("notice")) {
                tag("p") {
                    "Kontrollér klagevejledningen i hver skabelon: den skal sige, om og hvor afgørelsen kan påklages efter de regler, der gælder for puljen."
                }
            }
            FormField.errorSummary(errors)
            tag("form", .init("method", "post"), .init("action", SiteURL.letterTemplates.path)) {
                Layout.csrfField(context)
                for kind in LetterKind.allCases {
                    FormField.textArea(
                        kind.rawValue, label: kind.danishName, value: templates[kind] ?? kind.defaultTemplate,
                        errors: errors,
                        hint: "Felter: "
                            + kind.placeholders.map { "{{\($0.name)}} (\($0.meaning))" }.joined(separator: ", "),
                        rows: 18)
                }
                tag("button", .type("submit"), .class("button")) { "Gem skabelonerne" }
            }
        }
    }
}
