import Fluent
import PuljeDomain
import PuljeHTML
import Vapor

/// The form an administrator fills to create or change a user.
struct UserForm: Content {
    var name: String?
    var email: String?
    var organisationID: String?
    var roles: [String]?
    var password: String?
    var isActive: String?

    static func isValidEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), email.count <= 254
        else { return false }
        return !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
    }
}

enum UsersController {
    @Sendable static func index(req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        let users = try await UserStore.all(on: req.db)
        return UserPages.list(users: users, context: req.pageContext()).response(status: .ok)
    }

    @Sendable static func new(req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        let organisations = try await UserStore.sortedOrganisations(on: req.db)
        return UserPages.form(
            form: UserForm(), errors: FormErrors(), organisations: organisations, existing: nil,
            context: req.pageContext()
        ).response(status: .ok)
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        let user = try await find(req)
        var form = UserForm()
        form.name = user.name
        form.email = user.email
        form.organisationID = user.$organisation.id.uuidString
        form.roles = user.roles
        form.isActive = user.isActive ? "true" : nil
        let organisations = try await UserStore.sortedOrganisations(on: req.db)
        let history = try await AuditLog.history(of: .user(try user.requireID()), on: req.db)
        return UserPages.form(
            form: form, errors: FormErrors(), organisations: organisations, existing: user,
            history: history, context: req.pageContext()
        ).response(status: .ok)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let admin = try req.authorize(.manageUsers)
        let form = try req.content.decode(UserForm.self)
        do {
            req.flash(try await UserActions.create(form, by: admin, req: req))
            return req.redirect(to: SiteURL.users.path)
        } catch let errors as FormErrors {
            return UserPages.form(
                form: form, errors: errors, organisations: try await UserStore.sortedOrganisations(on: req.db),
                existing: nil, context: req.pageContext()
            ).response(status: .unprocessableEntity)
        }
    }

    @Sendable static func invite(req: Request) async throws -> Response {
        let admin = try req.authorize(.manageUsers)
        let user = try await find(req)
        req.flash(try await UserActions.invite(user, by: admin, req: req))
        return req.redirect(to: SiteURL.user(try user.requireID()).path)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let admin = try req.authorize(.manageUsers)
        let user = try await find(req)
        var form = try req.content.decode(UserForm.self)
        form.email = user.email
        do {
            req.flash(try await UserActions.update(user, form, by: admin, req: req))
            return req.redirect(to: SiteURL.users.path)
        } catch let errors as FormErrors {
            return UserPages.form(
                form: form, errors: errors, organisations: try await UserStore.sortedOrganisations(on: req.db),
                existing: user, context: req.pageContext()
            ).response(status: .unprocessableEntity)
        }
    }

    static func find(_ req: Request) async throws -> UserRecord {
        guard let id = req.parameters.get("userID", as: UUID.self),
            let user = try await UserStore.userWithOrganisation(id, on: req.db)
        else { throw PuljeError(.notFound, "Brugeren findes ikke.") }
        return user
    }

}
