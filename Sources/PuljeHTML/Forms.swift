import Foundation

/// Errors of a submitted form, by field name, in Danish.
public struct FormErrors: Error, Sendable {
    public private(set) var messages: [(field: String, message: String)] = []

    public init() {}

    /// One field's problem.
    public init(_ field: String, _ message: String) { add(field, message) }

    public var isEmpty: Bool { messages.isEmpty }

    public mutating func add(_ field: String, _ message: String) { messages.append((field, message)) }

    public func message(for field: String) -> String? {
        let found = messages.filter { $0.field == field }.map(\.message)
        return found.isEmpty ? nil : found.joined(separator: " ")
    }
}

/// The one form-field component: label, hint, error and input tied together for screen readers.
public enum FormField {
    public static func text(
        _ name: String, label: String, value: String?, errors: FormErrors, hint: String? = nil, type: String = "text",
        required: Bool = false, autocomplete: String? = nil, inputMode: String? = nil, width: String? = nil
    ) -> Node {
        field(name, label: label, errors: errors, hint: hint, required: required) { describedBy, invalid in
            tag(
                "input",
                attributes: [
                    .type(type), .id(fieldID(name)), .name(name), .value(type == "password" ? nil : value),
                    .flag("required", required), .aria("describedby", describedBy), .aria("invalid", invalid),
                    Attribute("autocomplete", autocomplete), Attribute("inputmode", inputMode), .class(width),
                ])
        }
    }

    public static func textArea(
        _ name: String, label: String, value: String?, errors: FormErrors, hint: String? = nil, rows: Int = 5,
        required: Bool = false, maxLength: Int? = nil
    ) -> Node {
        field(name, label: label, errors: errors, hint: hint, required: required) { describedBy, invalid in
            tag(
                "textarea",
                attributes: [
                    .id(fieldID(name)), .name(name), Attribute("rows", String(rows)), .flag("required", required),
                    Attribute("maxlength", maxLength.map(String.init)),
                    .aria("describedby", describedBy), .aria("invalid", invalid),
                ]
            ) { value ?? "" }
        }
    }

    public static func select(
        _ name: String, label: String, options: [(value: String, label: String)], selected: String?, errors: FormErrors,
        hint: String? = nil, required: Bool = false
    ) -> Node {
        field(name, label: label, errors: errors, hint: hint, required: required) { describedBy, invalid in
            tag(
                "select",
                attributes: [
                    .id(fieldID(name)), .name(name), .flag("required", required), .aria("describedby", describedBy),
                    .aria("invalid", invalid),
                ]
            ) {
                for option in options {
                    tag("option", .value(option.value), .flag("selected", option.value == selected)) { option.label }
                }
            }
        }
    }

    /// A group of radio buttons sharing one name; the first carries the field's id, so the error summary's
    /// link lands on it.
    public static func radios(
        _ name: String, legend: String, options: [(value: String, label: String)], selected: String?,
        errors: FormErrors, hint: String? = nil
    ) -> Node {
        let error = errors.message(for: name)
        let described = [hint == nil ? nil : fieldID(name) + "-hint", error == nil ? nil : fieldID(name) + "-error"]
            .compactMap { $0 }.joined(separator: " ")
        return tag("fieldset", .class(error == nil ? "field" : "field has-error")) {
            tag("legend") { legend }
            if let hint { tag("p", .class("hint"), .id(fieldID(name) + "-hint")) { hint } }
            if let error { tag("p", .class("error"), .id(fieldID(name) + "-error")) { "Fejl: " + error } }
            for (index, option) in options.enumerated() {
                let id = index == 0 ? fieldID(name) : fieldID(name) + "-\(index)"
                tag("div", .class("radio")) {
                    tag(
                        "input", .type("radio"), .id(id), .name(name), .value(option.value),
                        .flag("checked", selected == option.value),
                        .aria("describedby", described.isEmpty ? nil : described))
                    tag("label", .for(id)) { option.label }
                }
            }
        }
    }

    /// A group of checkboxes sharing one name.
    public static func checkboxes(
        _ name: String, legend: String, options: [(value: String, label: String)], checked: Set<String>,
        errors: FormErrors, hint: String? = nil
    ) -> Node {
        let error = errors.message(for: name)
        return tag("fieldset", .class(error == nil ? "field" : "field has-error")) {
            tag("legend") { legend }
            if let hint { tag("p", .class("hint"), .id(fieldID(name) + "-hint")) { hint } }
            if let error { tag("p", .class("error"), .id(fieldID(name) + "-error")) { "Fejl: " + error } }
            for (index, option) in options.enumerated() {
                let id = fieldID(name) + "-\(index)"
                tag("div", .class("checkbox")) {
                    tag(
                        "input", .type("checkbox"), .id(id), .name(name + "[]"), .value(option.value),
                        .flag("checked", checked.contains(option.value)))
                    tag("label", .for(id)) { option.label }
                }
            }
        }
    }

    private static func field(
        _ name: String, label: String, errors: FormErrors, hint: String?, required: Bool,
        input: (_ describedBy: String?, _ invalid: String?) -> Node
    ) -> Node {
        let error = errors.message(for: name)
        let ids = [hint == nil ? nil : fieldID(name) + "-hint", error == nil ? nil : fieldID(name) + "-error"]
            .compactMap { $0 }
        return tag("div", .class(error == nil ? "field" : "field has-error")) {
            tag("label", .for(fieldID(name))) {
                label
                if required { tag("span", .class("required")) { " (skal udfyldes)" } }
            }
            if let hint { tag("p", .class("hint"), .id(fieldID(name) + "-hint")) { hint } }
            if let error { tag("p", .class("error"), .id(fieldID(name) + "-error")) { "Fejl: " + error } }
            input(ids.isEmpty ? nil : ids.joined(separator: " "), error == nil ? nil : "true")
        }
    }

    public static func fieldID(_ name: String) -> String {
        "felt-" + (idScope.map { $0 + "-" } ?? "") + name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    /// Set while `scoped` builds a form that a page may show more than once (one per call on the grant case
    /// list): its fields' ids, hints and error links then carry the scope and stay unique on the page.
    @TaskLocal public static var idScope: String?

    /// Builds content whose fields' ids carry `scope` ("felt-<scope>-<name>").
    public static func scoped(_ scope: String, @NodeBuilder _ content: () -> [Node]) -> Node {
        $idScope.withValue(scope) { .fragment(content()) }
    }

    /// A summary of all errors at the top of a form, each linking to its field.
    public static func errorSummary(_ errors: FormErrors) -> Node {
        guard !errors.isEmpty else { return .empty }
        return tag("div", .class("error-summary"), .init("role", "alert"), .init("tabindex", "-1")) {
            tag("h2") { "Formularen kunne ikke gemmes" }
            tag("p") { "Ret følgende, og prøv igen. Intet er gemt." }
            tag("ul") {
                for (field, message) in errors.messages {
                    tag("li") { tag("a", .href("#" + fieldID(field))) { message } }
                }
            }
        }
    }
}
