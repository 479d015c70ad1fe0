import Fluent
import SQLKit

/// Evaluation data: the instruments the evaluator defines (versioned), evaluations with their designs, the
/// citizens under pseudonyms, their records per measurement point, and the log of every read, import and
/// export of citizen data. New tables only: the previous release never reads them.
struct CreateEvaluations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("instruments")
            .id()
            .field("key", .string, .required)
            .field("version", .int, .required)
            .field("definition_json", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "key", "version")
            .create()
        try await database.schema("evaluations")
            .id()
            .field("call_id", .uuid, .required, .references("calls", "id"))
            .field("title", .string, .required)
            .field("design_json", .string, .required)
            .field("version", .int, .required)
            .field("end_date", .string, .required)
            .field("retention", .string, .required)
            .field("purged_at", .datetime)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("evaluation_citizens")
            .id()
            .field("evaluation_id", .uuid, .required, .references("evaluations", "id"))
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("pseudonym", .string, .required)
            .field("baseline_date", .string, .required)
            .field("birth_year", .int)
            .field("sex", .string)
            .field("consent_at", .datetime)
            .field("enrolled_by", .string, .required)
            .field("enrolled_at", .datetime, .required)
            .unique(on: "evaluation_id", "pseudonym")
            .create()
        try await database.schema("evaluation_records")
            .id()
            .field("citizen_id", .uuid, .required, .references("evaluation_citizens", "id", onDelete: .cascade))
            .field("point_key", .string, .required)
            .field("answers_json", .string, .required)
            .field("fields_json", .string, .required)
            .field("version", .int, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "citizen_id", "point_key")
            .create()
        try await database.schema("data_access_entries")
            .id()
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("organisation_name", .string, .required)
            .field("action", .string, .required)
            .field("evaluation_id", .uuid)
            .field("record_count", .int, .required)
            .field("records", .string, .required)
            .field("address", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "evaluation_citizens_organisation").on("evaluation_citizens")
                .column("evaluation_id").column("organisation_id").run()
            try await sql.create(index: "data_access_entries_at").on("data_access_entries").column("at").column("id")
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["data_access_entries", "evaluation_records", "evaluation_citizens", "evaluations", "instruments"]
        {
            try await database.schema(table).delete()
        }
    }
}
