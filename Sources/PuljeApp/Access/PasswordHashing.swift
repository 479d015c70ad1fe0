import Crypto
import Foundation
import Vapor

/// Passwords are hashed with bcrypt over the SHA-256 of the password (base64, 44 bytes), not over the password
/// itself: bcrypt reads only the first 72 bytes, so two long passwords that differ after them (a sentence of
/// Danish words passes 72 bytes soon, æ, ø and å take two each) would otherwise be the same password
/// (ASVS 2.1.3). A hash is stored as `sha256-bcrypt:` and bcrypt's own text. Hashes from before this carry
/// no prefix; they are still checked the old way, and replaced at the next sign-in with the right password.
struct PrehashedBcrypt: PasswordHasher {
    static let prefix = "sha256-bcrypt:"
    let cost: Int

    static func prehash(_ password: some DataProtocol) -> String {
        Data(SHA256.hash(data: Data(password))).base64EncodedString()
    }

    /// Whether a stored hash is of the old kind (bcrypt over the password's first 72 bytes).
    static func isLegacy(_ stored: String) -> Bool { !stored.hasPrefix(prefix) }

    func hash<Password: DataProtocol>(_ password: Password) throws -> [UInt8] {
        Array((Self.prefix + (try Bcrypt.hash(Self.prehash(password), cost: cost))).utf8)
    }

    func verify<Password: DataProtocol, Digest: DataProtocol>(
        _ password: Password, created digest: Digest
    ) throws -> Bool {
        let stored = String(decoding: digest.copyBytes(), as: UTF8.self)
        if stored.hasPrefix(Self.prefix) {
            return try Bcrypt.verify(Self.prehash(password), created: String(stored.dropFirst(Self.prefix.count)))
        }
        return try Bcrypt.verify(String(decoding: password.copyBytes(), as: UTF8.self), created: stored)
    }
}

extension Application.Passwords.Provider {
    static func prehashedBcrypt(cost: Int) -> Self {
        .init { $0.passwords.use { _ in PrehashedBcrypt(cost: cost) } }
    }
}
