import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// HTTP for the grant cases: each handler opens the case, hands the form to a use case in `GrantActions`,
/// and answers with a redirect and a confirmation, or the page again with the refusal by its field (422).
enum GrantsController {
    static func fields(_ req: Request) -> GrantActions.Fields { req.formFields }

    /// Runs a use case on the case of the path; on success back to the case's section, on refused input the
    /// case page with the errors and what was typed.
    static func act(
        _ req: Request, section: String,
        _ action: @escaping (GrantCase, CurrentUser, GrantActions.Fields) async throws -> String
    ) async throws -> Response {
        let user = try req.requireUser()
        let found = try await GrantCase.open(req, full: false)
        let fields = fields(req)
        do {
            req.flash(try await action(found, user, fields))
            return req.redirect(to: SiteURL.grantCase(found.id).path + "#" + section)
        } catch let errors as FormErrors {
            return GrantPages.casePage(
                try await GrantCase.open(req), errors: errors, posted: fields, context: req.pageContext()
            ).response(status: .unprocessableEntity)
        }
    }

    /// The list of cases; for staff who manage them, a panel per call with its activities and the forms that
    /// act on all its cases (`failed` names the call whose form was refused, with its errors and input).
    static func listPage(
        _ req: Request, user: CurrentUser, errors: FormErrors = FormErrors(), posted: GrantPages.Posted = [:],
        failed: UUID? = nil
    ) async throws -> Node {
        let staff = user.may(.readGrantCase, ownedBy: UUID())
        let organisation = staff ? nil : user.organisationID
        let query = GrantCaseListQuery(parameters: req.queryFields)
        let page = try await GrantStore.casePage(
            query, of: organisation, limit: GrantCaseListQuery.pageSize, on: req.db)
        // The overviews are of the calls on this page: with years of calls, a list of every call's panel would be
        // the page's whole cost (660 ms at 20.000 cases over 1.000 calls). The activity panels are shown in the
        // order by call, where a page has a call or two beside their cases (by recipient or newest first a page
        // spans up to 50 calls, and 50 panels took 35–50 ms); a refused panel's call is always shown, with
        // its errors, wherever it is in the list.
        let calls = try await CallStore.records(Array(Set(page.rows.map(\.callID))), on: req.db)
            .sorted { $0.title < $1.title }
        var panelCalls = query.sort == .call ? calls : []
        if let failed, !panelCalls.contains(where: { $0.id == failed }) {
            panelCalls += try await CallStore.records([failed], on: req.db)
        }
        var panels: [GrantPages.CallPanel] = []
        if user.may(.manageGrantCases) {
            for call in panelCalls {
                panels.append(
                    GrantPages.CallPanel(
                        callID: try call.requireID(), title: call.title,
                        roles: (try? call.rules().terms.teamRoles) ?? [],
                        activities: try await ActivityStore.activities(of: try call.requireID(), on: req.db)))
            }
        }
        return GrantPages.list(
            page.rows.map(GrantPages.row), calls: try calls.map { (try $0.requireID(), $0.title, $0.initiativeNumber) },
            staff: staff, context: req.pageContext(), query: query, next: page.next,
            anyCases: !page.rows.isEmpty || query.after != nil || query.isFiltered,
            panels: panels, panelsElsewhere: user.may(.manageGrantCases) && query.sort != .call,
            errors: errors, posted: posted, failed: failed)
    }

    @Sendable static func index(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard user.may(.readGrantCase) else { throw PuljeError(.forbidden, "Du har ikke adgang til tilskudssager.") }
        return try await listPage(req, user: user).encodeResponse(for: req)
    }

    /// The agency's overview of a call's grant cases, for its case staff.
    /// The signed-in member of staff who may see every grant case; anyone else is refused.
    static func overviewReader(_ req: Request) throws -> CurrentUser {
        let user = try req.requireUser()
        guard user.may(.readGrantCase, ownedBy: UUID()) else {
            throw PuljeError(.forbidden, "Kun styrelsens sagsbehandlere ser overblikket over tilskudssagerne.")
        }
        return user
    }

    /// A call's grant cases as the overview sees them.
    static func overviewCases(of call: UUID, for user: CurrentUser, _ req: Request) async throws -> [GrantCase] {
        try await GrantCase.load(
            try await GrantStore.cases(ofCall: call, on: req.db), for: user, at: req.application.now(), on: req.db)
    }

    static func overview(_ req: Request) async throws -> GrantOverviewPage.Model {
        let user = try overviewReader(req)
        let call = try await CallStore.visible(req)
        let cases = try await overviewCases(of: try call.requireID(), for: user, req)
        return GrantOverviewPage.model(callID: try call.requireID(), callTitle: call.title, cases: cases)
    }

    /// Every call under an initiative, round by round; an initiative no call names is not found.
    static func initiativeOverview(_ req: Request) async throws -> GrantOverviewPage.InitiativeModel {
        let user = try overviewReader(req)
        // Only the number as written ("1.8"): no white space, leading zeros or other spellings of it.
        guard let raw = req.parameters.get("number"), let number = InitiativeNumber(raw), number.description == raw
        else { throw PuljeError(.notFound, "Initiativet findes ikke.") }
        let calls = try await CallStore.calls(ofInitiative: number.description, on: req.db)
        var rounds: [InitiativeGrantOverview.Round] = []
        for call in calls {
            let cases = try await overviewCases(of: try call.requireID(), for: user, req)
            rounds.append(
                InitiativeGrantOverview.Round(
                    callID: try call.requireID(), title: call.title,
                    overview: GrantOverview(rows: cases.map(GrantOverviewPage.row))))
        }
        return GrantOverviewPage.InitiativeModel(
            number: number.description, callCount: calls.count, overview: InitiativeGrantOverview(rounds: rounds))
    }

    @Sendable static func initiativeOverviewPage(req: Request) async throws -> Node {
        GrantOverviewPage.initiativePage(try await initiativeOverview(req), context: req.pageContext())
    }

    @Sendable static func initiativeOverviewCSV(req: Request) async throws -> Response {
        let model = try await initiativeOverview(req)
        return BudgetExport.download(
            Data(BudgetTable.csv(rows: model.overview.table()).utf8), type: "text/csv; charset=utf-8",
            name: "initiativ-\(model.number).csv")
    }

    @Sendable static func initiativeOverviewXLSX(req: Request) async throws -> Response {
        let model = try await initiativeOverview(req)
        return BudgetExport.download(
            try XLSX.workbook(sheet: "Initiativ \(model.number)", rows: model.overview.table()),
            type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            name: "initiativ-\(model.number).xlsx")
    }

    @Sendable static func overviewPage(req: Request) async throws -> Node {
        GrantOverviewPage.page(try await overview(req), context: req.pageContext())
    }

    @Sendable static func overviewCSV(req: Request) async throws -> Response {
        let table = try await overview(req).overview.table()
        return BudgetExport.download(
            Data(BudgetTable.csv(rows: table).utf8), type: "text/csv; charset=utf-8", name: "tilskudssager.csv")
    }

    @Sendable static func overviewXLSX(req: Request) async throws -> Response {
        let table = try await overview(req).overview.table()
        return BudgetExport.download(
            try XLSX.workbook(sheet: "Tilskudssager", rows: table),
            type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name: "tilskudssager.xlsx")
    }

    @Sendable static func show(req: Request) async throws -> Node {
        GrantPages.casePage(try await GrantCase.open(req), context: req.pageContext())
    }

    @Sendable static func addMember(req: Request) async throws -> Response {
        try await act(req, section: "organisering") { try await GrantActions.addMember($0, $2, by: $1, req: req) }
    }

    @Sendable static func removeMember(req: Request) async throws -> Response {
        guard let member = req.parameters.get("memberID", as: UUID.self) else {
            throw PuljeError(.notFound, "Personen findes ikke.")
        }
        return try await act(req, section: "organisering") { found, user, _ in
            try await GrantActions.removeMember(found, member: member, by: user, req: req)
        }
    }

    @Sendable static func confirmTeam(req: Request) async throws -> Response {
        try await act(req, section: "organisering") { found, user, _ in
            try await GrantActions.confirmOrganisation(found, by: user, req: req)
        }
    }

    @Sendable static func proposeBudget(req: Request) async throws -> Response {
        try await act(req, section: "budget") { try await GrantActions.proposeBudget($0, $2, by: $1, req: req) }
    }

    @Sendable static func approveBudget(req: Request) async throws -> Response {
        try await act(req, section: "budget") { found, user, _ in
            try await GrantActions.approveBudget(found, by: user, req: req)
        }
    }

    @Sendable static func requestChange(req: Request) async throws -> Response {
        try await act(req, section: "aendringer") { try await GrantActions.requestChange($0, $2, by: $1, req: req) }
    }

    @Sendable static func decideChange(req: Request) async throws -> Response {
        guard let change = req.parameters.get("changeID", as: UUID.self) else {
            throw PuljeError(.notFound, "Ændringen findes ikke.")
        }
        return try await act(req, section: "aendringer") { found, user, fields in
            var fields = fields
            fields["note"] = fields["note-\(change.pathValue)"]
            return try await GrantActions.decideChange(found, change: change, fields, by: user, req: req)
        }
    }

    @Sendable static func submitAccounts(req: Request) async throws -> Response {
        try await act(req, section: "regnskab") { try await GrantActions.submitAccounts($0, $2, by: $1, req: req) }
    }

    @Sendable static func decideAccounts(req: Request) async throws -> Response {
        guard let accounts = req.parameters.get("accountsID", as: UUID.self) else {
            throw PuljeError(.notFound, "Regnskabet findes ikke.")
        }
        return try await act(req, section: "regnskab") { found, user, fields in
            try await GrantActions.decideAccounts(found, accounts: accounts, fields, by: user, req: req)
        }
    }

    @Sendable static func setPayeeAccount(req: Request) async throws -> Response {
        try await act(req, section: "udbetalinger") { try await GrantActions.setPayeeAccount($0, $2, by: $1, req: req) }
    }

    @Sendable static func preparePayment(req: Request) async throws -> Response {
        try await act(req, section: "udbetalinger") { try await GrantActions.preparePayment($0, $2, by: $1, req: req) }
    }

    @Sendable static func releasePayment(req: Request) async throws -> Response {
        guard let payment = req.parameters.get("paymentID", as: UUID.self) else {
            throw PuljeError(.notFound, "Udbetalingen findes ikke.")
        }
        return try await act(req, section: "udbetalinger") { found, user, _ in
            try await GrantActions.releasePayment(found, payment: payment, by: user, req: req)
        }
    }

    // MARK: Report rounds and reports

    @Sendable static func addRound(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard user.may(.manageGrantCases) else {
            throw PuljeError(
                .forbidden, "Kun styrelsens tilskudsforvaltning og fagkonsulenter opretter statusrapporteringer.")
        }
        guard let id = req.parameters.get("callID", as: UUID.self),
            let call = try await CallStore.published(id, on: req.db)
        else { throw PuljeError(.notFound, "Puljen findes ikke.") }
        let fields = fields(req)
        do {
            req.flash(try await GrantActions.addRound(call: call, fields, by: user, req: req))
            return req.redirect(to: SiteURL.grantCases.path)
        } catch let errors as FormErrors {
            return try await listPage(req, user: user, errors: errors, posted: fields, failed: id)
                .response(status: .unprocessableEntity)
        }
    }

    static func openReport(_ req: Request) async throws -> (GrantCase, ReportRoundRecord) {
        let found = try await GrantCase.open(req, full: false)
        guard let roundID = req.parameters.get("roundID", as: UUID.self),
            let round = found.rounds.first(where: { $0.id == roundID })
        else { throw PuljeError(.notFound, "Rapporteringen findes ikke.") }
        return (found, round)
    }

    @Sendable static func showReport(req: Request) async throws -> Node {
        let (found, round) = try await openReport(req)
        return GrantPages.reportPage(found, round: round, context: req.pageContext())
    }

    static func reportAct(
        _ req: Request,
        _ action: @escaping (GrantCase, ReportRoundRecord, CurrentUser, GrantActions.Fields) async throws -> String
    ) async throws -> Response {
        let user = try req.requireUser()
        let (found, round) = try await openReport(req)
        let fields = fields(req)
        do {
            req.flash(try await action(found, round, user, fields))
            return req.redirect(to: SiteURL.statusReport(found.id, round.id!).path)
        } catch let errors as FormErrors {
            let (fresh, freshRound) = try await openReport(req)
            return GrantPages.reportPage(
                fresh, round: freshRound, errors: errors, posted: fields, context: req.pageContext()
            )
            .response(status: .unprocessableEntity)
        }
    }

    @Sendable static func saveReport(req: Request) async throws -> Response {
        if req.headers.first(name: "X-Pulje-Autosave") == "1" { return try await autosaveReport(req) }
        return try await reportAct(req) {
            try await GrantActions.saveReport($0, round: $1, $3, by: $2, req: req).message
        }
    }

    /// What the page's script gets back from an autosave: the new version, or (409) that someone else saved
    /// or submitted first, and nothing was saved.
    struct ReportSaveResult: Content {
        var version: Int
        var savedAt: String
        var savedBy: String
        var conflict: Bool
        var message: String
    }

    /// The status report's autosave (`GrantActions.saveReport`, the same rule as Gem kladde), answered in
    /// JSON for the page's script.
    static func autosaveReport(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let (found, round) = try await openReport(req)
        let fields = fields(req)
        let result: ReportSaveResult
        let status: HTTPStatus
        do {
            let saved = try await GrantActions.saveReport(found, round: round, fields, by: user, req: req)
            let at = DanishTime.dateTimeWithSeconds(req.application.now())
            result = ReportSaveResult(
                version: saved.version, savedAt: at, savedBy: user.name, conflict: false, message: "Gemt \(at).")
            status = .ok
        } catch let refused as PuljeError where refused.status == .conflict {
            result = ReportSaveResult(
                version: Int(fields["version"] ?? "") ?? 0, savedAt: "", savedBy: "", conflict: true,
                message: refused.reason)
            status = .conflict
        }
        let response = Response(status: status)
        try response.content.encode(result)
        return response
    }

    @Sendable static func submitReport(req: Request) async throws -> Response {
        try await reportAct(req) { try await GrantActions.submitReport($0, round: $1, $3, by: $2, req: req) }
    }

    @Sendable static func decideReport(req: Request) async throws -> Response {
        try await reportAct(req) { try await GrantActions.decideReport($0, round: $1, $3, by: $2, req: req) }
    }

    // MARK: The payment file

    /// Released payments as CSV for the agency's finance system (Danish Excel's dialect): one line per
    /// payment with the full account, which the pages show masked (the file is the instruction to pay).
    @Sendable static func paymentsCSV(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard user.may(.managePayments, ownedBy: UUID()) else {
            throw PuljeError(.forbidden, "Kun styrelsens tilskudsforvaltning henter udbetalingsfilen.")
        }
        let rows = try await GrantStore.releasedPayments(on: req.db)
        var lines: [[BudgetTable.Cell]] = [
            ["Frigivet", "Modtager", "Pulje", "Sag", "Konto", "Beløb (kr.)", "Klargjort af", "Frigivet af"].map {
                .text($0)
            }
        ]
        for (payment, grantCase) in rows {
            lines.append([
                .text(payment.releasedAt.map { ISO8601DateFormatter().string(from: $0) } ?? ""),
                .text(grantCase.organisation.name), .text(grantCase.call.title), .text(grantCase.id!.pathValue),
                .text(grantCase.payeeAccount), .amount(payment.amount), .text(payment.preparedBy),
                .text(payment.releasedBy ?? ""),
            ])
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"udbetalinger.csv\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: BudgetTable.csv(rows: lines)))
    }

    // MARK: Closing

    @Sendable static func submitAnchoringPlan(req: Request) async throws -> Response {
        try await act(req, section: "afslutning") {
            try await GrantActions.submitAnchoringPlan($0, $2, by: $1, req: req)
        }
    }

    @Sendable static func close(req: Request) async throws -> Response {
        try await act(req, section: "afslutning") { try await GrantActions.close($0, $2, by: $1, req: req) }
    }

    // MARK: Activities

    /// Staff schedule an activity for every case of a call (`ActivityActions.schedule`).
    @Sendable static func scheduleActivity(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard user.may(.manageGrantCases) else {
            throw PuljeError(.forbidden, "Kun styrelsens tilskudsforvaltning og fagkonsulenter planlægger aktiviteter.")
        }
        guard let id = req.parameters.get("callID", as: UUID.self),
            let call = try await CallStore.published(id, on: req.db)
        else { throw PuljeError(.notFound, "Puljen findes ikke.") }
        let fields = fields(req)
        let roles = (req.urlEncodedPairs ?? []).filter { $0.key == "activity.roles[]" }.map(\.value)
        do {
            req.flash(try await ActivityActions.schedule(call: call, fields, roles: roles, by: user, req: req))
            return req.redirect(to: SiteURL.grantCases.path)
        } catch let errors as FormErrors {
            return try await listPage(req, user: user, errors: errors, posted: fields, failed: id)
                .response(status: .unprocessableEntity)
        }
    }

    /// The activity of the path, for staff only (others get 404).
    static func staffActivity(_ req: Request) async throws -> (CurrentUser, GrantActivityRecord) {
        let user = try req.requireUser()
        guard user.may(.readGrantCase, ownedBy: UUID()),
            let id = req.parameters.get("activityID", as: UUID.self),
            let activity = try await ActivityStore.activity(id, on: req.db)
        else { throw PuljeError(.notFound, "Aktiviteten findes ikke.") }
        return (user, activity)
    }

    @Sendable static func showActivity(req: Request) async throws -> Response {
        let (_, activity) = try await staffActivity(req)
        let participants = try await ActivityStore.participants(ofActivity: try activity.requireID(), on: req.db)
        let cases = try await GrantStore.cases(ofCall: activity.$call.id, on: req.db)
        let model = GrantPages.ActivityModel(
            activity: activity, callTitle: activity.call.title, roles: try activity.call.rules().terms.teamRoles,
            municipalities: cases.map { grantCase in
                GrantPages.ActivityModel.Municipality(
                    caseID: grantCase.id!, name: grantCase.organisation.name,
                    participants: participants.filter { $0.$grantCase.id == grantCase.id })
            }, now: req.application.now())
        return GrantPages.activityPage(model, context: req.pageContext()).response(status: .ok)
    }

    @Sendable static func recordAttendance(req: Request) async throws -> Response {
        let (user, activity) = try await staffActivity(req)
        let present = Set(
            (req.urlEncodedPairs ?? []).filter { $0.key == "present[]" }.compactMap { UUID(uuidString: $0.value) })
        req.flash(try await ActivityActions.recordAttendance(activity, present: present, by: user, req: req))
        return req.redirect(to: SiteURL.activity(try activity.requireID()).path)
    }

    /// The activity as a calendar file, for staff and for the municipalities with a case in its call.
    @Sendable static func activityCalendar(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let id = req.parameters.get("activityID", as: UUID.self),
            let activity = try await ActivityStore.activity(id, on: req.db)
        else { throw PuljeError(.notFound, "Aktiviteten findes ikke.") }
        let staff = user.may(.readGrantCase, ownedBy: UUID())
        let own = try await GrantStore.cases(of: user.organisationID, on: req.db).contains {
            $0.$call.id == activity.$call.id
        }
        guard staff || (own && user.may(.readGrantCase, ownedBy: user.organisationID)) else {
            throw PuljeError(.notFound, "Aktiviteten findes ikke.")
        }
        let body = ICSCalendar.event(
            uid: "aktivitet-\(id.pathValue)", stamp: req.application.now(), start: activity.startsAt,
            end: activity.endsAt, summary: activity.title,
            description: "\(activity.activityKind.danishName), \(activity.call.title)."
                + (activity.mandatory ? " Deltagelse er obligatorisk." : ""),
            location: activity.place, alarm: "\(activity.title) i morgen", product: "Aktiviteter")
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"aktivitet.ics\"")
        return Response(status: .ok, headers: headers, body: .init(string: body))
    }

    @Sendable static func register(req: Request) async throws -> Response {
        let activity = req.parameters.get("activityID", as: UUID.self)
        return try await act(req, section: "aktiviteter") { found, user, fields in
            try await ActivityActions.register(found, activity: activity, fields, by: user, req: req)
        }
    }

    @Sendable static func unregister(req: Request) async throws -> Response {
        let participant = req.parameters.get("participantID", as: UUID.self)
        return try await act(req, section: "aktiviteter") { found, user, _ in
            try await ActivityActions.unregister(found, participant: participant, by: user, req: req)
        }
    }
}
