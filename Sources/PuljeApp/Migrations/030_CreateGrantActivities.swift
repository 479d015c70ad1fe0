import Fluent

/// The activities of the implementation support and who the municipalities registered for them.
struct CreateGrantActivities: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GrantActivityRecord.schema)
            .id()
            .field("call_id", .uuid, .required, .references(CallRecord.schema, "id"))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("place", .sql(.text), .required)
            .field("mandatory", .bool, .required)
            .field("required_roles_json", .sql(.text), .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(ActivityParticipantRecord.schema)
            .id()
            .field(
                "activity_id", .uuid, .required, .references(GrantActivityRecord.schema, "id", onDelete: .cascade)
            )
            .field("case_id", .uuid, .required, .references(GrantCaseRecord.schema, "id", onDelete: .cascade))
            .field("member_id", .uuid, .required)
            .field("name", .string, .required)
            .field("role_id", .string, .required)
            .field("registered_by", .string, .required)
            .field("registered_at", .datetime, .required)
            .field("attended", .bool)
            .field("attendance_by", .string)
            .unique(on: "activity_id", "member_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ActivityParticipantRecord.schema).delete()
        try await database.schema(GrantActivityRecord.schema).delete()
    }
}
