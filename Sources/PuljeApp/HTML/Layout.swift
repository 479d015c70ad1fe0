import Foundation
import PuljeDomain
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
        let doc = tag("html", .init("lang", "da")) {
            tag("head") {
                tag("meta", .init("charset", "utf-8"))
                tag("meta", .name("viewport"), .init("content", "width=device-width, initial-scale=1"))
                tag("title") { title + " – Pulje" }
                tag("link", .init("rel", "stylesheet"), .href(SiteURL.stylesheet.path))
                tag("script", .init("src", SiteURL.script.path), .flag("defer"))
            }
            tag("body") {
                tag("a", .class("skip-link"), .href("#indhold")) { "Gå til indhold" }
                header(context)
                tag("main", .id("indhold"), .init("tabindex", "-1")) {
                    if let flash = context.flash {
                        tag("div", .class("flash"), .init("role", "status")) { flash }
                    }
                    main()
                }
                tag("footer", .class("site-footer")) {
                    tag("p") {
                        "Pulje – Udviklings- og Investeringsprogrammerne. Alle tider er dansk tid."
                    }
                    tag("ul", .class("footer-links")) {
                        tag("li") { tag("a", .href(SiteURL.help.path)) { "Hjælp" } }
                        tag("li") { tag("a", .href(SiteURL.accessibility.path)) { "Tilgængelighedserklæring" } }
                        tag("li") { tag("a", .href(SiteURL.privacy.path)) { "Sådan behandler vi dine oplysninger" } }
                    }
                }
            }
        }
        return .fragment([.trusted("<!DOCTYPE html>"), doc])
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
                        if user.may(.manageUsers) { navItem("Brugere", .users, context) }
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
    static func postButton(
        _ url: SiteURL, label: String, context: PageContext, style: String = "link-button"
    )
        -> Node
    {
        tag("form", .init("method", "post"), .init("action", url.path), .class("inline-form")) {
            csrfField(context)
            tag("button", .type("submit"), .class(style)) { label }
        }
    }

    /// One term and its value in a `<dl>`. An empty value is left out, or shown as `whenEmpty` when given
    /// (where the reader should see that the field exists but is empty).
    static func fact(_ term: String, _ value: String, whenEmpty: String? = nil) -> Node {
        guard !value.isEmpty || whenEmpty != nil else { return .empty }
        return group {
            tag("dt") { term }
            tag("dd") { value.isEmpty ? whenEmpty ?? "" : value }
        }
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
