/// Everything a user can ask to do. Actions on organisation-owned things (applications, grant
/// cases) are judged together with whether the thing belongs to the user's own organisation.
public enum Action: String, CaseIterable, Sendable {
    case viewCatalogue
    case editCatalogue
    case viewAuditHistory
    case manageUsers
    case manageCalls
    case writeApplication
    case submitApplication
    /// Approve an application before submission, at director level (a municipal signatory).
    case approveApplication
    case readApplication
    /// Read every submitted application, without being assigned to it: caseworkers, programme managers,
    /// directors. Assessors read only what is assigned to them (`CaseAccess`).
    case readAllApplications
    /// Write in a submitted application's case. The agency writes in its own name; assessors do not write
    /// to applicants at all (they stay anonymous to them).
    case writeCaseMessage
    case screenApplications
    /// Assign assessors, ask applicants for more information, adjust the proposed selection.
    case manageAssessment
    case editLetterTemplates
    case assessApplications
    case proposeDecision
    case approveDecision
    /// Define instruments and evaluation designs: the evaluator.
    case manageDataCollection
    /// Read citizen-level data under pseudonyms: a municipality its own citizens, the evaluator everyone's.
    case readEvaluationData
    /// Enrol citizens and enter their data: the municipality, for its own citizens only.
    case writeEvaluationData
    /// Read an evaluation's aggregates, with small cells suppressed: the agency.
    case readEvaluationAggregates
    /// Read the log of every read, import and export of citizen data: the data-protection officer.
    case readDataAccessLog
    /// Read a grant case: the municipality its own, the agency's case staff every one.
    case readGrantCase
    /// Work in the municipality's own grant case: organisation, revised budget, reports, changes, accounts.
    case writeGrantCase
    /// Confirm the municipality's organisation of the project, at director level.
    case confirmGrantOrganisation
    /// Run the grant cases: report rounds, approving budgets, reports and accounts, closing.
    case manageGrantCases
    /// Decide change requests (the first or the second approval).
    case decideChangeRequests
    /// Prepare and release payments and keep the recipient's account.
    case managePayments
    /// Read business cases and their computation: everyone signed in, so a municipal economist can check them.
    case readBusinessCases
    /// Write business cases and keep the net price index.
    case editBusinessCases
    /// Read the phase verdicts being written and the pipeline of initiatives (decided verdicts are public).
    case readPhaseVerdicts
    /// Rate an initiative's phase criteria and propose the verdict.
    case proposePhaseVerdict
    /// Record the steering group's decision on a proposed verdict (never the proposer's own).
    case decidePhaseVerdict
    /// Change the criteria a phase is judged on (a new version; verdicts keep the set they were rated on).
    case editPhaseCriteria
}

/// Whose thing an action is about, seen from the acting user.
public enum Ownership: Sendable, CaseIterable {
    case own
    case other
}

/// Who is acting: their roles and the kind of organisation they belong to.
public struct Actor: Sendable, Hashable {
    public var roles: Set<Role>
    public var organisationKind: OrganisationKind

    public init(roles: Set<Role>, organisationKind: OrganisationKind) {
        self.roles = roles
        self.organisationKind = organisationKind
    }
}

/// The permission policy: the one place that says who may do what.
public enum AccessPolicy {
    /// Roles that may do an action on things of their own organisation, and on things of others.
    struct Grant {
        var own: Set<Role>
        var other: Set<Role>
    }

    static let staff: Set<Role> = [.agencyAdministrator, .programmeManager, .grantAdministrator, .assessor, .director]
    static let municipal: Set<Role> = [.municipalApplicant, .municipalSignatory]

    static func grant(for action: Action) -> Grant {
        switch action {
        case .viewCatalogue:
            Grant(own: Set(Role.allCases), other: Set(Role.allCases))
        case .editCatalogue, .manageCalls:
            // The catalogue and the calls belong to the agency; only its programme staff change them.
            Grant(own: [.agencyAdministrator, .programmeManager], other: [.agencyAdministrator, .programmeManager])
        case .viewAuditHistory:
            Grant(own: staff.subtracting([.assessor]), other: staff.subtracting([.assessor]))
        case .manageUsers:
            Grant(own: [.agencyAdministrator], other: [.agencyAdministrator])
        case .writeApplication, .submitApplication:
            Grant(own: municipal, other: [])
        case .approveApplication:
            Grant(own: [.municipalSignatory], other: [])
        case .readApplication:
            Grant(
                own: municipal.union([.grantAdministrator, .programmeManager, .director, .assessor]),
                other: [.grantAdministrator, .programmeManager, .director, .assessor])
        case .readAllApplications:
            Grant(
                own: [.grantAdministrator, .programmeManager, .director],
                other: [.grantAdministrator, .programmeManager, .director])
        case .writeCaseMessage:
            Grant(
                own: municipal.union([.grantAdministrator, .programmeManager, .director]),
                other: [.grantAdministrator, .programmeManager, .director])
        case .screenApplications:
            Grant(own: [.grantAdministrator], other: [.grantAdministrator])
        case .manageAssessment:
            Grant(own: [.grantAdministrator, .programmeManager], other: [.grantAdministrator, .programmeManager])
        case .editLetterTemplates:
            Grant(own: [.programmeManager, .agencyAdministrator], other: [.programmeManager, .agencyAdministrator])
        case .assessApplications:
            Grant(own: [.assessor], other: [.assessor])
        case .proposeDecision:
            Grant(own: [.programmeManager], other: [.programmeManager])
        case .approveDecision:
            Grant(own: [.director], other: [.director])
        case .manageDataCollection:
            Grant(own: [.evaluator], other: [.evaluator])
        case .readEvaluationData:
            Grant(own: municipal.union([.evaluator]), other: [.evaluator])
        case .writeEvaluationData:
            Grant(own: municipal, other: [])
        case .readEvaluationAggregates:
            Grant(
                own: [.programmeManager, .grantAdministrator, .director, .agencyAdministrator],
                other: [.programmeManager, .grantAdministrator, .director, .agencyAdministrator])
        case .readDataAccessLog:
            Grant(own: [.dataProtectionOfficer], other: [.dataProtectionOfficer])
        case .readGrantCase:
            Grant(
                own: municipal.union([.grantAdministrator, .programmeManager, .director]),
                other: [.grantAdministrator, .programmeManager, .director])
        case .writeGrantCase:
            Grant(own: municipal, other: [])
        case .confirmGrantOrganisation:
            Grant(own: [.municipalSignatory], other: [])
        case .manageGrantCases:
            Grant(own: [.grantAdministrator, .programmeManager], other: [.grantAdministrator, .programmeManager])
        case .decideChangeRequests:
            Grant(own: [.grantAdministrator, .director], other: [.grantAdministrator, .director])
        case .managePayments:
            Grant(own: [.grantAdministrator], other: [.grantAdministrator])
        case .readBusinessCases:
            Grant(own: Set(Role.allCases), other: Set(Role.allCases))
        case .editBusinessCases:
            Grant(own: [.agencyAdministrator, .programmeManager], other: [.agencyAdministrator, .programmeManager])
        case .readPhaseVerdicts:
            Grant(own: staff.subtracting([.assessor]), other: staff.subtracting([.assessor]))
        case .proposePhaseVerdict:
            Grant(own: [.programmeManager], other: [.programmeManager])
        case .decidePhaseVerdict:
            Grant(
                own: [.director, .programmeManager, .agencyAdministrator],
                other: [.director, .programmeManager, .agencyAdministrator])
        case .editPhaseCriteria:
            Grant(own: [.programmeManager, .agencyAdministrator], other: [.programmeManager, .agencyAdministrator])
        }
    }

    /// Whether the actor may do the action on a thing owned by their own or another organisation.
    /// A role held in an organisation of the wrong kind grants nothing.
    public static func permits(_ actor: Actor?, _ action: Action, on ownership: Ownership = .own) -> Bool {
        guard let actor else { return action == .viewCatalogue }
        let effective = actor.roles.filter { $0.organisationKinds.contains(actor.organisationKind) }
        let grant = grant(for: action)
        let allowed = ownership == .own ? grant.own : grant.other
        return !effective.isDisjoint(with: allowed)
    }
}
