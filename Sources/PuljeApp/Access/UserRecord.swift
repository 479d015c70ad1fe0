import Fluent
import PuljeDomain
import SQLKit
import Vapor

final class UserRecord: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "password_hash") var passwordHash: String
    @Parent(key: "organisation_id") var organisation: OrganisationRecord
    @Field(key: "roles") var roles: [String]
    /// Raised to sign the user out of every session at once.
    @Field(key: "session_epoch") var sessionEpoch: Int
    @Field(key: "is_active") var isActive: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
    init(email: String, name: String, passwordHash: String, organisationID: UUID, roles: Set<Role>) {
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.$organisation.id = organisationID
        self.roles = roles.map(\.rawValue).sorted()
        self.sessionEpoch = 0
        self.isActive = true
    }

    var roleSet: Set<Role> { Set(roles.compactMap(Role.init(rawValue:))) }
}

final class SignInAttemptRecord: Model, @unchecked Sendable {
    static let schema = "sign_in_attempts"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "address") var address: String
    @Field(key: "succeeded") var succeeded: Bool
    @Field(key: "at") var at: Date

    init() {}
    init(email: String, address: String, succeeded: Bool, at: Date) {
        self.email = email
        self.address = address
        self.succeeded = succeeded
        self.at = at
    }
}

struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserRecord.schema)
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("password_hash", .string, .required)
            .field("organisation_id", .uuid, .required, .references(OrganisationRecord.schema, "id"))
            .field("roles", .array(of: .string), .required)
            .field("session_epoch", .int, .required)
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email")
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(UserRecord.schema).delete()
    }
}

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
