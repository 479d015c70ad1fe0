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
    /// The largest upload any call may allow; each kind of attachment has its own, lower or equal, limit.
    static let maximumUploadBytes = 25_000_000

    struct Upload: Content {
        var kind: String?
        var file: File?
    }

    static func folder(_ app: Application) -> String { app.config.dataDirectory + "/attachments" }

    @Sendable static func upload(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let loaded = try await ApplicationCase.open(req)
        guard loaded.canWrite else {
            throw PuljeError(.forbidden, "Bilag kan kun tilføjes en kladde af dem, der skriver på den.")
        }
        let id = try loaded.application.requireID()
        let back = SiteURL.application(id).path + "#bilag"
        let upload = try req.content.decode(Upload.self)
        guard let kind = loaded.rules.attachmentKinds.first(where: { $0.id == upload.kind }) else {
            req.flash("Vælg, hvilken slags bilag filen er.")
            return req.redirect(to: back)
        }
        guard let file = upload.file, file.data.readableBytes > 0 else {
            req.flash("Vælg en fil at vedhæfte.")
            return req.redirect(to: back)
        }
        let checked: CheckedFile
        switch check(file, limit: kind.maximumBytes, what: kind.name) {
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
        try store(bytes, id: attachmentID, in: req.application)
        let path = folder(req.application) + "/" + attachmentID.pathValue
        do {
            try await req.writeTransaction { db in
                try await record.create(on: db)
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
        return try serve(
            id: try record.requireID(), name: record.fileName, type: record.contentType, app: req.application)
    }

    /// Writes a file's bytes under the attachments folder, named by its id.
    static func store(_ bytes: [UInt8], id: UUID, in app: Application) throws {
        let directory = folder(app)
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: DataDirectory.directoryMode])
        guard DataDirectory.write(Data(bytes), to: directory + "/" + id.pathValue) else {
            throw PuljeError(.internalServerError, "Filen kunne ikke gemmes. Prøv igen.")
        }
    }

    /// A stored file as a download; the caller has checked that the user may read it.
    static func serve(id: UUID, name: String, type: String, app: Application) throws -> Response {
        guard let data = FileManager.default.contents(atPath: folder(app) + "/" + id.pathValue) else {
            throw PuljeError(.notFound, "Filen findes ikke.")
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    @Sendable static func delete(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let loaded = try await ApplicationCase.open(req)
        guard loaded.canWrite else { throw PuljeError(.forbidden, "Bilag kan kun fjernes fra en kladde.") }
        let record = try await find(req, loaded: loaded)
        let id = try loaded.application.requireID()
        let attachmentID = try record.requireID()
        try await req.writeTransaction { db in
            try await record.delete(on: db)
            try await AuditLog.record(
                .applicationAttachment, subject: .application(id), summary: "Bilag \"\(record.fileName)\" fjernet.",
                by: user,
                on: db, request: req)
        }
        remove(attachmentID, in: req.application)
        req.flash("Bilaget \"\(record.fileName)\" er fjernet.")
        return req.redirect(to: SiteURL.application(id).path + "#bilag")
    }

    /// Removes a stored file once its row is gone.
    static func remove(_ id: UUID, in app: Application) {
        try? FileManager.default.removeItem(atPath: folder(app) + "/" + id.pathValue)
    }

    static func find(_ req: Request, loaded: ApplicationCase) async throws -> ApplicationAttachmentRecord {
        guard let attachmentID = req.parameters.get("attachmentID", as: UUID.self),
            let record = try await ApplicationAttachmentRecord.query(on: req.db).filter(\.$id == attachmentID)
                .filter(\.$application.$id == loaded.application.requireID()).first()
        else { throw PuljeError(.notFound, "Bilaget findes ikke.") }
        return record
    }

    /// An uploaded file that passed the checks: its safe name, its type from the content, its bytes.
    struct CheckedFile: Sendable {
        var name: String
        var type: FileType
        var bytes: [UInt8]
    }

    struct FileProblem: Error {
        var message: String
    }

    /// The one check of an uploaded file, for attachments and message files alike: within the size limit,
    /// and a PDF, Word, Excel, PNG or JPEG file judged from its content.
    static func check(_ file: File, limit: Int, what: String) -> Result<CheckedFile, FileProblem> {
        let bytes = Array(file.data.readableBytesView)
        guard bytes.count <= limit else {
            return .failure(
                FileProblem(
                    message:
                        "Filen fylder \(FileType.danishSize(bytes.count)); \(what) må højst fylde \(FileType.danishSize(limit))."
                ))
        }
        guard let type = detect(bytes) else {
            return .failure(
                FileProblem(
                    message:
                        "Filen \"\(file.filename)\" er ikke en PDF-, Word-, Excel-, PNG- eller JPEG-fil. Pulje undersøger filens indhold, ikke kun navnet."
                ))
        }
        return .success(CheckedFile(name: safeName(file.filename, type: type), type: type, bytes: bytes))
    }

    /// The type from the content: magic bytes, and for a zip the parts inside it.
    static func detect(_ bytes: [UInt8]) -> FileType? {
        switch FileType.sniff(Array(bytes.prefix(16))) {
        case .known(let type): return type
        case .unknown: return nil
        case .zip:
            guard let archive = try? Archive(data: Data(bytes), accessMode: .read, pathEncoding: nil) else {
                return nil
            }
            return FileType.officeType(partNames: archive.map(\.path))
        }
    }

    /// A file name safe in a header and on screen, ending in the extension its content has.
    static func safeName(_ name: String, type: FileType) -> String {
        let base = (name as NSString).deletingPathExtension
        let cleaned = String(
            base.unicodeScalars.map { scalar -> Character in
                CharacterSet.alphanumerics.contains(scalar) || " -_.".unicodeScalars.contains(scalar)
                    ? Character(scalar) : "_"
            }
        ).trimmingCharacters(in: .whitespaces)
        return String((cleaned.isEmpty ? "bilag" : cleaned).prefix(100)) + "." + type.fileExtension
    }
}
