import Fluent

/// Business cases (their input as JSON, versioned for concurrent editors) and the net price index the
/// agency keeps, one value per year. New tables only: the previous release never reads them.
struct CreateBusinessCases: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("business_cases")
            .id()
            .field("initiative_year", .int)
            .field("initiative_number", .string)
            .field("title", .string, .required)
            .field("input_json", .string, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("net_price_index")
            .id()
            .field("year", .int, .required)
            .field("value", .string, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "year")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("net_price_index").delete()
        try await database.schema("business_cases").delete()
    }
}
