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
