import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import SQLKit
import Vapor

enum ApplicationsController {

    /// The agency's list of submitted applications, one keyset page at a time.
    @Sendable static func list(req: Request) async throws -> Response {
        try req.authorize(.readAllApplications)
        let query = ApplicationListQuery(parameters: req.queryFields)
        let page = try await ApplicationListStore.page(query, on: req.db)
        let model = ApplicationListPage.Model(
            query: query, rows: page.rows, next: page.next,
            callTitle: try await query.callID.asyncMap { try await CallStore.title(of: $0, on: req.db) } ?? nil,
            organisationName: try await query.organisationID.asyncMap {
                try await ReferenceData.organisationName($0, on: req.db)
            } ?? nil)
        return ApplicationListPage.view(model, context: req.pageContext()).response(status: .ok)
    }

    @Sendable static func start(req: Request) async throws -> Response {
        let user = try req.authorize(.writeApplication)
        let call = try await CallStore.visible(req)
        let (application, created) = try await ApplicationActions.start(call: call, user: user, req: req)
        let id = try application.requireID()
        guard created else { return req.redirect(to: SiteURL.application(id).path) }
        // A new application is written step by step, one section per page, from the first.
        req.flash("Ansøgningen er oprettet. Den gemmes automatisk og hver gang, du trykker Gem.")
        return req.redirect(to: SiteURL.applicationStep(id, .project).path)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await ApplicationCase.open(req)
        let content = try loaded.application.submittedContent() ?? loaded.application.content()
        // A draft saved with fields that could not be read shows them as typed, each with its problem.
        let unread = loaded.canWrite ? loaded.application.unreadInput() : nil
        var posted = unread
        posted?.version = loaded.application.version
        return ApplicationPage.view(
            loaded, content: content, formVersion: loaded.application.version,
            errors: unread?.read().errors ?? FormErrors(), conflict: nil, now: req.application.now(),
            context: req.pageContext(), posted: posted
        ).response(status: .ok)
    }

    /// One section of a draft on a page of its own, with the sections menu, the way back and on, and the
    /// save status. A submitted application, or a section the call's form does not have, shows the case page.
    @Sendable static func step(req: Request) async throws -> Response {
        let loaded = try await ApplicationCase.open(req)
        let id = try loaded.application.requireID()
        guard loaded.canWrite, let step = req.parameters.get("section").flatMap(ApplicationSection.init(rawValue:)),
            ApplicationSection.of(loaded.rules).contains(step)
        else { return req.redirect(to: SiteURL.application(id).path) }
        let unread = loaded.application.unreadInput()
        var posted = unread
        posted?.version = loaded.application.version
        return ApplicationPage.view(
            loaded, content: try loaded.application.content(), formVersion: loaded.application.version,
            errors: unread?.read().errors ?? FormErrors(), conflict: nil, now: req.application.now(),
            context: req.pageContext(), posted: posted, step: step
        ).response(status: .ok)
    }

    /// Where a save sends the user: from a step, on to the next ("Gem og fortsæt", the last on to "Tjek og
    /// indsend"), back to the one before, or to the same step, which is also where a field that cannot be
    /// read keeps the user, at the field; from the page with every section, back to it.
    static func afterSave(_ form: ApplicationForm, id: UUID, rules: CallRules, unreadable: FormErrors) -> String {
        guard let step = form.step else { return SiteURL.application(id).path }
        let (previous, next) = step.neighbours(in: ApplicationSection.of(rules))
        switch form.go {
        case "next" where unreadable.isEmpty:
            return next.map { SiteURL.applicationStep(id, $0).path } ?? SiteURL.checkApplication(id).path
        case "previous":
            return (previous.map { SiteURL.applicationStep(id, $0) } ?? .application(id)).path
        default:
            return SiteURL.applicationStep(id, step).path
        }
    }

    /// Saves a draft from the version the page was loaded at. A save from an older version is refused
    /// and the page shows the user's text and the newer saved text side by side; nothing is overwritten.
    @Sendable static func save(req: Request) async throws -> Response {
        let user = try req.requireUser()
        // Only the page's script asks for JSON, with its own header. (Vapor matches "*/*" against
        // application/json, so a browser's ordinary form post would look like it wanted JSON.)
        let wantsJSON = req.headers.first(name: "X-Pulje-Autosave") == "1"
        if wantsJSON { return try await autosave(req, user: user) }
        let loaded = try await ApplicationCase.open(req)
        guard loaded.canWrite else {
            throw ApplicationActions.notWritable
        }
        // A step posts one section; the rest of the form is as saved.
        let form = try
            (req.urlEncodedPairs.map(ApplicationForm.init(pairs:)) ?? req.content.decode(ApplicationForm.self))
            .completed(from: loaded.application)
        let id = try loaded.application.requireID()
        let version = form.version ?? -1
        // A draft keeps everything typed: what can be read is saved as content, the rest as typed.
        var (content, unreadable) = form.read()
        // After a conflict the page asked, for each field both changed, which version holds; its base is the saved.
        if let saved = form.baseContent, !form.keepSaved.isEmpty {
            content = ContentMerge.resolve(content, saved: saved, keepSaved: form.keepSaved)
        }
        let problems = DraftLimits.problems(content, rules: loaded.rules)
        guard problems.isEmpty else {
            // Out of range is never stored: the form comes back as typed, with the problem at its field.
            var errors = unreadable
            for problem in problems { errors.add(problem.field, problem.message) }
            return ApplicationPage.view(
                loaded, content: (try? loaded.application.content()) ?? ApplicationContent(), formVersion: version,
                errors: errors, conflict: nil, now: req.application.now(), context: req.pageContext(),
                posted: form, step: form.step
            ).response(status: .unprocessableEntity)
        }
        switch try await ApplicationStore.save(
            content, unread: unreadable.isEmpty ? nil : form.postedJSON, to: id, fromVersion: version, by: user,
            note: "Kladde gemt", request: req)
        {
        case .done(let record):
            req.flash(
                "Gemt \(DanishTime.dateTimeWithSeconds(record.lastSavedAt))."
                    + (unreadable.isEmpty
                        ? ""
                        : " Nogle felter kan ikke læses endnu; de er gemt, som du skrev dem, og er markeret herunder."))
            return req.redirect(to: afterSave(form, id: id, rules: loaded.rules, unreadable: unreadable))
        case .conflict(let current):
            return try await conflict(
                loaded, current: current, mine: content, form: form, unreadable: unreadable, user: user, req: req)
        }
    }

    /// Someone saved after this page was loaded. Fields only one of the two changed are merged by themselves;
    /// with nothing left to choose the merge is saved at once, else the page asks per field which version holds.
    static func conflict(
        _ loaded: ApplicationCase, current: ApplicationRecord, mine: ApplicationContent, form: ApplicationForm,
        unreadable: FormErrors, user: CurrentUser, req: Request
    ) async throws -> Response {
        let id = try current.requireID()
        let saved = try current.content()
        var reloaded = loaded
        reloaded.application = current
        guard let base = form.baseContent else {
            // No base to merge against (a form from elsewhere): both versions side by side, nothing lost.
            return ApplicationPage.view(
                reloaded, content: mine, formVersion: current.version, errors: unreadable, conflict: saved,
                now: req.application.now(), context: req.pageContext(), posted: form, step: form.step
            ).response(status: .conflict)
        }
        let merge = ContentMerge.merge(base: base, mine: mine, saved: saved)
        if merge.conflicts.isEmpty {
            let outcome = try await ApplicationStore.save(
                merge.merged, unread: unreadable.isEmpty ? nil : form.postedJSON, to: id, fromVersion: current.version,
                by: user, note: "Kladde gemt (lagt sammen med \(current.lastSavedBy)s ændringer)", request: req)
            if case .done(let record) = outcome {
                req.flash(
                    "Gemt \(DanishTime.dateTimeWithSeconds(record.lastSavedAt)). \(current.lastSavedBy) havde gemt i mellemtiden; I har ændret forskellige felter, og begges ændringer er med."
                )
                return req.redirect(to: afterSave(form, id: id, rules: loaded.rules, unreadable: unreadable))
            }
        }
        var merged = ApplicationForm(merge.merged, version: current.version)
        merged.base = ApplicationStore.encode(saved)
        merged.section = form.section
        merged.go = form.go
        return ApplicationPage.view(
            reloaded, content: merge.merged, formVersion: current.version, errors: unreadable, conflict: saved,
            now: req.application.now(), context: req.pageContext(), posted: merged,
            conflicts: merge.conflicts, step: form.step
        ).response(status: .conflict)
    }

    /// The autosave: the same rules as the page's save, with only the queries a save needs (the deadline
    /// surge is mostly these): the application row, and whether the user writes on it.
    static func autosave(_ req: Request, user: CurrentUser) async throws -> Response {
        guard let id = req.parameters.get("applicationID", as: UUID.self),
            let facts = try await ApplicationStore.writerFacts(id, user: user.id, on: req.db),
            facts.organisation == user.organisationID
        else { throw PuljeError(.notFound, "Ansøgningen findes ikke.") }
        // The same rule as `load`, asked with only what a save needs.
        let access = CaseAccess.of(
            user.actor, ownOrganisation: true, writesOnIt: facts.writesOnIt, status: facts.status,
            assignment: .notAssigned)
        guard access.mayRead else { throw PuljeError(.notFound, "Ansøgningen findes ikke.") }
        guard access.mayWrite else { throw ApplicationActions.notWritable }
        var form = try req.urlEncodedPairs.map(ApplicationForm.init(pairs:)) ?? req.content.decode(ApplicationForm.self)
        if form.step != nil {
            // A step posts one section: the rest is read from the draft as saved (one more query, steps only).
            guard let current = try await ApplicationCaseStore.application(id, on: req.db) else {
                throw PuljeError(.notFound, "Ansøgningen findes ikke.")
            }
            form = try form.completed(from: current)
        }
        let version = form.version ?? -1
        let (content, unreadable) = form.read()
        let rules = try CallJSON.rules(facts.rulesJSON)
        let problems = DraftLimits.problems(content, rules: rules)
        guard problems.isEmpty else {
            let response = Response(status: .unprocessableEntity)
            try response.content.encode(
                SaveResult(
                    version: version, savedAt: "", savedBy: "", conflict: false,
                    message: "Ikke gemt: " + problems.map(\.message).joined(separator: " "),
                    fields: ApplicationProblem.byField(problems)))
            return response
        }
        let progress = ApplicationProgress.afterSave(
            content, unreadable: unreadable.messages.map { ApplicationProblem($0.field, $0.message) }, rules: rules)
        return try await saveForScript(
            req, id: id, content: content, unread: unreadable.isEmpty ? nil : form.postedJSON,
            unreadable: unreadable, version: version, user: user, progress: progress)
    }

    struct SaveResult: Content {
        var version: Int
        var savedAt: String
        var savedBy: String
        var conflict: Bool
        var message: String
        /// What is wrong, by field ("budget.0"), for the script to show where the user is.
        var fields: [String: String] = [:]
        /// The content just saved, as the page's new base for merging should someone else save next.
        var base: String? = nil
        /// What is missing per section of the form after the save ("budget": 2), for the sections menu.
        var sections: [String: Int]? = nil
    }

    /// The autosave answer for the page's script: JSON with the new version, or 409 with the newer one.
    static func saveForScript(
        _ req: Request, id: UUID, content: ApplicationContent, unread: String?, unreadable: FormErrors, version: Int,
        user: CurrentUser, progress: ApplicationProgress
    )
        async throws -> Response
    {
        var outcome = try await ApplicationStore.quickSave(
            content, unread: unread, to: id, fromVersion: version, by: user, note: "Kladde gemt automatisk",
            request: req)
        // A save repeated because its answer was lost (the connection or the server went away after it was
        // stored): what is stored is exactly what is sent, so it is saved, not a conflict.
        if case .conflict(let current) = outcome, unread == nil,
            let stored = try await ApplicationCaseStore.application(id, on: req.db),
            stored.unreadInputJSON == nil, stored.version == current.version,
            stored.contentJSON == ApplicationStore.encode(content)
        {
            outcome = .done(
                ApplicationStore.SaveStamp(
                    version: stored.version, savedAt: stored.lastSavedAt, savedBy: stored.lastSavedBy,
                    contentJSON: stored.contentJSON))
        }
        let response: Response
        switch outcome {
        case .done(let stamp):
            response = Response(status: .ok)
            try response.content.encode(
                SaveResult(
                    version: stamp.version, savedAt: DanishTime.dateTimeWithSeconds(stamp.savedAt),
                    savedBy: stamp.savedBy, conflict: false,
                    message: "Gemt \(DanishTime.dateTimeWithSeconds(stamp.savedAt))."
                        + (unreadable.isEmpty
                            ? ""
                            : " Kan ikke læses endnu (gemt, som du skrev det): "
                                + unreadable.messages.map(\.message).joined(separator: " ")),
                    fields: Dictionary(
                        unreadable.messages.map { ($0.field, $0.message) }, uniquingKeysWith: { $0 + " " + $1 }),
                    base: stamp.contentJSON, sections: progress.counts))
        case .conflict(let current):
            response = Response(status: .conflict)
            try response.content.encode(
                SaveResult(
                    version: current.version, savedAt: DanishTime.dateTimeWithSeconds(current.savedAt),
                    savedBy: current.savedBy, conflict: true,
                    message:
                        "\(current.savedBy) har gemt en nyere udgave \(DanishTime.dateTimeWithSeconds(current.savedAt)). Din tekst er ikke gemt endnu: tryk Gem, så lægges jeres ændringer sammen, og du vælger, hvor I har ændret det samme."
                ))
        }
        return response
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let now = req.application.now()
        let user = try req.requireUser()
        let loaded = try await ApplicationCase.open(req)
        let form = try req.urlEncodedPairs.map(ApplicationForm.init(pairs:)) ?? req.content.decode(ApplicationForm.self)
        let id = try loaded.application.requireID()
        switch try await ApplicationActions.submit(loaded, version: form.version, user: user, at: now, req: req) {
        case .submitted, .alreadySubmitted:
            return req.redirect(to: SiteURL.receipt(id).path)
        case .refused(let problems, let status):
            return CheckPage.view(
                loaded, content: try loaded.contentToSubmit(), problems: problems, now: now, context: req.pageContext()
            ).response(status: status)
        }
    }

    /// "Check your answers": the application as saved, what is missing section by section, and (when nothing
    /// is) the button that submits exactly the version shown.
    @Sendable static func check(req: Request) async throws -> Response {
        let loaded = try await ApplicationCase.open(req)
        guard loaded.application.applicationStatus == .draft else {
            return req.redirect(to: SiteURL.application(try loaded.application.requireID()).path)
        }
        return CheckPage.view(
            loaded, content: try loaded.contentToSubmit(), problems: try loaded.submissionProblems(),
            now: req.application.now(), context: req.pageContext()
        ).response(status: .ok)
    }

    /// A municipal signatory approves the draft as it is saved, where the call requires approval before
    /// submission. Recorded with name, time and version; any later save needs a new approval.
    @Sendable static func approve(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let loaded = try await ApplicationCase.open(req)
        let application = loaded.application
        let id = try application.requireID()
        guard loaded.rules.requiredApproval != nil else {
            throw PuljeError(.notFound, "Ansøgninger til denne pulje skal ikke godkendes før indsendelse.")
        }
        guard user.may(.approveApplication, ownedBy: application.$organisation.id),
            application.$organisation.id == user.organisationID
        else {
            throw PuljeError(
                .forbidden, "Kun en tegningsberettiget i \(user.organisationName) kan godkende ansøgningen.")
        }
        guard application.applicationStatus == .draft else {
            throw PuljeError(.conflict, "Ansøgningen er indsendt og kan ikke godkendes igen.")
        }
        let form = try req.urlEncodedPairs.map(ApplicationForm.init(pairs:)) ?? req.content.decode(ApplicationForm.self)
        let version = form.version ?? -1
        let now = req.application.now()
        let approved = try await req.writeTransaction { db -> Bool in
            guard try await ApplicationStore.approve(id, atVersion: version, by: user.name, at: now, on: db) else {
                return false
            }
            try await AuditLog.record(
                .applicationApprove, subject: .application(id),
                summary: "Godkendt af \(user.name) (tegningsberettiget) som version \(version).", by: user, on: db,
                request: req)
            return true
        }
        req.flash(
            approved
                ? "Ansøgningen er godkendt. Den ansvarlige kan nu indsende den."
                : "Ansøgningen er gemt igen, siden du åbnede den. Læs den igennem, og godkend den nuværende udgave.")
        return req.redirect(to: req.applicationStep(id) ?? SiteURL.application(id).path)
    }

    /// The application as one page to print or save as PDF: what was submitted (or the draft as saved), with
    /// the receipt's facts.
    @Sendable static func printable(req: Request) async throws -> Response {
        let loaded = try await ApplicationCase.open(req, withCase: true)
        let content = try loaded.application.submittedContent() ?? loaded.application.content()
        return PrintPage.view(loaded, content: content, context: req.pageContext()).response(status: .ok)
    }

    @Sendable static func receipt(req: Request) async throws -> Response {
        let loaded = try await ApplicationCase.open(req)
        guard loaded.application.submissionNumber != nil else {
            throw PuljeError(.notFound, "Ansøgningen er ikke indsendt.")
        }
        return ReceiptPage.view(loaded, context: req.pageContext()).response(status: .ok)
    }

    @Sendable static func withdraw(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await ApplicationActions.withdraw(try await ApplicationCase.open(req), user: user, req: req)
        req.flash("Ansøgningen er trukket tilbage.")
        return req.redirect(to: SiteURL.myCases.path)
    }

    /// "Slet kladde": the responsible person deletes a draft with its attachments. The audit entry stays.
    @Sendable static func deleteDraft(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let loaded = try await ApplicationCase.open(req, withCase: true)
        guard loaded.canWrite, loaded.isResponsible, loaded.application.applicationStatus.mayBeDeleted else {
            throw PuljeError(.forbidden, "Kun den ansvarlige kan slette en kladde, og kun før den er indsendt.")
        }
        let id = try loaded.application.requireID()
        let files = try loaded.attachments.map { try $0.requireID() }
        let title = (try? loaded.application.content().projectTitle) ?? ""
        let deleted = try await req.writeTransaction { db -> Bool in
            guard try await ApplicationStore.deleteDraft(id, on: db) else { return false }
            try await AuditLog.record(
                .applicationDelete, subject: .application(id),
                summary: "Kladden til \"\(loaded.call.title)\"" + (title.isEmpty ? "" : " (\"\(title)\")")
                    + " er slettet.",
                by: user, on: db, request: req)
            return true
        }
        guard deleted else {
            throw PuljeError(
                .conflict, "Ansøgningen er indsendt i mellemtiden og kan ikke slettes. Den kan trækkes tilbage.")
        }
        // The files go once the rows are gone; a file left by a crash here is unreachable, never shown.
        for file in files { AttachmentFiles.remove(file, in: req.application) }
        req.flash("Kladden er slettet.")
        return req.redirect(to: SiteURL.myCases.path)
    }

    struct EmailForm: Content { var email: String? }

    /// Adds a colleague from the same organisation as a contributor.
    @Sendable static func addContributor(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let loaded = try await ApplicationCase.open(req)
        guard loaded.canWrite else { throw ApplicationActions.notWritable }
        let id = try loaded.application.requireID()
        let email = (try req.content.decode(EmailForm.self).email ?? "").trimmingCharacters(in: .whitespaces)
            .lowercased()
        guard
            let colleague = try await UserStore.activeUser(email: email, in: user.organisationID, on: req.db),
            colleague.roleSet.contains(where: { [.municipalApplicant, .municipalSignatory].contains($0) })
        else {
            req.flash(
                "Der findes ingen aktiv bruger med e-mailadressen \"\(email)\" i \(user.organisationName), der kan skrive ansøgninger."
            )
            return req.redirect(to: SiteURL.application(id).path)
        }
        let colleagueID = try colleague.requireID()
        if colleagueID != loaded.responsible.id, !loaded.contributors.contains(where: { $0.id == colleagueID }) {
            try await req.writeTransaction { db in
                try await ApplicationStore.addContributor(colleagueID, to: id, on: db)
                try await AuditLog.record(
                    .applicationContributor, subject: .application(id),
                    summary: "\(colleague.name) <\(colleague.email)> tilføjet som bidragyder.", by: user, on: db,
                    request: req)
            }
        }
        req.flash("\(colleague.name) kan nu skrive med på ansøgningen.")
        return req.redirect(to: SiteURL.application(id).path)
    }

    struct ResponsibleForm: Content { var userID: UUID? }

    /// Hands responsibility (and so the right to submit) to a contributor.
    @Sendable static func handOver(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let loaded = try await ApplicationCase.open(req)
        guard loaded.canWrite, loaded.isResponsible else {
            throw PuljeError(.forbidden, "Kun den ansvarlige kan give ansvaret videre.")
        }
        let id = try loaded.application.requireID()
        guard let newID = try req.content.decode(ResponsibleForm.self).userID,
            let colleague = loaded.contributors.first(where: { $0.id == newID })
        else {
            req.flash("Vælg en af bidragyderne.")
            return req.redirect(to: SiteURL.application(id).path)
        }
        try await req.writeTransaction { db in
            try await ApplicationStore.handOver(id, from: user.id, to: newID, on: db)
            try await AuditLog.record(
                .applicationResponsible, subject: .application(id),
                summary: "Ansvaret er givet videre fra \(user.name) til \(colleague.name).", by: user, on: db,
                request: req)
        }
        req.flash("\(colleague.name) er nu ansvarlig for ansøgningen.")
        return req.redirect(to: SiteURL.application(id).path)
    }

    @Sendable static func myCases(req: Request) async throws -> Response {
        let user = try req.authorize(.readApplication)
        guard user.may(.writeApplication) else {
            throw PuljeError(
                .forbidden, "Mine sager er for ansøgere. Styrelsens medarbejdere finder ansøgningerne under puljerne.")
        }
        let query = MyCasesQuery(parameters: req.queryFields)
        let applications = try await ApplicationStore.page(of: user.organisationID, query, on: req.db)
        let grantCases = try await GrantStore.page(of: user.organisationID, after: query.grantCasesAfter, on: req.db)
        let now = req.application.now()
        let grants = try await GrantCase.load(grantCases.rows, for: user, at: now, on: req.db)
        return MyCasesPage.view(
            applications.rows, grants: grants, user: user, now: now,
            paging: .init(query: query, next: applications.next, grantCasesNext: grantCases.next),
            context: req.pageContext()
        ).response(status: .ok)
    }

    @Sendable static func history(req: Request) async throws -> Response {
        let loaded = try await ApplicationCase.open(req)
        let id = try loaded.application.requireID()
        let user = try req.requireUser()
        let entries = AuditHistory.rows(
            try await AuditLog.history(of: .application(id), on: req.db), reader: CaseHistoryReader(actor: user.actor),
            readerOrganisation: user.organisationID)
        return AuditHistory.view(
            title: "Historik for ansøgningen", backLink: (SiteURL.application(id), loaded.call.title), entries: entries,
            context: req.pageContext()
        ).response(status: .ok)
    }
}
