import Foundation

/// How the staff list of applications is ordered. Each order is a keyset: a column and the id, so a page
/// continues after the last row of the one before without counting past rows (flat at any depth).
public enum ApplicationListSort: String, CaseIterable, Sendable {
    /// Newest submission first.
    case submitted = "indsendt"
    /// By municipality (organisation name), A to Å.
    case organisation = "kommune"
    /// By call title, A to Å.
    case call = "pulje"

    public var danishName: String {
        switch self {
        case .submitted: "Senest indsendt først"
        case .organisation: "Ansøger (A–Å)"
        case .call: "Pulje (A–Å)"
        }
    }
}

/// Where a page of a keyset list continues: the sort value and the id of the last row shown. As a token in
/// a link it is `<base64url(value)>.<id>`; anything else is not a cursor.
public struct ListCursor: Hashable, Sendable {
    public var value: String
    public var id: UUID

    public init(value: String, id: UUID) {
        self.value = value
        self.id = id
    }

    public var token: String {
        Data(value.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "") + "." + id.uuidString
    }

    public init?(token: String) {
        guard token.count <= 600 else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let id = UUID(uuidString: String(parts[1])),
            parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        var base64 = parts[0].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let value = String(data: data, encoding: .utf8),
            !value.contains("\0")
        else { return nil }
        self.init(value: value, id: id)
    }

    /// A time as a cursor value: the exact seconds since 1970, as Swift writes a Double.
    public init(seconds: Double, id: UUID) { self.init(value: "\(seconds)", id: id) }

    public init(time: Date, id: UUID) { self.init(seconds: time.timeIntervalSince1970, id: id) }

    /// A submission time as a cursor value.
    public init(submittedAt: Date, id: UUID) { self.init(time: submittedAt, id: id) }

    /// An applicant as a cursor value: the name, a line break and the organisation's id.
    public init(organisation name: String, organisationID: UUID, id: UUID) {
        self.init(value: name + "\n" + organisationID.uuidString, id: id)
    }

    public var organisation: (name: String, id: UUID)? {
        guard let cut = value.lastIndex(of: "\n"), let id = UUID(uuidString: String(value[value.index(after: cut)...]))
        else { return nil }
        return (String(value[..<cut]), id)
    }

    /// The seconds since 1970 of a time cursor; nil for any other value (or one out of range).
    public var seconds: Double? {
        guard let seconds = Double(value), seconds.isFinite, abs(seconds) < 1e11 else { return nil }
        return seconds
    }

    /// The time of a time cursor; nil for any other value (or one out of range).
    public var time: Date? { seconds.map(Date.init(timeIntervalSince1970:)) }

    public var submittedAt: Date? { time }
}

/// How Mine sager orders an organisation's applications; each order is a keyset of a time and the id.
public enum MyApplicationsSort: String, CaseIterable, Sendable {
    /// The application begun most recently first.
    case created = "oprettet"
    /// The application saved most recently first: the one being worked on.
    case saved = "gemt"

    public var danishName: String {
        switch self {
        case .created: "Senest oprettet først"
        case .saved: "Senest gemt først"
        }
    }
}

/// Mine sager, an applicant organisation's own lists: its grant cases and its applications (drafts too,
/// filtered by status and searched by project, call or journal number), newest first. Each continues after the last row shown (keyset), so an
/// organisation with years of applications gets pages as fast as one with a few.
public struct MyCasesQuery: Hashable, Sendable {
    public static let applicationsPageSize = 50
    public static let grantCasesPageSize = 20

    public var sort: MyApplicationsSort = .created
    public var status: ApplicationStatus?
    /// Part of the project's title or of the call's title, or a whole journal number ("UIP-2026-7K3M9QXA").
    public var text = ""
    /// The last application shown: its time in the order (created or last saved) and id.
    public var after: ListCursor?
    /// The last grant case shown: when it was opened, and its id.
    public var grantCasesAfter: ListCursor?

    public init() {}

    /// Reads the query string; what cannot be read is left out (the first page, unfiltered).
    public init(parameters: [String: String]) {
        sort = parameters["sortering"].flatMap(MyApplicationsSort.init(rawValue:)) ?? .created
        status = parameters["status"].flatMap(ApplicationStatus.init(rawValue:))
        text = ApplicationListQuery.searchText(parameters["q"])
        after = parameters["efter"].flatMap(ListCursor.init(token:)).flatMap { $0.time == nil ? nil : $0 }
        grantCasesAfter = parameters["sager-efter"].flatMap(ListCursor.init(token:)).flatMap {
            $0.time == nil ? nil : $0
        }
    }

    /// The query string with the order, the filters and the cursors given.
    public func parameters(after: ListCursor? = nil, grantCasesAfter: ListCursor? = nil) -> [(String, String)] {
        var out: [(String, String)] = []
        if sort != .created { out.append(("sortering", sort.rawValue)) }
        if let status { out.append(("status", status.rawValue)) }
        if !text.isEmpty { out.append(("q", text)) }
        if let after { out.append(("efter", after.token)) }
        if let grantCasesAfter { out.append(("sager-efter", grantCasesAfter.token)) }
        return out
    }
}

/// The staff list of submitted applications across calls: filters, order, search and the page to show.
public struct ApplicationListQuery: Hashable, Sendable {
    public static let pageSize = 50
    public static let maximumSearch = 100

    public var sort: ApplicationListSort = .submitted
    public var callID: UUID?
    public var organisationID: UUID?
    public var status: ApplicationStatus?
    /// Part of the applicant's name, or a whole submission number ("UIP-2026-7K3M9QXA").
    public var text = ""
    public var after: ListCursor?

    public init() {}

    /// Reads the list's query string; a value that cannot be read is left out (the list shows unfiltered
    /// rather than failing), and so is a cursor of another order than the one asked for.
    public init(parameters: [String: String]) {
        sort = parameters["sortering"].flatMap(ApplicationListSort.init(rawValue:)) ?? .submitted
        callID = parameters["pulje"].flatMap(UUID.init(uuidString:))
        organisationID = parameters["ansoeger"].flatMap(UUID.init(uuidString:))
        status = parameters["status"].flatMap(ApplicationStatus.init(rawValue:)).flatMap { $0 == .draft ? nil : $0 }
        text = ApplicationListQuery.searchText(parameters["q"])
        after = parameters["efter"].flatMap(ListCursor.init(token:))
        if sort == .submitted, after?.submittedAt == nil { after = nil }
        if sort == .organisation, after?.organisation == nil { after = nil }
    }

    /// The query string of this list (without the cursor unless asked), for links that keep the filters.
    public func parameters(after cursor: ListCursor? = nil) -> [(String, String)] {
        var out: [(String, String)] = []
        if sort != .submitted { out.append(("sortering", sort.rawValue)) }
        if let callID { out.append(("pulje", callID.uuidString.lowercased())) }
        if let organisationID { out.append(("ansoeger", organisationID.uuidString.lowercased())) }
        if let status { out.append(("status", status.rawValue)) }
        if !text.isEmpty { out.append(("q", text)) }
        if let cursor { out.append(("efter", cursor.token)) }
        return out
    }

    /// A search as typed into a list's field: one line without NUL, trimmed, at most `maximumSearch` long.
    public static func searchText(_ typed: String?) -> String {
        String(
            (typed ?? "").filter { !$0.isNewline && $0 != "\0" }.trimmingWhitespace().prefix(maximumSearch))
    }

    /// Whether the search text is a whole submission number, found by its unique index.
    public var searchesSubmissionNumber: Bool { Self.isSubmissionNumber(text) }

    /// Whether a search text is a whole submission number ("UIP-2026-7K3M9QXA").
    public static func isSubmissionNumber(_ text: String) -> Bool {
        text.uppercased().hasPrefix("UIP-") && text.count == 17
    }
}
