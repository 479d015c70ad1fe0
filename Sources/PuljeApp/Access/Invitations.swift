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

enum InvitationController {
    struct Form: Content {
        var newPassword: String?
        var repeatPassword: String?
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard let invitation = try await Invitations.find(token, at: req.application.now(), on: req.db) else {
            throw Invitations.unusable
        }
        _ = req.csrfToken()
        return page(invitation, token: token, errors: FormErrors(), context: req.pageContext()).response(status: .ok)
    }

    @Sendable static func accept(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let now = req.application.now()
        guard let invitation = try await Invitations.find(token, at: now, on: req.db) else {
            throw Invitations.unusable
        }
        let form = try req.content.decode(Form.self)
        let password = form.newPassword ?? ""
        var errors = FormErrors()
        if let problem = PasswordPolicy.problem(with: password, email: invitation.user.email) {
            errors.add("newPassword", problem.danishMessage)
        } else if password != form.repeatPassword {
            errors.add("repeatPassword", "De to adgangskoder er ikke ens.")
        }
        guard errors.isEmpty else {
            return page(invitation, token: token, errors: errors, context: req.pageContext())
                .response(status: .unprocessableEntity)
        }
        let hash = try await req.password.async.hash(password)
        let user = invitation.user
        let organisation = try await OrganisationRecord.find(user.$organisation.id, on: req.db)
        let actor = CurrentUser(
            id: try user.requireID(), email: user.email, name: user.name, organisationID: user.$organisation.id,
            organisationName: organisation?.name ?? "", organisationKind: organisation?.organisationKind ?? .provider,
            roles: user.roleSet)
        let invitationID = try invitation.requireID()
        let used = try await req.writeTransaction { db -> Bool in
            // Only one use: the conditional update decides between two posts of the same link.
            let won = try await UserStore.useInvitation(invitationID, at: now, on: db)
            guard won else { return false }
            try await UserRecord.query(on: db).filter(\.$id == actor.id).set(\.$passwordHash, to: hash)
                .set(\.$sessionEpoch, to: user.sessionEpoch + 1).update()
            try await AuditLog.record(
                .userInvitationAccepted, subject: .user(actor.id),
                summary: "\(user.name) har valgt sin adgangskode via invitationen.", by: actor, on: db, request: req)
            return true
        }
        guard used else { throw Invitations.unusable }
        req.flash("Din adgangskode er gemt. Log ind med din e-mailadresse og den nye adgangskode.")
        return req.redirect(to: SiteURL.signIn.path)
    }

    static func page(_ invitation: InvitationRecord, token: String, errors: FormErrors, context: PageContext) -> Node {
        Layout.page(title: "Vælg din adgangskode", context: context) {
            tag("h1") { "Velkommen til Pulje" }
            tag("p") {
                "Vælg en adgangskode til \(invitation.user.email). Brug mindst \(PasswordPolicy.minimumLength) tegn; en sætning af flere ord er let at huske og svær at gætte."
            }
            FormField.errorSummary(errors)
            tag("form", .init("method", "post"), .init("action", SiteURL.invitation(token).path), .class("narrow")) {
                Layout.csrfField(context)
                FormField.text(
                    "newPassword", label: "Ny adgangskode", value: nil, errors: errors, type: "password",
                    required: true, autocomplete: "new-password")
                FormField.text(
                    "repeatPassword", label: "Gentag adgangskoden", value: nil, errors: errors, type: "password",
                    required: true, autocomplete: "new-password")
                tag("button", .type("submit"), .class("button")) { "Gem adgangskoden" }
            }
        }
    }
}
