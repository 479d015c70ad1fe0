import Foundation

/// Where a grant case is. A case opens when a decision is approved; where the award is below what was asked
/// for, the municipality first submits a budget that adds up to the award and the agency approves it.
public enum GrantCaseStatus: String, CaseIterable, Sendable, Codable {
    case revisedBudgetDue
    case active
    case closed

    public var danishName: String {
        switch self {
        case .revisedBudgetDue: "Afventer revideret budget"
        case .active: "I gang"
        case .closed: "Afsluttet"
        }
    }

    /// The status a new case opens in: active, unless its budget must be revised to the award first.
    public static func opening(award: Money, approvedBudget: GrantBudget) -> GrantCaseStatus {
        approvedBudget.total == award || award == .zero ? .active : .revisedBudgetDue
    }
}

/// The moves a grant case can make, each from the statuses it applies to.
public enum GrantCaseTransition: Sendable, CaseIterable {
    /// The agency approves the municipality's revised budget.
    case approveRevisedBudget
    /// The agency closes the case after the final report and accounts.
    case close

    public var from: Set<GrantCaseStatus> {
        switch self {
        case .approveRevisedBudget: [.revisedBudgetDue]
        case .close: [.active]
        }
    }

    public var to: GrantCaseStatus {
        switch self {
        case .approveRevisedBudget: .active
        case .close: .closed
        }
    }

    public func applies(to status: GrantCaseStatus) -> Bool { from.contains(status) }
}

/// A grant's budget: an amount per expense category and project year.
public struct GrantBudget: Hashable, Sendable, Codable {
    public struct Cell: Hashable, Sendable, Codable {
        public var category: ExpenseCategory
        public var year: Int
        public var amount: Money

        public init(category: ExpenseCategory, year: Int, amount: Money) {
            self.category = category
            self.year = year
            self.amount = amount
        }
    }

    /// Non-zero cells, sorted by year and then category.
    public private(set) var cells: [Cell]

    public init(_ cells: [Cell]) {
        var merged: [Key: Money] = [:]
        for cell in cells { merged[Key(category: cell.category, year: cell.year), default: .zero] += cell.amount }
        self.cells = merged.filter { $0.value != .zero }
            .map { Cell(category: $0.key.category, year: $0.key.year, amount: $0.value) }
            .sorted { ($0.year, GrantBudget.order($0.category)) < ($1.year, GrantBudget.order($1.category)) }
    }

    /// The application's budget, summed per category and year.
    public init(lines: [BudgetLine]) {
        self.init(lines.map { Cell(category: $0.category, year: $0.year, amount: $0.amount) })
    }

    private struct Key: Hashable {
        var category: ExpenseCategory
        var year: Int
    }

    static func order(_ category: ExpenseCategory) -> Int {
        ExpenseCategory.allCases.firstIndex(of: category) ?? 0
    }

    public var total: Money { cells.map(\.amount).sum() }
    public var years: [Int] { Array(Set(cells.map(\.year))).sorted() }
    public var categories: [ExpenseCategory] {
        ExpenseCategory.allCases.filter { category in cells.contains { $0.category == category } }
    }

    public func amount(_ category: ExpenseCategory, year: Int) -> Money {
        cells.filter { $0.category == category && $0.year == year }.map(\.amount).sum()
    }

    public func byCategory() -> [ExpenseCategory: Money] {
        Dictionary(grouping: cells, by: \.category).mapValues { $0.map(\.amount).sum() }
    }

    public func byYear() -> [Int: Money] {
        Dictionary(grouping: cells, by: \.year).mapValues { $0.map(\.amount).sum() }
    }

    /// What is wrong with a budget meant to carry a grant of `award` in the call's years and categories, in
    /// Danish; empty when it is usable.
    public func problems(award: Money, years: ClosedRange<Int>?, categories: [ExpenseCategory]) -> [String] {
        var problems: [String] = []
        if cells.contains(where: { $0.amount < .zero }) { problems.append("Beløbene kan ikke være negative.") }
        if let years, let outside = cells.first(where: { !years.contains($0.year) }) {
            problems.append(
                "\(outside.year) ligger uden for projektperioden (\(years.lowerBound)–\(years.upperBound)).")
        }
        if !categories.isEmpty, let other = cells.first(where: { !categories.contains($0.category) }) {
            problems.append("\(other.category.danishName) er ikke en udgift, puljen dækker.")
        }
        if total != award {
            problems.append(
                sentence(
                    "Budgettet skal give tilskuddet på \(DanishAmount.kroner(award)) i alt; det giver \(DanishAmount.kroner(total))"
                ))
        }
        return problems
    }
}

/// What stands in the way of closing a grant case, as the agency sees it before it closes: the anchoring
/// plan (forankringsplan) the municipality must deliver, a final report asked for, every report approved
/// (the final one among them), accounts approved for
/// every project year (where the call grants money), no change request undecided and no payment prepared but
/// not released.
public struct ClosingFacts: Hashable, Sendable {
    public var anchoringPlanDelivered: Bool
    /// Whether the call has a report round marked as the final report.
    public var finalReportRequested: Bool
    /// The titles of report rounds whose report is not approved.
    public var reportsNotApproved: [String]
    /// The project years without approved accounts (empty where the call grants participation, not money).
    public var yearsWithoutApprovedAccounts: [Int]
    public var undecidedChanges: Int
    public var unreleasedPayments: Int

    public init(
        anchoringPlanDelivered: Bool, finalReportRequested: Bool, reportsNotApproved: [String],
        yearsWithoutApprovedAccounts: [Int], undecidedChanges: Int, unreleasedPayments: Int
    ) {
        self.anchoringPlanDelivered = anchoringPlanDelivered
        self.finalReportRequested = finalReportRequested
        self.reportsNotApproved = reportsNotApproved
        self.yearsWithoutApprovedAccounts = yearsWithoutApprovedAccounts
        self.undecidedChanges = undecidedChanges
        self.unreleasedPayments = unreleasedPayments
    }
}

public enum GrantClosing {
    public static let maximumAnchoringPlan = 20_000

    /// Why the case cannot be closed yet, in Danish; empty when it can.
    public static func problems(_ facts: ClosingFacts) -> [String] {
        var problems: [String] = []
        if !facts.anchoringPlanDelivered { problems.append("Kommunen har ikke indsendt forankringsplanen.") }
        if !facts.finalReportRequested {
            problems.append("Der er ikke bedt om en slutrapport: opret en rapportering, der er slutrapporten.")
        }
        if !facts.reportsNotApproved.isEmpty {
            problems.append("Ikke godkendt: \(facts.reportsNotApproved.joined(separator: ", ")).")
        }
        if !facts.yearsWithoutApprovedAccounts.isEmpty {
            problems.append(
                "Regnskabet er ikke godkendt for "
                    + facts.yearsWithoutApprovedAccounts.map(String.init).joined(separator: ", ") + ".")
        }
        if facts.undecidedChanges > 0 {
            problems.append(
                facts.undecidedChanges == 1
                    ? "1 ændringsanmodning er ikke afgjort."
                    : "\(facts.undecidedChanges) ændringsanmodninger er ikke afgjort.")
        }
        if facts.unreleasedPayments > 0 {
            problems.append(
                facts.unreleasedPayments == 1
                    ? "1 udbetaling er klargjort, men ikke frigivet."
                    : "\(facts.unreleasedPayments) udbetalinger er klargjort, men ikke frigivet.")
        }
        return problems
    }

    /// What is wrong with an anchoring plan as written; nil when it may be delivered.
    public static func anchoringPlanProblem(_ text: String) -> String? {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return "Skriv forankringsplanen: hvordan indsatsen fortsætter i drift, når projektperioden slutter."
        }
        if text.count > maximumAnchoringPlan { return "Forankringsplanen må højst være \(maximumAnchoringPlan) tegn." }
        return nil
    }
}
