import Fluent
import Foundation
import PuljeDomain
import SQLKit

/// Every query and write of instruments, evaluations, citizens, their records and the data access log.
enum EvaluationStore {
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    // MARK: Instruments

    /// Every version of the stored instruments, by key and version.
    static func instrumentRecords(on db: any Database) async throws -> [InstrumentRecord] {
        try await InstrumentRecord.query(on: db).sort(\.$key).sort(\.$version).all()
    }

    /// The instruments in use: WHO-5 (built in) and the latest version of each stored one, by name.
    static func latestInstruments(on db: any Database) async throws -> [Instrument] {
        var latest: [String: Instrument] = [Instrument.who5.key: .who5]
        for record in try await instrumentRecords(on: db) {
            if let instrument = try? record.instrument() { latest[instrument.key] = instrument }
        }
        return latest.values.sorted { ($0.name, $0.key) < ($1.name, $1.key) }
    }

    /// Every version of every instrument, WHO-5 included: key → version → definition.
    static func instrumentVersions(on db: any Database) async throws -> [String: [Int: Instrument]] {
        var all: [String: [Int: Instrument]] = [Instrument.who5.key: [1: .who5]]
        for record in try await instrumentRecords(on: db) {
            if let instrument = try? record.instrument() {
                all[instrument.key, default: [:]][instrument.version] = instrument
            }
        }
        return all
    }

    /// Stores a new instrument or a new version; false when that key and version exist already (someone
    /// saved a version first).
    static func addInstrument(
        _ instrument: Instrument, by name: String, at now: Date, on db: any Database
    )
        async throws -> Bool
    {
        if try await InstrumentRecord.query(on: db).filter(\.$key == instrument.key)
            .filter(\.$version == instrument.version).count() > 0
        {
            return false
        }
        let record = InstrumentRecord()
        record.key = instrument.key
        record.version = instrument.version
        record.definitionJSON = try json(instrument)
        record.createdBy = name
        record.createdAt = now
        try await record.create(on: db)
        return true
    }

    // MARK: Evaluations

    static func evaluations(on db: any Database) async throws -> [EvaluationRecord] {
        try await EvaluationRecord.query(on: db).with(\.$call).sort(\.$title).all()
    }

    /// The evaluations of the calls in which the organisation has a grant case.
    static func evaluations(forOrganisation organisation: UUID, on db: any Database) async throws -> [EvaluationRecord]
    {
        let calls = try await GrantCaseRecord.query(on: db).filter(\.$organisation.$id == organisation).unique()
            .all(\.$call.$id)
        if calls.isEmpty { return [] }
        return try await EvaluationRecord.query(on: db).filter(\.$call.$id ~~ calls).with(\.$call).sort(\.$title).all()
    }

    static func evaluation(_ id: UUID, on db: any Database) async throws -> EvaluationRecord? {
        try await EvaluationRecord.query(on: db).filter(\.$id == id).with(\.$call).first()
    }

    /// Whether the organisation has a grant case in the call (and so takes part in its evaluation).
    static func takesPart(_ organisation: UUID, inCall call: UUID, on db: any Database) async throws -> Bool {
        try await GrantCaseRecord.query(on: db).filter(\.$organisation.$id == organisation)
            .filter(\.$call.$id == call).count() > 0
    }

    /// The organisations with grant cases in the call, by name.
    static func participants(ofCall call: UUID, on db: any Database) async throws -> [OrganisationRecord] {
        let ids = try await GrantCaseRecord.query(on: db).filter(\.$call.$id == call).unique().all(\.$organisation.$id)
        if ids.isEmpty { return [] }
        return try await OrganisationRecord.query(on: db).filter(\.$id ~~ ids).sort(\.$name).all()
    }

    static func createEvaluation(
        call: UUID, title: String, design: EvaluationDesign, end: CalendarDate, retention: RetentionRule,
        by name: String,
        at now: Date, on db: any Database
    ) async throws -> UUID {
        let record = EvaluationRecord()
        record.$call.id = call
        record.title = title
        record.designJSON = try json(design)
        record.version = 1
        record.endDate = end.iso
        record.retention = retention.rawValue
        record.createdBy = name
        record.createdAt = now
        record.updatedBy = name
        record.updatedAt = now
        try await record.create(on: db)
        return try record.requireID()
    }

    /// Saves the design over `version`; false when someone saved a newer version first.
    static func saveEvaluation(
        _ id: UUID, title: String, design: EvaluationDesign, end: CalendarDate, retention: RetentionRule,
        over version: Int,
        by name: String, at now: Date, on db: any Database
    ) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: EvaluationRecord.schema) SET \(ident: "title") = \(bind: title),
            \(ident: "design_json") = \(bind: try json(design)), \(ident: "end_date") = \(bind: end.iso),
            \(ident: "retention") = \(bind: retention.rawValue), \(ident: "version") = \(ident: "version") + 1,
            \(ident: "updated_by") = \(bind: name), \(ident: "updated_at") = \(bind: now)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "version") = \(bind: version) RETURNING \(ident: "id")
            """)
    }

    /// Evaluations whose end date lies before `today` and whose citizen data has not been removed yet.
    static func endedUnpurged(before today: CalendarDate, on db: any Database) async throws -> [EvaluationRecord] {
        try await EvaluationRecord.query(on: db).filter(\.$purgedAt == nil).filter(\.$endDate < today.iso).all()
    }

    /// Deletes or anonymises the evaluation's citizen data and marks it done; the number of citizens affected.
    /// Conditional on not being done already, so two instances never both do it.
    static func purge(_ evaluation: EvaluationRecord, at now: Date, on db: any Database) async throws -> Int? {
        let id = try evaluation.requireID()
        guard
            try await db.changedRow(
                """
                UPDATE \(ident: EvaluationRecord.schema) SET \(ident: "purged_at") = \(bind: now)
                WHERE \(ident: "id") = \(bind: id) AND \(ident: "purged_at") IS NULL RETURNING \(ident: "id")
                """)
        else { return nil }
        let citizens = try await EvaluationCitizenRecord.query(on: db).filter(\.$evaluation.$id == id)
            .sort(\.$enrolledAt).sort(\.$id).all()
        switch evaluation.retentionRule {
        case .delete:
            let ids = try citizens.map { try $0.requireID() }
            if !ids.isEmpty {
                try await EvaluationEntryRecord.query(on: db).filter(\.$citizen.$id ~~ ids).delete()
                try await EvaluationCitizenRecord.query(on: db).filter(\.$id ~~ ids).delete()
            }
        case .anonymise:
            for (index, citizen) in citizens.enumerated() {
                citizen.pseudonymValue = "anonym-\(index + 1)"
                citizen.birthYear = nil
                citizen.sex = nil
                citizen.consentAt = nil
                citizen.enrolledBy = "anonymiseret"
                try await citizen.update(on: db)
            }
        }
        return citizens.count
    }

    // MARK: Citizens

    /// The evaluation's citizens, of one organisation or all (nil), in the order they were enrolled.
    static func citizens(
        of evaluation: UUID, organisation: UUID?, on db: any Database
    ) async throws
        -> [EvaluationCitizenRecord]
    {
        var query = EvaluationCitizenRecord.query(on: db).filter(\.$evaluation.$id == evaluation).with(\.$organisation)
        if let organisation { query = query.filter(\.$organisation.$id == organisation) }
        return try await query.sort(\.$enrolledAt).sort(\.$id).all()
    }

    /// A page of the evaluation's citizens (one organisation's, when given) in the order they were enrolled,
    /// and the cursor of the next page when there is one.
    static func citizenPage(
        of evaluation: UUID, organisation: UUID?, query: EvaluationCitizenListQuery, limit: Int, on db: any Database
    ) async throws -> (citizens: [EvaluationCitizenRecord], next: ListCursor?) {
        var conditions: [SQLQueryString] = ["\(ident: "evaluation_id") = \(bind: evaluation)"]
        if let organisation { conditions.append("\(ident: "organisation_id") = \(bind: organisation)") }
        if let after = query.after, let seconds = after.seconds {
            let at = try db.cursorTime(seconds)
            conditions.append("(\(ident: "enrolled_at"), \(ident: "id")) > (\(bind: at), \(bind: after.id))")
        }
        let sql: SQLQueryString =
            "SELECT \(ident: "id") FROM \(ident: EvaluationCitizenRecord.schema) WHERE "
            + conditions.joined(separator: " AND ")
            + " ORDER BY \(ident: "enrolled_at"), \(ident: "id") LIMIT \(literal: limit + 1)"
        let ids = try await db.sql.raw(sql).all().map { try $0.decode(column: "id", as: UUID.self) }
        let shown = Array(ids.prefix(limit))
        let citizens =
            shown.isEmpty
            ? []
            : try await EvaluationCitizenRecord.query(on: db).filter(\.$id ~~ shown).with(\.$organisation)
                .sort(\.$enrolledAt).sort(\.$id).all()
        guard ids.count > limit, let last = shown.last,
            let enrolled = try await db.storedTime(EvaluationCitizenRecord.schema, "enrolled_at", of: last)
        else { return (citizens, nil) }
        return (citizens, ListCursor(seconds: enrolled, id: last))
    }

    static func citizenCount(of evaluation: UUID, organisation: UUID?, on db: any Database) async throws -> Int {
        var query = EvaluationCitizenRecord.query(on: db).filter(\.$evaluation.$id == evaluation)
        if let organisation { query = query.filter(\.$organisation.$id == organisation) }
        return try await query.count()
    }

    static func citizenCount(of evaluation: UUID, on db: any Database) async throws -> Int {
        try await EvaluationCitizenRecord.query(on: db).filter(\.$evaluation.$id == evaluation).count()
    }

    static func citizen(_ id: UUID, of evaluation: UUID, on db: any Database) async throws -> EvaluationCitizenRecord? {
        try await EvaluationCitizenRecord.query(on: db).filter(\.$id == id).filter(\.$evaluation.$id == evaluation)
            .with(\.$organisation).first()
    }

    /// Enrols a citizen; nil when the pseudonym is enrolled in the evaluation already (by anyone).
    static func enrol(
        _ pseudonym: Pseudonym, in evaluation: UUID, organisation: UUID, baseline: CalendarDate, birthYear: Int?,
        sex: CPRNumber.Sex?, consent: Date?, by name: String, at now: Date, on db: any Database
    ) async throws -> UUID? {
        if try await EvaluationCitizenRecord.query(on: db).filter(\.$evaluation.$id == evaluation)
            .filter(\.$pseudonymValue == pseudonym.value).count() > 0
        {
            return nil
        }
        let record = EvaluationCitizenRecord()
        record.$evaluation.id = evaluation
        record.$organisation.id = organisation
        record.pseudonymValue = pseudonym.value
        record.baselineDate = baseline.iso
        record.birthYear = birthYear
        record.sex = sex?.rawValue
        record.consentAt = consent
        record.enrolledBy = name
        record.enrolledAt = now
        try await record.create(on: db)
        return try record.requireID()
    }

    // MARK: Records

    static func entries(ofCitizens citizens: [UUID], on db: any Database) async throws -> [EvaluationEntryRecord] {
        if citizens.isEmpty { return [] }
        return try await EvaluationEntryRecord.query(on: db).filter(\.$citizen.$id ~~ citizens).all()
    }

    /// Every record of the evaluation with its citizen, for the overview.
    static func entries(ofEvaluation evaluation: UUID, on db: any Database) async throws -> [EvaluationEntryRecord] {
        try await EvaluationEntryRecord.query(on: db).join(parent: \.$citizen)
            .filter(EvaluationCitizenRecord.self, \.$evaluation.$id == evaluation).all()
    }

    static func entry(citizen: UUID, point: String, on db: any Database) async throws -> EvaluationEntryRecord? {
        try await EvaluationEntryRecord.query(on: db).filter(\.$citizen.$id == citizen).filter(\.$pointKey == point)
            .first()
    }

    /// Saves a measurement point's record over `version` (nil: the first save); false when someone else saved
    /// it in between.
    static func saveEntry(
        citizen: UUID, point: String, answers: [String: InstrumentAnswers], fields: [String: String],
        over version: Int?,
        by name: String, at now: Date, on db: any Database
    ) async throws -> Bool {
        let answersJSON = try json(answers)
        let fieldsJSON = try json(fields)
        guard let version else {
            if try await entry(citizen: citizen, point: point, on: db) != nil { return false }
            let record = EvaluationEntryRecord()
            record.$citizen.id = citizen
            record.pointKey = point
            record.answersJSON = answersJSON
            record.fieldsJSON = fieldsJSON
            record.version = 1
            record.updatedBy = name
            record.updatedAt = now
            try await record.create(on: db)
            return true
        }
        return try await db.changedRow(
            """
            UPDATE \(ident: EvaluationEntryRecord.schema) SET \(ident: "answers_json") = \(bind: answersJSON),
            \(ident: "fields_json") = \(bind: fieldsJSON), \(ident: "version") = \(ident: "version") + 1,
            \(ident: "updated_by") = \(bind: name), \(ident: "updated_at") = \(bind: now)
            WHERE \(ident: "citizen_id") = \(bind: citizen) AND \(ident: "point_key") = \(bind: point)
            AND \(ident: "version") = \(bind: version) RETURNING \(ident: "id")
            """)
    }

    // MARK: The data access log

    static func logAccess(
        _ action: DataAccessAction, evaluation: UUID?, count: Int, records: String, actor: AuditActor,
        on db: any Database
    ) async throws {
        let record = DataAccessRecord()
        record.at = actor.at
        record.actorID = actor.id
        record.actorName = actor.name
        record.organisationName = actor.organisationName
        record.action = action.rawValue
        record.evaluationID = evaluation
        record.recordCount = count
        record.records = String(records.prefix(4_000))
        record.address = actor.address
        try await record.create(on: db)
    }

    /// The newest entries of the log, before `before` (an entry's time and id), at most `limit`.
    static func accessLog(before: (Date, UUID)?, limit: Int, on db: any Database) async throws -> [DataAccessRecord] {
        var query = DataAccessRecord.query(on: db)
        if let (at, id) = before {
            query = query.group(.or) { group in
                group.filter(\.$at < at).group(.and) { $0.filter(\.$at == at).filter(\.$id < id) }
            }
        }
        return try await query.sort(\.$at, .descending).sort(\.$id, .descending).limit(limit).all()
    }
}

/// What was done with citizen data, as the data access log names it.
enum DataAccessAction: String, CaseIterable, Sendable {
    case read
    case enrol
    case write
    case export
    case `import`
    case purge

    var danishName: String {
        switch self {
        case .read: "Læst"
        case .enrol: "Indskrevet"
        case .write: "Registreret"
        case .export: "Eksporteret"
        case .import: "Importeret"
        case .purge: "Slettet/anonymiseret"
        }
    }
}

extension EvaluationStore {
    /// A citizen and their records for the benchmark's seed, written many rows to a statement.
    struct SeedCitizen {
        var id: UUID
        var organisation: UUID
        var pseudonym: String
        var baseline: String
        var entries: [(point: String, answers: String, fields: String)]
    }

    /// Inserts citizens and their records in one transaction, 400 to a statement (far below SQLite's and
    /// PostgreSQL's limits on bound values).
    static func insertSeed(_ citizens: [SeedCitizen], evaluation: UUID, at now: Date, on db: any Database) async throws
    {
        try await db.transaction { db in
            let sql = try db.sql
            for chunk in stride(from: 0, to: citizens.count, by: 400).map({
                citizens[$0..<min($0 + 400, citizens.count)]
            }) {
                var insert = sql.insert(into: EvaluationCitizenRecord.schema).columns(
                    "id", "evaluation_id", "organisation_id", "pseudonym", "baseline_date", "enrolled_by", "enrolled_at"
                )
                for citizen in chunk {
                    insert = insert.values(
                        SQLBind(citizen.id), SQLBind(evaluation), SQLBind(citizen.organisation),
                        SQLBind(citizen.pseudonym),
                        SQLBind(citizen.baseline), SQLBind("Belastningstest"), SQLBind(now))
                }
                try await insert.run()
                var entries = sql.insert(into: EvaluationEntryRecord.schema).columns(
                    "id", "citizen_id", "point_key", "answers_json", "fields_json", "version", "updated_by",
                    "updated_at")
                var any = false
                for citizen in chunk {
                    for entry in citizen.entries {
                        any = true
                        entries = entries.values(
                            SQLBind(UUID()), SQLBind(citizen.id), SQLBind(entry.point), SQLBind(entry.answers),
                            SQLBind(entry.fields), SQLBind(1), SQLBind("Belastningstest"), SQLBind(now))
                    }
                }
                if any { try await entries.run() }
            }
        }
    }
}

extension EvaluationStore {
    /// One row of the export's read: a citizen with one of its records (nil fields for a citizen with none).
    struct ExportRow: Decodable {
        var id: UUID
        var pseudonym: String
        var organisation: String
        var baselineDate: String
        var birthYear: Int?
        var sex: String?
        var pointKey: String?
        var answersJSON: String?
        var fieldsJSON: String?

        enum CodingKeys: String, CodingKey {
            case id, pseudonym, organisation, sex
            case baselineDate = "baseline_date"
            case birthYear = "birth_year"
            case pointKey = "point_key"
            case answersJSON = "answers_json"
            case fieldsJSON = "fields_json"
        }
    }

    /// The next `limit` citizens of the evaluation after `after` (by id), each with every record, in one query:
    /// the export reads the evaluation a batch at a time, so memory stays flat in its size.
    static func exportBatch(
        of evaluation: UUID, after: UUID?, limit: Int, organisation: UUID? = nil, on db: any Database
    ) async throws
        -> [ExportRow]
    {
        var after = after.map { SQLQueryString("AND \(ident: "id") > \(bind: $0)") } ?? ""
        if let organisation {
            after = after + SQLQueryString(" AND \(ident: "organisation_id") = \(bind: organisation)")
        }
        return try await db.sql.raw(
            """
            SELECT c.\(ident: "id"), c.\(ident: "pseudonym"), o.\(ident: "name") AS \(ident: "organisation"),
            c.\(ident: "baseline_date"), c.\(ident: "birth_year"), c.\(ident: "sex"), r.\(ident: "point_key"),
            r.\(ident: "answers_json"), r.\(ident: "fields_json")
            FROM (SELECT * FROM \(ident: EvaluationCitizenRecord.schema) WHERE \(ident: "evaluation_id") = \(bind: evaluation)
            \(after) ORDER BY \(ident: "id") LIMIT \(bind: limit)) c
            JOIN \(ident: OrganisationRecord.schema) o ON o.\(ident: "id") = c.\(ident: "organisation_id")
            LEFT JOIN \(ident: EvaluationEntryRecord.schema) r ON r.\(ident: "citizen_id") = c.\(ident: "id")
            ORDER BY c.\(ident: "id")
            """
        ).all(decoding: ExportRow.self)
    }
}
