import Fluent
import PuljeDomain
import PuljeHTML
import Vapor

enum InitiativesController {
    @Sendable static func index(req: Request) async throws -> Response {
        let query = CatalogueQuery(
            area: (try? req.query.get(String.self, at: "omraade")).flatMap(ProgrammeArea.init(rawValue:)),
            phase: (try? req.query.get(String.self, at: "fase")).flatMap(SUSIPhase.init(rawValue:)),
            text: (try? req.query.get(String.self, at: "q")) ?? "")
        let all = try await CatalogueStore.all(on: req.db)
        let model = InitiativeList.Model(query: query, initiatives: query.filter(all), totalCount: all.count)
        return InitiativeList.view(model, context: req.pageContext()).response(status: .ok)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let record = try await findRecord(req)
        let initiative = try record.toDomain()
        let context = req.pageContext()
        return InitiativeShow.view(
            initiative, canEdit: context.user?.may(.editCatalogue) ?? false,
            canSeeHistory: context.user?.may(.viewAuditHistory) ?? false,
            canSeeGrantCases: context.user?.may(.readGrantCase, ownedBy: UUID()) ?? false,
            businessCases: context.user?.may(.readBusinessCases) == true
                ? try await BusinessCaseStore.of(
                    year: initiative.programmeYear, number: initiative.number.description, on: req.db)
                : [],
            canSeePhaseGate: context.user?.may(.readPhaseVerdicts) ?? false,
            hasVerdicts: try await PhaseGateStore.verdicts(
                year: initiative.programmeYear, number: initiative.number.description, on: req.db
            ).contains { $0.verdictStatus == .decided },
            updatedAt: record.updatedAt,
            context: context
        ).response(status: .ok)
    }

    @Sendable static func new(req: Request) async throws -> Response {
        try req.authorize(.editCatalogue)
        var form = InitiativeForm()
        form.programmeYear = String(DanishTime.calendar.component(.year, from: req.application.now()))
        form.priceLevel = form.programmeYear
        return InitiativeEdit.view(form: form, errors: FormErrors(), existing: nil, context: req.pageContext())
            .response(status: .ok)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let user = try req.authorize(.editCatalogue)
        let form = try req.content.decode(InitiativeForm.self)
        var errors: FormErrors
        switch form.validate() {
        case .success(let initiative):
            if try await CatalogueStore.record(
                year: initiative.programmeYear, number: initiative.number.description, on: req.db) == nil
            {
                try await req.writeTransaction { db in
                    try await CatalogueStore.save(initiative, replacing: nil, on: db)
                    try await AuditLog.record(
                        .initiativeCreate,
                        subject: .initiative(year: initiative.programmeYear, number: initiative.number.description),
                        summary:
                            "Initiativ \(initiative.number) \"\(initiative.title)\" oprettet med budget \(DanishAmount.kroner(initiative.budget.total))",
                        by: user, on: db, request: req)
                }
                req.flash("Initiativ \(initiative.number) er oprettet.")
                return req.redirect(
                    to: SiteURL.initiative(year: initiative.programmeYear, number: initiative.number.description).path)
            }
            errors = FormErrors()
            errors.add(
                "number",
                "Der findes allerede et initiativ \(initiative.number) i programåret \(initiative.programmeYear).")
        case .failure(let found):
            errors = found
        }
        return InitiativeEdit.view(form: form, errors: errors, existing: nil, context: req.pageContext())
            .response(status: .unprocessableEntity)
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        try req.authorize(.editCatalogue)
        let initiative = try await findRecord(req).toDomain()
        return InitiativeEdit.view(
            form: InitiativeForm(initiative), errors: FormErrors(), existing: initiative, context: req.pageContext()
        ).response(status: .ok)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let user = try req.authorize(.editCatalogue)
        let record = try await findRecord(req)
        let old = try record.toDomain()
        var form = try req.content.decode(InitiativeForm.self)
        // The year and number are the initiative's address; they are not changed by editing.
        form.programmeYear = String(old.programmeYear)
        form.number = old.number.description
        switch form.validate() {
        case .success(var edited):
            // The form edits the sections and the budget; the facts about the printed text stay.
            edited.facts = old.facts
            let initiative = edited
            let changes = InitiativeChanges.describe(from: old, to: initiative)
            if changes.isEmpty {
                req.flash("Der var ingen ændringer at gemme.")
            } else {
                try await req.writeTransaction { db in
                    try await CatalogueStore.save(initiative, replacing: record, on: db)
                    try await AuditLog.record(
                        .initiativeUpdate,
                        subject: .initiative(year: old.programmeYear, number: old.number.description),
                        summary: changes.joined(separator: "\n"), by: user, on: db, request: req)
                }
                req.flash("Ændringerne er gemt.")
            }
            return req.redirect(to: SiteURL.initiative(year: old.programmeYear, number: old.number.description).path)
        case .failure(let errors):
            return InitiativeEdit.view(form: form, errors: errors, existing: old, context: req.pageContext())
                .response(status: .unprocessableEntity)
        }
    }

    @Sendable static func history(req: Request) async throws -> Response {
        try req.authorize(.viewAuditHistory)
        let initiative = try await findRecord(req).toDomain()
        let entries = try await AuditLog.history(
            of: .initiative(year: initiative.programmeYear, number: initiative.number.description), on: req.db)
        return AuditHistory.view(
            title: "Historik for initiativ \(initiative.number)",
            backLink: (
                SiteURL.initiative(year: initiative.programmeYear, number: initiative.number.description),
                initiative.title
            ),
            entries: AuditHistory.rows(entries), context: req.pageContext()
        ).response(status: .ok)
    }

    static func findRecord(_ req: Request) async throws -> InitiativeRecord {
        guard let year = req.parameters.get("year", as: Int.self), let number = req.parameters.get("number"),
            let record = try await CatalogueStore.record(year: year, number: number, on: req.db)
        else { throw PuljeError(.notFound, "Initiativet findes ikke.") }
        return record
    }
}
