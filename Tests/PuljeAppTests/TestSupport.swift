import Fluent
import Foundation
import NIOCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

/// All application tests share one database when DATABASE_URL names a PostgreSQL server, so they
/// run one at a time; the suites below are nested in this one.
@Suite(.serialized) struct AppTests {}

/// A fresh application on an empty database with the reference data, the catalogue and the demo accounts.
/// In-memory SQLite by default; PostgreSQL (schema wiped first) when DATABASE_URL is set.
func withTestApp(
    environment extra: [String: String] = [:], _ test: (Application) async throws -> Void
) async throws {
    let app = try await Application.make(.testing)
    app.logger.logLevel = .error
    do {
        var environment = ProcessInfo.processInfo.environment.filter { $0.key == "DATABASE_URL" }
        environment["PULJE_DEMO_DATA"] = "true"
        environment.merge(extra) { _, new in new }
        let config = try AppConfig.load(environment: environment, mode: .testing)
        try await configure(app, config: config)
        if case .postgres = config.database, let sql = app.db as? any SQLDatabase {
            try await sql.raw("DROP SCHEMA public CASCADE").run()
            try await sql.raw("CREATE SCHEMA public").run()
        }
        try await app.autoMigrate()
        try await Startup.seed(app, implementationDemo: false)
        try await test(app)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

/// A browser in a test: keeps cookies and the latest CSRF token it saw, posts forms.
final class Browser {
    let app: Application
    var cookies: [String: String] = [:]
    var csrfToken: String?

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await send(.GET, path, headers: headers, body: ByteBuffer())
    }

    /// Posts a form; adds the CSRF token unless told not to.
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)] = [], csrf: Bool = true) async throws -> TestingHTTPResponse
    {
        var pairs = Hostile.current?.pairs(fields) ?? fields.map { (Self.encode($0.0), Self.encode($0.1)) }
        if csrf, let token = csrfToken { pairs.append(("_csrf", Self.encode(token))) }
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        let body = pairs.map { $0.0 + "=" + $0.1 }.joined(separator: "&")
        return try await send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    func send(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer
    ) async throws
        -> TestingHTTPResponse
    {
        var headers = headers
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        let response = try await app.testing().performTest(
            request: TestingHTTPRequest(method: method, url: URI(path: path), headers: headers, body: body))
        for header in response.headers[.setCookie] {
            guard let (name, value) = Self.cookie(setBy: header) else { continue }
            cookies[name] = value
        }
        if let token = Self.csrf(in: response.body.string) { csrfToken = token }
        return response
    }

    /// Uploads a file as a browser does (multipart/form-data), with the CSRF token as a form field.
    @discardableResult
    func upload(
        _ path: String, fields: [(String, String)], file: (name: String, type: String, bytes: [UInt8])
    ) async throws
        -> TestingHTTPResponse
    {
        let boundary = "----pulje\(UUID().uuidString)"
        let hostile = Hostile.current
        var body = ByteBuffer()
        let parts =
            (hostile?.parts(fields) ?? fields.map { ($0.0, Array($0.1.utf8)) }) + [
                ("_csrf", Array((csrfToken ?? "").utf8))
            ]
        for (name, value) in parts {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n")
            body.writeBytes(value)
            body.writeString("\r\n")
        }
        let name = hostile == .pathInFileName ? "../../../etc/" + file.name : file.name
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: \(file.type)\r\n\r\n"
        )
        if hostile == .malformedMultipart {
            // Cut off in the middle of the file, without the closing boundary.
            body.writeBytes(file.bytes.prefix(file.bytes.count / 2))
        } else {
            body.writeBytes(file.bytes)
            body.writeString("\r\n--\(boundary)--\r\n")
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await send(.POST, path, headers: headers, body: body)
    }

    /// Sends JSON to the API with the session's CSRF token in the header.
    @discardableResult
    func json(_ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .accept, value: "application/json")
        if let token = csrfToken { headers.replaceOrAdd(name: "X-CSRF-Token", value: token) }
        if let hostile = Hostile.current, let body, let attack = hostile.json(body) {
            return try await send(method, path, headers: headers, body: ByteBuffer(bytes: attack))
        }
        return try await send(method, path, headers: headers, body: ByteBuffer(string: body ?? ""))
    }

    @discardableResult
    func signIn(_ email: String, password: String = DemoAccounts.password) async throws -> TestingHTTPResponse {
        try await get(SiteURL.signIn.path)
        let response = try await post(SiteURL.signIn.path, [("email", email), ("password", password)])
        // Like a browser, follow the redirect, which also brings the new session's CSRF token.
        if response.status == .seeOther, let location = response.location { try await get(location) }
        return response
    }

    /// The cookie a Set-Cookie header sets, with nil for its value when the header removes it. Only the
    /// attributes say that: a random session id may well contain "1970" (a CI run lost its session so once).
    static func cookie(setBy header: String) -> (name: String, value: String?)? {
        let parts = header.split(separator: ";")
        guard let first = parts.first else { return nil }
        let pair = first.split(separator: "=", maxSplits: 1)
        guard pair.count == 2 else { return nil }
        let attributes = parts.dropFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let removed = attributes.contains { $0 == "max-age=0" || ($0.hasPrefix("expires=") && $0.contains("1970")) }
        return (String(pair[0]), removed ? nil : String(pair[1]))
    }

    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        let token = String(rest[..<end])
        return token.isEmpty ? nil : token
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// An attack on everything a test browser sends, for the hostile-input test of every state-changing route: set
/// around a request, it turns every value of its form, upload or JSON body into what it names (the CSRF token
/// stays as it was, so the attack reaches the route's own checks).
enum Hostile: String, CaseIterable, Sendable {
    case long, nulByte, invalidUTF8, rightToLeftAndCombining, negative, hugeNumber, notANumber, impossibleDate
    case empty, duplicateKeys, pathInFileName, malformedMultipart

    @TaskLocal static var current: Hostile?

    /// The value as the attack writes it (the encodings' own attacks leave it as it is).
    func value(_ value: String) -> String {
        switch self {
        case .long: value + String(repeating: "æ", count: 5_000)
        case .nulByte: value + "\u{0}" + value
        case .rightToLeftAndCombining: "\u{202E}" + value + "e\u{0301}\u{0301}\u{0301}\u{200F}"
        case .negative: "-1"
        case .hugeNumber: "9223372036854775808"
        case .notANumber: "NaN"
        case .impossibleDate: "31.02.2026"
        case .empty: ""
        case .invalidUTF8, .duplicateKeys, .pathInFileName, .malformedMultipart: value
        }
    }

    /// Bytes that are not UTF-8: a lone continuation byte's start, an overlong NUL.
    static let invalidUTF8Bytes: [UInt8] = [0xFF, 0xC0, 0x80]

    /// A form's fields, percent-encoded, attacked.
    func pairs(_ fields: [(String, String)]) -> [(String, String)] {
        let pairs = fields.map { (Browser.encode($0.0), Browser.encode(value($0.1))) }
        switch self {
        case .invalidUTF8: return pairs.map { ($0.0, $0.1 + "%FF%C0%80") }
        case .duplicateKeys: return pairs.flatMap { [$0, ($0.0, "anden")] }
        default: return pairs
        }
    }

    /// A multipart form's fields as bytes, attacked.
    func parts(_ fields: [(String, String)]) -> [(String, [UInt8])] {
        let parts = fields.map { ($0.0, Array(value($0.1).utf8)) }
        switch self {
        case .invalidUTF8: return parts.map { ($0.0, $0.1 + Self.invalidUTF8Bytes) }
        case .duplicateKeys: return parts.flatMap { [$0, ($0.0, Array("anden".utf8))] }
        default: return parts
        }
    }

    /// A JSON object body with every member attacked (numbers too), or nil where the body is no object.
    func json(_ body: String) -> [UInt8]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], !object.isEmpty
        else { return nil }
        func string(_ text: String) -> [UInt8] {
            let encoded = (try? JSONSerialization.data(withJSONObject: [text])).map { Array($0.dropFirst().dropLast()) }
            return encoded ?? Array("\"\"".utf8)
        }
        var members: [[UInt8]] = []
        for (key, member) in object.sorted(by: { $0.key < $1.key }) {
            let original = (member as? String) ?? "\(member)"
            let attacked: [UInt8] =
                switch self {
                case .negative: Array("-1".utf8)
                case .hugeNumber: Array("9223372036854775808".utf8)
                case .invalidUTF8: Array("\"".utf8) + Self.invalidUTF8Bytes + Array("\"".utf8)
                default: string(value(original))
                }
            members.append(string(key) + Array(":".utf8) + attacked)
            if self == .duplicateKeys { members.append(string(key) + Array(":\"anden\"".utf8)) }
        }
        return Array("{".utf8) + Array(members.joined(separator: Array(",".utf8))) + Array("}".utf8)
    }
}

enum Demo {
    static let admin = "admin@styrelsen.demo"
    static let programmeManager = "fagkonsulent@styrelsen.demo"
    static let grantAdministrator = "tilskud@styrelsen.demo"
    static let director = "direktor@styrelsen.demo"
    static let applicant = "ansoger@aarhus.demo"
    static let evaluator = "evaluator@vive.demo"
}

extension TestingHTTPResponse {
    var location: String? { headers.first(name: .location) }

    /// What a failed expectation should show of a response: its status, where it leads and the text of its
    /// first heading and paragraphs (an error page's title and message), not the page's head.
    var explained: String {
        let html = body.string
        let start = html.range(of: "<h1")?.lowerBound ?? html.startIndex
        let text = html[start...].replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return "\(status.code)" + (location.map { " → \($0)" } ?? "") + ": " + text.prefix(300)
    }
}

func auditCount(_ app: Application) async throws -> Int {
    try await AuditEntryRecord.query(on: app.db).count()
}

/// The application's own path, from where starting one leads: a new application opens at the first step of
/// the form in steps (`/ansoegninger/{id}/afsnit/projekt`), an existing one at its page.
func applicationPath(startedAt location: String?) throws -> String {
    let location = try #require(location)
    let firstStep = "/afsnit/" + ApplicationSection.project.rawValue
    return location.hasSuffix(firstStep) ? String(location.dropLast(firstStep.count)) : location
}

/// The tables `tableFingerprint` does not watch.
let unwatchedTables: Set<String> = [DatabaseSessions.table, "sign_in_attempts"]

/// One text per table that changes when any row does: "nothing changed" in the tests. Sessions and sign-in
/// attempts are left out (signing in and a refused sign-in rightly write them).
func tableFingerprint(_ app: Application) async throws -> [String: String] {
    let sql = try #require(app.db as? any SQLDatabase)
    var result: [String: String] = [:]
    if sql.dialect.name == "postgresql" {
        let tables = try await sql.raw(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
        ).all().map { try $0.decode(column: "name", as: String.self) }
        for table in tables where !unwatchedTables.contains(table) {
            let row = try await sql.raw(
                "SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS h FROM \(ident: table) t"
            ).first()
            result[table] = try row?.decode(column: "h", as: String.self)
        }
    } else {
        let tables = try await sql.raw(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).all().map { try $0.decode(column: "name", as: String.self) }
        for table in tables where !unwatchedTables.contains(table) {
            let columns = try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all()
                .map { try $0.decode(column: "name", as: String.self) }
            let row = columns.map { "quote(\"\($0)\")" }.joined(separator: " || ',' || ")
            let text = try await sql.raw(
                "SELECT coalesce(group_concat(r, '|'), '') AS h FROM (SELECT \(unsafeRaw: row) AS r FROM \(ident: table) ORDER BY r)"
            ).first()
            result[table] = try text?.decode(column: "h", as: String.self)
        }
    }
    return result
}
