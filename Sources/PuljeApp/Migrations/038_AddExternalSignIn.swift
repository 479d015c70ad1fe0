import Fluent
import SQLKit

/// Sign-in through OpenID Connect: an organisation's CVR number, the identity a user is linked to at the
/// provider (issuer and subject), and the pending authorisation requests (one per sign-in begun, used once).
/// New nullable columns, indexes and a new table: the previous release reads and writes as before.
struct AddExternalSignIn: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OrganisationRecord.schema).field("cvr", .string).update()
        try await database.schema(UserRecord.schema).field("external_issuer", .string).update()
        try await database.schema(UserRecord.schema).field("external_subject", .string).update()
        try await database.schema(SignInRequestRecord.schema)
            .id()
            .field("state_hash", .string, .required)
            .field("browser_hash", .string, .required)
            .field("nonce", .string, .required)
            .field("code_verifier", .string, .required)
            .field("next", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "state_hash")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // Unique where set: many organisations have no CVR number yet, and most users no external identity.
        try await sql.create(index: "organisations_cvr").unique().on(OrganisationRecord.schema).column("cvr").run()
        try await sql.create(index: "users_external_identity").unique().on(UserRecord.schema)
            .column("external_issuer").column("external_subject").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "users_external_identity").run()
            try await sql.drop(index: "organisations_cvr").run()
        }
        try await database.schema(SignInRequestRecord.schema).delete()
        try await database.schema(UserRecord.schema).deleteField("external_subject").update()
        try await database.schema(UserRecord.schema).deleteField("external_issuer").update()
        try await database.schema(OrganisationRecord.schema).deleteField("cvr").update()
    }
}
