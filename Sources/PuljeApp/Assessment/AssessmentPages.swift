import Foundation
import PuljeDomain
import PuljeHTML

enum AssessmentPages {
    static func score(_ value: Double) -> String { DanishScore.format(value) }

    // MARK: The call's applications

    static func overview(
        _ assessment: CallAssessment, user: CurrentUser, assessors: [UserRecord], context: PageContext
    ) -> Node {
        let callID = assessment.call.id!
        let ranks = Dictionary(uniqueKeysWithValues: assessment.ranking().map { ($0.id, $0.rank) })
        let visible = assessment.applications.filter { application in
            user.seesAllAssessments
                || assessment.assignments[application.id!]?.contains { $0.$assessor.id == user.id } == true
        }
        return Layout.page(title: "Vurdering: \(assessment.call.title)", context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.call(callID).path)) { assessment.call.title } }
            tag("h1") { "Vurdering af ansøgninger" }
            tag("p") {
                "\(DanishCount.of(assessment.applications.count, "indsendt ansøgning", "indsendte ansøgninger")). Kriterierne gives point på skalaen \(assessment.rules.scale.danishText); den vægtede score er summen af vægt × konsensuspoint divideret med summen af vægtene."
            }
            if let decision = assessment.decision {
                tag("p", .class("notice")) {
                    "Afgørelse: \(decision.decisionStatus.danishName)"
                    if decision.decisionStatus == .approved, let by = decision.approvedBy { " af \(by)" }
                    "."
                }
            }
            if visible.isEmpty {
                tag("p") {
                    user.seesAllAssessments
                        ? "Der er ingen indsendte ansøgninger." : "Du er ikke tildelt nogen ansøgninger i puljen."
                }
            } else {
                tag("table", .class("data")) {
                    tag("caption") { "Ansøgninger efter indsendelsestidspunkt" }
                    tag("thead") {
                        tag("tr") {
                            for heading in ["Ansøger", "Nummer", "Screening", "Bedømmere", "Vægtet score", "Placering"]
                            {
                                tag("th", .init("scope", "col")) { heading }
                            }
                        }
                    }
                    tag("tbody") {
                        for application in visible {
                            let id = application.id!
                            let weighted = assessment.weighted(id)
                            tag("tr") {
                                tag("th", .init("scope", "row")) {
                                    tag("a", .href(SiteURL.assessment(id).path)) { application.organisation.name }
                                }
                                tag("td") { application.submissionNumber ?? "" }
                                tag("td") { assessment.screenings[id]?.screeningOutcome.danishName ?? "Ikke screenet" }
                                tag("td") {
                                    (assessment.assignments[id] ?? []).map { a in
                                        a.assessor.name
                                            + (a.conflictDeclaration == .conflict
                                                ? " (inhabil)" : a.isLead ? " (ledende)" : "")
                                    }.joined(separator: ", ")
                                }
                                tag("td", .class("amount")) {
                                    weighted.isComplete ? score(weighted.value) : "–"
                                    if !weighted.belowMinimum.isEmpty {
                                        tag("br")
                                        tag("span", .class("warning-text")) { "Under minimum" }
                                    }
                                }
                                tag("td", .class("amount")) { ranks[CandidateID(id)].map(String.init) ?? "–" }
                            }
                        }
                    }
                }
                tag("p", .class("hint")) { "Placering: " + Ranking.tieBreakDanish }
            }
            if user.may(.manageAssessment) {
                tag("h2") { "Fordel bedømmere" }
                tag("p") {
                    "Giver hver screenet ansøgning det ønskede antal bedømmere uden interessekonflikt, så alle \(assessors.count) bedømmere får lige mange. Eksisterende tildelinger bevares."
                }
                tag("form", .init("method", "post"), .init("action", SiteURL.spreadAssessors(callID).path)) {
                    Layout.csrfField(context)
                    FormField.text(
                        "perApplication", label: "Bedømmere pr. ansøgning", value: "2", errors: FormErrors(),
                        inputMode: "numeric", width: "short")
                    tag("button", .type("submit"), .class("button")) { "Fordel jævnt" }
                }
            }
            if user.seesAllAssessments {
                tag("h2") { "Udvælgelse og afgørelse" }
                tag("p") { tag("a", .href(SiteURL.portfolio(callID).path)) { "Gå til udvælgelsen" } }
                tag("p") {
                    "Hent vurderingen som "
                    tag("a", .href(SiteURL.assessmentXLSX(callID).path)) { "Excel-regneark (XLSX)" }
                    " eller "
                    tag("a", .href(SiteURL.assessmentCSV(callID).path)) { "CSV til dansk Excel" }
                    "."
                }
            }
        }
    }

    // MARK: One application

    static func casePage(
        _ found: AssessmentCase, requests: [InformationRequestRecord], assessors: [UserRecord],
        errors: FormErrors, now: Date, context: PageContext, posted: [String: String]? = nil
    ) -> Node {
        let assessment = found.assessment
        let application = found.application
        let id = found.id
        let rules = assessment.rules
        let content = assessment.submittedContent(application)
        let user = found.user
        let decided = assessment.decision?.decisionStatus == .approved
        return Layout.page(title: "Vurdering: \(application.organisation.name)", context: context) {
            tag("p", .class("breadcrumb")) {
                tag("a", .href(SiteURL.callAssessment(assessment.call.id!).path)) {
                    "Vurdering: " + assessment.call.title
                }
            }
            tag("h1") { "Vurdering af ansøgning fra \(application.organisation.name)" }
            FormField.errorSummary(errors)
            tag("dl", .class("facts")) {
                ApplicationPage.fact("Projekt", content.projectTitle)
                ApplicationPage.fact("Ansøgningsnummer", application.submissionNumber ?? "")
                ApplicationPage.fact(
                    "Indsendt", application.submittedAt.map(DanishTime.dateTimeWithSeconds) ?? "")
                ApplicationPage.fact("Status", application.applicationStatus.danishName)
                ApplicationPage.fact("Ansøgt beløb", DanishAmount.kroner(assessment.requested(application)))
            }
            if let assignment = found.assignment, assignment.access != .open {
                declarationSection(assignment, id: id, errors: errors, context: context, posted: posted)
            }
            if found.mayReadContent {
                tag("p") { tag("a", .href(SiteURL.application(id).path)) { "Læs den indsendte ansøgning" } }
                screeningSection(
                    found, content: content, errors: errors, decided: decided, context: context, posted: posted)
                if found.showsAssessors {
                    assessorSection(found, assessors: assessors, errors: errors, decided: decided, context: context)
                }
                if found.showsOwnScores {
                    ownScoresSection(found, errors: errors, decided: decided, context: context, posted: posted)
                }
                if found.showsConsensus {
                    consensusSection(found, errors: errors, decided: decided, context: context, posted: posted)
                }
                informationSection(
                    found, requests: requests, errors: errors, decided: decided, context: context, posted: posted)
            }
            let _ = rules
            let _ = now
        }
    }

    static func declarationSection(
        _ assignment: AssessorAssignmentRecord, id: UUID, errors: FormErrors, context: PageContext,
        posted: [String: String]?
    ) -> Node {
        tag("section", .id("habilitet")) {
            tag("h2") { "Habilitetserklæring" }
            if assignment.access == .removed {
                tag("p") {
                    "Du erklærede dig inhabil \(assignment.declaredAt.map(DanishTime.dateTime) ?? ""): \(assignment.declarationNote) Du er derfor fjernet fra ansøgningen og kan ikke læse eller bedømme den."
                }
            } else {
                tag("p") {
                    "Før du kan åbne ansøgningen, skal du erklære, om du har en interessekonflikt: fx om du selv, en nærtstående eller en tidligere arbejdsgiver har en særlig interesse i ansøgningen eller i ansøgeren. Erklæringen gemmes og kan ikke ændres."
                }
                tag("form", .init("method", "post"), .init("action", SiteURL.declaration(id).path)) {
                    Layout.csrfField(context)
                    radios(
                        "declaration", legend: "Min erklæring",
                        options: ConflictDeclaration.allCases.map { ($0.rawValue, $0.danishName) }, checked: nil,
                        errors: errors)
                    FormField.textArea(
                        "note", label: "Hvori består konflikten? (kun ved inhabilitet)", value: posted?["note"],
                        errors: errors,
                        rows: 3)
                    tag("button", .type("submit"), .class("button")) { "Afgiv erklæring" }
                }
            }
        }
    }

    static func radios(
        _ name: String, legend: String, options: [(value: String, label: String)], checked: String?,
        errors: FormErrors
    ) -> Node {
        let error = errors.message(for: name)
        return tag("fieldset", .class(error == nil ? "field" : "field has-error"), .id(FormField.fieldID(name))) {
            tag("legend") { legend }
            if let error { tag("p", .class("error")) { "Fejl: " + error } }
            for (index, option) in options.enumerated() {
                let id = FormField.fieldID(name) + "-\(index)"
                tag("div", .class("checkbox")) {
                    tag(
                        "input", .type("radio"), .id(id), .name(name), .value(option.value),
                        .flag("checked", option.value == checked))
                    tag("label", .for(id)) { option.label }
                }
            }
        }
    }

    static func screeningSection(
        _ found: AssessmentCase, content: ApplicationContent, errors: FormErrors, decided: Bool,
        context: PageContext, posted: [String: String]?
    ) -> Node {
        let checks = FormalScreening.checks(
            content, applicantKind: found.application.organisation.organisationKind, rules: found.assessment.rules)
        let screening = found.assessment.screenings[found.id]
        return tag("section", .id("screening")) {
            tag("h2") { "Formel screening" }
            tag("table", .class("data")) {
                tag("caption") { "Automatiske kontroller" }
                tag("thead") {
                    tag("tr") {
                        tag("th", .init("scope", "col")) { "Kontrol" }
                        tag("th", .init("scope", "col")) { "Resultat" }
                    }
                }
                tag("tbody") {
                    for check in checks {
                        tag("tr") {
                            tag("th", .init("scope", "row")) { check.kind.danishName }
                            tag("td") {
                                check.passed ? "Opfyldt" : "Ikke opfyldt"
                                if !check.findings.isEmpty {
                                    tag("ul") { check.findings.map { f in tag("li") { f } } }
                                }
                            }
                        }
                    }
                }
            }
            if let screening {
                tag("p") {
                    "Beslutning: \(screening.screeningOutcome.danishName) (\(screening.decidedBy), \(DanishTime.dateTime(screening.decidedAt)))."
                    if !screening.reason.isEmpty { " Begrundelse: \(screening.reason)" }
                }
            }
            if found.user.may(.screenApplications) && !decided {
                tag("form", .init("method", "post"), .init("action", SiteURL.screening(found.id).path)) {
                    Layout.csrfField(context)
                    radios(
                        "outcome", legend: screening == nil ? "Screeningsbeslutning" : "Ændr screeningsbeslutning",
                        options: ScreeningOutcome.allCases.map { ($0.rawValue, $0.danishName) },
                        checked: posted?["outcome"] ?? screening?.outcome, errors: errors)
                    FormField.textArea(
                        "reason", label: "Begrundelse", value: posted?["reason"] ?? screening?.reason, errors: errors,
                        hint:
                            "Skal udfyldes ved frasortering og når en automatisk kontrol ikke er opfyldt. Står i afslaget.",
                        rows: 3)
                    tag("button", .type("submit"), .class("button")) { "Gem screening" }
                }
            }
        }
    }

    static func assessorSection(
        _ found: AssessmentCase, assessors: [UserRecord], errors: FormErrors, decided: Bool,
        context: PageContext
    ) -> Node {
        let assignments = found.assessment.assignments[found.id] ?? []
        let lead = found.assessment.lead(found.id)
        return tag("section", .id("bedoemmere")) {
            tag("h2") { "Bedømmere" }
            if assignments.isEmpty {
                tag("p") { "Ingen bedømmere er tildelt endnu." }
            } else {
                tag("ul") {
                    for a in assignments {
                        tag("li") {
                            a.assessor.name + (lead?.id == a.id ? " (ledende bedømmer)" : "") + ": "
                                + (a.conflictDeclaration.map { d in
                                    d.danishName
                                        + (a.declaredAt.map { " (\(DanishTime.dateTime($0)))" } ?? "")
                                        + (a.declarationNote.isEmpty ? "" : ": \(a.declarationNote)")
                                } ?? "har ikke afgivet habilitetserklæring")
                        }
                    }
                }
            }
            if found.user.may(.manageAssessment) && !decided {
                let free = assessors.filter { person in !assignments.contains { $0.$assessor.id == person.id } }
                if !free.isEmpty {
                    tag("form", .init("method", "post"), .init("action", SiteURL.assessors(found.id).path)) {
                        Layout.csrfField(context)
                        FormField.select(
                            "assessorID", label: "Tildel bedømmer",
                            options: free.map { ($0.id!.uuidString, $0.name) }, selected: nil, errors: errors)
                        tag("div", .class("checkbox")) {
                            tag("input", .type("checkbox"), .id("felt-lead"), .name("lead"), .value("true"))
                            tag("label", .for("felt-lead")) { "Ledende bedømmer (registrerer konsensus)" }
                        }
                        tag("button", .type("submit"), .class("button secondary")) { "Tildel" }
                    }
                }
            }
        }
    }

    static func scoreFields(
        _ rules: CallRules, values: [String: (Double, String)], errors: FormErrors, posted: [String: String]?,
        names: (score: String, justification: String) = ("score", "justification")
    ) -> Node {
        .fragment(
            rules.criteria.map { criterion in
                let scoreName = "\(names.score)[\(criterion.id)]"
                let justificationName = "\(names.justification)[\(criterion.id)]"
                let current = values[criterion.id]
                let selected = posted?[scoreName] ?? current.map { score($0.0) }
                return tag("fieldset", .class("criterion")) {
                    tag("legend") { "\(criterion.name) (vægt \(criterion.weight))" }
                    if !criterion.description.isEmpty { tag("p", .class("hint")) { criterion.description } }
                    if let minimum = criterion.minimumScore {
                        tag("p", .class("hint")) { "Minimum: \(score(minimum)) point." }
                    }
                    FormField.select(
                        scoreName, label: "Point",
                        options: [("", "Vælg")] + rules.scale.values.map { (score($0), score($0)) }, selected: selected,
                        errors: errors)
                    FormField.textArea(
                        justificationName, label: "Begrundelse", value: posted?[justificationName] ?? current?.1,
                        errors: errors, rows: 3)
                }
            })
    }

    static func ownScoresSection(
        _ found: AssessmentCase, errors: FormErrors, decided: Bool, context: PageContext,
        posted: [String: String]?
    ) -> Node {
        let mine = found.assessment.individualScores(found.id)[found.user.id] ?? [:]
        let locked = decided || found.assessment.consensus[found.id]?.isEmpty == false
        return tag("section", .id("point")) {
            tag("h2") { "Din egen bedømmelse" }
            tag("p") { "Giv point på skalaen \(found.assessment.rules.scale.danishText) og begrund hvert kriterium." }
            if locked {
                tag("ul") {
                    for criterion in found.assessment.rules.criteria {
                        tag("li") {
                            "\(criterion.name): "
                                + (mine[criterion.id].map { "\(score($0.score)) – \($0.justification)" }
                                    ?? "ingen point")
                        }
                    }
                }
            } else {
                tag("form", .init("method", "post"), .init("action", SiteURL.scores(found.id).path)) {
                    Layout.csrfField(context)
                    scoreFields(
                        found.assessment.rules, values: mine.mapValues { ($0.score, $0.justification) }, errors: errors,
                        posted: posted)
                    tag("button", .type("submit"), .class("button")) { "Gem mine point" }
                }
            }
        }
    }

    static func consensusSection(
        _ found: AssessmentCase, errors: FormErrors, decided: Bool, context: PageContext,
        posted: [String: String]?
    ) -> Node {
        let assessment = found.assessment
        let active = assessment.activeAssignments(found.id)
        let individual = assessment.individualScores(found.id)
        let ready = assessment.readyForConsensus(found.id)
        let consensus = assessment.consensus[found.id] ?? [:]
        return tag("section", .id("konsensus")) {
            tag("h2") { "Fælles konsensus (alle bedømmeres vurdering)" }
            if !ready {
                tag("p") {
                    "Konsensus kan registreres, når alle bedømmere uden interessekonflikt har afgivet erklæring og givet point på alle kriterier. Indtil da vises de individuelle point ikke for den ledende bedømmer."
                }
            }
            if ready || found.user.seesAllAssessments {
                tag("table", .class("data")) {
                    tag("caption") { "Individuelle point og spredning" }
                    tag("thead") {
                        tag("tr") {
                            tag("th", .init("scope", "col")) { "Kriterium" }
                            for a in active { tag("th", .init("scope", "col")) { a.assessor.name } }
                            tag("th", .init("scope", "col")) { "Spredning" }
                            tag("th", .init("scope", "col")) { "Konsensus" }
                        }
                    }
                    tag("tbody") {
                        for criterion in assessment.rules.criteria {
                            let values = active.compactMap { individual[$0.$assessor.id]?[criterion.id]?.score }
                            let spread = ScoreSpread(values)
                            tag("tr") {
                                tag("th", .init("scope", "row")) { criterion.name }
                                for a in active {
                                    tag("td") {
                                        if let s = individual[a.$assessor.id]?[criterion.id] {
                                            tag("strong") { score(s.score) }
                                            " " + s.justification
                                        } else {
                                            "–"
                                        }
                                    }
                                }
                                tag("td", .class(spread?.isNotable == true ? "amount warning-text" : "amount")) {
                                    spread.map { "\(score($0.lowest))–\(score($0.highest)) (\(score($0.range)))" }
                                        ?? "–"
                                }
                                tag("td", .class("amount")) { consensus[criterion.id].map { score($0.score) } ?? "–" }
                            }
                        }
                    }
                }
            }
            let weighted = assessment.weighted(found.id)
            if weighted.isComplete {
                tag("p") {
                    "Vægtet konsensusscore: \(score(weighted.value))."
                    if !weighted.belowMinimum.isEmpty {
                        " Under minimum på: "
                            + assessment.rules.criteria.filter { weighted.belowMinimum.contains($0.id) }.map(\.name)
                            .joined(separator: ", ") + ". Ansøgningen kan ikke vælges."
                    }
                }
            }
            if found.isLead && ready && !decided {
                tag("form", .init("method", "post"), .init("action", SiteURL.consensus(found.id).path)) {
                    Layout.csrfField(context)
                    scoreFields(
                        assessment.rules, values: consensus.mapValues { ($0.score, $0.justification) }, errors: errors,
                        posted: posted, names: ("consensusScore", "consensusJustification"))
                    tag("button", .type("submit"), .class("button")) { "Registrér konsensus" }
                }
            }
        }
    }

    static func informationSection(
        _ found: AssessmentCase, requests: [InformationRequestRecord], errors: FormErrors, decided: Bool,
        context: PageContext, posted: [String: String]?
    ) -> Node {
        tag("section", .id("oplysninger")) {
            tag("h2") { "Yderligere oplysninger" }
            if requests.isEmpty { tag("p") { "Der er ikke bedt om yderligere oplysninger." } }
            for request in requests {
                informationRequest(request, unanswered: tag("p") { "Ikke besvaret endnu." })
            }
            if found.user.may(.manageAssessment) && !decided {
                tag("form", .init("method", "post"), .init("action", SiteURL.informationRequests(found.id).path)) {
                    Layout.csrfField(context)
                    FormField.textArea(
                        "question", label: "Bed ansøgeren om yderligere oplysninger", value: posted?["question"],
                        errors: errors,
                        hint: "Ansøgningen forbliver, som den blev indsendt; svaret gemmes i sagen.", rows: 4)
                    FormField.text(
                        "replyBy", label: "Svarfrist", value: posted?["replyBy"], errors: errors,
                        hint: "Skriv datoen som 15.12.2026. Ansøgeren kan svare til og med kl. 23.59 den dag.",
                        type: "date", width: "short")
                    tag("button", .type("submit"), .class("button secondary")) { "Send anmodning" }
                }
            }
        }
    }

    /// A request for more information and its answer, as both the agency and the applicant see it.
    static func informationRequest(_ request: InformationRequestRecord, unanswered: Node) -> Node {
        tag("div", .class("message")) {
            tag("p") {
                tag("strong") { "\(request.requestedBy), \(DanishTime.dateTime(request.requestedAt)):" }
                " " + request.question
            }
            tag("p") { "Svarfrist: \(CalendarDate.dueText(ofStored: request.replyBy))." }
            if let answer = request.answer {
                tag("p") {
                    tag("strong") {
                        "Svar fra \(request.answeredBy ?? ""), \(request.answeredAt.map(DanishTime.dateTime) ?? ""):"
                    }
                    " " + answer
                }
            } else {
                unanswered
            }
        }
    }
}
