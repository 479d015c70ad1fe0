import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 with HMAC-SHA1, 30-second steps, 6 digits), the second factor
/// of agency staff who sign in with a password: what every authenticator app speaks.
public enum TOTP {
    public static let step: TimeInterval = 30
    public static let digits = 6
    /// Steps either side of now that are accepted (clocks on phones drift).
    public static let window = 1
    public static let secretBytes = 20

    /// The time step a moment falls in.
    public static func timeStep(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / step).rounded(.down))
    }

    /// The code of a step (RFC 4226's dynamic truncation), zero-padded to `digits`.
    public static func code(secret: [UInt8], step counter: Int64, digits: Int = TOTP.digits) -> String {
        var big = UInt64(bitPattern: counter).bigEndian
        let message = withUnsafeBytes(of: &big) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let number = String(binary % modulus)
        return String(repeating: "0", count: digits - number.count) + number
    }

    /// The step a typed code matches within the window, if it is later than the last step used (a code is
    /// accepted once: an observed code cannot be replayed). Spaces in the code are ignored.
    public static func matchingStep(
        _ typed: String, secret: [UInt8], at date: Date, after lastUsed: Int64?
    ) -> Int64? {
        let code = typed.filter { $0 != " " }
        guard code.count == digits, code.utf8.allSatisfy({ (48...57).contains($0) }), !secret.isEmpty else {
            return nil
        }
        let now = timeStep(at: date)
        for offset in -window...window {
            let candidate = now + Int64(offset)
            if let lastUsed, candidate <= lastUsed { continue }
            if constantTimeEqual(TOTP.code(secret: secret, step: candidate), code) { return candidate }
        }
        return nil
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    public static func newSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<secretBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// The address an authenticator app reads (as a link or typed): otpauth://totp/Issuer:account?…
    public static func provisioningURI(secret: [UInt8], account: String, issuer: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~@"))
        let label = (issuer + ":" + account).addingPercentEncoding(withAllowedCharacters: allowed) ?? account
        let issuerParameter = issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? issuer
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuerParameter)"
            + "&algorithm=SHA1&digits=\(digits)&period=\(Int(step))"
    }
}

/// RFC 4648 base32 without padding: how a TOTP secret is shown and typed.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes, ignoring case, spaces and padding; nil on any other character.
    public static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for scalar in text.uppercased().unicodeScalars where scalar != " " && scalar != "=" {
            guard scalar.isASCII, let index = alphabet.firstIndex(of: UInt8(scalar.value)) else { return nil }
            buffer = (buffer << 5) | UInt32(index)
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> UInt32(bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return output
    }

    /// "ABCD EFGH …": the secret in groups of four, easier to type.
    public static func grouped(_ bytes: [UInt8]) -> String {
        var groups: [String] = []
        var current = ""
        for character in encode(bytes) {
            current.append(character)
            if current.count == 4 {
                groups.append(current)
                current = ""
            }
        }
        if !current.isEmpty { groups.append(current) }
        return groups.joined(separator: " ")
    }
}

/// Who must use a second factor: agency staff who sign in with a password, where the installation requires
/// it (production). Anyone else may choose to.
public enum SecondFactor {
    public static func required(for kind: OrganisationKind, staffMustUseIt: Bool) -> Bool {
        staffMustUseIt && kind == .agency
    }
}
