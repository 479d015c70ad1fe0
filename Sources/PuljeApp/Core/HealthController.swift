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

extension HealthController {
    struct Readiness: Content {
        var status: String
        var checks: [String: String]
    }

    /// Readiness, told apart from liveness (`/healthz`): whether this instance should be given requests now.
    /// The database answers, every migration this version knows has run, and the attachments folder can be
    /// written; 503 naming what is not, so a load balancer sends requests elsewhere meanwhile.
    @Sendable static func ready(req: Request) async throws -> Response {
        var checks: [String: String] = [:]
        do {
            _ = try await UserStore.organisationCount(on: req.db)
            checks["database"] = "ok"
        } catch {
            req.logger.error("Readiness: database unavailable: \(error)")
            checks["database"] = "unavailable"
        }
        do {
            let pending = try await req.application.migrator.previewPrepareBatch().get()
            checks["migrations"] = pending.isEmpty ? "ok" : "\(pending.count) pending"
        } catch {
            checks["migrations"] = "unknown"
        }
        let folder = AttachmentFiles.folder(req.application)
        checks["files"] = FileManager.default.isWritableFile(atPath: folder) ? "ok" : "not writable: \(folder)"
        let ready = checks.values.allSatisfy { $0 == "ok" }
        let response = Response(status: ready ? .ok : .serviceUnavailable)
        try response.content.encode(Readiness(status: ready ? "ok" : "unavailable", checks: checks), as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The metrics in Prometheus' text format. With `PULJE_METRICS_TOKEN` set, only for `Authorization:
    /// Bearer` with that token; without one, open in development and not served in production.
    @Sendable static func metrics(req: Request) async throws -> Response {
        if let token = req.application.config.metricsToken {
            let given = req.headers.bearerAuthorization?.token ?? ""
            guard SecureCompare.equal(given, token) else {
                // For a scraper, not a person: no sign-in page, the bearer challenge.
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer realm=\"pulje-metrics\"")
                headers.replaceOrAdd(name: .contentType, value: "text/plain; charset=utf-8")
                return Response(
                    status: .unauthorized, headers: headers, body: .init(string: "Kræver et gyldigt token.\n"))
            }
        } else if req.application.environment == .production {
            throw PuljeError(.notFound, "Siden findes ikke.")
        }
        let backlog = try await OutboxStore.backlog(on: req.db)
        let database = try await DatabaseStore.use(req.application, on: req.db)
        let text = req.application.metrics.exposition(
            outboxBacklog: backlog.unsent, failing: backlog.failing, database: database)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: text))
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
