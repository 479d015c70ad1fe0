import Fluent

/// Assessors on applications, with their conflict-of-interest declarations.
struct CreateAssessorAssignments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AssessorAssignmentRecord.schema).id()
            .applicationReference()
            .field("assessor_id", .uuid, .required, .references(UserRecord.schema, "id"))
            .field("is_lead", .bool, .required)
            .field("declaration", .string)
            .field("declaration_note", .sql(.text), .required)
            .field("declared_at", .datetime)
            .field("assigned_by", .string, .required)
            .field("assigned_at", .datetime, .required)
            .unique(on: "application_id", "assessor_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AssessorAssignmentRecord.schema).delete()
    }
}
