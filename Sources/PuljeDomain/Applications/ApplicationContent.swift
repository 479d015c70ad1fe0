import Foundation

/// A service taking part in an application, such as a residential facility under SEL § 108.
public struct ParticipatingService: Hashable, Sendable, Codable {
    public var name: String
    public var legalBasis: String
    public var citizens: Int
    public init(name: String, legalBasis: String, citizens: Int) {
        self.name = name
        self.legalBasis = legalBasis
        self.citizens = citizens
    }
}

/// A line of an application's budget: units × unit price, placed in a project year and its months.
public struct BudgetLine: Hashable, Sendable, Codable {
    public var category: ExpenseCategory
    public var description: String
    /// Hundredths of a unit, so that 0,5 årsværk or 37,5 timer are exact.
    public var unitsHundredths: Int64
    public var unitPrice: Money
    public var year: Int
    /// Months (1–12) of the year in which the expense falls; spread evenly over them.
    public var months: [Int]
    public var note: String

    public init(
        category: ExpenseCategory, description: String, unitsHundredths: Int64, unitPrice: Money, year: Int,
        months: [Int], note: String = ""
    ) {
        self.category = category
        self.description = description
        self.unitsHundredths = unitsHundredths
        self.unitPrice = unitPrice
        self.year = year
        self.months = months
        self.note = note
    }

    /// units × unit price, rounded to whole øre (half away from zero); nil when the product does not fit
    /// in 64 bits. `DraftLimits` refuses such a line before it is saved.
    public var checkedAmount: Money? {
        let (product, overflow) = unitsHundredths.multipliedReportingOverflow(by: unitPrice.ore)
        guard !overflow else { return nil }
        // Divide first, then round on the remainder: adding 50 to the product could itself overflow.
        let (quotient, remainder) = product.quotientAndRemainder(dividingBy: 100)
        if remainder >= 50 { return Money(ore: quotient + 1) }
        if remainder <= -50 { return Money(ore: quotient - 1) }
        return Money(ore: quotient)
    }

    /// units × unit price, rounded to whole øre. A product too large for 64 bits (which only a line that
    /// never passed `DraftLimits` can have) saturates rather than trapping.
    public var amount: Money {
        if let amount = checkedAmount { return amount }
        return Money(ore: (unitsHundredths < 0) == (unitPrice.ore < 0) ? .max : .min)
    }

    /// The amount spread over the line's months: equal parts, the remainder øre to the first months.
    public var monthlyAmounts: [Int: Money] {
        let sorted = Array(Set(months)).sorted()
        guard !sorted.isEmpty else { return [:] }
        let total = amount.ore
        let share = total / Int64(sorted.count)
        var remainder = total - share * Int64(sorted.count)
        var result: [Int: Money] = [:]
        for month in sorted {
            var part = share
            if remainder > 0 {
                part += 1
                remainder -= 1
            }
            result[month] = Money(ore: part)
        }
        return result
    }
}

/// Everything an applicant writes: the part of an application that is saved, versioned and frozen.
public struct ApplicationContent: Hashable, Sendable, Codable {
    public var projectTitle: String
    public var targetAreaCodes: [String]
    public var services: [ParticipatingService]
    public var contacts: [ContactPerson]
    /// Answers by question id.
    public var answers: [String: String]
    /// Ids of the minimum conditions the applicant declares to meet.
    public var declarations: [String]
    public var budget: [BudgetLine]
    /// Set when the application is submitted: the files as they were then, so the digest covers them.
    public var attachments: [AttachmentReference]

    public init(
        projectTitle: String = "", targetAreaCodes: [String] = [], services: [ParticipatingService] = [],
        contacts: [ContactPerson] = [], answers: [String: String] = [:], declarations: [String] = [],
        budget: [BudgetLine] = [], attachments: [AttachmentReference] = []
    ) {
        self.projectTitle = projectTitle
        self.targetAreaCodes = targetAreaCodes
        self.services = services
        self.contacts = contacts
        self.answers = answers
        self.declarations = declarations
        self.budget = budget
        self.attachments = attachments
    }

    enum CodingKeys: String, CodingKey {
        case projectTitle, targetAreaCodes, services, contacts, answers, declarations, budget, attachments
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        projectTitle = try c.decode(String.self, forKey: .projectTitle)
        targetAreaCodes = try c.decode([String].self, forKey: .targetAreaCodes)
        services = try c.decode([ParticipatingService].self, forKey: .services)
        contacts = try c.decode([ContactPerson].self, forKey: .contacts)
        answers = try c.decode([String: String].self, forKey: .answers)
        declarations = try c.decode([String].self, forKey: .declarations)
        budget = try c.decode([BudgetLine].self, forKey: .budget)
        attachments = try c.decodeIfPresent([AttachmentReference].self, forKey: .attachments) ?? []
    }

    /// A stable byte form of the content (sorted keys), the basis of the receipt's digest.
    public func canonicalJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}

/// Totals of an application budget.
public struct BudgetTotals: Hashable, Sendable {
    public var byYear: [Int: Money]
    public var byCategory: [ExpenseCategory: Money]
    public var total: Money

    public init(_ lines: [BudgetLine]) {
        var byYear: [Int: Money] = [:]
        var byCategory: [ExpenseCategory: Money] = [:]
        for line in lines {
            byYear[line.year, default: .zero] += line.amount
            byCategory[line.category, default: .zero] += line.amount
        }
        self.byYear = byYear
        self.byCategory = byCategory
        self.total = lines.map(\.amount).sum()
    }
}
