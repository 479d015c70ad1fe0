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

enum ReferenceData {
    /// Regions, the agency, the 98 municipalities, the regions as organisations and the evaluators.
    /// Adds only what is missing, so starting again never duplicates anything.
    static func load(on db: any Database) async throws {
        let existingRegions = Set(try await RegionRecord.query(on: db).all().map(\.code))
        let newRegions = DanishReference.regions.filter { !existingRegions.contains($0.code) }
            .map { RegionRecord(code: $0.code, name: $0.name) }
        if !newRegions.isEmpty { try await newRegions.create(on: db) }

        let existing = try await OrganisationRecord.query(on: db).all()
        let keys = Set(existing.map { "\($0.kind)|\($0.name)" })
        var wanted: [OrganisationRecord] = [OrganisationRecord(kind: .agency, name: Agency.name)]
        wanted += DanishReference.municipalities.map {
            OrganisationRecord(kind: .municipality, name: $0.name, municipalityCode: $0.code, regionCode: $0.regionCode)
        }
        wanted += DanishReference.regions.map { OrganisationRecord(kind: .region, name: $0.name, regionCode: $0.code) }
        wanted += ["VIVE – Det Nationale Forsknings- og Analysecenter for Velfærd", "Rambøll Management Consulting"].map
        {
            OrganisationRecord(kind: .evaluator, name: $0)
        }
        let missing = wanted.filter { !keys.contains("\($0.kind)|\($0.name)") }
        if !missing.isEmpty { try await missing.create(on: db) }
    }
}
