import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// An invitation to set one's own password: a single-use link sent by e-mail. Only a SHA-256 hash of the
/// token is stored, so the database alone cannot be used to take over an account.
final class InvitationRecord: Model, @unchecked Sendable {
    static let schema = "invitations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserRecord
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

enum Invitations {
    /// How long a link works.
    static let validity: TimeInterval = 7 * 86_400

    static func hash(_ token: String) -> String {
        SHA256Hex.of(Data(token.utf8))
    }

    /// Creates an invitation for a user and puts the e-mail in the outbox, in the caller's transaction.
    /// Earlier unused invitations of the user stop working.
    static func send(
        to user: UserRecord, organisation: String, by inviter: CurrentUser, baseURL: String, at now: Date,
        on db: any Database
    ) async throws {
        let userID = try user.requireID()
        try await InvitationRecord.query(on: db).filter(\.$user.$id == userID).filter(\.$usedAt == nil)
            .set(\.$usedAt, to: now).update()
        let token = [UInt8].random(count: 32).base64URLEncoded
        let record = InvitationRecord()
        record.$user.id = userID
        record.tokenHash = hash(token)
        record.expiresAt = now.addingTimeInterval(validity)
        record.createdBy = inviter.name
        record.createdAt = now
        try await record.create(on: db)
        try await Outbox.enqueue(
            to: [user.email], subject: "Du er inviteret til Pulje",
            body: """
                Hej \(user.name)

                \(inviter.name) har oprettet dig som bruger i Pulje for \(organisation).

                Vælg din adgangskode her (linket virker én gang og til og med \(DanishTime.dateTime(record.expiresAt))):
                \(baseURL)\(SiteURL.invitation(token).path)

                Har du ikke ventet denne e-mail, kan du se bort fra den.
                """, kind: "invitation", at: now, on: db)
    }

    /// The invitation a token names, if it can still be used.
    static func find(_ token: String, at now: Date, on db: any Database) async throws -> InvitationRecord? {
        guard
            let invitation = try await InvitationRecord.query(on: db).filter(\.$tokenHash == hash(token))
                .with(\.$user).first(),
            invitation.usedAt == nil, invitation.expiresAt > now, invitation.user.isActive
        else { return nil }
        return invitation
    }

    static let unusable = PuljeError(
        .notFound,
        "Linket virker ikke: det er allerede brugt, det er udløbet, eller der er sendt et nyere. Bed din administrator om en ny invitation."
    )
}
