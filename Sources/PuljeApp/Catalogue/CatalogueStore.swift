import Fluent
import PuljeDomain
import Vapor

/// Reading and writing initiatives. The queries pages and the API need, testable without HTTP.
enum CatalogueStore {
    static func all(on db: any Database) async throws -> [Initiative] {
        try await InitiativeRecord.query(on: db)
            .with(\.$budgetAmounts).with(\.$timelineEntries)
            .sort(\.$programmeYear).sort(\.$sortKey)
            .all()
            .map { try $0.toDomain() }
    }

    static func record(year: Int, number: String, on db: any Database) async throws -> InitiativeRecord? {
        try await InitiativeRecord.query(on: db)
            .filter(\.$programmeYear == year).filter(\.$number == number)
            .with(\.$budgetAmounts).with(\.$timelineEntries)
            .first()
    }

    static func find(year: Int, number: String, on db: any Database) async throws -> Initiative? {
        try await record(year: year, number: number, on: db)?.toDomain()
    }

    /// The newest programme year's initiative with that number; the API addresses initiatives by number alone.
    static func find(number: String, year: Int?, on db: any Database) async throws -> Initiative? {
        var query = InitiativeRecord.query(on: db).filter(\.$number == number)
            .with(\.$budgetAmounts).with(\.$timelineEntries)
        if let year { query = query.filter(\.$programmeYear == year) }
        return try await query.sort(\.$programmeYear, .descending).first()?.toDomain()
    }

    /// Writes the facts of the file's initiatives onto the stored ones of the same year and number.
    static func fillFacts(from file: CatalogueFile, on db: any Database) async throws {
        for entry in file.initiatives {
            try await InitiativeRecord.query(on: db).filter(\.$programmeYear == file.programmeYear)
                .filter(\.$number == entry.number)
                .set(\.$factsJSON, to: InitiativeRecord.encode(entry.facts ?? InitiativeFacts())).update()
        }
    }

    /// Creates the initiative with its budget and timeline, or replaces an existing one's, in one transaction.
    /// Refuses a budget that does not add up: the catalogue is what calls and allocations are built on.
    static func save(_ initiative: Initiative, replacing existing: InitiativeRecord?, on db: any Database) async throws
    {
        let problems = initiative.budget.problems()
        guard problems.isEmpty else {
            throw PuljeError(.unprocessableEntity, problems.map(\.danishMessage).joined(separator: " "))
        }
        try await db.transaction { db in
            let record = existing ?? InitiativeRecord()
            record.apply(initiative)
            try await record.save(on: db)
            let id = try record.requireID()
            try await InitiativeBudgetAmountRecord.query(on: db).filter(\.$initiative.$id == id).delete()
            try await InitiativeTimelineEntryRecord.query(on: db).filter(\.$initiative.$id == id).delete()
            let amounts =
                initiative.budget.byYear.map {
                    InitiativeBudgetAmountRecord(
                        initiativeID: id, dimension: InitiativeBudgetAmountRecord.yearDimension, key: String($0.key),
                        amount: $0.value)
                }
                + initiative.budget.byCategory.map {
                    InitiativeBudgetAmountRecord(
                        initiativeID: id, dimension: InitiativeBudgetAmountRecord.categoryDimension,
                        key: $0.key.rawValue,
                        amount: $0.value)
                }
            if !amounts.isEmpty { try await amounts.create(on: db) }
            let entries = initiative.timeline.enumerated().map {
                InitiativeTimelineEntryRecord(initiativeID: id, position: $0.offset, entry: $0.element)
            }
            if !entries.isEmpty { try await entries.create(on: db) }
        }
    }
}

/// The catalogue file in the repository (`Resources/catalogue-2022.json`), transcribed from the
/// 2022 allocation. Amounts in the file are whole kroner.
struct CatalogueFile: Decodable {
    struct Entry: Decodable {
        struct Period: Decodable {
            var label: String
            var fromYear: Int
            var fromQuarter: Int
            var toYear: Int
            var toQuarter: Int
            var activities: [String]
        }
        var number: String
        var title: String
        var area: ProgrammeArea
        var phase: SUSIPhase
        var track: Int?
        var grantRecipients: String
        var purpose: String
        var background: String
        var targetGroup: String
        var expectedResults: String
        var activities: String
        var successCriteria: String
        var implementationNote: String
        var applicationPoolCriteria: String
        var timeline: [Period]
        var priceLevel: Int
        var totalKroner: Int64
        var budgetByYearKroner: [String: Int64]
        var budgetByCategoryKroner: [String: Int64]
        var facts: InitiativeFacts?
    }
    var programmeYear: Int
    var initiatives: [Entry]

    static func load(named name: String = "catalogue-2022") throws -> CatalogueFile {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources") else {
            throw PuljeError(.internalServerError, "The catalogue file \(name).json is missing from the bundle.")
        }
        return try JSONDecoder().decode(CatalogueFile.self, from: Data(contentsOf: url))
    }

    func domainInitiatives() throws -> [Initiative] {
        try initiatives.map { entry in
            guard let number = InitiativeNumber(entry.number) else {
                throw PuljeError(.internalServerError, "Catalogue entry has an invalid number: \(entry.number)")
            }
            var byYear: [Int: Money] = [:]
            for (year, kroner) in entry.budgetByYearKroner {
                guard let year = Int(year) else { throw PuljeError(.internalServerError, "Invalid year \(year)") }
                byYear[year] = Money(kroner: kroner)
            }
            var byCategory: [BudgetCategory: Money] = [:]
            for (key, kroner) in entry.budgetByCategoryKroner {
                guard let category = BudgetCategory(rawValue: key) else {
                    throw PuljeError(.internalServerError, "Unknown budget category \(key) in \(entry.number)")
                }
                byCategory[category] = Money(kroner: kroner)
            }
            let timeline = try entry.timeline.map { period in
                guard let from = Quarter(year: period.fromYear, quarter: period.fromQuarter),
                    let to = Quarter(year: period.toYear, quarter: period.toQuarter)
                else { throw PuljeError(.internalServerError, "Invalid quarter in \(entry.number): \(period.label)") }
                return TimelineEntry(label: period.label, from: from, to: to, activities: period.activities)
            }
            return Initiative(
                programmeYear: programmeYear, number: number, title: entry.title, area: entry.area, phase: entry.phase,
                track: entry.track, grantRecipients: entry.grantRecipients, purpose: entry.purpose,
                background: entry.background, targetGroup: entry.targetGroup, expectedResults: entry.expectedResults,
                activities: entry.activities, successCriteria: entry.successCriteria,
                implementationNote: entry.implementationNote, applicationPoolCriteria: entry.applicationPoolCriteria,
                timeline: timeline,
                budget: InitiativeBudget(
                    priceLevel: entry.priceLevel, total: Money(kroner: entry.totalKroner), byYear: byYear,
                    byCategory: byCategory),
                facts: entry.facts ?? InitiativeFacts())
        }
    }

    /// Loads initiatives that are not yet in the database; edits made since are never overwritten.
    static func loadMissing(on db: any Database) async throws {
        let file = try CatalogueFile.load()
        let existing = Set(
            try await InitiativeRecord.query(on: db).filter(\.$programmeYear == file.programmeYear).all().map(\.number))
        for initiative in try file.domainInitiatives() where !existing.contains(initiative.number.description) {
            try await CatalogueStore.save(initiative, replacing: nil, on: db)
        }
    }
}
