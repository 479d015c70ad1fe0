import Foundation
import PuljeDomain
import PuljeHTML

/// The grant cases' pages: the list, the case with its sections, and a status report.
enum GrantPages {
    typealias Posted = [String: String]

    // MARK: The list

    struct Row: Equatable {
        var id: UUID
        var callID: UUID
        var call: String
        /// The initiative the call belongs to ("1.8"), if it names one.
        var initiative: String? = nil
        var organisation: String
        var status: String
        var award: String
    }

    /// The list's address with the query's filters and order (and a cursor, for the next page).
    static func link(_ query: GrantCaseListQuery, after cursor: ListCursor? = nil) -> String {
        SiteURL.grantCases.path(query: query.parameters(after: cursor))
    }

    static func row(_ found: GrantCaseListRow) -> Row {
        Row(
            id: found.id, callID: found.callID, call: found.callTitle, initiative: found.initiative,
            organisation: found.organisationName, status: found.status.danishName,
            award: found.award > .zero ? DanishAmount.kroner(found.award) : "Deltagelse")
    }

    /// The list of cases, a page at a time; `calls` are every call with cases (for the overview links).
    static func list(
        _ rows: [Row], calls: [(id: UUID, title: String, initiative: String?)], staff: Bool, context: PageContext,
        query: GrantCaseListQuery = GrantCaseListQuery(), next: ListCursor? = nil, anyCases: Bool? = nil,
        panels: [CallPanel] = [], panelsElsewhere: Bool = false, errors: FormErrors = FormErrors(),
        posted: Posted = [:], failed: UUID? = nil
    ) -> Node {
        // Whether there are cases to filter (the calls given are those of the rows shown).
        let filterable = anyCases ?? !calls.isEmpty
        let continued = query.after != nil
        return Layout.page(title: "Tilskudssager", context: context) {
            tag("h1") { "Tilskudssager" }
            tag("p", .class("lead")) {
                staff
                    ? "Alle sager efter tilsagn: organisering, statusrapporter, ændringer, regnskab og udbetalinger."
                    : "Jeres sager efter tilsagn: organisering, statusrapporter, ændringer, regnskab og udbetalinger."
            }
            if staff {
                if !calls.isEmpty {
                    tag("h2") {
                        continued || next != nil ? "Overblik over puljerne på denne side" : "Overblik pr. pulje"
                    }
                    tag("ul") {
                        for (callID, title, _) in calls {
                            tag("li") {
                                tag("a", .href(SiteURL.callGrantOverview(callID).path)) { "Overblik: " + title }
                            }
                        }
                    }
                }
                let initiatives = Set(calls.compactMap(\.initiative)).compactMap(InitiativeNumber.init).sorted()
                if !initiatives.isEmpty {
                    tag("h2") { "Overblik pr. initiativ" }
                    tag("ul") {
                        for number in initiatives {
                            tag("li") {
                                tag("a", .href(SiteURL.initiativeGrantOverview(number.description).path)) {
                                    "Initiativ \(number.description), alle puljer"
                                }
                            }
                        }
                    }
                }
                tag("p") {
                    tag("a", .href(SiteURL.grantPaymentsCSV.path)) { "Hent udbetalingsfil (CSV) til økonomisystemet" }
                }
            }
            if filterable {
                tag(
                    "form", .init("method", "get"), .init("action", SiteURL.grantCases.path), .class("filters"),
                    .init("role", "search"), .aria("label", "Filtrér tilskudssager")
                ) {
                    FormField.text(
                        "q", label: "Søg", value: query.text, errors: FormErrors(), hint: "Modtagerens navn.",
                        type: "search")
                    FormField.select(
                        "status", label: "Status",
                        options: [("", "Alle")] + GrantCaseStatus.allCases.map { ($0.rawValue, $0.danishName) },
                        selected: query.status?.rawValue ?? "", errors: FormErrors())
                    FormField.select(
                        "sortering", label: "Rækkefølge",
                        options: GrantCaseListSort.allCases.map { ($0.rawValue, $0.danishName) },
                        selected: query.sort.rawValue, errors: FormErrors())
                    tag("button", .type("submit"), .class("button")) { "Vis" }
                }
            }
            if rows.isEmpty && !continued && !query.isFiltered {
                tag("p") {
                    "Der er endnu ingen tilskudssager. En sag oprettes, når en afgørelse med tilsagn er godkendt."
                }
            } else if rows.isEmpty && !continued {
                tag("p", .init("role", "status")) { "Ingen tilskudssager passer til filtrene." }
            } else if rows.isEmpty {
                tag("p") { "Der er ikke flere tilskudssager." }
            } else {
                tag("div", .class("table-scroll")) {
                    tag("table", .class("data")) {
                        tag("caption", .class("visually-hidden")) { "Tilskudssager" }
                        tag("thead") {
                            tag("tr") {
                                tag("th", .init("scope", "col")) { "Pulje" }
                                tag("th", .init("scope", "col")) { "Modtager" }
                                tag("th", .init("scope", "col")) { "Status" }
                                tag("th", .init("scope", "col")) { "Tilsagn" }
                            }
                        }
                        tag("tbody") {
                            for row in rows {
                                tag("tr") {
                                    tag("td") { tag("a", .href(SiteURL.grantCase(row.id).path)) { row.call } }
                                    tag("td") { row.organisation }
                                    tag("td") { row.status }
                                    tag("td", .class("number")) { row.award }
                                }
                            }
                        }
                    }
                }
            }
            if continued || next != nil {
                tag("nav", .aria("label", "Sider"), .class("pager")) {
                    if continued { tag("a", .href(link(query.firstPage))) { "Til første side" } }
                    if let next {
                        if continued { " · " }
                        tag("a", .href(link(query, after: next)), .init("rel", "next")) {
                            "Næste \(GrantCaseListQuery.pageSize)"
                        }
                    }
                }
            }
            if !panels.isEmpty {
                tag("h2") { "Puljernes aktiviteter og statusrapporter" }
                tag("p") {
                    "Alle tilskudssager i puljen får aktiviteten eller rapporteringen, og kommunerne får besked."
                }
                for panel in panels {
                    callPanel(
                        panel, errors: panel.callID == failed ? errors : FormErrors(),
                        posted: panel.callID == failed ? posted : [:], context: context)
                }
            }
            if panelsElsewhere && panels.isEmpty {
                tag("p") {
                    "Aktiviteter og statusrapporter planlægges for en pulje ad gangen, når listen vises "
                    tag("a", .href(link(query.ordered(by: .call)))) { "i rækkefølgen Pulje (A–Å)" }
                    "."
                }
            }
        }
    }

    // MARK: The case

    static func casePage(
        _ found: GrantCase, errors: FormErrors = FormErrors(), posted: Posted = [:], context: PageContext
    )
        -> Node
    {
        let user = context.user
        let staff = user?.may(.manageGrantCases, ownedBy: found.record.$organisation.id) == true
        return Layout.page(title: "Tilskudssag: \(found.organisationName)", context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.grantCases.path)) { "Tilskudssager" } }
            tag("h1") { "Tilskudssag: \(found.organisationName)" }
            tag("p", .class("lead")) {
                found.callTitle + (found.projectTitle.isEmpty ? "" : " – " + found.projectTitle)
            }
            FormField.errorSummary(errors)
            overview(found)
            if found.grantsMoney {
                budgetSection(found, errors: errors, posted: posted, context: context, staff: staff)
            }
            organisation(found, errors: errors, posted: posted, context: context)
            activitiesSection(found, errors: errors, posted: posted, context: context)
            reports(found)
            changes(found, errors: errors, posted: posted, context: context)
            if found.grantsMoney {
                accounts(found, errors: errors, posted: posted, context: context, staff: staff)
                payments(found, errors: errors, posted: posted, context: context)
            }
            closing(found, errors: errors, posted: posted, context: context, staff: staff)
            timeline(found)
        }
    }

    /// The end of the case: the municipality's anchoring plan, and for the agency what still stands in the
    /// way of closing and the close itself.
    static func closing(
        _ found: GrantCase, errors: FormErrors, posted: Posted, context: PageContext, staff: Bool
    ) -> Node {
        tag("section", .aria("labelledby", "afslutning")) {
            tag("h2", .id("afslutning")) { "Afslutning" }
            if let by = found.record.closedBy, let at = found.record.closedAt {
                tag("p", .class("ok")) { "Sagen blev afsluttet \(DanishTime.dateTime(at)) af \(by)." }
                if let note = found.record.closingNote { prose(note) }
            }
            tag("h3") { "Forankringsplan" }
            if let plan = found.record.anchoringPlan, let by = found.record.anchoringPlanBy,
                let at = found.record.anchoringPlanAt
            {
                tag("p") { "Indsendt af \(by) \(DanishTime.dateTime(at))." }
                prose(plan)
            } else {
                tag("p") {
                    "Før sagen afsluttes, indsender kommunen en forankringsplan: hvordan indsatsen fortsætter i drift, når projektperioden slutter."
                }
            }
            if found.access.mayWrite {
                tag(
                    "form", .init("method", "post"), .init("action", SiteURL.anchoringPlan(found.id).path),
                    .class("compact-form")
                ) {
                    Layout.csrfField(context)
                    FormField.textArea(
                        "anchoring.plan",
                        label: found.record.anchoringPlanAt == nil
                            ? "Forankringsplan" : "Ny udgave af forankringsplanen",
                        value: posted["anchoring.plan"] ?? found.record.anchoringPlan, errors: errors,
                        hint:
                            "Hvem ejer indsatsen efter projektet, hvordan finansieres den, og hvordan holdes kompetencerne ved lige? Højst \(DanishNumber.grouped(GrantClosing.maximumAnchoringPlan)) tegn.",
                        rows: 8)
                    tag("button", .type("submit"), .class("button secondary")) { "Indsend forankringsplanen" }
                }
            }
            if staff && found.status != .closed {
                tag("h3") { "Afslut sagen" }
                let problems = GrantClosing.problems(found.closingFacts)
                if problems.isEmpty {
                    tag("p", .class("ok")) { "Alt er på plads: sagen kan afsluttes." }
                } else {
                    tag("p") { "Sagen kan afsluttes, når dette er på plads:" }
                    tag("ul") { problems.map { p in tag("li") { p } } }
                }
                if found.repayment > .zero {
                    tag("p", .class("warning")) {
                        "Tilskud til tilbagebetaling: \(DanishAmount.kroner(found.repayment))."
                    }
                }
                if problems.isEmpty {
                    tag(
                        "form", .init("method", "post"), .init("action", SiteURL.closeGrantCase(found.id).path),
                        .class("compact-form")
                    ) {
                        Layout.csrfField(context)
                        FormField.textArea(
                            "closing.note", label: "Fælles status ved afslutningen", value: posted["closing.note"],
                            errors: errors, hint: "Hvad er opnået, og hvad fortsætter? Kommunen får besked.", rows: 4)
                        tag("button", .type("submit"), .class("button")) { "Afslut sagen" }
                    }
                }
            }
        }
    }

    static func overview(_ found: GrantCase) -> Node {
        tag("section", .aria("labelledby", "overblik")) {
            tag("h2", .id("overblik")) { "Overblik" }
            tag("dl", .class("facts")) {
                Document.fact("Status", found.status.danishName)
                Document.fact(
                    "Tilsagn",
                    found.grantsMoney ? DanishAmount.kroner(found.award) : "Deltagelse i implementeringsstøtten")
                Document.fact(
                    "Projektperiode",
                    CalendarDate.danishText(ofStored: found.record.projectStart) + " – "
                        + CalendarDate.danishText(ofStored: found.record.projectEnd))
                Document.fact("Vilkår", found.record.conditions)
                if found.grantsMoney {
                    Document.fact("Udbetalt", DanishAmount.kroner(found.releasedPayments))
                    if found.repayment > .zero {
                        Document.fact("Skal tilbagebetales", DanishAmount.kroner(found.repayment))
                    }
                }
            }
            tag("h3") { "Det næste, der skal ske" }
            let due = found.dueItems
            if due.isEmpty {
                tag("p") { "Intet udestår lige nu." }
            } else {
                tag("ul", .class("task-list")) {
                    for item in due {
                        tag("li", .class(item.state == .overdue ? "overdue" : nil)) {
                            item.text
                            if let date = item.due { ". " + item.state.danishText(due: date) }
                        }
                    }
                }
            }
        }
    }

    /// A grid of amounts per category and year, for a revised budget or a reallocation.
    static func budgetGrid(_ found: GrantCase, start: GrantBudget, errors: FormErrors, posted: Posted) -> Node {
        let grid = GrantActions.grid(found)
        return tag("fieldset", .class(errors.message(for: "budget") == nil ? "field" : "field has-error")) {
            tag("legend") { "Budget fordelt på kategori og år (kr.)" }
            if let error = errors.message(for: "budget") {
                tag("p", .class("error"), .id(FormField.fieldID("budget"))) { "Fejl: " + error }
            }
            tag("div", .class("table-scroll")) {
                tag("table", .class("data budget-grid")) {
                    tag("thead") {
                        tag("tr") {
                            tag("th", .init("scope", "col")) { "Kategori" }
                            for year in grid.years { tag("th", .init("scope", "col")) { String(year) } }
                        }
                    }
                    tag("tbody") {
                        for category in grid.categories {
                            tag("tr") {
                                tag("th", .init("scope", "row")) { category.danishName }
                                for year in grid.years {
                                    let name = "budget.\(category.rawValue).\(year)"
                                    let amount = start.amount(category, year: year)
                                    tag("td") {
                                        tag(
                                            "input", .type("text"), .name(name), .id(FormField.fieldID(name)),
                                            .value(posted[name] ?? (amount == .zero ? "" : DanishAmount.plain(amount))),
                                            .init("inputmode", "decimal"), .class("amount"),
                                            .aria("label", "\(category.danishName) \(year)"))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func budgetTable(_ budget: GrantBudget, caption: String) -> Node {
        tag("div", .class("table-scroll")) {
            tag("table", .class("data")) {
                tag("caption") { caption }
                tag("thead") {
                    tag("tr") {
                        tag("th", .init("scope", "col")) { "Kategori" }
                        for year in budget.years { tag("th", .init("scope", "col"), .class("number")) { String(year) } }
                        tag("th", .init("scope", "col"), .class("number")) { "I alt" }
                    }
                }
                tag("tbody") {
                    for category in budget.categories {
                        tag("tr") {
                            tag("th", .init("scope", "row")) { category.danishName }
                            for year in budget.years {
                                tag("td", .class("number")) { DanishAmount.kroner(budget.amount(category, year: year)) }
                            }
                            tag("td", .class("number")) { DanishAmount.kroner(budget.byCategory()[category] ?? .zero) }
                        }
                    }
                    tag("tr", .class("total")) {
                        tag("th", .init("scope", "row")) { "I alt" }
                        for year in budget.years {
                            tag("td", .class("number")) { DanishAmount.kroner(budget.byYear()[year] ?? .zero) }
                        }
                        tag("td", .class("number")) { DanishAmount.kroner(budget.total) }
                    }
                }
            }
        }
    }

    static func budgetSection(
        _ found: GrantCase, errors: FormErrors, posted: Posted, context: PageContext, staff: Bool
    ) -> Node {
        tag("section", .aria("labelledby", "budget")) {
            tag("h2", .id("budget")) { "Budget" }
            budgetTable(found.budget, caption: "Godkendt budget, version \(found.record.budgetVersion)")
            if found.status == .revisedBudgetDue {
                if let proposed = found.proposedBudget {
                    budgetTable(proposed, caption: "Revideret budget, indsendt til godkendelse")
                    if staff {
                        Document.postButton(
                            action: SiteURL.approveGrantBudget(found.id).path, label: "Godkend det reviderede budget",
                            csrfField: Layout.csrfField(context), style: "button")
                    } else {
                        tag("p") { "Styrelsen godkender det reviderede budget." }
                    }
                }
                if found.access.mayWrite {
                    tag("h3") { "Revideret budget" }
                    tag("p") {
                        sentence(
                            "Tilskuddet er lavere end det ansøgte. Fordel tilskuddet på \(DanishAmount.kroner(found.award))"
                        )
                            + " på kategorier og år; budgettet skal give tilskuddet i alt."
                    }
                    tag("form", .init("method", "post"), .init("action", SiteURL.revisedBudget(found.id).path)) {
                        Layout.csrfField(context)
                        budgetGrid(found, start: found.proposedBudget ?? found.budget, errors: errors, posted: posted)
                        tag("button", .type("submit"), .class("button")) { "Send revideret budget" }
                    }
                }
            }
            if found.budgetVersions.count > 1 {
                tag("details") {
                    tag("summary") { "Tidligere budgetversioner" }
                    for version in found.budgetVersions.dropLast() {
                        if let budget = try? version.budget() {
                            budgetTable(
                                budget,
                                caption:
                                    "Version \(version.version): \(version.reason) (\(DanishTime.dateTime(version.createdAt)))"
                            )
                        }
                    }
                }
            }
        }
    }

    static func organisation(_ found: GrantCase, errors: FormErrors, posted: Posted, context: PageContext) -> Node {
        let roles = Dictionary(uniqueKeysWithValues: found.terms.teamRoles.map { ($0.id, $0.name) })
        return tag("section", .aria("labelledby", "organisering")) {
            tag("h2", .id("organisering")) { "Organisering" }
            if found.members.isEmpty {
                tag("p") { "Kommunen har endnu ikke navngivet projektleder, implementeringsteam og styregruppe." }
            } else {
                tag("ul", .class("member-list")) {
                    for member in found.members {
                        tag("li") {
                            tag("strong") { member.name }
                            ", " + (roles[member.roleID] ?? member.roleID) + " – "
                                + (TeamGroup(rawValue: member.group)?.danishName ?? member.group)
                            if !member.email.isEmpty { " (\(member.email))" }
                            if found.access.mayWrite {
                                " "
                                Document.postButton(
                                    action: SiteURL.removeTeamMember(found.id, member.id!).path,
                                    label: "Fjern \(member.name)", csrfField: Layout.csrfField(context))
                            }
                        }
                    }
                }
            }
            let missing = found.missingRoles
            if missing.isEmpty {
                tag("p", .class("ok")) { "Alle roller, puljen kræver, er besat." }
            } else {
                tag("p", .class("warning")) { "Mangler: " + missing.map(\.name).joined(separator: ", ") + "." }
            }
            if let by = found.record.organisationConfirmedBy, let at = found.record.organisationConfirmedAt {
                tag("p") { "Godkendt af \(by) \(DanishTime.dateTime(at))." }
            } else {
                tag("p") { "Organiseringen er ikke godkendt på ledelsesniveau endnu." }
            }
            if found.access.mayWrite {
                tag(
                    "form", .init("method", "post"), .init("action", SiteURL.grantTeam(found.id).path),
                    .class("compact-form")
                ) {
                    Layout.csrfField(context)
                    tag("h3") { "Tilføj en person" }
                    FormField.text("member.name", label: "Navn", value: posted["member.name"], errors: errors)
                    FormField.text(
                        "member.email", label: "E-mail", value: posted["member.email"], errors: errors,
                        hint: "Personen får besked, når der er nyt i sagen.", type: "email")
                    FormField.select(
                        "member.role", label: "Rolle",
                        options: [("", "Vælg rolle")]
                            + found.terms.teamRoles.map { ($0.id, $0.name + ($0.required ? "" : " (valgfri)")) },
                        selected: posted["member.role"], errors: errors)
                    FormField.select(
                        "member.group", label: "Gruppe",
                        options: [("", "Vælg gruppe")] + TeamGroup.allCases.map { ($0.rawValue, $0.danishName) },
                        selected: posted["member.group"], errors: errors)
                    tag("button", .type("submit"), .class("button secondary")) { "Tilføj" }
                }
                if context.user?.may(.confirmGrantOrganisation) == true && found.record.organisationConfirmedAt == nil {
                    Document.postButton(
                        action: SiteURL.confirmGrantTeam(found.id).path, label: "Godkend organiseringen",
                        csrfField: Layout.csrfField(context), style: "button")
                }
            }
        }
    }

    static func reports(_ found: GrantCase) -> Node {
        tag("section", .aria("labelledby", "statusrapporter")) {
            tag("h2", .id("statusrapporter")) { "Statusrapporter" }
            if found.rounds.isEmpty {
                tag("p") { "Styrelsen har ikke bedt om statusrapporter endnu." }
            } else {
                tag("ul", .class("task-list")) {
                    for round in found.rounds {
                        let report = found.reports[round.id!]
                        let state = DueState.of(
                            due: round.dueAt, done: report?.reportStatus.isDelivered ?? false, at: found.now)
                        tag("li") {
                            tag("a", .href(SiteURL.statusReport(found.id, round.id!).path)) { round.title }
                            (round.isFinal ? " (slutrapporten)" : "") + " – "
                                + (report?.reportStatus.danishName ?? "Ikke påbegyndt") + ". "
                                + state.danishText(due: round.dueAt)
                        }
                    }
                }
            }
        }
    }

    static func changes(_ found: GrantCase, errors: FormErrors, posted: Posted, context: PageContext) -> Node {
        let decides = context.user?.may(.decideChangeRequests, ownedBy: found.record.$organisation.id) == true
        return tag("section", .aria("labelledby", "aendringer")) {
            tag("h2", .id("aendringer")) { "Ændringer" }
            if found.changes.isEmpty { tag("p") { "Der er ikke anmodet om ændringer." } }
            for change in found.changes {
                tag("article", .class("change")) {
                    tag("h3") { change.changeKind.danishName + " – " + change.changeStatus.danishName }
                    tag("p") { change.description }
                    tag("dl", .class("facts")) {
                        Document.fact("Anmodet af", "\(change.requestedBy), \(DanishTime.dateTime(change.requestedAt))")
                        Document.fact("Behandling", change.changeHandling.danishText)
                        if change.movedOre > 0 {
                            Document.fact("Flytter", DanishAmount.kroner(Money(ore: change.movedOre)))
                        }
                        if !change.newEnd.isEmpty {
                            Document.fact("Ny slutdato", CalendarDate.danishText(ofStored: change.newEnd))
                        }
                        Document.fact("Første godkendelse", change.firstApprover ?? "")
                        Document.fact("Afgjort af", change.decidedBy ?? "")
                        Document.fact("Bemærkning", change.decisionNote)
                    }
                    if decides && change.changeStatus.isOpen {
                        let note = "note-\(change.id!.pathValue)"
                        tag(
                            "form", .init("method", "post"),
                            .init("action", SiteURL.decideChange(found.id, change.id!).path)
                        ) {
                            Layout.csrfField(context)
                            FormField.textArea(
                                note, label: "Bemærkning", value: posted[note], errors: errors,
                                hint: "Skal udfyldes ved afslag.", rows: 2)
                            tag("input", .type("hidden"), .name("noteField"), .value(note))
                            tag("button", .type("submit"), .name("decision"), .value("approve"), .class("button")) {
                                change.changeStatus == .awaitingSecondApproval ? "Giv anden godkendelse" : "Godkend"
                            }
                            " "
                            tag(
                                "button", .type("submit"), .name("decision"), .value("reject"),
                                .class("button secondary")
                            ) {
                                "Afvis"
                            }
                        }
                    }
                }
            }
            if found.access.mayWrite && found.status == .active {
                tag("details", .flag("open", !errors.isEmpty && posted["change.kind"] != nil)) {
                    tag("summary") { "Anmod om en ændring" }
                    tag("form", .init("method", "post"), .init("action", SiteURL.changeRequests(found.id).path)) {
                        Layout.csrfField(context)
                        FormField.select(
                            "change.kind", label: "Hvad ønsker I at ændre?",
                            options: [("", "Vælg")]
                                + ChangeKind.allCases.filter { found.grantsMoney || $0 != .reallocation }
                                .map { ($0.rawValue, $0.danishName) },
                            selected: posted["change.kind"], errors: errors)
                        FormField.textArea(
                            "change.description", label: "Beskrivelse og begrundelse",
                            value: posted["change.description"],
                            errors: errors, rows: 3)
                        FormField.text(
                            "change.newEnd", label: "Ny slutdato (ved forlængelse)", value: posted["change.newEnd"],
                            errors: errors, hint: "Fx 2027-06-30.", type: "date")
                        if found.grantsMoney {
                            tag("p", .class("hint")) {
                                "Ved omfordeling: ret beløbene herunder. Det samlede beløb skal være det samme. Op til \(found.terms.reallocationNoticePercent) % af budgettet kan flyttes mod orientering."
                            }
                            budgetGrid(found, start: found.budget, errors: errors, posted: posted)
                        }
                        tag("button", .type("submit"), .class("button")) { "Send anmodningen" }
                    }
                }
            }
        }
    }

    static func accounts(
        _ found: GrantCase, errors: FormErrors, posted: Posted, context: PageContext, staff: Bool
    ) -> Node {
        let grid = GrantActions.grid(found)
        return tag("section", .aria("labelledby", "regnskab")) {
            tag("h2", .id("regnskab")) { "Regnskab" }
            if found.needsAuditorStatement {
                tag("p") { "Regnskabet skal ledsages af en revisorerklæring." }
            }
            for statement in found.accounts {
                let variance = AccountsVariance(
                    approved: found.budget, actual: statement.actual(), year: statement.year)
                tag("div", .class("table-scroll")) {
                    tag("table", .class("data")) {
                        tag("caption") {
                            "Regnskab \(statement.year) – \(statement.accountsStatus.danishName) (indsendt af \(statement.submittedBy) \(DanishTime.dateTime(statement.submittedAt)))"
                        }
                        tag("thead") {
                            tag("tr") {
                                tag("th", .init("scope", "col")) { "Kategori" }
                                tag("th", .init("scope", "col"), .class("number")) { "Budget" }
                                tag("th", .init("scope", "col"), .class("number")) { "Afholdt" }
                                tag("th", .init("scope", "col"), .class("number")) { "Afvigelse" }
                            }
                        }
                        tag("tbody") {
                            for line in variance.lines {
                                tag("tr") {
                                    tag("th", .init("scope", "row")) { line.category.danishName }
                                    tag("td", .class("number")) { DanishAmount.kroner(line.approved) }
                                    tag("td", .class("number")) { DanishAmount.kroner(line.actual) }
                                    tag("td", .class("number")) {
                                        DanishAmount.kroner(line.variance) + (line.percent.map { " (\($0) %)" } ?? "")
                                    }
                                }
                            }
                            tag("tr", .class("total")) {
                                tag("th", .init("scope", "row")) { "I alt" }
                                tag("td", .class("number")) { DanishAmount.kroner(variance.approvedTotal) }
                                tag("td", .class("number")) { DanishAmount.kroner(variance.actualTotal) }
                                tag("td", .class("number")) { DanishAmount.kroner(variance.variance) }
                            }
                        }
                    }
                }
                if !statement.auditorStatement.isEmpty {
                    tag("p") { "Revisorerklæring: " + statement.auditorStatement }
                }
                if staff && statement.accountsStatus == .submitted {
                    tag(
                        "form", .init("method", "post"),
                        .init("action", SiteURL.decideAccounts(found.id, statement.id!).path)
                    ) {
                        Layout.csrfField(context)
                        tag("button", .type("submit"), .name("decision"), .value("approve"), .class("button")) {
                            "Godkend regnskabet for \(statement.year)"
                        }
                        " "
                        tag("button", .type("submit"), .name("decision"), .value("return"), .class("button secondary"))
                        {
                            "Send retur"
                        }
                    }
                }
            }
            if found.repayment > .zero {
                tag("p", .class("warning")) {
                    "Udbetalt ud over de godkendte udgifter, skal tilbagebetales: "
                        + DanishAmount.kroner(found.repayment)
                }
            }
            if found.access.mayWrite {
                tag("details", .flag("open", posted["accounts.year"] != nil)) {
                    tag("summary") { "Indsend regnskab for et projektår" }
                    tag("form", .init("method", "post"), .init("action", SiteURL.grantAccounts(found.id).path)) {
                        Layout.csrfField(context)
                        FormField.select(
                            "accounts.year", label: "Regnskabsår",
                            options: [("", "Vælg år")] + grid.years.map { (String($0), String($0)) },
                            selected: posted["accounts.year"], errors: errors)
                        for category in grid.categories {
                            FormField.text(
                                "actual.\(category.rawValue)", label: "\(category.danishName): afholdt (kr.)",
                                value: posted["actual.\(category.rawValue)"], errors: errors, inputMode: "decimal")
                        }
                        FormField.textArea(
                            "accounts.auditor", label: "Revisorerklæring (revisor og konklusion)",
                            value: posted["accounts.auditor"], errors: errors, rows: 2)
                        tag("button", .type("submit"), .class("button")) { "Indsend regnskabet" }
                    }
                }
            }
        }
    }

    static func payments(_ found: GrantCase, errors: FormErrors, posted: Posted, context: PageContext) -> Node {
        let manages = context.user?.may(.managePayments, ownedBy: found.record.$organisation.id) == true
        return tag("section", .aria("labelledby", "udbetalinger")) {
            tag("h2", .id("udbetalinger")) { "Udbetalinger" }
            tag("p") {
                sentence(
                    "Udbetalt \(DanishAmount.kroner(found.releasedPayments)) af \(DanishAmount.kroner(found.award)); klargjort og udbetalt i alt \(DanishAmount.kroner(found.committedPayments))"
                )
            }
            if !found.payments.isEmpty {
                tag("ul") {
                    for payment in found.payments {
                        tag("li") {
                            "\(DanishAmount.kroner(payment.amount)) – \(payment.paymentStatus.danishName). Klargjort af \(payment.preparedBy) \(DanishTime.dateTime(payment.preparedAt))"
                            if let by = payment.releasedBy, let at = payment.releasedAt {
                                "; frigivet af \(by) \(DanishTime.dateTime(at))"
                            }
                            "."
                            if !payment.note.isEmpty { " " + payment.note }
                            if manages && payment.paymentStatus == .prepared {
                                " "
                                Document.postButton(
                                    action: SiteURL.releasePayment(found.id, payment.id!).path,
                                    label: "Frigiv \(DanishAmount.kroner(payment.amount))",
                                    csrfField: Layout.csrfField(context), style: "button")
                            }
                        }
                    }
                }
            }
            if manages {
                tag("p") {
                    "Modtagerens konto: "
                        + (found.record.payeeAccount.isEmpty
                            ? "ikke angivet" : PayeeAccount.masked(found.record.payeeAccount))
                }
                tag(
                    "form", .init("method", "post"), .init("action", SiteURL.payeeAccount(found.id).path),
                    .class("compact-form")
                ) {
                    Layout.csrfField(context)
                    FormField.text(
                        "payee.account", label: "Konto (reg.nr. og kontonr.)", value: posted["payee.account"],
                        errors: errors,
                        hint: "Den, der ændrer kontoen, kan ikke selv frigive udbetalinger til modtageren.",
                        inputMode: "numeric")
                    tag("button", .type("submit"), .class("button secondary")) { "Gem konto" }
                }
                tag(
                    "form", .init("method", "post"), .init("action", SiteURL.grantPayments(found.id).path),
                    .class("compact-form")
                ) {
                    Layout.csrfField(context)
                    FormField.text(
                        "payment.amount", label: "Beløb (kr.)", value: posted["payment.amount"], errors: errors,
                        hint: "Udbetalingerne kan ikke overstige tilskuddet.", inputMode: "decimal")
                    FormField.text("payment.note", label: "Bemærkning", value: posted["payment.note"], errors: errors)
                    tag("button", .type("submit"), .class("button secondary")) { "Klargør udbetaling" }
                }
            }
        }
    }

    static func timeline(_ found: GrantCase) -> Node {
        tag("section", .aria("labelledby", "tidslinje")) {
            tag("h2", .id("tidslinje")) { "Tidslinje" }
            if found.timeline.isEmpty {
                tag("p") { "Intet registreret endnu." }
            } else {
                tag("ol", .class("timeline")) {
                    for row in found.timeline.reversed() {
                        tag("li") {
                            tag("strong") { DanishTime.dateTime(row.at) }
                            " – \(row.action) (\(row.who)): \(row.summary)"
                        }
                    }
                }
            }
        }
    }

    // MARK: A status report

    static func reportPage(
        _ found: GrantCase, round: ReportRoundRecord, errors: FormErrors = FormErrors(), posted: Posted? = nil,
        context: PageContext
    ) -> Node {
        let report = found.reports[round.id!]
        let questions = (try? round.questions()) ?? []
        let answers = report?.answers() ?? [:]
        let editable = found.access.mayWrite && (report?.reportStatus.isEditable ?? true)
        let staff = context.user?.may(.manageGrantCases, ownedBy: found.record.$organisation.id) == true
        let state = DueState.of(due: round.dueAt, done: report?.reportStatus.isDelivered ?? false, at: found.now)
        return Layout.page(title: "\(round.title): \(found.organisationName)", context: context) {
            tag("p", .class("breadcrumb")) {
                tag("a", .href(SiteURL.grantCase(found.id).path + "#statusrapporter")) { "Tilskudssagen" }
            }
            tag("h1") { "\(round.title): \(found.organisationName)" }
            tag("p", .class(state == .overdue ? "warning" : "lead")) { state.danishText(due: round.dueAt) }
            if round.isFinal {
                tag("p") { "Det er slutrapporten: styrelsen skal godkende den, før sagen kan afsluttes." }
            }
            tag("p") { "Status: " + (report?.reportStatus.danishName ?? "Ikke påbegyndt") }
            if let receipt = report?.receiptNumber, let at = report?.submittedAt, let by = report?.submittedBy {
                tag("p", .class("receipt")) {
                    "Indsendt af \(by) \(DanishTime.dateTimeWithSeconds(at)). Kvitteringsnummer: \(receipt)."
                }
            }
            if let comment = report?.comment, !comment.isEmpty { tag("p") { "Styrelsens bemærkning: " + comment } }
            FormField.errorSummary(errors)
            if editable {
                tag(
                    "form", .init("method", "post"), .init("action", SiteURL.statusReport(found.id, round.id!).path),
                    .data("autosave", SiteURL.statusReport(found.id, round.id!).path), .noValidate
                ) {
                    Layout.csrfField(context)
                    tag("input", .type("hidden"), .name("version"), .value(String(report?.version ?? 0)))
                    for (index, question) in questions.enumerated() {
                        FormField.textArea(
                            "answer." + question.id, label: "\(index + 1). \(question.text)",
                            value: posted?["answer." + question.id] ?? answers[question.id], errors: errors,
                            hint: "Højst \(question.maxLength) tegn." + (question.required ? "" : " Kan udelades."),
                            rows: 6)
                    }
                    // The report saves by itself as the user writes (the page's script); the status and the
                    // buttons stay at the bottom of the screen.
                    tag("div", .class("form-bar")) {
                        tag(
                            "p", .class("save-status"), .id("gem-status"), .init("role", "status"),
                            .aria("live", "polite")
                        ) { "" }
                        tag("button", .type("submit"), .class("button secondary")) { "Gem kladde" }
                        tag(
                            "button", .type("submit"), .class("button"),
                            .init("formaction", SiteURL.submitStatusReport(found.id, round.id!).path)
                        ) { "Indsend rapporten" }
                    }
                }
            } else {
                tag("dl", .class("answers")) {
                    for (index, question) in questions.enumerated() {
                        tag("dt") { "\(index + 1). \(question.text)" }
                        tag("dd") { prose(answers[question.id] ?? "") }
                    }
                }
            }
            if staff && report?.reportStatus == .submitted {
                tag(
                    "form", .init("method", "post"),
                    .init("action", SiteURL.decideStatusReport(found.id, round.id!).path)
                ) {
                    Layout.csrfField(context)
                    FormField.textArea(
                        "comment", label: "Bemærkning til kommunen", value: posted?["comment"], errors: errors,
                        hint: "Skal udfyldes, hvis rapporten sendes retur.", rows: 3)
                    tag("button", .type("submit"), .name("decision"), .value("approve"), .class("button")) {
                        "Godkend rapporten"
                    }
                    " "
                    tag("button", .type("submit"), .name("decision"), .value("return"), .class("button secondary")) {
                        "Send retur og bed om mere"
                    }
                }
            }
        }
    }

    /// Staff ask every case of a call for a status report: title, due time in Danish time, the questions.
    static func roundForm(callID: UUID, title: String, errors: FormErrors, posted: Posted, context: PageContext) -> Node
    {
        tag("details", .class("round-form"), .flag("open", !errors.isEmpty)) {
            tag("summary") { title }
            FormField.errorSummary(errors)
            tag("form", .init("method", "post"), .init("action", SiteURL.reportRounds(callID).path)) {
                Layout.csrfField(context)
                FormField.text("round.title", label: "Titel", value: posted["round.title"], errors: errors)
                FormField.text(
                    "round.date", label: "Frist, dato", value: posted["round.date"], errors: errors, type: "date")
                FormField.text(
                    "round.time", label: "Frist, klokkeslæt", value: posted["round.time"] ?? "12.00", errors: errors,
                    hint: "Dansk tid, fx 12.00.")
                FormField.textArea(
                    "round.questions", label: "Spørgsmål, ét pr. linje", value: posted["round.questions"],
                    errors: errors,
                    hint: "Tomt: " + ReportQuestion.standard.map(\.text).joined(separator: " ")
                        + " Ved slutrapporten: " + ReportQuestion.finalStandard.map(\.text).joined(separator: " "),
                    rows: 4)
                FormField.checkboxes(
                    "round.final", legend: "Slutrapport",
                    options: [("true", "Det er slutrapporten, der skal godkendes, før sagen kan afsluttes")],
                    checked: posted["round.final[]"] == "true" ? ["true"] : [], errors: errors)
                tag("button", .type("submit"), .class("button")) { "Opret rapporteringen" }
            }
        }
    }
}
