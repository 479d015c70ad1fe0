import Fluent
import Vapor

enum HealthController {
    struct Health: Content {
        var status: String
        var database: String
        var driver: String
    }

    /// 200 when the database answers, 503 when it does not.
    @Sendable static func show(req: Request) async throws -> Response {
        let driver: String =
            switch req.application.config.database {
            case .postgres: "postgresql"
            default: "sqlite"
            }
        var healthy = true
        do {
            _ = try await UserStore.organisationCount(on: req.db)
        } catch {
            req.logger.error("Health check: database unavailable: \(error)")
            healthy = false
        }
        let body = Health(
            status: healthy ? "ok" : "unavailable", database: healthy ? "ok" : "unavailable", driver: driver)
        let response = Response(status: healthy ? .ok : .serviceUnavailable)
        try response.content.encode(body, as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

/// The stylesheet and the script, read once from the bundle.
enum StaticAssets {
    static func resource(_ name: String, _ ext: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "" }
        return text
    }

    static let css = resource("app", "css")
    static let javaScript = resource("app", "js")

    static func serve(_ text: String, type: HTTPMediaType) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = type
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    @Sendable static func stylesheet(req: Request) async throws -> Response { serve(css, type: .css) }
    @Sendable static func script(req: Request) async throws -> Response {
        serve(javaScript, type: HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"]))
    }
}

enum HomeController {
    @Sendable static func show(req: Request) async throws -> Response {
        let initiatives = try await CatalogueStore.all(on: req.db)
        let model = try await HomeModel.load(req, initiativeCount: initiatives.count)
        return HomePage.view(model, context: req.pageContext()).response(status: .ok)
    }
}
