import Fluent

/// Requests for more information after the deadline, and the answers.
struct CreateInformationRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(InformationRequestRecord.schema).id()
            .applicationReference()
            .field("question", .sql(.text), .required)
            .field("reply_by", .string, .required)
            .field("requested_by", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("answer", .sql(.text))
            .field("answered_by", .string)
            .field("answered_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(InformationRequestRecord.schema).delete()
    }
}
