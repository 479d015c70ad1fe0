import Foundation
import NIOCore
import Vapor

/// The server's clock, passed in so that a test can say "it is now 11:59:59 on deadline day".
extension Application {
    private struct ClockKey: StorageKey {
        typealias Value = @Sendable () -> Date
    }

    public var now: @Sendable () -> Date {
        get { storage[ClockKey.self] ?? { Date() } }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    /// The address a request came from, as the audit log and the sign-in throttle see it.
    var clientAddress: String {
        ClientAddress.resolve(
            peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
            trustedProxies: application.config.trustedProxies)
    }
}

/// Which address a request came from, when reverse proxies may stand in between.
enum ClientAddress {
    /// The peer's address, unless the peer is a trusted proxy: then the nearest address in
    /// `X-Forwarded-For` that is not itself a trusted proxy. Entries a client wrote further left are never
    /// believed over that, so nobody escapes the throttle by sending the header themselves.
    static func resolve(peer: String?, forwardedFor: [String], trustedProxies: Set<String>) -> String {
        guard let peer = peer.flatMap(normalised) else { return "ukendt" }
        guard trustedProxies.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peer
        for hop in hops.reversed() {
            guard let address = normalised(hop) else { break }
            client = address
            if !trustedProxies.contains(address) { break }
        }
        return client
    }

    /// The address in its canonical form, or nil when the text is not an IPv4 or IPv6 address.
    static func normalised(_ text: String) -> String? {
        guard !text.isEmpty, text.count <= 45, let address = try? SocketAddress(ipAddress: text, port: 0) else {
            return nil
        }
        return address.ipAddress
    }
}
