import Fluent
import SQLKit

struct CreateSignInAttempts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SignInAttemptRecord.schema)
            .id()
            .field("email", .string, .required)
            .field("address", .string, .required)
            .field("succeeded", .bool, .required)
            .field("at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "sign_in_attempts_email_at").on(SignInAttemptRecord.schema).column("email")
                .column("at").run()
            try await sql.create(index: "sign_in_attempts_address_at").on(SignInAttemptRecord.schema).column("address")
                .column("at").run()
        }
    }
    func revert(on database: any Database) async throws {
        try await database.schema(SignInAttemptRecord.schema).delete()
    }
}
