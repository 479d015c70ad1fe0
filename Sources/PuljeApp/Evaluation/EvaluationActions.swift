import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// The evaluation's use cases: instruments and designs (the evaluator), enrolment and data entry (the
/// municipality), and the log of every read of citizen data. Each write runs in one transaction with its
/// audit entry; refused input throws `FormErrors`, a refused act `PuljeError`.
enum EvaluationActions {
    static func requireEvaluator(_ user: CurrentUser) throws {
        guard user.may(.manageDataCollection) else {
            throw PuljeError(.forbidden, "Kun evaluator kan definere instrumenter og evalueringsdesign.")
        }
    }

    /// What the user sees of the evaluation (not found when nothing).
    static func access(
        _ user: CurrentUser, to evaluation: EvaluationRecord, on db: any Database
    ) async throws
        -> EvaluationAccess
    {
        let takesPart = try await EvaluationStore.takesPart(
            user.organisationID, inCall: evaluation.$call.id, on: db)
        let access = EvaluationAccess.of(user.actor, takesPart: takesPart)
        if access == .none { throw PuljeError(.notFound, "Evalueringen findes ikke.") }
        return access
    }

    /// Every citizen's answers, for the overview (the municipality's own only, for a municipality).
    static func citizenData(
        _ evaluation: EvaluationRecord, organisation: UUID?, on db: any Database
    ) async throws -> [(EvaluationCitizenRecord, CitizenData, [String: [String: String]])] {
        try await citizenData(
            try await EvaluationStore.citizens(of: try evaluation.requireID(), organisation: organisation, on: db),
            on: db)
    }

    /// These citizens' answers and fields.
    static func citizenData(
        _ citizens: [EvaluationCitizenRecord], on db: any Database
    ) async throws -> [(EvaluationCitizenRecord, CitizenData, [String: [String: String]])] {
        let entries = try await EvaluationStore.entries(ofCitizens: try citizens.map { try $0.requireID() }, on: db)
        let byCitizen = Dictionary(grouping: entries, by: { $0.$citizen.id })
        return citizens.map { citizen in
            var answers: [String: [String: (version: Int, values: [String: Int])]] = [:]
            var fields: [String: [String: String]] = [:]
            for entry in byCitizen[citizen.id ?? UUID()] ?? [] {
                answers[entry.pointKey] = entry.answers().mapValues { ($0.version, $0.values) }
                fields[entry.pointKey] = entry.fields()
            }
            return (citizen, CitizenData(group: citizen.organisation.name, answers: answers), fields)
        }
    }

    /// The overview of an evaluation (of one municipality's citizens, for a municipality), read 1.000
    /// citizens at a time: only the counts are kept, so an evaluation of any size fits in memory.
    static func overview(
        of evaluation: UUID, design: EvaluationDesign, instruments: [String: [Int: Instrument]],
        organisation: UUID?, suppress: Bool, on db: any Database
    ) async throws -> EvaluationOverview {
        var tally = EvaluationOverview.Tally(design: design, instruments: instruments)
        var after: UUID?
        while true {
            let rows = try await EvaluationStore.exportBatch(
                of: evaluation, after: after, limit: 1000, organisation: organisation, on: db)
            guard let last = rows.last else { break }
            after = last.id
            for citizen in EvaluationExporter.citizens(rows) { tally.add(citizen.data) }
        }
        return tally.overview(suppress: suppress)
    }

    /// The design a new evaluation starts from: WHO-5 at baseline, 6 and 12 months.
    static let startingDesign = EvaluationDesign(
        points: [
            MeasurementPoint(
                key: "baseline", name: "Baseline", monthsAfterBaseline: 0, windowDays: 0, instruments: ["who5"]),
            MeasurementPoint(
                key: "6mdr", name: "6 måneder", monthsAfterBaseline: 6, windowDays: 30, instruments: ["who5"]),
            MeasurementPoint(
                key: "12mdr", name: "12 måneder", monthsAfterBaseline: 12, windowDays: 30, instruments: ["who5"]),
        ],
        fields: [DataField(key: "sessioner", label: "Sessioner afholdt siden sidste måling", kind: .count)])

    static func createEvaluation(
        title raw: String, call callText: String, end endText: String, by user: CurrentUser, req: Request
    ) async throws -> UUID {
        try requireEvaluator(user)
        var errors = FormErrors()
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty || title.count > 200 { errors.add("title", "Giv evalueringen en titel på højst 200 tegn.") }
        let callID = UUID(uuidString: callText)
        var call: CallRecord?
        if let callID {
            call = try await GrantStore.callsWithCases(of: nil, on: req.db).first { $0.id == callID }
        }
        if call == nil { errors.add("call", "Vælg en pulje med tilskudssager på listen.") }
        let end = CalendarDate(parsing: endText)
        if end == nil { errors.add("endDate", "Skriv slutdatoen som dd.mm.åååå, fx 31.12.2028.") }
        if let end, end < CalendarDate.of(req.application.now()) {
            errors.add("endDate", "Slutdatoen må ikke ligge før i dag.")
        }
        guard errors.isEmpty, let call, let end else { throw errors }
        let callRecordID = try call.requireID()
        let now = req.application.now()
        return try await req.writeTransaction { db in
            let id = try await EvaluationStore.createEvaluation(
                call: callRecordID, title: title, design: startingDesign, end: end, retention: .delete,
                by: user.name, at: now, on: db)
            try await AuditLog.record(
                .evaluationCreate, subject: .evaluation(id),
                summary: "Evaluering \"\(title)\" af puljen \"\(call.title)\" oprettet, slutdato \(end.danishText).",
                by: user, on: db, request: req)
            return id
        }
    }

    static func saveDesign(
        _ record: EvaluationRecord, form: DesignForm, version: Int?, by user: CurrentUser, req: Request
    ) async throws -> String {
        try requireEvaluator(user)
        if record.purgedAt != nil {
            throw PuljeError(.conflict, "Evalueringen er afsluttet, og borgernes data er slettet eller anonymiseret.")
        }
        let known = Set(try await EvaluationStore.latestInstruments(on: req.db).map(\.key))
        let read: DesignForm.Read
        switch form.read(instruments: known) {
        case .success(let value): read = value
        case .failure(let errors): throw errors
        }
        guard let version else { throw FormErrors("title", "Formularen mangler sit versionsnummer. Genindlæs siden.") }
        let id = try record.requireID()
        let now = req.application.now()
        let old = try record.design()
        var changes: [String] = []
        if read.title != record.title { changes.append("titel") }
        if read.end.iso != record.endDate { changes.append("slutdato \(read.end.danishText)") }
        if read.retention.rawValue != record.retention { changes.append(read.retention.danishName.lowercased()) }
        if old.points != read.design.points {
            changes.append("målepunkter: " + read.design.points.map(\.name).joined(separator: ", "))
        }
        if old.fields != read.design.fields { changes.append("felter (\(read.design.fields.count))") }
        if old.deriveBirthYear != read.design.deriveBirthYear || old.deriveSex != read.design.deriveSex
            || old.requiresConsent != read.design.requiresConsent
        {
            changes.append("fødselsår, køn og samtykke")
        }
        if changes.isEmpty { return "Der var ingen ændringer at gemme." }
        let summary = "Ændret: " + changes.joined(separator: "; ") + "."
        try await req.writeTransaction { db in
            guard
                try await EvaluationStore.saveEvaluation(
                    id, title: read.title, design: read.design, end: read.end, retention: read.retention,
                    over: version, by: user.name, at: now, on: db)
            else {
                throw PuljeError(
                    .conflict,
                    "En anden har gemt designet, mens du arbejdede. Åbn det igen; dine ændringer er ikke gemt.")
            }
            try await AuditLog.record(
                .evaluationUpdate, subject: .evaluation(id), summary: summary,
                by: user, on: db, request: req)
        }
        return "Designet er gemt."
    }

    /// Saves a new instrument (`existing` nil) or a new version of one. WHO-5 is built in and not changed.
    static func saveInstrument(
        form: InstrumentForm, existing: String?, basedOn version: Int?, by user: CurrentUser, req: Request
    ) async throws -> String {
        try requireEvaluator(user)
        let versions = try await EvaluationStore.instrumentVersions(on: req.db)
        let key = existing ?? form.value("key")
        if key == Instrument.who5.key {
            throw FormErrors("key", "WHO-5 er indbygget og kan ikke ændres. Vælg en anden nøgle.")
        }
        let latest = versions[key]?.keys.max()
        if existing == nil, latest != nil {
            throw FormErrors("key", "Der findes allerede et instrument med nøglen \"\(key)\". Ret det i stedet.")
        }
        if existing != nil, latest != version {
            throw PuljeError(.conflict, "En anden har gemt en ny version af instrumentet imens. Åbn det igen.")
        }
        var values = form.values
        values["key"] = key
        let next = (latest ?? 0) + 1
        let instrument: Instrument
        switch InstrumentForm(values: values).instrument(version: next) {
        case .success(let read): instrument = read
        case .failure(let errors): throw errors
        }
        if let latest, var previous = versions[key]?[latest] {
            previous.version = next
            if previous == instrument { return "Der var ingen ændringer at gemme." }
        }
        let now = req.application.now()
        try await req.writeTransaction { db in
            guard try await EvaluationStore.addInstrument(instrument, by: user.name, at: now, on: db) else {
                throw PuljeError(.conflict, "En anden har gemt en ny version af instrumentet imens. Åbn det igen.")
            }
            try await AuditLog.record(
                .instrumentSave, subject: .instrument(key),
                summary:
                    "\(instrument.name) version \(next): \(instrument.items.count) spørgsmål, svar \(instrument.scaleMinimum)–\(instrument.scaleMaximum), \(instrument.scoring.method.danishName.lowercased()) × \(DanishNumber.decimal(instrument.scoring.multiplier)).",
                by: user, on: db, request: req)
        }
        return next == 1 ? "Instrumentet er oprettet." : "Version \(next) af instrumentet er gemt."
    }

    /// Enrols a citizen by CPR number for the user's municipality. The number is turned into the pseudonym
    /// here and goes no further: not stored, not logged, not shown again.
    static func enrol(
        in evaluation: EvaluationRecord, cpr: String, consent: Bool, baseline baselineText: String,
        by user: CurrentUser, req: Request
    ) async throws -> String {
        guard try await access(user, to: evaluation, on: req.db) == .ownCitizens, user.may(.writeEvaluationData)
        else {
            throw PuljeError(.forbidden, "Kun kommuner med en tilskudssag i puljen indskriver borgere.")
        }
        if evaluation.purgedAt != nil {
            throw PuljeError(.conflict, "Evalueringen er afsluttet; der kan ikke indskrives flere borgere.")
        }
        let design = try evaluation.design()
        let today = CalendarDate.of(req.application.now())
        var errors = FormErrors()
        var number: CPRNumber?
        switch CPRNumber.parse(cpr, today: today) {
        case .success(let parsed): number = parsed
        case .failure(let problem): errors.add("cpr", problem.danishMessage)
        }
        let baseline =
            baselineText.trimmingCharacters(in: .whitespaces).isEmpty ? today : CalendarDate(parsing: baselineText)
        if baseline == nil { errors.add("baseline", "Skriv datoen som dd.mm.åååå.") }
        if let baseline, baseline > today { errors.add("baseline", "Baselinedatoen kan ikke ligge efter i dag.") }
        if design.requiresConsent && !consent {
            errors.add("consent", "Borgeren skal have givet samtykke, før der indsamles data.")
        }
        guard errors.isEmpty, let number, let baseline else { throw errors }
        let evaluationID = try evaluation.requireID()
        let pseudonym = Pseudonym.of(number, evaluation: evaluationID, installationKey: req.application.pseudonymKey)
        let now = req.application.now()
        let actor = AuditActor(user: user, request: req)
        try await req.writeTransaction { db in
            guard
                try await EvaluationStore.enrol(
                    pseudonym, in: evaluationID, organisation: user.organisationID, baseline: baseline,
                    birthYear: design.deriveBirthYear ? number.birthYear : nil,
                    sex: design.deriveSex ? number.sex : nil,
                    consent: design.requiresConsent ? now : nil, by: user.name, at: now, on: db) != nil
            else {
                throw FormErrors(
                    "cpr", "Borgeren er allerede indskrevet i evalueringen (pseudonym \(pseudonym.short)).")
            }
            try await AuditLog.record(
                .citizenEnrol, subject: .evaluation(evaluationID),
                summary: "Borger \(pseudonym.short) indskrevet, baseline \(baseline.danishText).", actor: actor, on: db)
            try await EvaluationStore.logAccess(
                .enrol, evaluation: evaluationID, count: 1, records: pseudonym.short, actor: actor, on: db)
        }
        return "Borgeren er indskrevet med pseudonymet \(pseudonym.short). CPR-nummeret er ikke gemt."
    }

    /// The answers and fields of a measurement point as posted: radios "i.<instrument>.<item>" and fields
    /// "f.<key>". A form is saved as far as it is filled in and scored once complete.
    static func readEntry(
        _ fields: [String: String], point: MeasurementPoint, design: EvaluationDesign, instruments: [Instrument]
    ) -> Result<(answers: [String: InstrumentAnswers], fields: [String: String]), FormErrors> {
        var errors = FormErrors()
        var answers: [String: InstrumentAnswers] = [:]
        for instrument in instruments {
            var values: [String: Int] = [:]
            for item in instrument.items {
                let name = "i.\(instrument.key).\(item.key)"
                guard let text = fields[name], !text.isEmpty else { continue }
                if let value = Int(text), instrument.scaleValues.contains(value) {
                    values[item.key] = value
                } else {
                    errors.add(name, "Vælg et af svarene.")
                }
            }
            if !values.isEmpty {
                answers[instrument.key] = InstrumentAnswers(version: instrument.version, values: values)
            }
        }
        var numbers: [String: String] = [:]
        if point.monthsAfterBaseline > 0 {
            for field in design.fields {
                switch field.parse(fields["f.\(field.key)"] ?? "") {
                case .success(let value): if let value { numbers[field.key] = "\(value)" }
                case .failure(let problem): errors.add("f.\(field.key)", problem.message)
                }
            }
        }
        return errors.isEmpty ? .success((answers, numbers)) : .failure(errors)
    }

    static func saveEntry(
        in evaluation: EvaluationRecord, citizen: EvaluationCitizenRecord, point: MeasurementPoint,
        fields posted: [String: String], by user: CurrentUser, req: Request
    ) async throws -> (message: String, version: Int) {
        guard try await access(user, to: evaluation, on: req.db) == .ownCitizens, user.may(.writeEvaluationData),
            citizen.$organisation.id == user.organisationID
        else {
            throw PuljeError(.forbidden, "Kun borgerens kommune registrerer data om borgeren.")
        }
        if evaluation.purgedAt != nil { throw PuljeError(.conflict, "Evalueringen er afsluttet.") }
        let design = try evaluation.design()
        let latest = try await EvaluationStore.latestInstruments(on: req.db)
        let instruments = point.instruments.compactMap { key in latest.first { $0.key == key } }
        let (answers, numbers): ([String: InstrumentAnswers], [String: String])
        switch readEntry(posted, point: point, design: design, instruments: instruments) {
        case .success(let read): (answers, numbers) = read
        case .failure(let errors): throw errors
        }
        let version = posted["version"].flatMap { Int($0) }
        let citizenID = try citizen.requireID()
        let evaluationID = try evaluation.requireID()
        let now = req.application.now()
        let actor = AuditActor(user: user, request: req)
        let complete = instruments.filter { instrument in
            answers[instrument.key].flatMap { instrument.score($0.values) } != nil
        }.count
        try await req.writeTransaction { db in
            guard
                try await EvaluationStore.saveEntry(
                    citizen: citizenID, point: point.key, answers: answers, fields: numbers, over: version,
                    by: user.name, at: now, on: db)
            else {
                throw PuljeError(
                    .conflict,
                    "En anden har gemt data for borgeren ved dette målepunkt imens. Åbn siden igen; dine svar er ikke gemt."
                )
            }
            try await AuditLog.record(
                .citizenRecord, subject: .evaluation(evaluationID),
                summary:
                    "\(point.name) for \(citizen.shownPseudonym): \(complete) af \(instruments.count) instrumenter udfyldt, \(numbers.count) felter.",
                actor: actor, on: db)
            try await EvaluationStore.logAccess(
                .write, evaluation: evaluationID, count: 1, records: citizen.shownPseudonym, actor: actor, on: db)
        }
        let message =
            complete == instruments.count
            ? "Målingen er gemt." : "Det udfyldte er gemt. Målingen er ikke færdig, før alle spørgsmål er besvaret."
        return (message, (version ?? 0) + 1)
    }

    /// Records a read of citizen-level data in the log the data-protection officer reads.
    static func logRead(
        _ action: DataAccessAction, evaluation: UUID, pseudonyms: [String], user: CurrentUser, req: Request
    ) async throws {
        let actor = AuditActor(user: user, request: req)
        let list = pseudonyms.prefix(200).joined(separator: ", ") + (pseudonyms.count > 200 ? " …" : "")
        try await req.writeTransaction { db in
            try await EvaluationStore.logAccess(
                action, evaluation: evaluation, count: pseudonyms.count, records: list, actor: actor, on: db)
        }
    }

    /// Deletes or anonymises the citizen data of every evaluation past its end date; run by the background
    /// job on every instance (each evaluation is done once: the mark is a conditional update).
    static func purgeEnded(app: Application) async throws -> Int {
        let now = app.now()
        let today = CalendarDate.of(now)
        var done = 0
        for evaluation in try await EvaluationStore.endedUnpurged(before: today, on: app.db) {
            let id = try evaluation.requireID()
            let rule = evaluation.retentionRule
            let actor = AuditActor.command("Pulje (slutdato for evaluering)", at: now)
            let count: Int? = try await app.writeTransaction { db in
                guard let count = try await EvaluationStore.purge(evaluation, at: now, on: db) else { return nil }
                try await AuditLog.record(
                    .evaluationPurge, subject: .evaluation(id),
                    summary:
                        "Slutdatoen \(evaluation.end?.danishText ?? evaluation.endDate) er passeret: data om \(count) borgere \(rule == .delete ? "slettet" : "anonymiseret").",
                    actor: actor, on: db)
                try await EvaluationStore.logAccess(
                    .purge, evaluation: id, count: count, records: rule.danishName, actor: actor, on: db)
                return count
            }
            if count != nil { done += 1 }
        }
        return done
    }
}

extension EvaluationActions {
    /// The problems of an import, each by row and column; nothing was imported.
    struct ImportRefused: Error {
        var problems: [String]
    }

    /// Imports a municipality's file in the evaluator's template: every row checked first, then in one
    /// transaction each citizen enrolled (or found among the municipality's own) and the measurements merged
    /// into what is saved. Any problem, in any row, imports nothing.
    /// Only a municipality with citizens of its own in the evaluation imports, and only while it runs: checked
    /// before the file is read, so that no one else learns anything from how their file is judged.
    static func requireImport(by user: CurrentUser, into evaluation: EvaluationRecord, on db: any Database) async throws
    {
        guard try await access(user, to: evaluation, on: db) == .ownCitizens, user.may(.writeEvaluationData)
        else { throw PuljeError(.forbidden, "Kun kommuner med en tilskudssag i puljen indlæser borgere.") }
        if evaluation.purgedAt != nil { throw PuljeError(.conflict, "Evalueringen er afsluttet.") }
    }

    static func importFile(
        _ bytes: [UInt8], into evaluation: EvaluationRecord, by user: CurrentUser, req: Request
    ) async throws -> String {
        try await requireImport(by: user, into: evaluation, on: req.db)
        let table: [[String]]
        switch SpreadsheetReader.rows(bytes) {
        case .success(let rows): table = rows
        case .failure(let problem): throw ImportRefused(problems: [problem.danishMessage])
        }
        let design = try evaluation.design()
        let latest = Dictionary(
            try await EvaluationStore.latestInstruments(on: req.db).map { ($0.key, $0) },
            uniquingKeysWith: { a, _ in a })
        let today = CalendarDate.of(req.application.now())
        let rows: [EvaluationImport.Row]
        switch EvaluationImport.read(table, design: design, instruments: latest, today: today) {
        case .success(let read): rows = read
        case .failure(let problems): throw ImportRefused(problems: problems.all.map(\.danishText))
        }
        let evaluationID = try evaluation.requireID()
        let key = req.application.pseudonymKey
        let pseudonyms = rows.map { Pseudonym.of($0.cpr, evaluation: evaluationID, installationKey: key) }
        let existing = Dictionary(
            try await EvaluationStore.citizens(of: evaluationID, organisation: nil, on: req.db).map {
                ($0.pseudonymValue, $0)
            }, uniquingKeysWith: { a, _ in a })
        var problems: [String] = []
        for (row, pseudonym) in zip(rows, pseudonyms) {
            if let citizen = existing[pseudonym.value] {
                if citizen.$organisation.id != user.organisationID {
                    problems.append("Række \(row.line): borgeren er indskrevet af en anden kommune.")
                }
            } else if design.requiresConsent && !row.consent {
                problems.append("Række \(row.line), kolonne samtykke: borgeren skal have givet samtykke (ja).")
            }
        }
        if !problems.isEmpty { throw ImportRefused(problems: problems) }
        let now = req.application.now()
        let actor = AuditActor(user: user, request: req)
        let organisation = user.organisationID
        let versions = latest.mapValues(\.version)
        let existingIDs = existing.compactMapValues { $0.id }
        let (created, measured) = try await req.writeTransaction { db -> (Int, Int) in
            var created = 0
            var measured = 0
            for (row, pseudonym) in zip(rows, pseudonyms) {
                var citizenID = existingIDs[pseudonym.value]
                if citizenID == nil {
                    citizenID = try await EvaluationStore.enrol(
                        pseudonym, in: evaluationID, organisation: organisation, baseline: row.baseline ?? today,
                        birthYear: design.deriveBirthYear ? row.cpr.birthYear : nil,
                        sex: design.deriveSex ? row.cpr.sex : nil, consent: design.requiresConsent ? now : nil,
                        by: user.name, at: now, on: db)
                    created += 1
                }
                guard let citizenID else {
                    throw ImportRefused(problems: ["Række \(row.line): borgeren blev indskrevet af en anden imens."])
                }
                for point in Set(row.answers.keys).union(row.fields.keys) {
                    let saved = try await EvaluationStore.entry(citizen: citizenID, point: point, on: db)
                    var answers = saved?.answers() ?? [:]
                    for (instrument, values) in row.answers[point] ?? [:] {
                        var merged = answers[instrument]?.values ?? [:]
                        merged.merge(values) { _, new in new }
                        answers[instrument] = InstrumentAnswers(
                            version: answers[instrument]?.version ?? versions[instrument] ?? 1, values: merged)
                    }
                    var fields = saved?.fields() ?? [:]
                    for (field, value) in row.fields[point] ?? [:] { fields[field] = "\(value)" }
                    guard
                        try await EvaluationStore.saveEntry(
                            citizen: citizenID, point: point, answers: answers, fields: fields, over: saved?.version,
                            by: user.name, at: now, on: db)
                    else {
                        throw ImportRefused(problems: ["Række \(row.line): målingen blev ændret af en anden imens."])
                    }
                    measured += 1
                }
            }
            let shown = pseudonyms.map(\.short)
            try await AuditLog.record(
                .citizenRecord, subject: .evaluation(evaluationID),
                summary: "Fil indlæst: \(rows.count) borgere (\(created) nye), \(measured) målinger.", actor: actor,
                on: db)
            try await EvaluationStore.logAccess(
                .import, evaluation: evaluationID, count: rows.count,
                records: shown.prefix(200).joined(separator: ", ") + (shown.count > 200 ? " …" : ""), actor: actor,
                on: db)
            return (created, measured)
        }
        return
            "Filen er indlæst: \(rows.count) borgere, heraf \(created) nye, og \(measured) målinger. CPR-numrene er ikke gemt."
    }
}
