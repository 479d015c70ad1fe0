import Fluent
import PuljeDomain
import Vapor

final class RegionRecord: Model, @unchecked Sendable {
    static let schema = "regions"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: Int
    @Field(key: "name") var name: String

    init() {}
    init(code: Int, name: String) {
        self.code = code
        self.name = name
    }
}

/// The agency, a municipality, a region, an evaluator or a provider.
final class OrganisationRecord: Model, @unchecked Sendable {
    static let schema = "organisations"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "name") var name: String
    /// The official three-digit code of a municipality.
    @OptionalField(key: "municipality_code") var municipalityCode: Int?
    @OptionalField(key: "region_code") var regionCode: Int?
    /// The CVR number the organisation signs in with through MitID Erhverv; entered by an administrator.
    @OptionalField(key: "cvr") var cvr: String?

    init() {}
    init(kind: OrganisationKind, name: String, municipalityCode: Int? = nil, regionCode: Int? = nil) {
        self.kind = kind.rawValue
        self.name = name
        self.municipalityCode = municipalityCode
        self.regionCode = regionCode
    }

    var organisationKind: OrganisationKind { OrganisationKind(rawValue: kind) ?? .provider }
}

/// The agency's own organisation, created by the reference data.
enum Agency {
    static let name = "Social- og Boligstyrelsen"
}
