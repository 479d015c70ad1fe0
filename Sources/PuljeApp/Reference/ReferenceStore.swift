import Fluent
import PuljeDomain
import Vapor

/// Loads the reference data (regions and organisations) into the database.
enum ReferenceData {
    static func organisationName(_ id: UUID, on db: any Database) async throws -> String? {
        try await OrganisationRecord.find(id, on: db)?.name
    }

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
