import Fluent
import Foundation
import PuljeDomain
import Vapor

/// A message in an application's case, between the municipality and the agency.
final class ApplicationMessageRecord: Model, @unchecked Sendable {
    static let schema = "application_messages"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: ApplicationRecord
    @Parent(key: "author_id") var author: UserRecord
    @Field(key: "author_name") var authorName: String
    @Field(key: "organisation_name") var organisationName: String
    @Field(key: "from_agency") var fromAgency: Bool
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

struct CreateApplicationMessages: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ApplicationMessageRecord.schema)
            .id()
            .field("application_id", .uuid, .required, .references(ApplicationRecord.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references(UserRecord.schema, "id"))
            .field("author_name", .string, .required)
            .field("organisation_name", .string, .required)
            .field("from_agency", .bool, .required)
            .field("body", .sql(.text), .required)
            .field("created_at", .datetime, .required)
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(ApplicationMessageRecord.schema).delete()
    }
}

enum MessagesController {
    struct Form: Content { var body: String? }

    static let maximumLength = 10_000

    /// Writes a message in a submitted application's case and notifies the other side by e-mail.
    @Sendable static func post(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let loaded = try await ApplicationsController.load(req)
        let application = loaded.application
        let id = try application.requireID()
        guard application.applicationStatus != .draft else {
            throw PuljeError(
                .forbidden,
                "Beskeder kan sendes, når ansøgningen er indsendt. Spørgsmål før fristen rettes til puljens kontaktpersoner."
            )
        }
        let text = (try req.content.decode(Form.self).body ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= maximumLength else {
            req.flash(
                text.isEmpty ? "Skriv en besked, før du sender." : "Beskeden er for lang (højst \(maximumLength) tegn)."
            )
            return req.redirect(to: SiteURL.application(id).path + "#beskeder")
        }
        let fromAgency = user.organisationKind == .agency
        let recipients = try await notified(loaded, fromAgency: fromAgency, author: user, on: req.db)
        let now = req.application.now()
        let link = req.application.config.publicURL + SiteURL.application(id).path + "#beskeder"
        try await req.db.transaction { db in
            let message = ApplicationMessageRecord()
            message.$application.id = id
            message.$author.id = user.id
            message.authorName = user.name
            message.organisationName = user.organisationName
            message.fromAgency = fromAgency
            message.body = text
            message.createdAt = now
            try await message.create(on: db)
            try await AuditLog.record(
                "application.message", subject: .application(id),
                summary: "Besked fra \(user.name) (\(text.count) tegn).",
                by: user, on: db, request: req)
            try await Outbox.enqueue(
                to: recipients, subject: "Ny besked om ansøgning \(application.submissionNumber ?? "")",
                body: """
                    \(user.name), \(user.organisationName), har skrevet en besked om ansøgningen til "\(loaded.call.title)" (\(application.submissionNumber ?? "")):

                    \(text)

                    Svar i Pulje: \(link)

                    Denne e-mail er sendt automatisk af Pulje.
                    """, kind: "message", at: now, on: db)
        }
        req.flash("Beskeden er sendt.")
        return req.redirect(to: SiteURL.application(id).path + "#beskeder")
    }

    /// Who hears of a new message: the municipality's people on the application, or on the agency's side
    /// the staff who have written in the case (or, before anyone has, the grant administrators).
    static func notified(
        _ loaded: ApplicationsController.Loaded, fromAgency: Bool, author: CurrentUser, on db: any Database
    )
        async throws -> [String]
    {
        let id = try loaded.application.requireID()
        let emails: [String]
        if fromAgency {
            emails = ([loaded.responsible] + loaded.contributors).map(\.email)
        } else {
            let writers = try await ApplicationMessageRecord.query(on: db).filter(\.$application.$id == id)
                .filter(\.$fromAgency == true).with(\.$author).all().map(\.author.email)
            if writers.isEmpty {
                emails = try await UserRecord.query(on: db).filter(\.$isActive == true).all()
                    .filter { $0.roleSet.contains(.grantAdministrator) }.map(\.email)
            } else {
                emails = writers
            }
        }
        return emails.filter { $0 != author.email }
    }

    static func thread(_ applicationID: UUID, on db: any Database) async throws -> [ApplicationMessageRecord] {
        try await ApplicationMessageRecord.query(on: db).filter(\.$application.$id == applicationID).sort(\.$createdAt)
            .all()
    }

    static func view(
        _ messages: [ApplicationMessageRecord], applicationID: UUID, canWrite: Bool, context: PageContext
    ) -> Node {
        tag("section", .id("beskeder"), .aria("labelledby", "beskeder-overskrift")) {
            tag("h2", .id("beskeder-overskrift")) { "Beskeder" }
            if messages.isEmpty { tag("p") { "Der er ingen beskeder endnu." } }
            tag("ol", .class("messages")) {
                for message in messages {
                    tag("li", .class(message.fromAgency ? "message from-agency" : "message")) {
                        tag("p", .class("meta")) {
                            message.authorName + ", " + message.organisationName + " – "
                                + DanishTime.dateTime(message.createdAt)
                        }
                        prose(message.body)
                    }
                }
            }
            if canWrite {
                tag(
                    "form", .init("method", "post"), .init("action", SiteURL.applicationMessages(applicationID).path),
                    .class("narrow")
                ) {
                    Layout.csrfField(context)
                    FormField.textArea(
                        "body", label: "Skriv en besked", value: nil, errors: FormErrors(),
                        hint: "Modtagerne får besked pr. e-mail. Den indsendte ansøgning ændres ikke.", rows: 4)
                    tag("button", .type("submit"), .class("button secondary")) { "Send besked" }
                }
            } else {
                tag("p", .class("hint")) {
                    "Beskeder kan sendes, når ansøgningen er indsendt. Spørgsmål før fristen rettes til puljens kontaktpersoner."
                }
            }
        }
    }
}
