import Fluent

struct CreateRegions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RegionRecord.schema)
            .id()
            .field("code", .int, .required)
            .field("name", .string, .required)
            .unique(on: "code")
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(RegionRecord.schema).delete()
    }
}
