import Foundation

/// The shell every page shares: a Danish HTML document with a skip link, a header, the main content
/// (with an optional status message) and a footer. The application fills in its own header and footer.
public enum Document {
    public static func page(
        title: String, stylesheet: String, script: String, header: Node, flash: String?, footer: Node,
        @NodeBuilder main: () -> [Node]
    ) -> Node {
        let doc = tag("html", .init("lang", "da")) {
            tag("head") {
                tag("meta", .init("charset", "utf-8"))
                tag("meta", .name("viewport"), .init("content", "width=device-width, initial-scale=1"))
                tag("title") { title }
                tag("link", .init("rel", "stylesheet"), .href(stylesheet))
                tag("script", .init("src", script), .flag("defer"))
            }
            tag("body") {
                tag("a", .class("skip-link"), .href("#indhold")) { "Gå til indhold" }
                header
                tag("main", .id("indhold"), .init("tabindex", "-1")) {
                    if let flash { tag("div", .class("flash"), .init("role", "status")) { flash } }
                    main()
                }
                footer
            }
        }
        return .fragment([.trusted("<!DOCTYPE html>"), doc])
    }

    /// One term and its value in a `<dl>`. An empty value is left out, or shown as `whenEmpty` when given
    /// (where the reader should see that the field exists but is empty).
    public static func fact(_ term: String, _ value: String, whenEmpty: String? = nil) -> Node {
        guard !value.isEmpty || whenEmpty != nil else { return .empty }
        return group {
            tag("dt") { term }
            tag("dd") { value.isEmpty ? whenEmpty ?? "" : value }
        }
    }

    /// A form that posts to `action` with one button and the anti-forgery field: the way to sign out and
    /// do other one-click changes.
    public static func postButton(
        action: String, label: String, csrfField: Node, style: String = "link-button"
    ) -> Node {
        tag("form", .init("method", "post"), .init("action", action), .class("inline-form")) {
            csrfField
            tag("button", .type("submit"), .class(style)) { label }
        }
    }
}
