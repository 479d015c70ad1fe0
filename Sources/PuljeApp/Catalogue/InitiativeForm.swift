import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// The initiative form as posted: every value as typed, so a refused form comes back exactly as it was.
struct InitiativeForm: Content {
    var programmeYear: String?
    var number: String?
    var title: String?
    var area: String?
    var phase: String?
    var track: String?
    var grantRecipients: String?
    var purpose: String?
    var background: String?
    var targetGroup: String?
    var expectedResults: String?
    var activities: String?
    var successCriteria: String?
    var implementationNote: String?
    var applicationPoolCriteria: String?
    var priceLevel: String?
    var total: String?
    /// Amounts by year, keyed by the year as text.
    var years: [String: String]?
    /// Amounts by category, keyed by the category's code.
    var categories: [String: String]?
    var timeline: String?

    /// How many years the budget can be spread over, from the programme year on.
    static let budgetYearCount = 6

    init(_ initiative: Initiative) {
        programmeYear = String(initiative.programmeYear)
        number = initiative.number.description
        title = initiative.title
        area = initiative.area.rawValue
        phase = initiative.phase.rawValue
        track = initiative.track.map(String.init) ?? ""
        grantRecipients = initiative.grantRecipients
        purpose = initiative.purpose
        background = initiative.background
        targetGroup = initiative.targetGroup
        expectedResults = initiative.expectedResults
        activities = initiative.activities
        successCriteria = initiative.successCriteria
        implementationNote = initiative.implementationNote
        applicationPoolCriteria = initiative.applicationPoolCriteria
        priceLevel = String(initiative.budget.priceLevel)
        total = Self.amountText(initiative.budget.total)
        years = Dictionary(
            uniqueKeysWithValues: initiative.budget.byYear.map { (String($0.key), Self.amountText($0.value)) })
        categories = Dictionary(
            uniqueKeysWithValues: initiative.budget.byCategory.map { ($0.key.rawValue, Self.amountText($0.value)) })
        timeline = TimelineText.format(initiative.timeline)
    }

    init() {}

    /// "1.500.000" – the amount as a user would type it, without the unit.
    static func amountText(_ money: Money) -> String {
        String(DanishAmount.kroner(money).dropLast(4))
    }

    /// The years shown in the budget form.
    func budgetYears(defaultYear: Int) -> [Int] {
        let start = Int(programmeYear ?? "") ?? defaultYear
        let given = (years ?? [:]).keys.compactMap(Int.init)
        let range = Array(start..<(start + Self.budgetYearCount))
        return Array(Set(range).union(given)).sorted()
    }

    /// Checks everything and builds the initiative, or returns every problem found.
    func validate() -> Result<Initiative, FormErrors> {
        var errors = FormErrors()
        func required(_ field: String, _ value: String?, _ label: String) -> String {
            let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { errors.add(field, "\(label) skal udfyldes.") }
            return trimmed
        }
        func text(_ value: String?) -> String {
            (value ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func amount(_ field: String, _ value: String?, _ label: String) -> Money? {
            let trimmed = (value ?? "").trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            guard let money = DanishAmount.parse(trimmed) else {
                errors.add(field, "\(label) skal være et beløb i kroner, fx 1.500.000.")
                return nil
            }
            if money.ore < 0 { errors.add(field, "\(label) kan ikke være negativ.") }
            return money
        }

        let yearText = required("programmeYear", programmeYear, "Programår")
        let year = Int(yearText)
        if !yearText.isEmpty && (year == nil || !(2000...2100).contains(year!)) {
            errors.add("programmeYear", "Programår skal være et årstal, fx 2022.")
        }
        let numberText = required("number", number, "Nummer")
        let parsedNumber = InitiativeNumber(numberText)
        if !numberText.isEmpty && parsedNumber == nil {
            errors.add("number", "Nummer skal skrives som 1.8: tal adskilt af punktum.")
        }
        let title = required("title", title, "Titel")
        if title.count > 300 { errors.add("title", "Titel må højst være 300 tegn.") }
        let area = ProgrammeArea(rawValue: area ?? "")
        if area == nil { errors.add("area", "Vælg et område.") }
        let phase = SUSIPhase(rawValue: phase ?? "")
        if phase == nil { errors.add("phase", "Vælg en SUSI-fase.") }
        var parsedTrack: Int?
        switch (track ?? "").trimmingCharacters(in: .whitespaces) {
        case "": parsedTrack = nil
        case "1": parsedTrack = 1
        case "2": parsedTrack = 2
        default: errors.add("track", "Spor skal være 1, 2 eller tomt.")
        }
        let priceText = required("priceLevel", priceLevel, "Prisniveau")
        let price = Int(priceText)
        if !priceText.isEmpty && (price == nil || !(2000...2100).contains(price!)) {
            errors.add("priceLevel", "Prisniveau skal være et årstal, fx 2022.")
        }
        let totalMoney = amount("total", total, "Samlet beløb")
        if (total ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            errors.add("total", "Samlet beløb skal udfyldes.")
        }

        var byYear: [Int: Money] = [:]
        for (key, value) in years ?? [:] {
            guard let y = Int(key), (2000...2100).contains(y) else {
                errors.add("years", "Ukendt år i budgettet: \(key).")
                continue
            }
            if let money = amount("years[\(key)]", value, "Beløbet for \(key)"), money.ore != 0 { byYear[y] = money }
        }
        var byCategory: [BudgetCategory: Money] = [:]
        for (key, value) in categories ?? [:] {
            guard let category = BudgetCategory(rawValue: key) else {
                errors.add("categories", "Ukendt budgetkategori: \(key).")
                continue
            }
            if let money = amount("categories[\(key)]", value, category.danishName), money.ore != 0 {
                byCategory[category] = money
            }
        }

        var timelineEntries: [TimelineEntry] = []
        switch TimelineText.parse(text(timeline)) {
        case .success(let entries): timelineEntries = entries
        case .failure(let error): errors.add("timeline", error.danishMessage)
        }

        guard errors.isEmpty, let year, let parsedNumber, let area, let phase, let price, let totalMoney else {
            if errors.isEmpty { errors.add("title", "Formularen er ufuldstændig.") }
            return .failure(errors)
        }
        let budget = InitiativeBudget(priceLevel: price, total: totalMoney, byYear: byYear, byCategory: byCategory)
        let problems = budget.problems()
        if !problems.isEmpty {
            for problem in problems {
                switch problem {
                case .yearsDoNotAddUp, .negativeYear: errors.add("years", problem.danishMessage)
                case .categoriesDoNotAddUp, .negativeCategory: errors.add("categories", problem.danishMessage)
                case .negativeTotal: errors.add("total", problem.danishMessage)
                }
            }
            return .failure(errors)
        }
        return .success(
            Initiative(
                programmeYear: year, number: parsedNumber, title: title, area: area, phase: phase, track: parsedTrack,
                grantRecipients: text(grantRecipients), purpose: text(purpose), background: text(background),
                targetGroup: text(targetGroup), expectedResults: text(expectedResults), activities: text(activities),
                successCriteria: text(successCriteria), implementationNote: text(implementationNote),
                applicationPoolCriteria: text(applicationPoolCriteria), timeline: timelineEntries, budget: budget))
    }
}
