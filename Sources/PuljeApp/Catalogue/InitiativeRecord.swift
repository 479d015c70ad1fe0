import Fluent
import Foundation
import PuljeDomain
import Vapor

final class InitiativeRecord: Model, @unchecked Sendable {
    static let schema = "initiatives"

    @ID(key: .id) var id: UUID?
    @Field(key: "programme_year") var programmeYear: Int
    @Field(key: "number") var number: String
    /// The number's parts as one sortable integer (1.10 after 1.9).
    @Field(key: "sort_key") var sortKey: Int
    @Field(key: "title") var title: String
    @Field(key: "area") var area: String
    @Field(key: "phase") var phase: String
    @OptionalField(key: "track") var track: Int?
    @Field(key: "grant_recipients") var grantRecipients: String
    @Field(key: "purpose") var purpose: String
    @Field(key: "background") var background: String
    @Field(key: "target_group") var targetGroup: String
    @Field(key: "expected_results") var expectedResults: String
    @Field(key: "activities") var activities: String
    @Field(key: "success_criteria") var successCriteria: String
    @Field(key: "implementation_note") var implementationNote: String
    @Field(key: "pool_criteria") var applicationPoolCriteria: String
    @Field(key: "price_level") var priceLevel: Int
    @Field(key: "total_ore") var totalOre: Int64
    /// `InitiativeFacts` as JSON.
    @Field(key: "facts_json") var factsJSON: String
    @Children(for: \.$initiative) var budgetAmounts: [InitiativeBudgetAmountRecord]
    @Children(for: \.$initiative) var timelineEntries: [InitiativeTimelineEntryRecord]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    /// Copies the domain value's own fields (not its budget lines or timeline, which are rows of their own).
    func apply(_ initiative: Initiative) {
        programmeYear = initiative.programmeYear
        number = initiative.number.description
        sortKey = initiative.number.parts.reduce(0) { $0 * 1000 + $1 }
        title = initiative.title
        area = initiative.area.rawValue
        phase = initiative.phase.rawValue
        track = initiative.track
        grantRecipients = initiative.grantRecipients
        purpose = initiative.purpose
        background = initiative.background
        targetGroup = initiative.targetGroup
        expectedResults = initiative.expectedResults
        activities = initiative.activities
        successCriteria = initiative.successCriteria
        implementationNote = initiative.implementationNote
        applicationPoolCriteria = initiative.applicationPoolCriteria
        priceLevel = initiative.budget.priceLevel
        totalOre = initiative.budget.total.ore
        factsJSON = Self.encode(initiative.facts)
    }

    static func encode(_ facts: InitiativeFacts) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(facts)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The domain value; budget amounts and timeline entries must have been loaded.
    func toDomain() throws -> Initiative {
        guard let number = InitiativeNumber(number), let area = ProgrammeArea(rawValue: area),
            let phase = SUSIPhase(rawValue: phase)
        else { throw PuljeError(.internalServerError, "Initiative \(number) is stored with invalid values.") }
        var byYear: [Int: Money] = [:]
        var byCategory: [BudgetCategory: Money] = [:]
        for amount in budgetAmounts {
            switch amount.dimension {
            case InitiativeBudgetAmountRecord.yearDimension:
                if let year = Int(amount.key) { byYear[year] = Money(ore: amount.amountOre) }
            default:
                if let category = BudgetCategory(rawValue: amount.key) {
                    byCategory[category] = Money(ore: amount.amountOre)
                }
            }
        }
        let timeline = timelineEntries.sorted { $0.position < $1.position }.compactMap { $0.toDomain() }
        return Initiative(
            programmeYear: programmeYear, number: number, title: title, area: area, phase: phase, track: track,
            grantRecipients: grantRecipients, purpose: purpose, background: background, targetGroup: targetGroup,
            expectedResults: expectedResults, activities: activities, successCriteria: successCriteria,
            implementationNote: implementationNote, applicationPoolCriteria: applicationPoolCriteria,
            timeline: timeline,
            budget: InitiativeBudget(
                priceLevel: priceLevel, total: Money(ore: totalOre), byYear: byYear, byCategory: byCategory),
            facts: (try? JSONDecoder().decode(InitiativeFacts.self, from: Data(factsJSON.utf8))) ?? InitiativeFacts())
    }
}

/// One amount of an initiative's budget: a year's total or a category's total.
final class InitiativeBudgetAmountRecord: Model, @unchecked Sendable {
    static let schema = "initiative_budget_amounts"
    static let yearDimension = "year"
    static let categoryDimension = "category"

    @ID(key: .id) var id: UUID?
    @Parent(key: "initiative_id") var initiative: InitiativeRecord
    @Field(key: "dimension") var dimension: String
    @Field(key: "key") var key: String
    @Field(key: "amount_ore") var amountOre: Int64

    init() {}
    init(initiativeID: UUID, dimension: String, key: String, amount: Money) {
        self.$initiative.id = initiativeID
        self.dimension = dimension
        self.key = key
        self.amountOre = amount.ore
    }
}

final class InitiativeTimelineEntryRecord: Model, @unchecked Sendable {
    static let schema = "initiative_timeline_entries"

    @ID(key: .id) var id: UUID?
    @Parent(key: "initiative_id") var initiative: InitiativeRecord
    @Field(key: "position") var position: Int
    @Field(key: "label") var label: String
    @Field(key: "from_year") var fromYear: Int
    @Field(key: "from_quarter") var fromQuarter: Int
    @Field(key: "to_year") var toYear: Int
    @Field(key: "to_quarter") var toQuarter: Int
    /// One activity a line.
    @Field(key: "activities") var activities: String

    init() {}
    init(initiativeID: UUID, position: Int, entry: TimelineEntry) {
        self.$initiative.id = initiativeID
        self.position = position
        self.label = entry.label
        self.fromYear = entry.from.year
        self.fromQuarter = entry.from.quarter
        self.toYear = entry.to.year
        self.toQuarter = entry.to.quarter
        self.activities = entry.activities.joined(separator: "\n")
    }

    func toDomain() -> TimelineEntry? {
        guard let from = Quarter(year: fromYear, quarter: fromQuarter),
            let to = Quarter(year: toYear, quarter: toQuarter)
        else { return nil }
        return TimelineEntry(
            label: label, from: from, to: to, activities: activities.split(separator: "\n").map(String.init))
    }
}
