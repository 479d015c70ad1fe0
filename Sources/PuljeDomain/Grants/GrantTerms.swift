import Foundation

/// The groups a municipality sets up around a grant (000 l. 121–160, 001 l. 130–190, 003 l. 190–240).
public enum TeamGroup: String, CaseIterable, Sendable, Codable {
    case implementationTeam
    case projectGroup
    case steeringGroup

    public var danishName: String {
        switch self {
        case .implementationTeam: "Implementeringsteam"
        case .projectGroup: "Projektgruppe"
        case .steeringGroup: "Styregruppe"
        }
    }
}

/// A role the call asks the municipality to fill in its organisation of the project, such as the project
/// leader or a staff representative. Optional roles (citizen representatives) are listed but not required.
public struct TeamRole: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var required: Bool

    public init(id: String, name: String, required: Bool = true) {
        self.id = id
        self.name = name
        self.required = required
    }
}

/// The call's terms for the grant cases it opens: data, not code. Which roles the organisation must have,
/// which changes need approval and which only notice, when a second person must approve, and when the
/// accounts need an auditor's statement.
public struct GrantTerms: Hashable, Sendable, Codable {
    public var teamRoles: [TeamRole]
    /// A reallocation between categories of at most this share of the approved budget (in per cent) …
    public var reallocationNoticePercent: Int
    /// … and at most this amount (none: the share alone decides) is a notice; more needs approval.
    public var reallocationNoticeAmount: Money?
    /// A change that moves more than this needs a second person's approval as well.
    public var secondApprovalAbove: Money
    /// Accounts of a grant of at least this amount must come with an auditor's statement (none: never).
    public var auditorStatementFrom: Money?

    public init(
        teamRoles: [TeamRole], reallocationNoticePercent: Int = 10, reallocationNoticeAmount: Money? = nil,
        secondApprovalAbove: Money = Money(kroner: 100_000), auditorStatementFrom: Money? = Money(kroner: 500_000)
    ) {
        self.teamRoles = teamRoles
        self.reallocationNoticePercent = reallocationNoticePercent
        self.reallocationNoticeAmount = reallocationNoticeAmount
        self.secondApprovalAbove = secondApprovalAbove
        self.auditorStatementFrom = auditorStatementFrom
    }

    /// Terms for a call that states none: a project leader and a responsible head, the usual thresholds.
    public static let standard = GrantTerms(teamRoles: [
        TeamRole(id: "projektansvarlig", name: "Projektansvarlig leder"),
        TeamRole(id: "projektleder", name: "Projektleder"),
    ])

    /// 000 (l. 121–160): the team of a municipality in the partnership.
    public static let partnership000 = GrantTerms(teamRoles: [
        TeamRole(id: "projektansvarlig", name: "Projektansvarlig leder"),
        TeamRole(id: "lokale-ledere", name: "Relevante lokale ledere"),
        TeamRole(id: "projektleder", name: "Projektleder"),
        TeamRole(id: "social", name: "Repræsentant for socialområdet"),
        TeamRole(id: "sundhed", name: "Repræsentant for sundhedsområdet"),
        TeamRole(id: "medarbejder", name: "Medarbejderrepræsentant"),
    ])

    /// 001 (l. 130–190): front line and authority are both represented; citizens may be.
    public static let partnership001 = GrantTerms(teamRoles: [
        TeamRole(id: "projektansvarlig", name: "Projektansvarlig leder"),
        TeamRole(id: "lokale-ledere", name: "Lokale ledere"),
        TeamRole(id: "projektleder", name: "Projektleder"),
        TeamRole(id: "udfoerer", name: "Repræsentant for udførerleddet"),
        TeamRole(id: "myndighed", name: "Repræsentant for myndighed"),
        TeamRole(id: "borger", name: "Borgerrepræsentant", required: false),
    ])

    /// 003 (l. 190–240): leaders across the areas and staff from every administration involved.
    public static let familyModels003 = GrantTerms(teamRoles: [
        TeamRole(id: "projektansvarlig", name: "Projektansvarlig leder"),
        TeamRole(id: "projektleder", name: "Projektleder"),
        TeamRole(id: "ledere-paa-tvaers", name: "Ledere på tværs af de relevante områder"),
        TeamRole(id: "myndighed", name: "Medarbejdere fra myndighed"),
        TeamRole(id: "forvaltninger", name: "Medarbejdere fra de øvrige involverede forvaltninger"),
        TeamRole(id: "borger", name: "Borgerrepræsentant", required: false),
        TeamRole(id: "faglig", name: "Faglig repræsentant", required: false),
        TeamRole(id: "dh", name: "Lokal DH (Danske Handicaporganisationer)", required: false),
    ])

    /// The parts of the terms staff enter, for naming a problem's field.
    public enum Field: String, Sendable {
        case teamRoles, reallocationNoticePercent, reallocationNoticeAmount, secondApprovalAbove, auditorStatementFrom
    }

    /// What is wrong with terms staff entered, each with its field, in Danish; empty when they are usable.
    public var fieldProblems: [(field: Field, message: String)] {
        var problems: [(Field, String)] = []
        if teamRoles.filter(\.required).isEmpty {
            problems.append((.teamRoles, "Angiv mindst én påkrævet rolle i organiseringen."))
        }
        if Set(teamRoles.map(\.id)).count != teamRoles.count {
            problems.append((.teamRoles, "Rollernes koder skal være forskellige."))
        }
        if teamRoles.count > 30 { problems.append((.teamRoles, "Angiv højst 30 roller.")) }
        if !(0...100).contains(reallocationNoticePercent) {
            problems.append(
                (.reallocationNoticePercent, "Andelen, der kan flyttes mod orientering, skal være mellem 0 og 100 %."))
        }
        if let amount = reallocationNoticeAmount, amount < .zero {
            problems.append(
                (.reallocationNoticeAmount, "Beløbet, der kan flyttes mod orientering, kan ikke være negativt."))
        }
        if secondApprovalAbove < .zero {
            problems.append((.secondApprovalAbove, "Grænsen for to godkendere kan ikke være negativ."))
        }
        if let amount = auditorStatementFrom, amount < .zero {
            problems.append((.auditorStatementFrom, "Grænsen for revisorerklæring kan ikke være negativ."))
        }
        return problems
    }

    public var problems: [String] { fieldProblems.map(\.message) }
}

/// Who is named in the municipality's organisation of the project.
public struct TeamMember: Hashable, Sendable, Codable {
    public var name: String
    public var email: String
    public var roleID: String
    public var group: TeamGroup

    public init(name: String, email: String, roleID: String, group: TeamGroup) {
        self.name = name
        self.email = email
        self.roleID = roleID
        self.group = group
    }
}

/// Whether an organisation covers the roles the call requires.
public enum TeamComposition {
    /// The required roles nobody fills yet, in the call's order.
    public static func missingRoles(_ roles: [TeamRole], members: [TeamMember]) -> [TeamRole] {
        let filled = Set(members.map(\.roleID))
        return roles.filter { $0.required && !filled.contains($0.id) }
    }

    /// Why the organisation cannot be confirmed yet; nil when every required role is filled.
    public static func confirmationProblem(_ roles: [TeamRole], members: [TeamMember]) -> String? {
        let missing = missingRoles(roles, members: members)
        guard !missing.isEmpty else { return nil }
        return "Organiseringen mangler: " + missing.map(\.name).joined(separator: ", ") + "."
    }
}

/// Who may read or work in a grant case: the municipality its own (writing while it is not closed), the
/// agency's case staff every one; anyone else gets "not found".
public enum GrantCaseAccess: Equatable, Sendable {
    case none
    case read
    case write

    public var mayRead: Bool { self != .none }
    public var mayWrite: Bool { self == .write }

    public static func of(_ actor: Actor, ownOrganisation: Bool, status: GrantCaseStatus) -> GrantCaseAccess {
        guard AccessPolicy.permits(actor, .readGrantCase, on: ownOrganisation ? .own : .other) else { return .none }
        let writes = ownOrganisation && AccessPolicy.permits(actor, .writeGrantCase, on: .own) && status != .closed
        return writes ? .write : .read
    }
}
