/// The kinds of organisation that take part in the programme.
public enum OrganisationKind: String, CaseIterable, Sendable, Codable {
    case agency
    case municipality
    case region
    case evaluator
    case provider

    public var danishName: String {
        switch self {
        case .agency: "Styrelse"
        case .municipality: "Kommune"
        case .region: "Region"
        case .evaluator: "Evaluator"
        case .provider: "Leverandør"
        }
    }
}

/// What a user may be in their organisation. A user holds one or more roles.
public enum Role: String, CaseIterable, Sendable, Codable {
    case agencyAdministrator
    case programmeManager
    case grantAdministrator
    case assessor
    case director
    case municipalApplicant
    case municipalSignatory
    case evaluator
    /// The agency's data-protection officer (databeskyttelsesrådgiver): reads the log of who read, imported
    /// and exported citizen data.
    case dataProtectionOfficer

    public var danishName: String {
        switch self {
        case .agencyAdministrator: "Administrator"
        case .programmeManager: "Programansvarlig (fagkonsulent)"
        case .grantAdministrator: "Tilskudsforvalter"
        case .assessor: "Bedømmer"
        case .director: "Direktør"
        case .municipalApplicant: "Ansøger"
        case .municipalSignatory: "Tegningsberettiget"
        case .evaluator: "Evaluator"
        case .dataProtectionOfficer: "Databeskyttelsesrådgiver"
        }
    }

    /// The kinds of organisation a user with this role can belong to.
    public var organisationKinds: Set<OrganisationKind> {
        switch self {
        case .agencyAdministrator, .programmeManager, .grantAdministrator, .assessor, .director,
            .dataProtectionOfficer:
            [.agency]
        // Regions and providers can also receive grants and apply (domain brief), with the same roles.
        case .municipalApplicant, .municipalSignatory: [.municipality, .region, .provider]
        case .evaluator: [.evaluator]
        }
    }

    public var isAgencyStaff: Bool { organisationKinds == [.agency] }
}
