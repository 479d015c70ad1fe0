/// Where an application is in its life, and which moves are allowed.
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

    public var allowedNext: Set<ApplicationStatus> {
        switch self {
        case .draft: [.submitted, .withdrawn]
        case .submitted: [.underAssessment, .withdrawn, .rejected]
        case .underAssessment: [.moreInformationRequested, .awarded, .rejected]
        case .moreInformationRequested: [.underAssessment, .awarded, .rejected]
        case .awarded, .rejected, .withdrawn: []
        }
    }

    public func canMove(to next: ApplicationStatus) -> Bool { allowedNext.contains(next) }

    /// Only a draft is edited; what was submitted never changes.
    public var isEditable: Bool { self == .draft }
}
