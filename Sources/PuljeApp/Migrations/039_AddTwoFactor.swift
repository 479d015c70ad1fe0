import Fluent

/// The second factor: a user's TOTP secret (base32) and the last time step a code was used in (a code counts
/// once). New nullable columns: the previous release reads and writes users as before.
struct AddTwoFactor: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserRecord.schema).field("totp_secret", .string).update()
        try await database.schema(UserRecord.schema).field("totp_last_step", .int64).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserRecord.schema).deleteField("totp_last_step").update()
        try await database.schema(UserRecord.schema).deleteField("totp_secret").update()
    }
}
