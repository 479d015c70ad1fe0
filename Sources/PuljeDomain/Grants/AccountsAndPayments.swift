import Foundation

/// The accounts of one project year against the approved budget: the variance per category.
public struct AccountsVariance: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public var category: ExpenseCategory
        public var approved: Money
        public var actual: Money
        /// actual − approved: positive is overspent, negative underspent.
        public var variance: Money
        /// The variance in per cent of the approved amount, rounded to a whole number; nil where nothing was
        /// approved.
        public var percent: Int?
    }

    public var lines: [Line]
    public var approvedTotal: Money
    public var actualTotal: Money
    public var variance: Money { actualTotal - approvedTotal }

    /// Compares the actual expenses of `year` with the approved budget of that year, per category.
    public init(approved budget: GrantBudget, actual: [ExpenseCategory: Money], year: Int) {
        let categories = ExpenseCategory.allCases.filter {
            budget.amount($0, year: year) != .zero || (actual[$0] ?? .zero) != .zero
        }
        lines = categories.map { category in
            let approved = budget.amount(category, year: year)
            let spent = actual[category] ?? .zero
            let variance = spent - approved
            let percent: Int? =
                approved.ore > 0
                ? Int((Double(variance.ore) / Double(approved.ore) * 100).rounded()) : nil
            return Line(category: category, approved: approved, actual: spent, variance: variance, percent: percent)
        }
        approvedTotal = lines.map(\.approved).sum()
        actualTotal = lines.map(\.actual).sum()
    }
}

/// Money paid out against money spent: what the municipality must pay back.
public enum Repayment {
    /// What is to be repaid: paid out beyond the approved expenses, which count at most up to the award.
    /// Never negative: an overspend is the municipality's own.
    public static func due(paid: Money, approvedExpenses: Money, award: Money) -> Money {
        let eligible = min(approvedExpenses, award)
        return paid > eligible ? paid - eligible : .zero
    }

    /// Whether accounts of a grant of `award` must come with an auditor's statement under the terms.
    public static func needsAuditorStatement(award: Money, terms: GrantTerms) -> Bool {
        guard let from = terms.auditorStatementFrom else { return false }
        return award >= from
    }
}

/// Where a payment is: prepared by one person, released by another.
public enum PaymentStatus: String, CaseIterable, Sendable, Codable {
    case prepared
    case released
    case cancelled

    public var danishName: String {
        switch self {
        case .prepared: "Klargjort, afventer frigivelse"
        case .released: "Frigivet"
        case .cancelled: "Annulleret"
        }
    }
}

/// The rules for paying out a grant.
public enum PaymentRules {
    /// Why a payment of `amount` cannot be prepared when `committed` (prepared and released, not cancelled)
    /// is already under way; nil when it can. Payments never exceed the award.
    public static func preparationProblem(amount: Money, committed: Money, award: Money) -> String? {
        guard amount > .zero else { return "Beløbet skal være større end 0 kr." }
        guard let total = committed.adding(amount), total <= award else {
            let room = award > committed ? award - committed : .zero
            return
                sentence("Udbetalingerne kan ikke overstige tilskuddet på \(DanishAmount.kroner(award))")
                + " Der kan højst udbetales \(DanishAmount.kroner(room)) mere."
        }
        return nil
    }

    public static let samePersonMessage =
        "Den, der har klargjort udbetalingen, kan ikke selv frigive den. En anden tilskudsforvalter skal frigive den."
    public static let accountChangedMessage =
        "Du har selv ændret modtagerens kontooplysninger og kan derfor ikke frigive udbetalinger til modtageren."

    /// Why `releaser` may not release a payment that `preparedBy` prepared, when the recipient's account was
    /// last changed by `accountChangedBy`; nil when they may.
    public static func releaseProblem<PersonID: Equatable>(
        preparedBy: PersonID, releaser: PersonID, accountChangedBy: PersonID?
    ) -> String? {
        if preparedBy == releaser { return samePersonMessage }
        if let accountChangedBy, accountChangedBy == releaser { return accountChangedMessage }
        return nil
    }
}

/// Whether something with a due time is done, coming, due soon or overdue, in Danish time.
/// The e-mail reminders of something due: one when it comes within `DueState.soon`, one when it is overdue;
/// each is sent once.
public enum ReminderKind: String, CaseIterable, Sendable {
    case dueSoon = "due-soon"
    case overdue

    /// The reminder a thing in this state calls for, if any.
    public init?(_ state: DueState) {
        switch state {
        case .dueSoon: self = .dueSoon
        case .overdue: self = .overdue
        case .done, .upcoming: return nil
        }
    }
}

public enum DueState: Equatable, Sendable {
    case done
    case upcoming
    /// Due within the next seven days.
    case dueSoon
    case overdue

    public static let soon: TimeInterval = 7 * 24 * 3600

    public static func of(due: Date, done: Bool, at now: Date) -> DueState {
        if done { return .done }
        if now >= due { return .overdue }
        return due.timeIntervalSince(now) <= soon ? .dueSoon : .upcoming
    }

    /// "Frist 1. marts 2027 kl. 12.00", "Overskredet siden …" and so on.
    public func danishText(due: Date) -> String {
        let when = DanishTime.dateTime(due)
        switch self {
        case .done: return "Afleveret (frist \(when))"
        case .upcoming: return "Frist \(when)"
        case .dueSoon: return "Frist snart: \(when)"
        case .overdue: return "Overskredet – fristen var \(when)"
        }
    }
}

/// A Danish bank account for payments: a four-digit registration number and an account number of up to ten
/// digits.
public enum PayeeAccount {
    public static func digits(_ text: String) -> (reg: String, account: String)? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
        guard parts.count == 2, parts[0].count == 4, (1...10).contains(parts[1].count),
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        return (parts[0], parts[1])
    }

    public static func isValid(_ text: String) -> Bool { digits(text) != nil }

    /// "1234 ******4567": enough to recognise it in a history, not to use it.
    public static func masked(_ text: String) -> String {
        guard let (reg, account) = digits(text) else { return "(ugyldig)" }
        return reg + " " + String(repeating: "*", count: max(0, account.count - 4)) + account.suffix(4)
    }
}
