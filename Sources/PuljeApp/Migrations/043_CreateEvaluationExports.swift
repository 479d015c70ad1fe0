import Fluent
import SQLKit

/// Exports made in the background: who asked for which file of which evaluation, how far its worker has
/// come, and when the file is ready and removed. A new table only: the previous release never reads it.
struct CreateEvaluationExports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("evaluation_exports")
            .id()
            .field("evaluation_id", .uuid, .required, .references("evaluations", "id"))
            .field("file", .string, .required)
            .field("status", .string, .required)
            .field("requested_by_id", .uuid, .required)
            .field("requested_by", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("worker", .string)
            .field("started_at", .datetime)
            .field("heartbeat_at", .datetime)
            .field("finished_at", .datetime)
            .field("expires_at", .datetime)
            .field("removed_at", .datetime)
            .field("citizens_total", .int, .required)
            .field("citizens_done", .int, .required)
            .field("rows_written", .int, .required)
            .field("size_bytes", .int64, .required)
            .field("failure", .string)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "evaluation_exports_status").on("evaluation_exports")
            .column("status").column("requested_at").run()
        try await sql.create(index: "evaluation_exports_evaluation").on("evaluation_exports")
            .column("evaluation_id").column("requested_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("evaluation_exports").delete()
    }
}
