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
    /// The identity at the OpenID Connect provider the user signs in as (issuer and subject), once linked.
    @OptionalField(key: "external_issuer") var externalIssuer: String?
    @OptionalField(key: "external_subject") var externalSubject: String?
    /// The TOTP secret in base32, when the user has a second factor; and the last time step a code was used.
    @OptionalField(key: "totp_secret") var totpSecret: String?
    @OptionalField(key: "totp_last_step") var totpLastStep: Int64?
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

/// A sign-in begun at the OpenID Connect provider: kept by the hash of its `state`, bound to the browser that
/// began it by the hash of a cookie, with the nonce and PKCE verifier it needs on return; used once.
final class SignInRequestRecord: Model, @unchecked Sendable {
    static let schema = "sign_in_requests"

    @ID(key: .id) var id: UUID?
    @Field(key: "state_hash") var stateHash: String
    @Field(key: "browser_hash") var browserHash: String
    @Field(key: "nonce") var nonce: String
    @Field(key: "code_verifier") var codeVerifier: String
    @OptionalField(key: "next") var next: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
