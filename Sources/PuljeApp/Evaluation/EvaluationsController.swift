import Foundation
import NIOCore
import PuljeDomain
import PuljeHTML
import Vapor

/// HTTP for evaluations, citizens, measurements, instruments and the data access log: thin; the rules are
/// in the domain (`Instrument`, `Pseudonym`, `EvaluationAccess`, `EvaluationOverview`) and the writes in
/// `EvaluationActions`.
enum EvaluationsController {
    static func find(_ req: Request) async throws -> EvaluationRecord {
        guard let id = req.parameters.get("evaluationID", as: UUID.self),
            let record = try await EvaluationStore.evaluation(id, on: req.db)
        else { throw PuljeError(.notFound, "Evalueringen findes ikke.") }
        return record
    }

    /// The evaluation and what the user sees of it; not found for those who see nothing.
    static func open(_ req: Request) async throws -> (CurrentUser, EvaluationRecord, EvaluationAccess) {
        let user = try req.requireUser()
        let record = try await find(req)
        return (user, record, try await EvaluationActions.access(user, to: record, on: req.db))
    }

    /// A citizen the user may read: their own municipality's, or any for the evaluator.
    static func citizen(
        _ req: Request, evaluation: EvaluationRecord, access: EvaluationAccess, user: CurrentUser
    )
        async throws -> EvaluationCitizenRecord
    {
        guard access.readsCitizens, let id = req.parameters.get("citizenID", as: UUID.self),
            let citizen = try await EvaluationStore.citizen(id, of: try evaluation.requireID(), on: req.db),
            access == .allCitizens || citizen.$organisation.id == user.organisationID
        else { throw PuljeError(.notFound, "Borgeren findes ikke i evalueringen.") }
        return citizen
    }

    // MARK: The list

    static func listPage(
        _ req: Request, user: CurrentUser, errors: FormErrors = .init(), posted: [String: String] = [:]
    )
        async throws -> Node
    {
        let records: [EvaluationRecord]
        if user.may(.manageDataCollection) || user.may(.readEvaluationAggregates) {
            records = try await EvaluationStore.evaluations(on: req.db)
        } else if user.may(.writeEvaluationData) {
            records = try await EvaluationStore.evaluations(forOrganisation: user.organisationID, on: req.db)
        } else {
            throw PuljeError(.forbidden, "Du har ikke adgang til evalueringerne.")
        }
        let calls =
            user.may(.manageDataCollection)
            ? try await GrantStore.callsWithCases(of: nil, on: req.db).map { (try $0.requireID().uuidString, $0.title) }
            : []
        let rows = try records.map {
            EvaluationPages.ListRow(
                id: try $0.requireID(), title: $0.title, call: $0.call.title,
                end: $0.end?.danishText ?? $0.endDate, purged: $0.purgedAt != nil)
        }
        return EvaluationPages.list(
            .init(
                rows: rows, canCreate: user.may(.manageDataCollection), calls: [("", "Vælg en pulje")] + calls,
                isMunicipal: user.may(.writeEvaluationData)),
            errors: errors, posted: posted, context: req.pageContext())
    }

    @Sendable static func index(req: Request) async throws -> Response {
        let user = try req.requireUser()
        return try await listPage(req, user: user).encodeResponse(for: req)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let posted = req.formFields
        do {
            let id = try await EvaluationActions.createEvaluation(
                title: posted["title"] ?? "", call: posted["call"] ?? "", end: posted["endDate"] ?? "", by: user,
                req: req)
            req.flash("Evalueringen er oprettet med WHO-5 ved baseline, 6 og 12 måneder. Tilpas designet.")
            return req.redirect(to: SiteURL.evaluationDesign(id).path)
        } catch let errors as FormErrors {
            return try await listPage(req, user: user, errors: errors, posted: posted)
                .response(status: .unprocessableEntity)
        }
    }

    // MARK: The overview

    @Sendable static func show(req: Request) async throws -> Response {
        try await showPage(req).response(status: .ok)
    }

    /// The evaluation's page (with the export form as sent and its errors, when it was refused).
    static func showPage(
        _ req: Request, exportFile: String? = nil, exportErrors: FormErrors = .init()
    ) async throws
        -> Node
    {
        let (user, record, access) = try await open(req)
        let id = try record.requireID()
        let design = try record.design()
        let versions = try await EvaluationStore.instrumentVersions(on: req.db)
        let overview = try await EvaluationActions.overview(
            of: id, design: design, instruments: versions,
            organisation: access == .ownCitizens ? user.organisationID : nil, suppress: access == .aggregates,
            on: req.db)
        let names = versions.compactMapValues { all in all.keys.max().flatMap { all[$0]?.name } }
        let history: [(at: Date, who: String, what: String)]? =
            access == .allCitizens || user.may(.viewAuditHistory)
            ? try await AuditLog.history(of: .evaluation(id), on: req.db).prefix(50).map {
                ($0.at, $0.actorName, AuditAction.danishName(of: $0.action) + ". " + $0.summary)
            } : nil
        let model = EvaluationPages.ShowModel(
            id: id, title: record.title, call: record.call.title, end: record.end?.danishText ?? record.endDate,
            retention: record.retentionRule, purgedAt: record.purgedAt, design: design, instrumentNames: names,
            access: access, overview: overview, history: history,
            instruments: versions.compactMapValues { all in all.keys.max().flatMap { all[$0] } },
            exports: access == .allCitizens
                ? try await ExportJobStore.jobs(of: id, requestedBy: user.id, limit: 10, on: req.db).compactMap { job in
                    guard let file = job.file, let jobID = job.id else { return nil }
                    return .init(
                        id: jobID, file: file, requestedAt: job.requestedAt, status: job.status, progress: job.progress)
                } : [],
            exportFile: exportFile, exportErrors: exportErrors)
        return EvaluationPages.show(model, context: req.pageContext())
    }

    // MARK: The design

    static func designPage(
        _ req: Request, record: EvaluationRecord, form: DesignForm, version: Int, errors: FormErrors,
        conflict: String? = nil
    ) async throws -> Node {
        EvaluationPages.design(
            .init(
                id: try record.requireID(), title: record.title, version: version, form: form,
                instruments: try await EvaluationStore.latestInstruments(on: req.db), conflict: conflict),
            errors: errors, context: req.pageContext())
    }

    @Sendable static func design(req: Request) async throws -> Response {
        let (user, record, _) = try await open(req)
        try EvaluationActions.requireEvaluator(user)
        return try await designPage(
            req, record: record, form: DesignForm(record, design: try record.design()), version: record.version,
            errors: .init()
        ).response(status: .ok)
    }

    @Sendable static func saveDesign(req: Request) async throws -> Response {
        let (user, record, _) = try await open(req)
        let form = DesignForm(pairs: req.urlEncodedPairs ?? [])
        let version = form.values["version"].flatMap { Int($0) }
        do {
            req.flash(try await EvaluationActions.saveDesign(record, form: form, version: version, by: user, req: req))
            return req.redirect(to: SiteURL.evaluation(try record.requireID()).path)
        } catch let errors as FormErrors {
            return try await designPage(
                req, record: record, form: form, version: version ?? record.version, errors: errors
            )
            .response(status: .unprocessableEntity)
        } catch let error as PuljeError where error.status == .conflict {
            let current = try await EvaluationStore.evaluation(try record.requireID(), on: req.db)
            return try await designPage(
                req, record: record, form: form, version: current?.version ?? record.version, errors: .init(),
                conflict: error.reason + " Gem igen for at skrive dine ændringer oven i."
            ).response(status: .conflict)
        }
    }

    // MARK: Citizens

    static func citizensPage(
        _ req: Request, user: CurrentUser, record: EvaluationRecord, access: EvaluationAccess,
        errors: FormErrors = .init(), posted: [String: String] = [:], importProblems: [String]? = nil
    ) async throws -> Node {
        guard access.readsCitizens else { throw PuljeError(.forbidden, "Styrelsen ser kun samlede tal for borgerne.") }
        let design = try record.design()
        let id = try record.requireID()
        let today = CalendarDate.of(req.application.now())
        let latest = try await EvaluationStore.instrumentVersions(on: req.db)
        let organisation = access == .ownCitizens ? user.organisationID : nil
        let query = EvaluationCitizenListQuery(parameters: req.queryFields)
        let page = try await EvaluationStore.citizenPage(
            of: id, organisation: organisation, query: query, limit: EvaluationCitizenListQuery.pageSize, on: req.db)
        let count = try await EvaluationStore.citizenCount(of: id, organisation: organisation, on: req.db)
        let data = try await EvaluationActions.citizenData(page.citizens, on: req.db)
        let rows = try data.map { citizen, answers, fields in
            EvaluationPages.CitizenRow(
                id: try citizen.requireID(), pseudonym: citizen.shownPseudonym, organisation: citizen.organisation.name,
                baseline: citizen.baseline,
                states: Dictionary(
                    uniqueKeysWithValues: design.points.map { point in
                        (
                            point.key,
                            EvaluationPages.stateText(
                                pointState(
                                    point, answers: answers, fields: fields, baseline: citizen.baseline,
                                    today: today, instruments: latest))
                        )
                    }))
        }
        try await EvaluationActions.logRead(
            .read, evaluation: id, pseudonyms: rows.map(\.pseudonym), user: user, req: req)
        return EvaluationPages.citizens(
            .init(
                id: id, title: record.title, access: access, design: design, rows: rows,
                mayEnrol: access == .ownCitizens && user.may(.writeEvaluationData) && record.purgedAt == nil,
                importProblems: importProblems, count: count,
                firstPage: query.after == nil ? nil : SiteURL.evaluationCitizens(id).path(query: []),
                nextPage: page.next.map { SiteURL.evaluationCitizens(id).path(query: query.parameters(after: $0)) }),
            errors: errors, posted: posted, context: req.pageContext())
    }

    static func pointState(
        _ point: MeasurementPoint, answers: CitizenData, fields: [String: [String: String]], baseline: CalendarDate?,
        today: CalendarDate, instruments: [String: [Int: Instrument]]
    ) -> EvaluationPages.PointState {
        var scores: [(name: String, text: String)] = []
        var complete = !point.instruments.isEmpty
        for key in point.instruments {
            if let given = answers.answers[point.key]?[key], let instrument = instruments[key]?[given.version],
                let score = instrument.score(given.values)
            {
                var text = "\(DanishNumber.decimal(score.score))"
                if let category = score.category { text += " (\(category))" }
                if !score.flags.isEmpty { text += ", " + score.flags.joined(separator: ", ").lowercased() }
                scores.append((instrument.name, text))
            } else {
                complete = false
            }
        }
        let started = answers.answers[point.key] != nil || fields[point.key]?.isEmpty == false
        return EvaluationPages.PointState(
            point: point, due: point.due(baseline: baseline ?? today, today: today), scores: scores,
            complete: complete, started: started)
    }

    @Sendable static func citizens(req: Request) async throws -> Response {
        let (user, record, access) = try await open(req)
        return try await citizensPage(req, user: user, record: record, access: access).encodeResponse(for: req)
    }

    @Sendable static func enrol(req: Request) async throws -> Response {
        let (user, record, access) = try await open(req)
        let posted = req.formFields
        do {
            req.flash(
                try await EvaluationActions.enrol(
                    in: record, cpr: posted["cpr"] ?? "", consent: posted["consent"] != nil,
                    baseline: posted["baseline"] ?? "", by: user, req: req))
            return req.redirect(to: SiteURL.evaluationCitizens(try record.requireID()).path)
        } catch let errors as FormErrors {
            // The CPR number is not sent back: it is never shown after entry.
            var kept = posted
            kept["cpr"] = nil
            return try await citizensPage(req, user: user, record: record, access: access, errors: errors, posted: kept)
                .response(status: .unprocessableEntity)
        }
    }

    struct Upload: Content {
        var file: File?
    }

    @Sendable static func importFile(req: Request) async throws -> Response {
        let (user, record, access) = try await open(req)
        try await EvaluationActions.requireImport(by: user, into: record, on: req.db)
        let upload = try req.content.decode(Upload.self)
        guard let file = upload.file, file.data.readableBytes > 0 else {
            return try await citizensPage(
                req, user: user, record: record, access: access, importProblems: ["Vælg en fil."]
            ).response(status: .unprocessableEntity)
        }
        do {
            req.flash(
                try await EvaluationActions.importFile(
                    Array(file.data.readableBytesView), into: record, by: user, req: req))
            return req.redirect(to: SiteURL.evaluationCitizens(try record.requireID()).path)
        } catch let refused as EvaluationActions.ImportRefused {
            return try await citizensPage(
                req, user: user, record: record, access: access, importProblems: refused.problems
            ).response(status: .unprocessableEntity)
        }
    }

    /// The evaluator's template for the municipality's import, with the evaluation's columns.
    @Sendable static func template(req: Request) async throws -> Response {
        let (_, record, access) = try await open(req)
        guard access.readsCitizens else { throw PuljeError(.forbidden, "Skabelonen er til kommunerne og evaluator.") }
        let latest = Dictionary(
            try await EvaluationStore.latestInstruments(on: req.db).map { ($0.key, $0) },
            uniquingKeysWith: { a, _ in a })
        let header = EvaluationImport.header(design: try record.design(), instruments: latest).map {
            BudgetTable.Cell.text($0)
        }
        switch req.parameters.get("file") {
        case "skabelon.csv":
            return BudgetExport.download(
                Data((BudgetTable.csvStart + BudgetTable.csvLine(header)).utf8), type: "text/csv; charset=utf-8",
                name: "skabelon.csv")
        case "skabelon.xlsx":
            return BudgetExport.download(
                try XLSX.workbook(sheet: "Borgere", rows: [header]),
                type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name: "skabelon.xlsx")
        default:
            throw PuljeError(.notFound, "Skabelonen findes som skabelon.csv og skabelon.xlsx.")
        }
    }

    @Sendable static func showCitizen(req: Request) async throws -> Response {
        let (user, record, access) = try await open(req)
        let citizen = try await citizen(req, evaluation: record, access: access, user: user)
        let id = try record.requireID()
        let design = try record.design()
        let versions = try await EvaluationStore.instrumentVersions(on: req.db)
        let entries = try await EvaluationStore.entries(ofCitizens: [try citizen.requireID()], on: req.db)
        var answers: [String: [String: (version: Int, values: [String: Int])]] = [:]
        var fields: [String: [String: String]] = [:]
        for entry in entries {
            answers[entry.pointKey] = entry.answers().mapValues { ($0.version, $0.values) }
            fields[entry.pointKey] = entry.fields()
        }
        let data = CitizenData(group: citizen.organisation.name, answers: answers)
        let today = CalendarDate.of(req.application.now())
        try await EvaluationActions.logRead(
            .read, evaluation: id, pseudonyms: [citizen.shownPseudonym], user: user, req: req)
        let model = EvaluationPages.CitizenModel(
            id: id, title: record.title, citizenID: try citizen.requireID(), pseudonym: citizen.shownPseudonym,
            organisation: citizen.organisation.name, baseline: citizen.baseline, birthYear: citizen.birthYear,
            sex: citizen.sex.flatMap { CPRNumber.Sex(rawValue: $0)?.danishName },
            points: design.points.map {
                pointState(
                    $0, answers: data, fields: fields, baseline: citizen.baseline, today: today, instruments: versions)
            },
            mayWrite: access == .ownCitizens)
        return EvaluationPages.citizen(model, context: req.pageContext()).response(status: .ok)
    }

    // MARK: Measurements

    static func entryPage(
        _ req: Request, user: CurrentUser, record: EvaluationRecord, access: EvaluationAccess,
        citizen: EvaluationCitizenRecord, point: MeasurementPoint, posted: [String: String]?, errors: FormErrors,
        conflict: String? = nil
    ) async throws -> Node {
        let design = try record.design()
        let versions = try await EvaluationStore.instrumentVersions(on: req.db)
        let citizenID = try citizen.requireID()
        let saved = try await EvaluationStore.entry(citizen: citizenID, point: point.key, on: req.db)
        var values: [String: String] = [:]
        var used: [String: Int] = [:]
        var scores: [(name: String, text: String)] = []
        if let saved {
            for (key, given) in saved.answers() {
                used[key] = given.version
                for (item, value) in given.values { values["i.\(key).\(item)"] = String(value) }
                if let instrument = versions[key]?[given.version], let score = instrument.score(given.values) {
                    scores.append(
                        (
                            instrument.scoring.scoreName,
                            DanishNumber.decimal(score.score)
                                + (score.flags.isEmpty ? "" : " – " + score.flags.joined(separator: ", "))
                        ))
                }
            }
            for (key, value) in saved.fields() { values["f.\(key)"] = value }
        }
        if let posted { values = posted.filter { $0.key.hasPrefix("i.") || $0.key.hasPrefix("f.") } }
        // The form shows the version the answers were given in, or the latest for a new one.
        let instruments = point.instruments.compactMap { key -> Instrument? in
            guard let all = versions[key] else { return nil }
            return all[used[key] ?? -1] ?? all.keys.max().flatMap { all[$0] }
        }
        let today = CalendarDate.of(req.application.now())
        let version = posted?["version"].flatMap { Int($0) } ?? saved?.version
        try await EvaluationActions.logRead(
            .read, evaluation: try record.requireID(), pseudonyms: [citizen.shownPseudonym], user: user, req: req)
        return EvaluationPages.entry(
            .init(
                id: try record.requireID(), title: record.title, citizenID: citizenID,
                pseudonym: citizen.shownPseudonym,
                point: point, due: point.due(baseline: citizen.baseline ?? today, today: today),
                instruments: instruments,
                fields: design.fields, values: values, version: version, scores: scores,
                mayWrite: access == .ownCitizens && user.may(.writeEvaluationData) && record.purgedAt == nil,
                conflict: conflict),
            errors: errors, context: req.pageContext())
    }

    static func point(_ req: Request, record: EvaluationRecord) throws -> MeasurementPoint {
        guard let key = req.parameters.get("point"), let point = try record.design().point(key) else {
            throw PuljeError(.notFound, "Målepunktet findes ikke i evalueringen.")
        }
        return point
    }

    @Sendable static func entry(req: Request) async throws -> Response {
        let (user, record, access) = try await open(req)
        let citizen = try await citizen(req, evaluation: record, access: access, user: user)
        let point = try point(req, record: record)
        return try await entryPage(
            req, user: user, record: record, access: access, citizen: citizen, point: point, posted: nil,
            errors: .init()
        ).response(status: .ok)
    }

    @Sendable static func saveEntry(req: Request) async throws -> Response {
        let (user, record, access) = try await open(req)
        let citizen = try await citizen(req, evaluation: record, access: access, user: user)
        let point = try point(req, record: record)
        let posted = req.formFields
        if req.headers.first(name: "X-Pulje-Autosave") == "1" {
            return try await autosaveEntry(
                req, user: user, record: record, citizen: citizen, point: point, posted: posted)
        }
        do {
            req.flash(
                try await EvaluationActions.saveEntry(
                    in: record, citizen: citizen, point: point, fields: posted, by: user, req: req
                ).message)
            return req.redirect(to: SiteURL.evaluationCitizen(try record.requireID(), try citizen.requireID()).path)
        } catch let errors as FormErrors {
            return try await entryPage(
                req, user: user, record: record, access: access, citizen: citizen, point: point, posted: posted,
                errors: errors
            ).response(status: .unprocessableEntity)
        } catch let error as PuljeError where error.status == .conflict {
            var kept = posted
            kept["version"] = try await EvaluationStore.entry(
                citizen: try citizen.requireID(), point: point.key, on: req.db
            ).map { String($0.version) }
            return try await entryPage(
                req, user: user, record: record, access: access, citizen: citizen, point: point, posted: kept,
                errors: .init(), conflict: error.reason + " Gem igen for at skrive dine svar oven i."
            ).response(status: .conflict)
        }
    }

    struct AutosaveResult: Content {
        var version: Int
        var savedAt: String
        var savedBy: String
        var message: String
        var fields: [String: String]
    }

    /// The measurement form's autosave (the page's script, as the form is filled in): the same rule as Gem
    /// målingen, answered in JSON. A half-filled form saves; a bad value or a stale version saves nothing.
    static func autosaveEntry(
        _ req: Request, user: CurrentUser, record: EvaluationRecord, citizen: EvaluationCitizenRecord,
        point: MeasurementPoint, posted: [String: String]
    ) async throws -> Response {
        let result: AutosaveResult
        let status: HTTPStatus
        let typedVersion = Int(posted["version"] ?? "") ?? 0
        do {
            let saved = try await EvaluationActions.saveEntry(
                in: record, citizen: citizen, point: point, fields: posted, by: user, req: req)
            let at = DanishTime.dateTimeWithSeconds(req.application.now())
            result = AutosaveResult(
                version: saved.version, savedAt: at, savedBy: user.name, message: "Gemt \(at).", fields: [:])
            status = .ok
        } catch let errors as FormErrors {
            let fields = Dictionary(errors.messages.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
            result = AutosaveResult(
                version: typedVersion, savedAt: "", savedBy: "",
                message: "Ikke gemt: " + (errors.messages.first?.message ?? "ret felterne")
                    + " Tryk Gem målingen for at se alt.",
                fields: fields)
            status = .unprocessableEntity
        } catch let refused as PuljeError where refused.status == .conflict {
            result = AutosaveResult(
                version: typedVersion, savedAt: "", savedBy: "", message: refused.reason, fields: [:])
            status = .conflict
        }
        let response = Response(status: status)
        try response.content.encode(result)
        return response
    }

    // MARK: The export

    @Sendable static func export(req: Request) async throws -> Response {
        let (user, record, access) = try await open(req)
        guard access == .allCitizens else {
            throw PuljeError(.forbidden, "Kun evaluator eksporterer data om borgerne.")
        }
        guard let file = EvaluationExport.File(name: req.parameters.get("file") ?? "") else {
            throw PuljeError(.notFound, "Eksporten findes som lang.csv, bred.csv, lang.xlsx og bred.xlsx.")
        }
        let id = try record.requireID()
        let design = try record.design()
        let versions = try await EvaluationStore.instrumentVersions(on: req.db)
        let count = try await EvaluationStore.citizenCount(of: id, on: req.db)
        try await EvaluationActions.logRead(
            .export, evaluation: id, pseudonyms: ["alle \(count) borgere, \(file.danishPhrase)"],
            user: user, req: req)
        let db = req.db
        var exporter = EvaluationExporter(form: file.form, design: design, instruments: versions)
        if file.format == .xlsx {
            // A workbook made here is made whole in memory, so it is offered up to a size that fits
            // comfortably; a larger one is made in the background (`ExportJobs`) or taken as CSV.
            let rowsPerCitizen = file.form == .wide ? 1 : Self.longRowsPerCitizen(design, versions)
            guard count * rowsPerCitizen <= Self.maximumXLSXRows else {
                throw PuljeError(
                    .unprocessableEntity,
                    "Eksporten er for stor til at blive dannet med det samme som regneark (over \(DanishNumber.grouped(Self.maximumXLSXRows)) rækker). Bestil den på evalueringens side, så dannes den i baggrunden."
                )
            }
            var table = [exporter.header]
            try await exporter.walk(id, on: db) { rows, _ in table += rows }
            return BudgetExport.download(
                try XLSX.workbook(sheet: "Evaluering", rows: table), type: file.format.contentType,
                name: file.downloadName)
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: file.format.contentType)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(file.downloadName)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        // Written a batch of citizens at a time, so memory stays flat in the number of rows.
        let body = Response.Body(managedAsyncStream: { [exporter] writer in
            var exporter = exporter
            try await writer.writeBuffer(
                ByteBuffer(string: BudgetTable.csvStart + BudgetTable.csvLine(exporter.header)))
            try await exporter.walk(id, on: db) { rows, _ in
                try await writer.writeBuffer(ByteBuffer(string: EvaluationExporter.csv(rows)))
            }
        })
        return Response(status: .ok, headers: headers, body: body)
    }

    // MARK: Exports made in the background

    /// The evaluator asks for a file; the job's page follows it.
    @Sendable static func requestExport(req: Request) async throws -> Response {
        let (user, record, access) = try await open(req)
        guard access == .allCitizens else {
            throw PuljeError(.forbidden, "Kun evaluator eksporterer data om borgerne.")
        }
        let posted = req.formFields["file"] ?? ""
        guard let file = EvaluationExport.File(name: posted) else {
            var errors = FormErrors()
            errors.add("file", "Vælg, hvilken fil eksporten skal give.")
            return try await showPage(req, exportFile: posted, exportErrors: errors)
                .response(status: .unprocessableEntity)
        }
        let job = try await ExportJobs.request(record, file: file, by: user, req: req)
        return req.redirect(to: SiteURL.evaluationExportJob(try record.requireID(), job).path)
    }

    /// An export the user asked for (no one else's).
    static func exportJob(_ req: Request) async throws -> (CurrentUser, EvaluationRecord, EvaluationExportRecord) {
        let (user, record, access) = try await open(req)
        guard access == .allCitizens, let id = req.parameters.get("exportID", as: UUID.self),
            let job = try await ExportJobStore.job(id, of: try record.requireID(), on: req.db),
            job.requestedByID == user.id, job.file != nil
        else { throw PuljeError(.notFound, "Eksporten findes ikke.") }
        return (user, record, job)
    }

    @Sendable static func exportJob(req: Request) async throws -> Response {
        let (_, record, job) = try await exportJob(req)
        guard let file = job.file, let id = job.id else { throw PuljeError(.notFound, "Eksporten findes ikke.") }
        let model = EvaluationPages.ExportJobModel(
            evaluationID: try record.requireID(), title: record.title, id: id, file: file,
            requestedBy: job.requestedBy, requestedAt: job.requestedAt, status: job.status, progress: job.progress,
            finishedAt: job.finishedAt, expiresAt: job.expiresAt, removedAt: job.removedAt, rows: job.rowsWritten,
            bytes: job.sizeBytes, failure: job.failure)
        let response = EvaluationPages.exportJob(model, context: req.pageContext()).response(status: .ok)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// What the job's page asks every second while the export is made.
    struct ExportJobState: Content {
        var status: String
        var finished: Bool
        var percent: Int
        var text: String
    }

    @Sendable static func exportJobStatus(req: Request) async throws -> Response {
        let (_, _, job) = try await exportJob(req)
        let state = ExportJobState(
            status: job.status.rawValue, finished: job.status.isFinished, percent: job.progress.percent,
            text: job.status.isFinished
                ? job.status.danishName : "\(job.status.danishName): \(job.progress.danishText)")
        let response = Response(status: .ok)
        try response.content.encode(state)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    @Sendable static func downloadExport(req: Request) async throws -> Response {
        let (user, _, job) = try await exportJob(req)
        return try await ExportJobs.download(job, by: user, req: req)
    }

    /// The largest export offered as XLSX.
    static let maximumXLSXRows = 200_000

    /// The most rows of the long form one citizen can have: every item and two scores per instrument and point,
    /// and the fields at the follow-ups.
    static func longRowsPerCitizen(_ design: EvaluationDesign, _ versions: [String: [Int: Instrument]]) -> Int {
        design.points.reduce(0) { sum, point in
            sum
                + point.instruments.reduce(0) { inner, key in
                    inner + (versions[key].flatMap { all in all.keys.max().flatMap { all[$0]?.items.count } } ?? 0) + 2
                } + (point.monthsAfterBaseline > 0 ? design.fields.count : 0)
        }
    }

    // MARK: Instruments

    static func instrumentsPage(
        _ req: Request, user: CurrentUser, form: InstrumentForm?, errors: FormErrors
    )
        async throws -> Node
    {
        InstrumentPages.list(
            .init(
                instruments: try await EvaluationStore.latestInstruments(on: req.db),
                canEdit: user.may(.manageDataCollection)),
            form: form, errors: errors, context: req.pageContext())
    }

    static func requireInstrumentReader(_ user: CurrentUser) throws {
        guard
            user.may(.manageDataCollection) || user.may(.readEvaluationAggregates) || user.may(.writeEvaluationData)
        else { throw PuljeError(.forbidden, "Du har ikke adgang til instrumenterne.") }
    }

    @Sendable static func instruments(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try requireInstrumentReader(user)
        return try await instrumentsPage(req, user: user, form: nil, errors: .init()).encodeResponse(for: req)
    }

    @Sendable static func createInstrument(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = InstrumentForm(values: req.formFields)
        do {
            req.flash(
                try await EvaluationActions.saveInstrument(form: form, existing: nil, basedOn: nil, by: user, req: req))
            return req.redirect(to: SiteURL.instrument(form.value("key")).path)
        } catch let errors as FormErrors {
            return try await instrumentsPage(req, user: user, form: form, errors: errors)
                .response(status: .unprocessableEntity)
        }
    }

    static func instrumentPage(
        _ req: Request, user: CurrentUser, form: InstrumentForm?, errors: FormErrors, conflict: String? = nil
    ) async throws -> Node {
        guard let key = req.parameters.get("instrumentKey"),
            let all = try await EvaluationStore.instrumentVersions(on: req.db)[key],
            let latest = all.keys.max(), let instrument = all[latest]
        else { throw PuljeError(.notFound, "Instrumentet findes ikke.") }
        return InstrumentPages.show(
            .init(
                instrument: instrument, versions: all.keys.sorted(), canEdit: user.may(.manageDataCollection),
                builtIn: key == Instrument.who5.key, conflict: conflict),
            form: form, errors: errors, context: req.pageContext())
    }

    @Sendable static func instrument(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try requireInstrumentReader(user)
        return try await instrumentPage(req, user: user, form: nil, errors: .init()).encodeResponse(for: req)
    }

    @Sendable static func saveInstrument(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let posted = req.formFields
        let form = InstrumentForm(values: posted)
        let key = req.parameters.get("instrumentKey") ?? ""
        do {
            req.flash(
                try await EvaluationActions.saveInstrument(
                    form: form, existing: key, basedOn: posted["version"].flatMap { Int($0) }, by: user, req: req))
            return req.redirect(to: SiteURL.instrument(key).path)
        } catch let errors as FormErrors {
            return try await instrumentPage(req, user: user, form: form, errors: errors)
                .response(status: .unprocessableEntity)
        } catch let error as PuljeError where error.status == .conflict {
            return try await instrumentPage(req, user: user, form: nil, errors: .init(), conflict: error.reason)
                .response(status: .conflict)
        }
    }

    // MARK: The data access log

    @Sendable static func accessLog(req: Request) async throws -> Response {
        try req.authorize(.readDataAccessLog)
        let query = req.queryFields
        var before: (Date, UUID)?
        if let token = query["foer"], let cursor = ListCursor(token: token), let at = Double(cursor.value),
            at.isFinite, abs(at) < 10_000_000_000
        {
            before = (Date(timeIntervalSince1970: at), cursor.id)
        }
        let pageSize = 100
        let records = try await EvaluationStore.accessLog(before: before, limit: pageSize + 1, on: req.db)
        let titles = Dictionary(
            try await EvaluationStore.evaluations(on: req.db).map { (try $0.requireID(), $0.title) },
            uniquingKeysWith: { first, _ in first })
        let shown = records.prefix(pageSize)
        let rows = shown.map {
            EvaluationPages.LogRow(
                at: $0.at, who: $0.actorName, organisation: $0.organisationName,
                action: DataAccessAction(rawValue: $0.action)?.danishName ?? $0.action,
                evaluation: $0.evaluationID.flatMap { titles[$0] }, count: $0.recordCount, records: $0.records)
        }
        var next: String?
        if records.count > pageSize, let last = shown.last, let id = last.id {
            next =
                SiteURL.dataAccessLog.path + "?foer="
                + ListCursor(value: String(last.at.timeIntervalSince1970), id: id).token
        }
        return EvaluationPages.accessLog(rows, next: next, context: req.pageContext()).response(status: .ok)
    }
}
