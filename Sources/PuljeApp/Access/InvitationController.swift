import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

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
        let organisation = try await UserStore.organisation(user.$organisation.id, on: req.db)
        let actor = CurrentUser(
            id: try user.requireID(), email: user.email, name: user.name, organisationID: user.$organisation.id,
            organisationName: organisation?.name ?? "", organisationKind: organisation?.organisationKind ?? .provider,
            roles: user.roleSet)
        let invitationID = try invitation.requireID()
        let used = try await req.writeTransaction { db -> Bool in
            // Only one use: the conditional update decides between two posts of the same link.
            let won = try await UserStore.useInvitation(invitationID, at: now, on: db)
            guard won else { return false }
            try await UserStore.setPassword(hash, of: actor.id, epoch: user.sessionEpoch + 1, on: db)
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
