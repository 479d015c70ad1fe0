/// A file attached to an application, as the frozen submission records it.
public struct AttachmentReference: Hashable, Sendable, Codable {
    public var id: String
    public var kind: String
    public var fileName: String
    public var contentType: String
    public var bytes: Int
    public var sha256: String

    public init(id: String, kind: String, fileName: String, contentType: String, bytes: Int, sha256: String) {
        self.id = id
        self.kind = kind
        self.fileName = fileName
        self.contentType = contentType
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// What a file is, judged from its first bytes, never from its name.
public enum FileType: String, Sendable, CaseIterable {
    /// The largest upload any call may allow; each kind of attachment has its own, lower or equal, limit.
    public static let uploadLimit = 25_000_000
    /// A file sent with a message in a case may be this large (10 MB).
    public static let messageFileLimit = 10_000_000

    case pdf
    case png
    case jpeg
    case docx
    case xlsx

    public var contentType: String {
        switch self {
        case .pdf: "application/pdf"
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }

    public var fileExtension: String { rawValue == "jpeg" ? "jpg" : rawValue }

    public enum Sniffed: Equatable, Sendable {
        case known(FileType)
        /// A zip container: an Office document or not, which only its parts can tell.
        case zip
        case unknown
    }

    public static func sniff(_ prefix: [UInt8]) -> Sniffed {
        func starts(_ magic: [UInt8]) -> Bool {
            prefix.count >= magic.count && Array(prefix.prefix(magic.count)) == magic
        }
        if starts([0x25, 0x50, 0x44, 0x46, 0x2D]) { return .known(.pdf) }  // %PDF-
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .known(.png) }
        if starts([0xFF, 0xD8, 0xFF]) { return .known(.jpeg) }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return .zip }
        return .unknown
    }

    /// An Office Open XML package is a zip whose parts name what it is.
    public static func officeType(partNames: [String]) -> FileType? {
        guard partNames.contains("[Content_Types].xml") else { return nil }
        if partNames.contains(where: { $0.hasPrefix("word/") }) { return .docx }
        if partNames.contains(where: { $0.hasPrefix("xl/") }) { return .xlsx }
        return nil
    }

    /// "1,2 MB", "340 kB"
    public static func danishSize(_ bytes: Int) -> String {
        if bytes >= 1_000_000 {
            let tenths = (bytes + 50_000) / 100_000
            return "\(tenths / 10),\(tenths % 10) MB"
        }
        return "\(max(1, (bytes + 500) / 1000)) kB"
    }
}
