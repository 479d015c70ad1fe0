import Foundation
import Prometheus
import Vapor

/// What an operator watches, at `/metrics` in Prometheus' text format, through the Swift Server Workgroup's
/// Prometheus library: requests by route, method and status with their durations, requests in flight, the
/// outbox's backlog, each background job's rounds and failures, and the database's use (this instance's
/// PostgreSQL connections by state and the pool's limit, or SQLite's write gate). A route is named by its pattern
/// ("/ansoegninger/:applicationID"), never by the path asked for, so ids and typos never become label values.
final class PuljeMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let inFlight: Gauge
    private let outboxBacklog: Gauge
    private let outboxFailing: Gauge

    /// Upper bounds of the request-duration buckets: an autosave is expected under 0,1 s.
    static let buckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]
    /// The methods counted by name; anything else is "other", so a client cannot invent label values.
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    static func name(_ metric: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "pulje", metricName: metric, unitName: unit, helpText: help)
    }

    init() {
        inFlight = registry.makeGauge(
            descriptor: Self.name("http_requests_in_flight", unit: "", help: "Requests being answered now."))
        outboxBacklog = registry.makeGauge(
            descriptor: Self.name(
                "outbox_backlog", unit: "", help: "E-mails in the outbox not yet sent, as of the last scrape."))
        outboxFailing = registry.makeGauge(
            descriptor: Self.name(
                "outbox_failing", unit: "", help: "Unsent e-mails whose last attempt failed, as of the last scrape."))
    }

    func requestStarted() { inFlight.increment() }

    func requestEnded(route: String, method: String, status: UInt, duration: Duration) {
        inFlight.decrement()
        let method = Self.methods.contains(method) ? method : "other"
        registry.makeCounter(
            descriptor: Self.name("http_requests", unit: "total", help: "Requests answered, by route and status."),
            labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.name("http_request_duration", unit: "seconds", help: "Time to answer, by route."),
            labels: [("route", route), ("method", method)], buckets: Self.buckets
        ).record(duration)
    }

    /// One round of a background job (mail delivery, reminders), and whether it failed.
    func jobRound(_ job: String, failed: Bool) {
        registry.makeCounter(
            descriptor: Self.name("job_rounds", unit: "total", help: "Rounds of each background job, by outcome."),
            labels: [("job", job), ("outcome", failed ? "failed" : "ok")]
        ).increment()
    }

    /// The connection states PostgreSQL reports that the gauge always shows (0 when none is in it).
    static let connectionStates = ["active", "idle", "idle in transaction"]

    /// The text Prometheus scrapes, with the outbox's and the database's figures as they are now.
    func exposition(outboxBacklog backlog: Int, failing: Int, database: DatabaseStore.Use) -> String {
        outboxBacklog.set(Int64(backlog))
        outboxFailing.set(Int64(failing))
        let connections = Self.name(
            "db_connections", unit: "",
            help: "This instance's PostgreSQL connections by state, the scrape's own query among the active.")
        for state in Set(Self.connectionStates).union(database.connections.keys) {
            registry.makeGauge(descriptor: connections, labels: [("state", state)]).set(
                Int64(database.connections[state] ?? 0))
        }
        registry.makeGauge(
            descriptor: Self.name(
                "db_pool_limit", unit: "",
                help: "Connections the pool may open: 8 per event loop on PostgreSQL, 1 per event loop on SQLite.")
        ).set(Int64(database.limit))
        registry.makeGauge(
            descriptor: Self.name(
                "db_writes_waiting", unit: "", help: "SQLite: writes waiting at the write gate for the next commit.")
        ).set(Int64(database.writesWaiting))
        registry.makeGauge(
            descriptor: Self.name(
                "db_writes_committing", unit: "", help: "SQLite: writes in the group being committed now.")
        ).set(Int64(database.writesCommitting))
        return registry.emitToString()
    }
}

extension Application {
    private struct MetricsKey: StorageKey {
        typealias Value = PuljeMetrics
    }

    /// This instance's metrics (each instance is scraped by itself).
    var metrics: PuljeMetrics {
        if let metrics = storage[MetricsKey.self] { return metrics }
        let metrics = PuljeMetrics()
        storage[MetricsKey.self] = metrics
        return metrics
    }
}

/// Counts and times every request, by the pattern of the route it matched ("unmatched" for none), with the
/// status it was answered with, errors included (it sits outside the error middleware).
struct MetricsMiddleware: AsyncMiddleware {
    let metrics: PuljeMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        metrics.requestStarted()
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        do {
            let response = try await next.respond(to: request)
            metrics.requestEnded(
                route: route, method: request.method.rawValue, status: response.status.code,
                duration: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any AbortError)?.status ?? .internalServerError
            metrics.requestEnded(
                route: route, method: request.method.rawValue, status: status.code,
                duration: ContinuousClock.now - start)
            throw error
        }
    }
}

/// Gives every request an id: the one the proxy sent in `X-Request-Id` when it is a plain token (letters,
/// digits, "-", "_" and "."; at most 64), else a new one. It is in every log line of the request
/// (`request-id`) and in the response's `X-Request-Id`, so one request can be followed through nginx, the
/// instances and the logs. Anything else a client sends there (control characters among it) is neither
/// logged nor echoed.
struct RequestIDMiddleware: AsyncMiddleware {
    static let header = "X-Request-Id"

    /// The id a client sent, when it is a plain token.
    static func accepted(_ value: String?) -> String? {
        guard let value, (1...64).contains(value.utf8.count),
            value.utf8.allSatisfy({ byte in
                (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                    || byte == 45 || byte == 95 || byte == 46
            })
        else { return nil }
        return value
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Vapor puts whatever the header held into the logger; a value that is not a plain token is replaced.
        let id = Self.accepted(request.headers.first(name: Self.header)) ?? UUID().uuidString.lowercased()
        request.logger[metadataKey: "request-id"] = .string(id)
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: Self.header, value: id)
        return response
    }
}
