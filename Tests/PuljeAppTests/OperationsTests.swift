import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp

/// What operators use: readiness told apart from liveness, `/metrics` in Prometheus' format, and a request id
/// on every answer and log line.
extension AppTests {
    @Suite struct OperationsTests {
        @Test func readinessNamesEachCheckAndLivenessStaysCheap() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                let ready = try await browser.get("/readyz")
                #expect(ready.status == .ok)
                let body = try ready.content.decode(HealthController.Readiness.self)
                #expect(body.status == "ok")
                #expect(body.checks == ["database": "ok", "migrations": "ok", "files": "ok"])
                #expect(try await browser.get("/healthz").status == .ok)
            }
        }

        /// Instances that start together on one PostgreSQL database migrate and seed one after the other: a
        /// second start-up waits for the first's lock. (SQLite serves one instance and runs the work directly.)
        @Test func startUpsOnOnePostgreSQLDatabaseTakeTurns() async throws {
            try await withTestApp { app in
                let steps = StepLog()
                let postgres: Bool
                if case .postgres = app.config.database { postgres = true } else { postgres = false }
                let first = Task {
                    try await DatabaseStore.oneInstanceAtATime(app) {
                        await steps.add("first begins")
                        try await Task.sleep(for: .milliseconds(300))
                        await steps.add("first ends")
                    }
                }
                while await steps.all.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
                try await DatabaseStore.oneInstanceAtATime(app) { await steps.add("second") }
                try await first.value
                let order = await steps.all
                #expect(order.count == 3)
                if postgres { #expect(order == ["first begins", "first ends", "second"]) }
                // The lock is released: a third start-up gets it at once.
                try await DatabaseStore.oneInstanceAtATime(app) { await steps.add("third") }
                #expect(await steps.all.last == "third")
                // A start-up that fails releases it too.
                await #expect(throws: PuljeError.self) {
                    try await DatabaseStore.oneInstanceAtATime(app) { throw PuljeError(.conflict, "migrering fejlede") }
                }
                try await DatabaseStore.oneInstanceAtATime(app) { await steps.add("after failure") }
                #expect(await steps.all.last == "after failure")
            }
        }

        @Test func metricsCountRequestsByRoutePatternNeverByPath() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                let id = UUID().uuidString.lowercased()
                try await browser.get("/healthz")
                try await browser.get("/healthz")
                try await browser.get("/ansoegninger/\(id)")
                try await browser.get("/ingen/side/\(id)")
                let response = try await browser.get("/metrics")
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.description.hasPrefix("text/plain") == true)
                let text = response.body.string
                #expect(text.contains("pulje_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2"))
                #expect(text.contains("route=\"/ansoegninger/:applicationID\""))
                #expect(text.contains("route=\"unmatched\",method=\"GET\",status=\"404\""))
                #expect(
                    text.contains(
                        "pulje_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.1\"}"))
                #expect(text.contains("pulje_outbox_backlog "))
                #expect(text.contains("pulje_http_requests_in_flight "))
                // The database's use: on PostgreSQL this instance's connections (the scrape's own query is an
                // active one) within the pool's limit; on SQLite the write gate, idle between requests.
                let limit = try #require(
                    text.firstMatch(of: /\npulje_db_pool_limit (\d+)(?:\.0)?\n/).flatMap { Int($0.output.1) })
                #expect(limit >= 1)
                if case .postgres = app.config.database {
                    let active = try #require(
                        text.firstMatch(of: /pulje_db_connections\{state="active"\} (\d+)(?:\.0)?\n/).flatMap {
                            Int($0.output.1)
                        })
                    #expect(active >= 1 && active <= limit)
                    #expect(text.contains("pulje_db_connections{state=\"idle\"} "))
                } else {
                    #expect(text.contains("pulje_db_writes_waiting 0.0\n"))
                    #expect(text.contains("pulje_db_writes_committing 0.0\n"))
                    #expect(text.contains("pulje_db_connections{state=\"active\"} 0.0\n"))
                }
                #expect(!text.contains(id))
                // A method nobody answers does not become a label value of its own.
                try await browser.send(.init(rawValue: "BREW"), "/healthz", headers: [:], body: ByteBuffer())
                #expect(!(try await browser.get("/metrics").body.string.contains("BREW")))
            }
        }

        @Test func metricsAskForTheTokenWhenOneIsSet() async throws {
            try await withTestApp { app in
                app.config.metricsToken = "et-langt-hemmeligt-token"
                let browser = Browser(app)
                #expect(try await browser.get("/metrics").status == .unauthorized)
                #expect(
                    try await browser.get("/metrics", headers: ["Authorization": "Bearer forkert-token-forkert"])
                        .status == .unauthorized)
                let allowed = try await browser.get(
                    "/metrics", headers: ["Authorization": "Bearer et-langt-hemmeligt-token"])
                #expect(allowed.status == .ok)
                #expect(allowed.body.string.contains("pulje_http_requests_total"))
            }
        }

        @Test func everyAnswerCarriesARequestIdAndAHostileOneIsNotEchoed() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                let own = try await browser.get("/healthz")
                let generated = try #require(own.headers.first(name: "X-Request-Id"))
                #expect(UUID(uuidString: generated) != nil)
                let passed = try await browser.get("/healthz", headers: ["X-Request-Id": "nginx-4f2a.17_b"])
                #expect(passed.headers.first(name: "X-Request-Id") == "nginx-4f2a.17_b")
                for hostile in ["a b", "x\u{7F}y", String(repeating: "a", count: 65), "ø", ""] {
                    let answer = try await browser.get("/healthz", headers: ["X-Request-Id": hostile])
                    let id = try #require(answer.headers.first(name: "X-Request-Id"))
                    #expect(id != hostile && UUID(uuidString: id) != nil)
                }
                // Errors too.
                #expect(try await browser.get("/ingen-side").headers.first(name: "X-Request-Id") != nil)
            }
        }

        @Test func aShortOrSpacedMetricsTokenIsRefusedAtStart() {
            #expect(throws: AppConfig.Invalid.self) {
                try AppConfig.load(environment: ["PULJE_METRICS_TOKEN": "kort"], mode: .development)
            }
            #expect(throws: AppConfig.Invalid.self) {
                try AppConfig.load(environment: ["PULJE_METRICS_TOKEN": "med mellemrum i tokenet"], mode: .development)
            }
            #expect(
                (try? AppConfig.load(
                    environment: ["PULJE_METRICS_TOKEN": "et-langt-hemmeligt-token"], mode: .development))?
                    .metricsToken == "et-langt-hemmeligt-token")
        }
    }
}

@Suite struct JSONLogTests {
    @Test func aLogLineIsOneJSONObjectWhateverTheMessageHolds() throws {
        let line = JSONLogHandler.line(
            time: Date(timeIntervalSince1970: 1_700_000_000.25), level: .warning, label: "pulje",
            message: "to linjer\n\"citat\" \u{1} og æøå", metadata: ["request-id": "abc-1", "antal": "3"],
            file: "/x/Sources/PuljeApp/Core/File.swift", line: 12)
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["message"] == "to linjer\n\"citat\" \u{1} og æøå")
        #expect(object["request-id"] == "abc-1")
        #expect(object["level"] == "warning")
        #expect(object["time"] == "2023-11-14T22:13:20.250Z")
        #expect(object["source"] == "File.swift:12")
    }
}

/// Steps in the order they happened, across tasks.
actor StepLog {
    private(set) var all: [String] = []
    func add(_ step: String) { all.append(step) }
}
