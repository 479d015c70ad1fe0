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
        var fields = fields
        if csrf, let token = csrfToken { fields.append(("_csrf", token)) }
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        let body = fields.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
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
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let expired = header.contains("Max-Age=0") || header.contains("1970")
            cookies[String(pair[0])] = expired ? nil : String(pair[1])
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
        var body = ByteBuffer()
        for (name, value) in fields + [("_csrf", csrfToken ?? "")] {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n"
        )
        body.writeBytes(file.bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
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
