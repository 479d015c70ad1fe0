/// Where an application is in its life.
public enum ApplicationStatus: String, CaseIterable, Sendable, Codable {
    case draft
    case submitted
    case underAssessment
    case moreInformationRequested
    case awarded
    case rejected
    case withdrawn

    public var danishName: String {
        switch self {
        case .draft: "Kladde"
        case .submitted: "Indsendt"
        case .underAssessment: "Under vurdering"
        case .moreInformationRequested: "Yderligere oplysninger ønsket"
        case .awarded: "Tilsagn"
        case .rejected: "Afslag"
        case .withdrawn: "Trukket tilbage"
        }
    }

    /// The statuses some transition leads to from this one.
    public var allowedNext: Set<ApplicationStatus> {
        Set(ApplicationTransition.allCases.filter { $0.from.contains(self) && $0.to != self }.map(\.to))
    }

    public func canMove(to next: ApplicationStatus) -> Bool { allowedNext.contains(next) }

    /// Only a draft is edited; what was submitted never changes.
    public var isEditable: Bool { self == .draft }

    /// Only a draft can be deleted ("Slet kladde"): nothing of it has reached the agency. A submitted
    /// application is withdrawn instead, and stays on record.
    public var mayBeDeleted: Bool { self == .draft }
}

/// Every move an application can make, from which statuses, to which. The one place the workflow is
/// stated: each state change in the app names its transition, and its database guard is
/// `WHERE status IN (from)`, so a move the domain does not allow cannot happen, even in a race.
public enum ApplicationTransition: String, CaseIterable, Sendable {
    case submit
    case withdraw
    /// Formal screening lets it through to assessment (again, if it is screened a second time).
    case screenIn
    /// Formal screening keeps it out of assessment: it stays submitted until the decision rejects it.
    case screenOut
    case requestInformation
    case answerInformation
    case award
    case reject

    public var from: Set<ApplicationStatus> {
        switch self {
        case .submit: [.draft]
        // Withdrawal is for the applicant until the deadline; the deadline itself is the action's check.
        case .withdraw: [.draft, .submitted]
        case .screenIn, .screenOut: [.submitted, .underAssessment]
        case .requestInformation: [.underAssessment]
        case .answerInformation: [.moreInformationRequested]
        case .award: [.underAssessment, .moreInformationRequested]
        // A screened-out application is still submitted when the decision rejects it.
        case .reject: [.submitted, .underAssessment, .moreInformationRequested]
        }
    }

    public var to: ApplicationStatus {
        switch self {
        case .submit: .submitted
        case .withdraw: .withdrawn
        case .screenIn: .underAssessment
        case .screenOut: .submitted
        case .requestInformation: .moreInformationRequested
        case .answerInformation: .underAssessment
        case .award: .awarded
        case .reject: .rejected
        }
    }

    /// Whether an application in `status` can make this move.
    public func applies(to status: ApplicationStatus) -> Bool { from.contains(status) }

    /// The transition a decision letter makes.
    public static func decision(awarded: Bool) -> ApplicationTransition { awarded ? .award : .reject }
}
