import Foundation
import PuljeDomain
import Vapor

/// Headers every response carries: no inline script, no framing, no type sniffing.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy = policy(formActionOrigins: [])

    /// The policy; `formActionOrigins` are origins a form may end up at besides Pulje itself: the OpenID
    /// Connect provider, where sign-out continues to end its session (browsers check redirects of a form's
    /// post against form-action too).
    static func policy(formActionOrigins: [String]) -> String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action \((["'self'"] + formActionOrigins).joined(separator: " ")); "
            + "frame-ancestors 'none'"
    }

    /// "https://idp.example.dk:8443" of a URL; nil when it has no scheme and host, or holds characters a
    /// header must not carry.
    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host?.lowercased(), !host.isEmpty,
            host.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && $0 != ";" && $0 != "," })
        else { return nil }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }

    let contentSecurityPolicy: String

    init(formActionOrigins: [String] = []) {
        contentSecurityPolicy = Self.policy(formActionOrigins: formActionOrigins)
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: contentSecurityPolicy)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "Cross-Origin-Opener-Policy", value: "same-origin")
        // Pages and API answers carry personal data: nothing is cached unless a route says otherwise
        // (the stylesheet and script do).
        if !response.headers.contains(name: .cacheControl) {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        if request.application.secureCookies {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000")
        }
        return response
    }
}

/// Only the methods Pulje answers: TRACE, CONNECT and the like are 405 before anything else looks at them.
struct MethodFilterMiddleware: AsyncMiddleware {
    static let allowed: [HTTPMethod] = [.GET, .HEAD, .POST, .PUT, .DELETE, .PATCH, .OPTIONS]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard Self.allowed.contains(request.method) else {
            throw PuljeError(.methodNotAllowed, "Metoden \(request.method.rawValue) bruges ikke i Pulje.")
        }
        return try await next.respond(to: request)
    }
}

/// Every request that changes something must carry the session's CSRF token, as the form field
/// `_csrf` or the header `X-CSRF-Token`. Forms get the token from `Request.csrfToken()`.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"
    static let header = "X-CSRF-Token"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard ![.GET, .HEAD, .OPTIONS].contains(request.method) else { return try await next.respond(to: request) }
        let expected = request.hasSession ? request.session.data[SessionKey.csrf] : nil
        var sent = request.headers.first(name: Self.header)
        if sent == nil {
            // Middleware runs before Vapor collects the body, and a large form arrives in chunks: collect it
            // first (within the same limit the route would apply) so the token can be read.
            // Uploads may be larger than other forms; their route enforces the upload limit itself.
            let isUpload =
                request.headers.contentType?.type == "multipart"
                && (request.url.path.hasSuffix("/bilag") || request.url.path.hasSuffix("/beskeder"))
            let limit =
                isUpload
                ? FileType.uploadLimit : request.application.routes.defaultMaxBodySize.value
            _ = try await request.body.collect(max: limit).get()
            if let pairs = request.urlEncodedPairs {
                // Parsed once at the byte level; the handler reuses the pairs (form decoding shows in profiles).
                sent = pairs.first { $0.key == Self.field }?.value
            } else {
                sent = try? request.content.get(String.self, at: Self.field)
            }
        }
        guard let expected, let sent, SecureCompare.equal(expected, sent) else {
            throw PuljeError(
                .forbidden,
                "Formularen er udløbet eller kom ikke fra Pulje. Genindlæs siden, og prøv igen.")
        }
        return try await next.respond(to: request)
    }

}

/// Secrets compared in time that does not depend on where they first differ (CSRF tokens, the metrics token).
enum SecureCompare {
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Request {
    /// The session's CSRF token, created on first use.
    func csrfToken() -> String {
        if let token = session.data[SessionKey.csrf] { return token }
        let token = [UInt8].random(count: 32).base64URLEncoded
        session.data[SessionKey.csrf] = token
        return token
    }
}

extension Array where Element == UInt8 {
    static func random(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    var base64URLEncoded: String {
        Data(self).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

extension Application {
    private struct SecureCookiesKey: StorageKey { typealias Value = Bool }

    var secureCookies: Bool {
        get { storage[SecureCookiesKey.self] ?? false }
        set { storage[SecureCookiesKey.self] = newValue }
    }
}
