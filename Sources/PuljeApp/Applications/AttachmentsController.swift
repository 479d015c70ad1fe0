import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor
import ZIPFoundation

/// A file attached to a draft application. The bytes live on disk under the attachments folder, named by
/// the record's id; the database holds what we know about them.
final class ApplicationAttachmentRecord: Model, @unchecked Sendable {
    static let schema = "application_attachments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: ApplicationRecord
    @Field(key: "kind") var kind: String
    @Field(key: "file_name") var fileName: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "bytes") var bytes: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "uploaded_by") var uploadedBy: String
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}

    var reference: AttachmentReference {
        AttachmentReference(
            id: id!.pathValue, kind: kind, fileName: fileName, contentType: contentType, bytes: bytes,
            sha256: sha256)
    }
}

enum AttachmentsController {

    struct Upload: Content {
        var kind: String?
        var file: File?
    }

    @Sendable static func upload(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let loaded = try await ApplicationCase.open(req)
        guard loaded.canWrite else {
            throw PuljeError(.forbidden, "Bilag kan kun tilføjes en kladde af dem, der skriver på den.")
        }
        let id = try loaded.application.requireID()
        let back = req.applicationStep(id) ?? SiteURL.application(id).path + "#bilag"
        let upload = try req.content.decode(Upload.self)
        guard let kind = loaded.rules.attachmentKinds.first(where: { $0.id == upload.kind }) else {
            req.flash("Vælg, hvilken slags bilag filen er.")
            return req.redirect(to: back)
        }
        guard let file = upload.file, file.data.readableBytes > 0 else {
            req.flash("Vælg en fil at vedhæfte.")
            return req.redirect(to: back)
        }
        let checked: AttachmentFiles.CheckedFile
        switch AttachmentFiles.check(file, limit: kind.maximumBytes, what: kind.name) {
        case .success(let file): checked = file
        case .failure(let problem):
            req.flash(problem.message)
            return req.redirect(to: back)
        }
        let bytes = checked.bytes
        let type = checked.type
        let record = ApplicationAttachmentRecord()
        let attachmentID = UUID()
        record.id = attachmentID
        record.$application.id = id
        record.kind = kind.id
        record.fileName = checked.name
        record.contentType = type.contentType
        record.bytes = bytes.count
        record.sha256 = SHA256Hex.of(bytes)
        record.uploadedBy = user.name
        record.uploadedAt = req.application.now()
        // The file is written first; if the database refuses, it is removed again, so nothing is half-saved.
        try AttachmentFiles.store(bytes, id: attachmentID, in: req.application)
        let path = AttachmentFiles.folder(req.application) + "/" + attachmentID.pathValue
        do {
            try await req.writeTransaction { db in
                try await ApplicationCaseStore.add(record, on: db)
                try await AuditLog.record(
                    .applicationAttachment, subject: .application(id),
                    summary:
                        "Bilag \"\(record.fileName)\" (\(kind.name), \(FileType.danishSize(record.bytes)), SHA-256 \(record.sha256)) vedhæftet.",
                    by: user, on: db, request: req)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        req.flash("Bilaget \"\(record.fileName)\" er vedhæftet.")
        return req.redirect(to: back)
    }

    @Sendable static func download(req: Request) async throws -> Response {
        let loaded = try await ApplicationCase.open(req)
        let record = try await find(req, loaded: loaded)
        return try AttachmentFiles.serve(
            id: try record.requireID(), name: record.fileName, type: record.contentType, app: req.application)
    }

    @Sendable static func delete(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let loaded = try await ApplicationCase.open(req)
        guard loaded.canWrite else { throw PuljeError(.forbidden, "Bilag kan kun fjernes fra en kladde.") }
        let record = try await find(req, loaded: loaded)
        let id = try loaded.application.requireID()
        let attachmentID = try record.requireID()
        try await req.writeTransaction { db in
            try await ApplicationCaseStore.remove(record, on: db)
            try await AuditLog.record(
                .applicationAttachment, subject: .application(id), summary: "Bilag \"\(record.fileName)\" fjernet.",
                by: user,
                on: db, request: req)
        }
        AttachmentFiles.remove(attachmentID, in: req.application)
        req.flash("Bilaget \"\(record.fileName)\" er fjernet.")
        return req.redirect(to: req.applicationStep(id) ?? SiteURL.application(id).path + "#bilag")
    }

    static func find(_ req: Request, loaded: ApplicationCase) async throws -> ApplicationAttachmentRecord {
        guard let attachmentID = req.parameters.get("attachmentID", as: UUID.self),
            let record = try await ApplicationCaseStore.attachment(
                attachmentID, of: loaded.application.requireID(), on: req.db)
        else { throw PuljeError(.notFound, "Bilaget findes ikke.") }
        return record
    }

}
