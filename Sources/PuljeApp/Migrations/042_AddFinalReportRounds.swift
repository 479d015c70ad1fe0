import Fluent

/// A report round may be the final report (slutrapport), which must be approved before the case closes. The
/// column has a default, so the previous release's INSERTs, which leave it out, make ordinary rounds.
struct AddFinalReportRounds: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("report_rounds").field("is_final", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("report_rounds").deleteField("is_final").update()
    }
}
