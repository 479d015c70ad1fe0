/// An initiative's budget as the allocation states it: a total at a price level, split once by
/// year and once by category. The source gives the two splits separately, never a year × category
/// table, so we keep exactly that and invent no cross-split.
public struct InitiativeBudget: Hashable, Sendable {
    /// The price level the amounts are stated in, such as 2022 for "2022-PL".
    public var priceLevel: Int
    public var total: Money
    public var byYear: [Int: Money]
    public var byCategory: [BudgetCategory: Money]

    public init(priceLevel: Int, total: Money, byYear: [Int: Money], byCategory: [BudgetCategory: Money]) {
        self.priceLevel = priceLevel
        self.total = total
        self.byYear = byYear
        self.byCategory = byCategory
    }

    public var years: [Int] { byYear.keys.sorted() }
    public var sumOfYears: Money { byYear.values.sum() }
    public var sumOfCategories: Money { byCategory.values.sum() }

    /// The consistency rule of the catalogue: the years and the categories each add up to the total,
    /// and no amount is negative. Returns every problem, in Danish, so a form can show them all.
    public func problems() -> [BudgetProblem] {
        var problems: [BudgetProblem] = []
        if total.ore < 0 { problems.append(.negativeTotal) }
        for (year, amount) in byYear.sorted(by: { $0.key < $1.key }) where amount.ore < 0 {
            problems.append(.negativeYear(year))
        }
        for category in BudgetCategory.allCases where (byCategory[category]?.ore ?? 0) < 0 {
            problems.append(.negativeCategory(category))
        }
        if sumOfYears != total { problems.append(.yearsDoNotAddUp(sum: sumOfYears, total: total)) }
        if sumOfCategories != total { problems.append(.categoriesDoNotAddUp(sum: sumOfCategories, total: total)) }
        return problems
    }

    public var isConsistent: Bool { problems().isEmpty }
}

public enum BudgetProblem: Hashable, Sendable {
    case negativeTotal
    case negativeYear(Int)
    case negativeCategory(BudgetCategory)
    case yearsDoNotAddUp(sum: Money, total: Money)
    case categoriesDoNotAddUp(sum: Money, total: Money)

    public var danishMessage: String {
        switch self {
        case .negativeTotal:
            "Det samlede beløb kan ikke være negativt."
        case .negativeYear(let year):
            "Beløbet for \(year) kan ikke være negativt."
        case .negativeCategory(let category):
            "Beløbet til \(category.danishName.lowercased()) kan ikke være negativt."
        case .yearsDoNotAddUp(let sum, let total):
            sentence(
                "Årene summerer til \(DanishAmount.kroner(sum)), men det samlede beløb er \(DanishAmount.kroner(total))"
            )
        case .categoriesDoNotAddUp(let sum, let total):
            sentence(
                "Kategorierne summerer til \(DanishAmount.kroner(sum)), men det samlede beløb er \(DanishAmount.kroner(total))"
            )
        }
    }
}

/// The text as a sentence: a full stop added unless it already ends with one ("… 750.000 kr." stays).
public func sentence(_ text: String) -> String { text.hasSuffix(".") ? text : text + "." }
