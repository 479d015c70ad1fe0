import Crypto
import Foundation
import PuljeDomain
import Vapor

/// The installation's pseudonym key: from the configuration (production requires it), or, in development
/// and tests, a random key made once and kept in the data directory beside the database (an in-memory
/// database gets a key for the run). `pulje backup` never includes it.
enum PseudonymKey {
    static let fileName = "pseudonym.key"

    static func resolve(_ config: AppConfig) throws -> [UInt8] {
        if let key = config.pseudonymKey { return key }
        if config.database == .sqliteMemory { return random() }
        let path = config.dataDirectory + "/" + fileName
        if let key = try stored(at: path) { return key }
        try DataDirectory.prepare(config.dataDirectory)
        let key = random()
        switch DataDirectory.writeOnce(Data(key), to: path) {
        case true?: return key
        case false?:
            // Another instance on the same directory made it a moment ago: use that one.
            if let key = try stored(at: path) { return key }
            fallthrough
        case nil:
            throw AppConfig.Invalid(problems: ["Pseudonymnøglen kan ikke gemmes i \(path)."])
        }
    }

    /// The key in the file, nil when there is no file.
    private static func stored(at path: String) throws -> [UInt8]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let key = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard key.count >= Pseudonym.minimumKeyBytes else {
            throw AppConfig.Invalid(problems: ["\(path) indeholder ikke en gyldig pseudonymnøgle (mindst 32 tegn)."])
        }
        return key
    }

    /// 64 hex digits from 32 random bytes.
    static func random() -> [UInt8] {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        return Array(bytes.map { String(format: "%02x", $0) }.joined().utf8)
    }
}

struct PseudonymKeyStorage: StorageKey { typealias Value = [UInt8] }

extension Application {
    var pseudonymKey: [UInt8] {
        get {
            guard let key = storage[PseudonymKeyStorage.self] else { fatalError("configure(_:config:) has not run") }
            return key
        }
        set { storage[PseudonymKeyStorage.self] = newValue }
    }
}
