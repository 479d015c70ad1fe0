import Foundation

/// What a municipality can ask to change in a grant case.
public enum ChangeKind: String, CaseIterable, Sendable, Codable {
    /// Move money between the budget's categories or years; the total stays the award.
    case reallocation
    /// Extend the project period.
    case periodExtension
    /// A new project leader or member of the organisation.
    case personnel

    public var danishName: String {
        switch self {
        case .reallocation: "Omfordeling af budgettet"
        case .periodExtension: "Forlængelse af projektperioden"
        case .personnel: "Ny projektleder eller nyt medlem af organiseringen"
        }
    }
}

/// How a change is handled under the call's grant terms.
public enum ChangeHandling: String, Sendable, Codable, Equatable {
    /// Registered on notice; nobody needs to approve it.
    case notice
    /// A grant administrator decides.
    case approval
    /// A grant administrator decides, and a second person must approve as well.
    case approvalByTwo

    public var danishText: String {
        switch self {
        case .notice: "Kræver kun orientering"
        case .approval: "Kræver godkendelse"
        case .approvalByTwo: "Kræver godkendelse af to personer"
        }
    }

    public var approvalsNeeded: Int {
        switch self {
        case .notice: 0
        case .approval: 1
        case .approvalByTwo: 2
        }
    }
}

/// Where a change request is.
public enum ChangeStatus: String, CaseIterable, Sendable, Codable {
    case pending
    /// Approved by one person; a second must approve.
    case awaitingSecondApproval
    case approved
    case rejected
    /// A notice: registered, nothing to decide.
    case noted

    public var danishName: String {
        switch self {
        case .pending: "Afventer afgørelse"
        case .awaitingSecondApproval: "Afventer anden godkender"
        case .approved: "Godkendt"
        case .rejected: "Afvist"
        case .noted: "Registreret (orientering)"
        }
    }

    public var isOpen: Bool { self == .pending || self == .awaitingSecondApproval }
}

/// The rules for change requests: which need approval, by how many, and who may give it.
public enum ChangeRules {
    /// The amount a reallocation moves: what the categories that grow gain (equal to what the others lose
    /// when the total is unchanged), counted per category and year.
    public static func movedAmount(from old: GrantBudget, to new: GrantBudget) -> Money {
        let keys = Set(old.cells.map { CellKey($0) }).union(new.cells.map { CellKey($0) })
        var gained = Money.zero
        for key in keys {
            let change = new.amount(key.category, year: key.year) - old.amount(key.category, year: key.year)
            if change > .zero { gained += change }
        }
        return gained
    }

    private struct CellKey: Hashable {
        var category: ExpenseCategory
        var year: Int
        init(_ cell: GrantBudget.Cell) {
            category = cell.category
            year = cell.year
        }
    }

    /// How a change is handled. A reallocation within the notice share (and amount) is a notice; more needs
    /// approval; more than the terms' limit needs two. An extension always needs approval; a new person is a
    /// notice.
    public static func handling(
        _ kind: ChangeKind, moved: Money, approvedTotal: Money, terms: GrantTerms
    )
        -> ChangeHandling
    {
        switch kind {
        case .personnel: return .notice
        case .periodExtension: return .approval
        case .reallocation:
            if moved > terms.secondApprovalAbove { return .approvalByTwo }
            let share = Money.share(of: approvedTotal, percent: terms.reallocationNoticePercent)
            let withinAmount = terms.reallocationNoticeAmount.map { moved <= $0 } ?? true
            return moved <= share && withinAmount ? .notice : .approval
        }
    }

    /// Why a reallocation cannot be asked for; nil when it can: the total must stay the award.
    public static func reallocationProblem(old: GrantBudget, new: GrantBudget) -> String? {
        if new.cells.contains(where: { $0.amount < .zero }) { return "Beløbene kan ikke være negative." }
        if new.total != old.total {
            return sentence(
                "En omfordeling skal give det samme i alt som det godkendte budget (\(DanishAmount.kroner(old.total))); den giver \(DanishAmount.kroner(new.total))"
            )
        }
        if movedAmount(from: old, to: new) == .zero { return "Omfordelingen ændrer ikke noget i budgettet." }
        return nil
    }

    public static let sameApproverMessage =
        "Du har allerede godkendt ændringen. En anden person skal give den anden godkendelse."
    public static let ownRequestMessage = "Du kan ikke afgøre en ændring, du selv har anmodet om."

    /// What an approval by `approver` does to a request: its new status, or why the approver may not.
    public static func approve<PersonID: Equatable>(
        status: ChangeStatus, handling: ChangeHandling, requestedBy: PersonID, firstApprover: PersonID?,
        approver: PersonID
    ) -> Result<ChangeStatus, ChangeRefusal> {
        guard status.isOpen else { return .failure(.init("Ændringen er allerede afgjort.")) }
        if requestedBy == approver { return .failure(.init(ownRequestMessage)) }
        switch status {
        case .pending:
            return .success(handling == .approvalByTwo ? .awaitingSecondApproval : .approved)
        case .awaitingSecondApproval:
            if firstApprover == approver { return .failure(.init(sameApproverMessage)) }
            return .success(.approved)
        default:
            return .failure(.init("Ændringen er allerede afgjort."))
        }
    }
}

/// Why a step in a grant case is refused, in Danish.
public struct ChangeRefusal: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

extension Money {
    /// `percent` per cent of `total`, rounded down to whole øre, without overflow for any total.
    public static func share(of total: Money, percent: Int) -> Money {
        let p = Int64(min(max(percent, 0), 100))
        let (whole, rest) = total.ore.quotientAndRemainder(dividingBy: 100)
        let (a, o1) = whole.multipliedReportingOverflow(by: p)
        let b = rest * p / 100
        guard !o1 else { return Money(ore: total.ore < 0 ? .min : .max) }
        return Money(ore: a) + Money(ore: b)
    }
}
