import Foundation

/// The timeline as staff write it in a form: one entry a line, "period: activity; activity", where
/// the period is written as in the allocation documents ("1.-2. kvartal 2022", "4. kvartal 2022-2. kvartal 2025",
/// "3. og 4. kvartal 2025", "1. kvartal 2023 til 3. kvartal 2025").
public enum TimelineText {
    public struct LineError: Error, Equatable, Sendable {
        public var line: Int
        public var text: String
        public var danishMessage: String {
            "Linje \(line) i tidsplanen kan ikke læses: \"\(text)\". Skriv fx \"1.-2. kvartal 2022: Aktivitet; Aktivitet\"."
        }
    }

    public static func format(_ entries: [TimelineEntry]) -> String {
        entries.map { $0.label + ": " + $0.activities.joined(separator: "; ") }.joined(separator: "\n")
    }

    public static func parse(_ text: String) -> Result<[TimelineEntry], LineError> {
        var entries: [TimelineEntry] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty { continue }
            guard let colon = line.firstIndex(of: ":") else { return .failure(LineError(line: index + 1, text: line)) }
            let label = line[..<colon].trimmingWhitespace()
            let activities = line[line.index(after: colon)...].split(separator: ";").map { $0.trimmingWhitespace() }
                .filter { !$0.isEmpty }
            guard let (from, to) = period(label), !activities.isEmpty else {
                return .failure(LineError(line: index + 1, text: line))
            }
            entries.append(TimelineEntry(label: label, from: from, to: to, activities: activities))
        }
        return .success(entries)
    }

    /// The first and last quarter of a period, or nil when it cannot be read or ends before it starts.
    public static func period(_ label: String) -> (Quarter, Quarter)? {
        var text = label.lowercased().replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "–", with: "-")
            .replacingOccurrences(of: " til ", with: "-").replacingOccurrences(of: " og ", with: "-")
        text = text.replacingOccurrences(of: " - ", with: "-").replacingOccurrences(of: ". -", with: ".-")
            .replacingOccurrences(of: "- ", with: "-")
        // Now: "1.-2. kvartal 2022", "1. kvartal 2022", "3. kvartal 2022-3. kvartal 2024".
        let halves = text.components(separatedBy: "kvartal").map { $0.trimmingWhitespace() }
        func quarters(_ text: String) -> [Int]? {
            let parts = text.split(separator: "-").map { $0.trimmingWhitespace() }
            let numbers = parts.map { $0.hasSuffix(".") ? Int($0.dropLast()) : nil }
            guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) else { return nil }
            return numbers.compactMap { $0 }
        }
        switch halves.count {
        case 2:
            // "1.-2." | "2022"
            guard let qs = quarters(halves[0]), qs.count <= 2, let year = Int(halves[1]),
                let from = Quarter(year: year, quarter: qs[0]), let to = Quarter(year: year, quarter: qs.last!)
            else { return nil }
            return from <= to ? (from, to) : nil
        case 3:
            // "3." | "2022-3." | "2024"
            let middle = halves[1].split(separator: "-").map { $0.trimmingWhitespace() }
            guard let q1 = quarters(halves[0]), q1.count == 1, middle.count == 2, let year1 = Int(middle[0]),
                let q2 = quarters(middle[1]), q2.count == 1, let year2 = Int(halves[2]),
                let from = Quarter(year: year1, quarter: q1[0]), let to = Quarter(year: year2, quarter: q2[0])
            else { return nil }
            return from <= to ? (from, to) : nil
        default:
            return nil
        }
    }
}
