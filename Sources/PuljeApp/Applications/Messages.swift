import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
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
    @Children(for: \.$message) var files: [MessageAttachmentRecord]

    init() {}
}

/// A file sent with a message. Stored like application attachments: bytes on disk, facts here.
final class MessageAttachmentRecord: Model, @unchecked Sendable {
    static let schema = "message_attachments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "message_id") var message: ApplicationMessageRecord
    @Field(key: "file_name") var fileName: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "bytes") var bytes: Int
    @Field(key: "sha256") var sha256: String

    init() {}
}

enum MessagesController {
    struct Form: Content {
        var body: String?
        var file: File?
    }

    static let maximumLength = 10_000

    /// Writes a message in a submitted application's case and notifies the other side by e-mail.
    @Sendable static func post(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let loaded = try await ApplicationCase.open(req)
        let application = loaded.application
        let id = try application.requireID()
        guard application.applicationStatus != .draft else {
            throw PuljeError(
                .forbidden,
                "Beskeder kan sendes, når ansøgningen er indsendt. Spørgsmål før fristen rettes til puljens kontaktpersoner."
            )
        }
        guard user.may(.writeCaseMessage, ownedBy: application.$organisation.id) else {
            throw PuljeError(
                .forbidden,
                "Bedømmere skriver ikke til ansøgerne. Beskeder til kommunen sendes af tilskudsforvaltningen eller programledelsen."
            )
        }
        let form = try req.content.decode(Form.self)
        let text = (form.body ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= maximumLength else {
            req.flash(
                text.isEmpty ? "Skriv en besked, før du sender." : "Beskeden er for lang (højst \(maximumLength) tegn)."
            )
            return req.redirect(to: SiteURL.application(id).path + "#beskeder")
        }
        // An optional file, checked like application attachments: by content and size.
        var checkedFile: AttachmentFiles.CheckedFile?
        if let upload = form.file, upload.data.readableBytes > 0 {
            switch AttachmentFiles.check(upload, limit: FileType.messageFileLimit, what: "en fil til en besked") {
            case .success(let file): checkedFile = file
            case .failure(let problem):
                req.flash(problem.message + " Beskeden er ikke sendt.")
                return req.redirect(to: SiteURL.application(id).path + "#beskeder")
            }
        }
        let file = checkedFile
        let fromAgency = user.organisationKind == .agency
        let recipients = try await notified(loaded, fromAgency: fromAgency, author: user, on: req.db)
        let now = req.application.now()
        let link = req.application.config.publicURL + SiteURL.application(id).path + "#beskeder"
        try await req.writeTransaction { db in
            let message = ApplicationMessageRecord()
            message.$application.id = id
            message.$author.id = user.id
            message.authorName = user.name
            message.organisationName = user.organisationName
            message.fromAgency = fromAgency
            message.body = text
            message.createdAt = now
            let fileID = try await ApplicationCaseStore.add(message, file: file, on: db)
            if let file, let fileID { try AttachmentFiles.store(file.bytes, id: fileID, in: req.application) }
            try await AuditLog.record(
                .applicationMessage, subject: .application(id),
                summary: "Besked (\(text.count) tegn).",
                by: user, on: db, request: req)
            try await Outbox.enqueue(
                to: recipients, subject: "Ny besked om ansøgning \(application.submissionNumber ?? "")",
                body: """
                    \(fromAgency ? user.organisationName : "\(user.name), \(user.organisationName),") har skrevet en besked om ansøgningen til "\(loaded.call.title)" (\(application.submissionNumber ?? "")):

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
        _ loaded: ApplicationCase, fromAgency: Bool, author: CurrentUser, on db: any Database
    )
        async throws -> [String]
    {
        let id = try loaded.application.requireID()
        let emails: [String]
        if fromAgency {
            emails = ([loaded.responsible] + loaded.contributors).map(\.email)
        } else {
            let writers = try await ApplicationCaseStore.agencyWriters(of: id, on: db)
            if writers.isEmpty {
                emails = try await UserStore.active(withRole: .grantAdministrator, on: db).map(\.email)
            } else {
                emails = writers
            }
        }
        return emails.filter { $0 != author.email }
    }

    /// A message's file, for anyone who may read the application.
    @Sendable static func download(req: Request) async throws -> Response {
        let loaded = try await ApplicationCase.open(req)
        guard let fileID = req.parameters.get("fileID", as: UUID.self),
            let file = loaded.messages.flatMap(\.files).first(where: { $0.id == fileID })
        else { throw PuljeError(.notFound, "Filen findes ikke.") }
        return try AttachmentFiles.serve(
            id: fileID, name: file.fileName, type: file.contentType, app: req.application)
    }
}
