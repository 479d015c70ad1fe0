import Foundation

/// A day in the Danish calendar, such as a project period's first day: no time of day, no time zone.
/// The one parser of dates users type: "15.12.2026" (as Danes write it) and "2026-12-15" (ISO 8601).
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Years outside this range are typing errors in a programme that runs for a few years at a time.
    public static let years = 1900...2200

    /// The date, or nil when no such day exists or the year is out of range.
    public init?(year: Int, month: Int, day: Int) {
        guard Self.years.contains(year), (1...12).contains(month), (1...31).contains(day),
            DanishTime.instant(year: year, month: month, day: day, hour: 12, minute: 0) != nil
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads "15.12.2026", "15/12/2026", "15-12-2026" or "2026-12-15", with or without leading zeros.
    /// Nil for anything else: a sign, a missing part, letters, a day that does not exist.
    public init?(parsing input: String) {
        let text = input.trimmingWhitespace()
        guard !text.isEmpty, text.count <= 10,
            text.allSatisfy({ $0.isASCIIDigit || $0 == "-" || $0 == "." || $0 == "/" })
        else { return nil }
        let parts = text.split(
            separator: text.contains(".") ? "." : text.contains("/") ? "/" : "-",
            omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else {
            return nil
        }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == 3 else { return nil }
        if parts[0].count == 4 {
            self.init(year: numbers[0], month: numbers[1], day: numbers[2])
        } else if parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2 {
            self.init(year: numbers[2], month: numbers[1], day: numbers[0])
        } else {
            return nil
        }
    }

    /// "2026-12-15", the form dates are stored in.
    public var iso: String {
        String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year) + "-"
            + (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day)
    }

    public var description: String { iso }

    /// "15. december 2026"
    public var danishText: String { "\(day). \(DanishTime.monthNames[month - 1]) \(year)" }

    /// "15.12.2026"
    public var danishShort: String { "\(day < 10 ? "0" : "")\(day).\(month < 10 ? "0" : "")\(month).\(year)" }

    /// A stored date ("2026-12-15") as Danes read it ("15. december 2026"); other text as it is.
    public static func danishText(ofStored text: String) -> String {
        CalendarDate(parsing: text)?.danishText ?? text
    }

    /// A date by which something is due, read as the whole day in Danish time: "15. december 2026 kl. 23.59".
    public static func dueText(ofStored text: String) -> String {
        guard let date = CalendarDate(parsing: text) else { return text }
        return date.danishText + " kl. 23.59"
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// A wall-clock time of day as users type it: "12.00" (Danish) or "12:00".
public struct ClockTime: Hashable, Sendable {
    public let hour: Int
    public let minute: Int

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    public init?(parsing input: String) {
        let text = input.trimmingWhitespace()
        let parts = text.split(separator: text.contains(":") ? ":" : ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCIIDigit) }),
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    /// "12.00"
    public var danishText: String { "\(hour < 10 ? "0" : "")\(hour).\(minute < 10 ? "0" : "")\(minute)" }
}

extension CalendarDate {
    /// The date `days` days later (or earlier, when negative).
    public func adding(days: Int) -> CalendarDate {
        guard let noon = DanishTime.instant(year: year, month: month, day: day, hour: 12, minute: 0),
            let moved = DanishTime.calendar.date(byAdding: .day, value: days, to: noon)
        else { return self }
        let parts = DanishTime.calendar.dateComponents([.year, .month, .day], from: moved)
        return CalendarDate(year: parts.year ?? year, month: parts.month ?? month, day: parts.day ?? day) ?? self
    }

    /// The Danish calendar date of an instant.
    public static func of(_ instant: Date) -> CalendarDate {
        let parts = DanishTime.calendar.dateComponents([.year, .month, .day], from: instant)
        return CalendarDate(year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? CalendarDate(year: 2000, month: 1, day: 1)!
    }
}
