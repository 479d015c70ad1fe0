import Foundation

/// A question of a report round: data the agency writes, not code.
public struct ReportQuestion: Hashable, Sendable, Codable {
    public var id: String
    public var text: String
    public var required: Bool
    public var maxLength: Int

    public init(id: String, text: String, required: Bool = true, maxLength: Int = 5000) {
        self.id = id
        self.text = text
        self.required = required
        self.maxLength = maxLength
    }

    /// The questions of a status report when staff write none: what the guides ask of a status (000 l. 230,
    /// 003 l. 330): progress, what was adapted, local data, what comes next.
    public static let standard = [
        ReportQuestion(id: "fremdrift", text: "Hvordan går implementeringen? Beskriv fremdriften i perioden."),
        ReportQuestion(id: "tilpasninger", text: "Hvad har I tilpasset, og hvorfor?"),
        ReportQuestion(id: "data", text: "Hvad viser jeres lokale data om implementeringen?", required: false),
        ReportQuestion(id: "naeste", text: "Hvad er de næste skridt?"),
    ]

    /// The final report's questions, where staff write none of their own (the guides' closing: what was
    /// achieved, the citizens' outcomes, what was learnt, how the intervention is anchored).
    public static let finalStandard = [
        ReportQuestion(id: "resultater", text: "Hvad har projektet opnået i hele perioden, set i forhold til målene?"),
        ReportQuestion(id: "borgere", text: "Hvad viser jeres data om borgernes forløb og udbytte?", required: false),
        ReportQuestion(id: "laering", text: "Hvad har I lært, og hvad ville I gøre anderledes?"),
        ReportQuestion(id: "forankring", text: "Hvordan fortsætter indsatsen efter projektperioden?"),
    ]

    /// Questions from a text of one question per line; the id is the line's number.
    public static func parse(lines text: String) -> [ReportQuestion] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .enumerated().map { ReportQuestion(id: "q\($0.offset + 1)", text: $0.element) }
    }
}

/// Where a status report is.
public enum StatusReportStatus: String, CaseIterable, Sendable, Codable {
    case draft
    case submitted
    case approved
    /// The agency asked for more; the municipality edits and submits again.
    case returned

    public var danishName: String {
        switch self {
        case .draft: "Kladde"
        case .submitted: "Indsendt"
        case .approved: "Godkendt"
        case .returned: "Sendt retur – styrelsen ønsker mere"
        }
    }

    /// The municipality may change it.
    public var isEditable: Bool { self == .draft || self == .returned }
    /// It counts as delivered for what is due.
    public var isDelivered: Bool { self == .submitted || self == .approved }
}

/// The rules of a status report.
public enum StatusReportRules {
    /// What is missing or too long before the answers can be submitted, in Danish, each at its question's
    /// id; empty when complete.
    public static func problems(_ answers: [String: String], questions: [ReportQuestion]) -> [ApplicationProblem] {
        var problems: [ApplicationProblem] = []
        for (index, question) in questions.enumerated() {
            let answer = (answers[question.id] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if question.required && answer.isEmpty {
                problems.append(.init(question.id, "Spørgsmål \(index + 1) skal besvares: \(question.text)"))
            }
            if answer.count > question.maxLength {
                problems.append(
                    .init(
                        question.id,
                        "Svaret på spørgsmål \(index + 1) er for langt: \(answer.count) tegn, højst \(question.maxLength)."
                    ))
            }
        }
        return problems
    }

    /// Answers kept for a draft: only the round's questions, each cut to a sane length so that nothing
    /// typed is lost and nothing unbounded is stored.
    public static func draft(_ answers: [String: String], questions: [ReportQuestion]) -> [String: String] {
        var kept: [String: String] = [:]
        for question in questions {
            if let answer = answers[question.id] { kept[question.id] = String(answer.prefix(question.maxLength * 2)) }
        }
        return kept
    }

    /// The receipt number of a submitted report: "SR-" the case's short id, the round's and the version.
    public static func receiptNumber(caseID: UUID, roundID: UUID, version: Int) -> String {
        "SR-\(caseID.uuidString.prefix(8))-\(roundID.uuidString.prefix(4))-\(version)"
    }
}

/// Where a year's accounts are.
public enum AccountsStatus: String, CaseIterable, Sendable, Codable {
    case submitted
    case approved
    case returned

    public var danishName: String {
        switch self {
        case .submitted: "Indsendt"
        case .approved: "Godkendt"
        case .returned: "Sendt retur"
        }
    }
}
