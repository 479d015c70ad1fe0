import Foundation

/// How the list of grant cases is ordered. Each order is a keyset (the sort keys and the case's id), so a
/// page continues after the last row of the one before without counting past rows.
public enum GrantCaseListSort: String, CaseIterable, Sendable {
    /// By call title, then recipient, A to Å.
    case call = "pulje"
    /// By recipient, then call title, A to Å.
    case recipient = "modtager"
    /// The case opened most recently first.
    case opened = "aabnet"

    public var danishName: String {
        switch self {
        case .call: "Pulje (A–Å)"
        case .recipient: "Modtager (A–Å)"
        case .opened: "Senest åbnet først"
        }
    }
}

/// The list of grant cases (all of them for the agency, its own for a municipality): a status, part of the
/// recipient's name, the order and the page to show.
public struct GrantCaseListQuery: Hashable, Sendable {
    public static let pageSize = 50

    public var sort: GrantCaseListSort = .call
    public var status: GrantCaseStatus?
    /// Part of the recipient's name.
    public var text = ""
    public var after: ListCursor?

    public init() {}

    /// Reads the list's query string; a value that cannot be read is left out (the list shows unfiltered
    /// rather than failing), and so is a cursor of another order than the one asked for.
    public init(parameters: [String: String]) {
        sort = parameters["sortering"].flatMap(GrantCaseListSort.init(rawValue:)) ?? .call
        status = parameters["status"].flatMap(GrantCaseStatus.init(rawValue:))
        text = ApplicationListQuery.searchText(parameters["q"])
        after = parameters["efter"].flatMap(ListCursor.init(token:)).flatMap {
            Self.keys(of: $0, in: sort) == nil ? nil : $0
        }
    }

    /// The query string of this list (without the cursor unless given), for links that keep the filters.
    public func parameters(after cursor: ListCursor? = nil) -> [(String, String)] {
        var out: [(String, String)] = []
        if sort != .call { out.append(("sortering", sort.rawValue)) }
        if let status { out.append(("status", status.rawValue)) }
        if !text.isEmpty { out.append(("q", text)) }
        if let cursor { out.append(("efter", cursor.token)) }
        return out
    }

    /// The same list from its first page.
    public var firstPage: Self {
        var first = self
        first.after = nil
        return first
    }

    /// The same filters in another order, from its first page.
    public func ordered(by sort: GrantCaseListSort) -> Self {
        var other = firstPage
        other.sort = sort
        return other
    }

    /// Whether anything narrows the list (the order does not).
    public var isFiltered: Bool { status != nil || !text.isEmpty }

    /// The keys a row continues after, in the order's own terms.
    public enum Keys: Equatable, Sendable {
        /// The first and second title of the order (call and recipient, or recipient and call).
        case titles(String, String)
        /// When the case was opened, as exact seconds since 1970.
        case opened(Double)
    }

    /// The cursor after a row: its call title, recipient and opening time, as the order needs them.
    public static func cursor(
        after id: UUID, call: String, recipient: String, openedSeconds: Double, in sort: GrantCaseListSort
    ) -> ListCursor {
        switch sort {
        case .call: titlesCursor(call, recipient, id)
        case .recipient: titlesCursor(recipient, call, id)
        case .opened: ListCursor(seconds: openedSeconds, id: id)
        }
    }

    /// The keys of a cursor in an order; nil when the cursor is not one of that order.
    public static func keys(of cursor: ListCursor, in sort: GrantCaseListSort) -> Keys? {
        switch sort {
        case .call, .recipient:
            guard let pair = try? JSONDecoder().decode([String].self, from: Data(cursor.value.utf8)), pair.count == 2
            else { return nil }
            return .titles(pair[0], pair[1])
        case .opened:
            return cursor.seconds.map(Keys.opened)
        }
    }

    private static func titlesCursor(_ first: String, _ second: String, _ id: UUID) -> ListCursor {
        let value = (try? JSONEncoder().encode([first, second])).map { String(decoding: $0, as: UTF8.self) }
        return ListCursor(value: value ?? "", id: id)
    }
}
