import Crypto
import Foundation

/// SHA-256 as lowercase hex, for digests of submissions and files and for stored token hashes.
enum SHA256Hex {
    static func of(_ data: some DataProtocol) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
