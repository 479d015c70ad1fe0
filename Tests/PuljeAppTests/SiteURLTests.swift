import Foundation
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

/// `SiteURL` is the one spelling of every path: each route is registered once, and every link and form the
/// pages build leads to a registered route.
extension AppTests {
    @Suite struct SiteURLTests {
        static func key(_ method: HTTPMethod, _ components: [PathComponent]) -> String {
            method.rawValue + " /" + components.map(\.description).joined(separator: "/")
        }

        /// Whether a registered route with this method answers the path.
        static func resolves(_ method: HTTPMethod, _ path: String, in app: Application) -> Bool {
            let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            return app.routes.all.contains { route in
                guard route.method == method, route.path.count == parts.count else { return false }
                return zip(route.path, parts).allSatisfy { component, part in
                    switch component {
                    case .constant(let text): text == part
                    case .parameter, .anything: true
                    case .catchall: true
                    }
                }
            }
        }

        @Test func everyRouteIsRegisteredOnce() async throws {
            try await withTestApp { app in
                let keys = app.routes.all.map { Self.key($0.method, $0.path) }
                let repeated = Dictionary(grouping: keys, by: { $0 }).filter { $0.value.count > 1 }.keys
                #expect(repeated.isEmpty, "registered more than once: \(repeated.sorted())")
            }
        }

        @Test func aPathAndItsRouteAreSpelledOnce() {
            let id = UUID()
            let url = SiteURL.informationAnswer(id, id)
            #expect(url.path == "/ansoegninger/\(id.pathValue)/oplysninger/\(id.pathValue)/svar")
            #expect(
                url.pattern.map(\.description) == [
                    "ansoegninger", ":applicationID", "oplysninger", ":requestID", "svar",
                ])
            #expect(SiteURL.home.path == "/")
            #expect(SiteURL.initiative(year: 2022, number: "1.8").path == "/initiativer/2022/1.8")
        }

        /// Every page each kind of user can reach from the front page, and every link and form on them.
        @Test func everyLinkThePagesBuildResolvesToARoute() async throws {
            try await withTestApp { app in
                var checked = 0
                var broken: Set<String> = []
                for email in [nil, Demo.applicant, Assess.grantAdministrator, Demo.programmeManager, Demo.admin] {
                    let browser = Browser(app)
                    if let email { try await browser.signIn(email) }
                    var queue = ["/"]
                    var seen: Set<String> = ["/"]
                    var visited = 0
                    while let path = queue.first, visited < 120 {
                        queue.removeFirst()
                        visited += 1
                        let response = try await browser.get(path)
                        guard response.headers.contentType?.subType == "html" else { continue }
                        let html = response.body.string
                        // A form's action is a POST unless the form says method="get" (the filter forms).
                        let forms = html.split(separator: "<form").dropFirst().map { String($0.prefix { $0 != ">" }) }
                        let getActions = forms.filter { $0.contains("method=\"get\"") }.flatMap {
                            Self.values(of: "action", in: " " + $0)
                        }
                        let postActions = forms.filter { !$0.contains("method=\"get\"") }.flatMap {
                            Self.values(of: "action", in: " " + $0)
                        }
                        for (links, method) in [
                            (Self.values(of: "href", in: html) + getActions, HTTPMethod.GET), (postActions, .POST),
                        ] {
                            for link in links where link.hasPrefix("/") {
                                let bare = String(link.prefix { $0 != "?" && $0 != "#" })
                                checked += 1
                                if !Self.resolves(method, bare, in: app) {
                                    broken.insert("\(method) \(bare) on \(path)")
                                }
                                if method == .GET, !seen.contains(bare), !bare.hasPrefix("/log-ud"),
                                    !bare.hasPrefix("/static")
                                {
                                    seen.insert(bare)
                                    queue.append(bare)
                                }
                            }
                        }
                    }
                }
                #expect(checked > 200)
                #expect(broken.isEmpty, "\(broken.sorted())")
            }
        }

        static func values(of attribute: String, in html: String) -> [String] {
            var result: [String] = []
            var rest = html[...]
            let marker = " \(attribute)=\""
            while let range = rest.range(of: marker) {
                let after = rest[range.upperBound...]
                guard let end = after.firstIndex(of: "\"") else { break }
                result.append(String(after[..<end]).replacingOccurrences(of: "&amp;", with: "&"))
                rest = after[end...]
            }
            return result
        }
    }
}
