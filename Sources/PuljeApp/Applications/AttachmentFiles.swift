import Foundation
import PuljeDomain
import Vapor
import ZIPFoundation

/// The bytes of attachments and message files on disk, and the one check every uploaded file passes.
enum AttachmentFiles {
    static func folder(_ app: Application) -> String { app.config.dataDirectory + "/attachments" }

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

    /// Removes a stored file once its row is gone.
    static func remove(_ id: UUID, in app: Application) {
        try? FileManager.default.removeItem(atPath: folder(app) + "/" + id.pathValue)
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
