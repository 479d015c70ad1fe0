import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// What every page needs besides its own content: who is signed in, the CSRF token for forms,
/// where we are and a message left by the previous request.
struct PageContext: Sendable {
    var user: CurrentUser?
    var csrfToken: String?
    var path: String
    var flash: String?

    static let empty = PageContext(user: nil, csrfToken: nil, path: "/", flash: nil)
}

extension Request {
    /// The context for a page; reading it consumes the flash message.
    func pageContext() -> PageContext {
        var flash: String?
        if hasSession, let message = session.data[SessionKey.flash] {
            flash = message
            session.data[SessionKey.flash] = nil
        }
        // Signed-in users always see the sign-out form, so they always need a token.
        let token = currentUser == nil ? (hasSession ? session.data[SessionKey.csrf] : nil) : csrfToken()
        return PageContext(user: currentUser, csrfToken: token, path: url.path, flash: flash)
    }

    /// Leaves a message for the next page the user sees (after a redirect).
    func flash(_ message: String) {
        session.data[SessionKey.flash] = message
    }
}

/// The one page layout.
enum Layout {
    static func page(title: String, context: PageContext, @NodeBuilder main: () -> [Node]) -> Node {
        Document.page(
            title: title + " – Pulje", stylesheet: SiteURL.stylesheet.path, script: SiteURL.script.path,
            header: header(context), flash: context.flash, footer: footer, main: main)
    }

    static let footer = tag("footer", .class("site-footer")) {
        tag("p") { "Pulje – Udviklings- og Investeringsprogrammerne. Alle tider er dansk tid." }
        tag("ul", .class("footer-links")) {
            tag("li") { tag("a", .href(SiteURL.help.path)) { "Hjælp" } }
            tag("li") { tag("a", .href(SiteURL.accessibility.path)) { "Tilgængelighedserklæring" } }
            tag("li") { tag("a", .href(SiteURL.privacy.path)) { "Sådan behandler vi dine oplysninger" } }
        }
    }

    static func header(_ context: PageContext) -> Node {
        tag("header", .class("site-header")) {
            tag("a", .class("brand"), .href(SiteURL.home.path)) { "Pulje" }
            tag("nav", .aria("label", "Hovedmenu")) {
                tag("ul") {
                    navItem("Puljer", .calls, context)
                    navItem("Initiativer", .initiatives, context)
                    if let user = context.user {
                        if user.may(.writeApplication) { navItem("Mine sager", .myCases, context) }
                        if user.may(.readAllApplications) { navItem("Ansøgninger", .applications, context) }
                        if user.may(.readGrantCase) {
                            navItem("Tilskudssager", .grantCases, context)
                        }
                        if user.may(.editBusinessCases) { navItem("Business cases", .businessCases, context) }
                        if user.may(.manageDataCollection) || user.may(.readEvaluationAggregates)
                            || user.may(.writeEvaluationData)
                        {
                            navItem("Evaluering", .evaluations, context)
                        }
                        if user.may(.readDataAccessLog) { navItem("Borgerdata-log", .dataAccessLog, context) }
                        if user.may(.manageUsers) {
                            navItem("Brugere", .users, context)
                            navItem("Organisationer", .organisations, context)
                        }
                        if user.may(.editLetterTemplates) { navItem("Brevskabeloner", .letterTemplates, context) }
                        navItem("Min profil", .profile, context)
                    }
                }
            }
            if let user = context.user {
                tag("div", .class("session")) {
                    tag("span") { user.name + ", " + user.organisationName }
                    postButton(.signOut, label: "Log ud", context: context)
                }
            } else {
                tag("a", .class("sign-in"), .href(SiteURL.signIn.path)) { "Log ind" }
            }
        }
    }

    static func navItem(_ label: String, _ url: SiteURL, _ context: PageContext) -> Node {
        let current = context.path == url.path || context.path.hasPrefix(url.path + "/")
        return tag("li") {
            tag("a", .href(url.path), .aria("current", current ? "page" : nil)) { label }
        }
    }

    /// A form that posts to a URL with one button: the way to sign out and do other one-click changes.
    static func postButton(_ url: SiteURL, label: String, context: PageContext, style: String = "link-button") -> Node {
        Document.postButton(action: url.path, label: label, csrfField: csrfField(context), style: style)
    }

    /// Links to the first page and the next, when there are such pages.
    static func pager(first: String?, next: String?, firstText: String, nextText: String, label: String) -> Node {
        guard first != nil || next != nil else { return .empty }
        return tag("nav", .aria("label", label), .class("pager")) {
            if let first { tag("a", .href(first)) { firstText } }
            if let next {
                if first != nil { " · " }
                tag("a", .href(next), .init("rel", "next")) { nextText }
            }
        }
    }

    static func fact(_ term: String, _ value: String, whenEmpty: String? = nil) -> Node {
        Document.fact(term, value, whenEmpty: whenEmpty)
    }

    static func csrfField(_ context: PageContext) -> Node {
        tag("input", .type("hidden"), .name(CSRFMiddleware.field), .value(context.csrfToken ?? ""))
    }
}

extension Node: AsyncResponseEncodable {
    public func encodeResponse(for request: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }
}

extension Node {
    /// The page as a response with another status than 200 (a form with errors is 422).
    func response(status: HTTPStatus) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: html))
    }
}
