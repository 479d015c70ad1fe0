import Foundation
import JWTKit
import NIOConcurrencyHelpers
import PuljeDomain
import Vapor

/// What Pulje asks of the OpenID Connect provider over HTTP. The server uses Vapor's HTTP client; tests give a
/// provider of their own that signs tokens as each test needs.
protocol OpenIDTransport: Sendable {
    func get(_ url: String) async throws -> (status: UInt, body: Data)
    func postForm(
        _ url: String, form: [(String, String)], basicAuthorization: (user: String, password: String)?
    ) async throws -> (status: UInt, body: Data)
}

struct ClientOpenIDTransport: OpenIDTransport {
    let client: any Client

    func get(_ url: String) async throws -> (status: UInt, body: Data) {
        let response = try await client.get(URI(string: url)) { $0.timeout = .seconds(10) }
        return (response.status.code, Data(buffer: response.body ?? ByteBuffer()))
    }

    func postForm(
        _ url: String, form: [(String, String)], basicAuthorization: (user: String, password: String)?
    ) async throws -> (status: UInt, body: Data) {
        let response = try await client.post(URI(string: url)) { request in
            request.timeout = .seconds(10)
            request.headers.contentType = .urlEncodedForm
            request.headers.replaceOrAdd(name: .accept, value: "application/json")
            if let basic = basicAuthorization {
                // RFC 6749 § 2.3.1: the client id and secret are form-encoded before they are joined.
                let pair = "\(OpenIDConnect.formEncode(basic.user)):\(OpenIDConnect.formEncode(basic.password))"
                request.headers.replaceOrAdd(
                    name: .authorization, value: "Basic " + Data(pair.utf8).base64EncodedString())
            }
            request.body = ByteBuffer(string: OpenIDConnect.formBody(form))
        }
        return (response.status.code, Data(buffer: response.body ?? ByteBuffer()))
    }
}

/// Why a sign-in through the provider failed: `log` for the operators (never shown), `message` for the user.
struct OpenIDFailure: Error {
    var log: String
    var message: String = "Log ind gennem identitetsudbyderen mislykkedes. Prøv igen om lidt."
    var status: HTTPStatus = .badGateway
}

/// The OpenID Connect relying party: the provider's discovery document and keys, cached, the authorisation
/// request, the code exchange and the ID token's verification. One per application.
actor OpenIDConnect {
    struct Discovery: Decodable, Sendable {
        var issuer: String
        var authorizationEndpoint: String
        var tokenEndpoint: String
        var jwksURI: String
        var endSessionEndpoint: String?

        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
            case endSessionEndpoint = "end_session_endpoint"
        }
    }

    let settings: OpenIDConnectSettings
    let transport: any OpenIDTransport
    let clock: @Sendable () -> Date
    /// The discovery document is fetched again after this long.
    static let discoveryLifetime: TimeInterval = 3_600
    /// The keys are fetched again after this long, or sooner for a key id they lack, at most this often.
    static let keysLifetime: TimeInterval = 3_600
    static let unknownKeyRefetchInterval: TimeInterval = 30

    private var discovery: (value: Discovery, at: Date)?
    private var keys: (collection: JWTKeyCollection, algorithms: [String: String?], at: Date)?

    init(settings: OpenIDConnectSettings, transport: any OpenIDTransport, clock: @escaping @Sendable () -> Date) {
        self.settings = settings
        self.transport = transport
        self.clock = clock
    }

    var issuerBase: String { settings.issuer.hasSuffix("/") ? String(settings.issuer.dropLast()) : settings.issuer }

    func discoveryDocument() async throws -> Discovery {
        let now = clock()
        if let discovery, now.timeIntervalSince(discovery.at) < Self.discoveryLifetime { return discovery.value }
        let url = issuerBase + "/.well-known/openid-configuration"
        let (status, body) = try await fetch { try await self.transport.get(url) }
        guard status == 200, let document = try? JSONDecoder().decode(Discovery.self, from: body) else {
            throw OpenIDFailure(log: "discovery document at \(url) answered \(status) or could not be read")
        }
        // OpenID Connect Discovery § 4.3: the document's issuer is the one configured, exactly.
        guard document.issuer == settings.issuer else {
            throw OpenIDFailure(log: "discovery issuer \(document.issuer) is not the configured \(settings.issuer)")
        }
        discovery = (document, now)
        return document
    }

    private func fetch(
        _ body: @Sendable () async throws -> (status: UInt, body: Data)
    ) async throws -> (status: UInt, body: Data) {
        do { return try await body() } catch let failure as OpenIDFailure { throw failure } catch {
            throw OpenIDFailure(log: "the provider could not be reached: \(error)")
        }
    }

    /// Where the browser is sent to sign in.
    func authorizationURL(state: String, nonce: String, verifier: String, redirectURI: String) async throws -> String {
        let endpoint = try await discoveryDocument().authorizationEndpoint
        let query = OpenIDConnect.formBody([
            ("response_type", "code"), ("client_id", settings.clientID), ("redirect_uri", redirectURI),
            ("scope", settings.scopes), ("state", state), ("nonce", nonce),
            ("code_challenge", PKCE.challenge(for: verifier)), ("code_challenge_method", "S256"),
        ])
        return endpoint + (endpoint.contains("?") ? "&" : "?") + query
    }

    /// Where the browser is sent to end the provider's session too (RP-initiated logout), if it offers it.
    func endSessionURL(idToken: String?, returnTo: String) async -> String? {
        guard let endpoint = try? await discoveryDocument().endSessionEndpoint else { return nil }
        var form = [("client_id", settings.clientID), ("post_logout_redirect_uri", returnTo)]
        if let idToken { form.append(("id_token_hint", idToken)) }
        return endpoint + (endpoint.contains("?") ? "&" : "?") + OpenIDConnect.formBody(form)
    }

    /// Exchanges the code for tokens and returns the verified ID token and the identity it states.
    func identity(
        code: String, verifier: String, nonce: String, redirectURI: String
    ) async throws -> (
        identity: ExternalIdentity, idToken: String
    ) {
        let endpoint = try await discoveryDocument().tokenEndpoint
        var form = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
            ("code_verifier", verifier),
        ]
        let basic = settings.clientSecret.map { (user: settings.clientID, password: $0) }
        if basic == nil { form.append(("client_id", settings.clientID)) }
        let posted = form
        let (status, body) = try await fetch {
            try await self.transport.postForm(endpoint, form: posted, basicAuthorization: basic)
        }
        guard status == 200,
            let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let idToken = object["id_token"] as? String
        else {
            throw OpenIDFailure(log: "token endpoint answered \(status) without an id_token")
        }
        let claims = try await verifiedClaims(idToken)
        let problems = IDTokenCheck.problems(
            .init(
                issuer: claims["iss"]?.string, audiences: claims["aud"]?.strings ?? [],
                authorizedParty: claims["azp"]?.string, expires: claims["exp"]?.date, issuedAt: claims["iat"]?.date,
                nonce: claims["nonce"]?.string),
            issuer: settings.issuer, clientID: settings.clientID, nonce: nonce, now: clock())
        guard problems.isEmpty else {
            throw OpenIDFailure(
                log: "ID token refused: " + problems.joined(separator: "; "), status: .unauthorized)
        }
        let identity = ExternalIdentity(
            issuer: settings.issuer, subject: claims[settings.subjectClaim]?.string ?? "",
            name: claims[settings.nameClaim]?.string, email: claims[settings.emailClaim]?.string?.lowercased(),
            cvr: claims[settings.cvrClaim]?.string)
        return (identity, idToken)
    }

    /// Verifies the token's signature with the provider's keys and returns its claims. The header's algorithm
    /// must be one Pulje accepts (never `none`) and, where the key names one, the key's; a key id the cached
    /// keys lack makes one new fetch of the keys (at most every 30 seconds), and is refused if still unknown.
    func verifiedClaims(_ token: String) async throws -> [String: ClaimValue] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = OpenIDConnect.base64URLDecode(String(parts[0])),
            let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any]
        else { throw OpenIDFailure(log: "ID token is not a compact JWS", status: .unauthorized) }
        let algorithm = header["alg"] as? String
        if let problem = IDTokenCheck.algorithmProblem(algorithm) {
            throw OpenIDFailure(log: problem, status: .unauthorized)
        }
        let kid = header["kid"] as? String
        var current = try await keySet(refresh: false)
        if let kid, current.algorithms[kid] == nil,
            let fetched = self.keys?.at, clock().timeIntervalSince(fetched) >= Self.unknownKeyRefetchInterval
        {
            current = try await keySet(refresh: true)
        }
        if let kid {
            guard let keyAlgorithm = current.algorithms[kid] else {
                throw OpenIDFailure(log: "ID token signed with an unknown key id \(kid)", status: .unauthorized)
            }
            if let keyAlgorithm, keyAlgorithm != algorithm {
                throw OpenIDFailure(
                    log: "ID token's alg \(algorithm ?? "") is not its key's \(keyAlgorithm)", status: .unauthorized)
            }
        } else if current.algorithms.count != 1 {
            throw OpenIDFailure(
                log: "ID token without a key id, and the provider has several keys", status: .unauthorized)
        }
        do {
            return try await current.collection.verify(token, as: IDTokenPayload.self).claims
        } catch {
            throw OpenIDFailure(log: "ID token signature not verified: \(error)", status: .unauthorized)
        }
    }

    private func keySet(refresh: Bool) async throws -> (collection: JWTKeyCollection, algorithms: [String: String?]) {
        let now = clock()
        if !refresh, let keys, now.timeIntervalSince(keys.at) < Self.keysLifetime {
            return (keys.collection, keys.algorithms)
        }
        let url = try await discoveryDocument().jwksURI
        let (status, body) = try await fetch { try await self.transport.get(url) }
        guard status == 200, let jwks = try? JSONDecoder().decode(JWKS.self, from: body) else {
            throw OpenIDFailure(log: "JWKS at \(url) answered \(status) or could not be read")
        }
        let collection = JWTKeyCollection()
        var algorithms: [String: String?] = [:]
        for key in jwks.keys {
            // Keys for encryption, and keys without an id, are not for verifying ID tokens here.
            guard let kid = key.keyIdentifier?.string, (try? await collection.add(jwk: key)) != nil else { continue }
            // (`updateValue`: assigning nil through the subscript would remove a key without an algorithm.)
            algorithms.updateValue(key.algorithm?.rawValue, forKey: kid)
        }
        keys = (collection, algorithms, now)
        return (collection, algorithms)
    }

    /// RFC 3986's unreserved characters; everything else is percent-encoded in a query or form.
    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func formEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static func formBody(_ pairs: [(String, String)]) -> String {
        pairs.map { formEncode($0.0) + "=" + formEncode($0.1) }.joined(separator: "&")
    }

    static func base64URLDecode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}

/// A claim's value as the token states it.
enum ClaimValue: Codable, Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([ClaimValue])
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let list = try? container.decode([ClaimValue].self) {
            self = .array(list)
        } else {
            self = .other
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        case .array(let list): try container.encode(list)
        case .other: try container.encodeNil()
        }
    }

    /// A string claim; a number is given as its digits (a CVR number sent as a number).
    var string: String? {
        switch self {
        case .string(let text): text
        case .number(let number) where number >= 0 && number < 1e15 && number == number.rounded():
            String(Int64(number))
        default: nil
        }
    }

    /// `aud`: one string or a list of them.
    var strings: [String] {
        switch self {
        case .string(let text): [text]
        case .array(let list): list.compactMap(\.string)
        default: []
        }
    }

    /// A NumericDate (seconds since 1970), within sane bounds.
    var date: Date? {
        guard case .number(let seconds) = self, seconds.isFinite, seconds > 0, seconds < 1e11 else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}

/// An ID token's claims, whatever their names (the CVR claim of the OIOIDC profile is a URL). The claims are
/// checked by `IDTokenCheck` against Pulje's clock, not here.
struct IDTokenPayload: JWTPayload {
    var claims: [String: ClaimValue]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(claims: [String: ClaimValue]) { self.claims = claims }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var claims: [String: ClaimValue] = [:]
        for key in container.allKeys { claims[key.stringValue] = try container.decode(ClaimValue.self, forKey: key) }
        self.claims = claims
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in claims { try container.encode(value, forKey: Key(stringValue: name)) }
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

extension Application {
    private struct OpenIDConnectKey: StorageKey { typealias Value = OpenIDConnect }
    private struct OpenIDTransportKey: StorageKey { typealias Value = any OpenIDTransport }

    /// The relying party, when sign-in through OpenID Connect is configured.
    var openIDConnect: OpenIDConnect? {
        get { storage[OpenIDConnectKey.self] }
        set { storage[OpenIDConnectKey.self] = newValue }
    }

    /// Sets up the relying party for the configured provider, over `transport` (Vapor's HTTP client if nil).
    func configureOpenIDConnect(transport: (any OpenIDTransport)? = nil) {
        guard let settings = config.openIDConnect else {
            openIDConnect = nil
            return
        }
        let app = self
        openIDConnect = OpenIDConnect(
            settings: settings, transport: transport ?? ClientOpenIDTransport(client: client),
            clock: { app.sessionClock() })
    }
}
