import Foundation

/// A piece of HTML. Text and attribute values are escaped when a node is made, so a `Node`
/// always holds safe markup; the only way around that is `Node.trusted`, used for markup this
/// program builds itself from numbers (the SVG chart).
public struct Node: Sendable, Equatable {
    public private(set) var html: String

    init(markup: String) { self.html = markup }

    public static let empty = Node(markup: "")

    public static func text(_ text: String) -> Node { Node(markup: escape(text, quotes: false)) }

    /// Markup built by this program only, never from user input (the doctype).
    static func trusted(_ markup: String) -> Node { Node(markup: markup) }

    public static func fragment(_ nodes: [Node]) -> Node { Node(markup: nodes.map(\.html).joined()) }

    public static func element(_ name: String, _ attributes: [Attribute] = [], _ children: [Node]) -> Node {
        var out = "<" + name
        for attribute in attributes {
            guard let value = attribute.value else { continue }
            out += " " + attribute.name
            if let value { out += "=\"" + escape(value, quotes: true) + "\"" }
        }
        out += ">"
        if voidElements.contains(name) { return Node(markup: out) }
        for child in children { out += child.html }
        out += "</" + name + ">"
        return Node(markup: out)
    }

    static let voidElements: Set<String> = ["area", "br", "col", "hr", "img", "input", "link", "meta", "source"]

    static func escape(_ text: String, quotes: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            case "'" where quotes: out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// An attribute. `value` is nil to leave the attribute out, `.some(nil)` for a boolean attribute.
public struct Attribute: Sendable {
    let name: String
    let value: String??

    public init(_ name: String, _ value: String?) {
        self.name = name
        self.value = value.map { .some($0) }
    }

    init(boolean name: String, _ on: Bool) {
        self.name = name
        self.value = on ? .some(nil) : nil
    }

    public static func `class`(_ value: String?) -> Attribute { Attribute("class", value) }
    /// The browser does not block a form on its own checks: a draft can always be saved, and the server
    /// answers every problem in Danish at its field.
    public static let noValidate = flag("novalidate")
    public static func id(_ value: String?) -> Attribute { Attribute("id", value) }
    public static func href(_ value: String) -> Attribute { Attribute("href", value) }
    public static func name(_ value: String) -> Attribute { Attribute("name", value) }
    public static func type(_ value: String) -> Attribute { Attribute("type", value) }
    public static func value(_ value: String?) -> Attribute { Attribute("value", value) }
    public static func `for`(_ value: String) -> Attribute { Attribute("for", value) }
    public static func aria(_ name: String, _ value: String?) -> Attribute { Attribute("aria-" + name, value) }
    public static func data(_ name: String, _ value: String?) -> Attribute { Attribute("data-" + name, value) }
    public static func flag(_ name: String, _ on: Bool = true) -> Attribute { Attribute(boolean: name, on) }
}

@resultBuilder
public enum NodeBuilder {
    public static func buildExpression(_ node: Node) -> [Node] { [node] }
    public static func buildExpression(_ text: String) -> [Node] { [.text(text)] }
    public static func buildExpression(_ nodes: [Node]) -> [Node] { nodes }
    public static func buildBlock(_ parts: [Node]...) -> [Node] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Node]?) -> [Node] { part ?? [] }
    public static func buildEither(first: [Node]) -> [Node] { first }
    public static func buildEither(second: [Node]) -> [Node] { second }
    public static func buildArray(_ parts: [[Node]]) -> [Node] { parts.flatMap { $0 } }
    public static func buildLimitedAvailability(_ part: [Node]) -> [Node] { part }
}

/// `tag("p", .class("lead")) { "Hej" }` — the one way pages build elements.
public func tag(_ name: String, _ attributes: Attribute..., @NodeBuilder content: () -> [Node] = { [] }) -> Node {
    .element(name, attributes, content())
}

public func tag(_ name: String, attributes: [Attribute], @NodeBuilder content: () -> [Node] = { [] }) -> Node {
    .element(name, attributes, content())
}

/// Several nodes as one.
public func group(@NodeBuilder _ content: () -> [Node]) -> Node { .fragment(content()) }

/// Text written as paragraphs separated by blank lines, where lines starting with "• " or "- " form a
/// bulleted list and lines starting with "1. ", "2. " … a numbered one: how the catalogue's long texts are
/// stored and shown.
public func prose(_ text: String) -> Node {
    var nodes: [Node] = []
    for paragraph in text.components(separatedBy: "\n\n") where !paragraph.trimmingCharacters(in: .whitespaces).isEmpty
    {
        var lead: [String] = []
        var items: [String] = []
        var ordered = false
        for line in paragraph.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("• ") || trimmed.hasPrefix("- ") {
                items.append(String(trimmed.dropFirst(2)))
            } else if let rest = numberedItem(trimmed) {
                ordered = true
                items.append(rest)
            } else if items.isEmpty {
                lead.append(trimmed)
            } else {
                items[items.count - 1] += " " + trimmed
            }
        }
        if !lead.isEmpty { nodes.append(tag("p") { lead.joined(separator: " ") }) }
        if !items.isEmpty { nodes.append(tag(ordered ? "ol" : "ul") { items.map { item in tag("li") { item } } }) }
    }
    return .fragment(nodes)
}

/// "2. Internationale erfaringer" → "Internationale erfaringer"; nil for a line that is not a numbered item.
func numberedItem(_ line: String) -> String? {
    let digits = line.prefix { $0.isASCII && $0.isNumber }
    guard (1...2).contains(digits.count), line.dropFirst(digits.count).hasPrefix(". ") else { return nil }
    return String(line.dropFirst(digits.count + 2))
}
