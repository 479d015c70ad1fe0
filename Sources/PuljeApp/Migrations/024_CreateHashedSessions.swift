import Fluent
import SQLKit

/// The sessions table: hashed ids, data as JSON text, when each began and was last seen. Replaces Fluent's
/// session table, which kept ids as the cookie carries them (everyone signs in again once).
struct CreateHashedSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DatabaseSessions.table)
            .field("key_hash", .string, .identifier(auto: false))
            .field("data", .sql(.text), .required)
            .field("created_at", .datetime, .required)
            .field("seen_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "sessions_seen_at").on(DatabaseSessions.table).column("seen_at").run()
        try await SessionRecord.migration.revert(on: database).get()
    }

    func revert(on database: any Database) async throws {
        try await SessionRecord.migration.prepare(on: database).get()
        try await database.schema(DatabaseSessions.table).delete()
    }
}
