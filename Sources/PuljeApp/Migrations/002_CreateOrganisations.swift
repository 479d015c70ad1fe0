import Fluent

struct CreateOrganisations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OrganisationRecord.schema)
            .id()
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("municipality_code", .int)
            .field("region_code", .int)
            .unique(on: "kind", "name")
            .unique(on: "municipality_code")
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(OrganisationRecord.schema).delete()
    }
}
