import Foundation

/// A deadline as the guides state it: a wall-clock time in Denmark, "7. december 2023 kl. 12.00".
/// The server's clock decides; a submission at the deadline instant or later is too late.
public struct Deadline: Hashable, Sendable, Codable {
    public let instant: Date

    public init(instant: Date) { self.instant = instant }

    /// The deadline at the given Danish wall-clock time; nil for a time that does not exist.
    public init?(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        guard let instant = DanishTime.instant(year: year, month: month, day: day, hour: hour, minute: minute) else {
            return nil
        }
        self.instant = instant
    }

    /// Whether something arriving at `now` is in time: strictly before the deadline.
    public func isOpen(at now: Date) -> Bool { now < instant }

    /// "torsdag den 7. december 2023 kl. 12.00". A deadline at midnight is the end of the day before, and
    /// says so: "tirsdag den 25. oktober 2022 – hele dagen, til midnat" (003: "efter denne dato…").
    public var danishText: String {
        guard let lastDay = lastWholeDay else { return DanishTime.weekdayDateTime(instant) }
        return DanishTime.weekdayDate(lastDay) + " – hele dagen, til midnat"
    }

    /// Without the weekday, for lists: "7. december 2023 kl. 12.00", "25. oktober 2022, hele dagen".
    public var shortDanishText: String {
        guard let lastDay = lastWholeDay else { return DanishTime.dateTime(instant) }
        return DanishTime.date(lastDay) + ", hele dagen"
    }

    /// For a deadline at midnight, the day it ends; nil for one at another time of day.
    private var lastWholeDay: Date? {
        let c = DanishTime.calendar.dateComponents([.hour, .minute, .second], from: instant)
        guard c.hour == 0, c.minute == 0, c.second == 0 else { return nil }
        return DanishTime.calendar.date(byAdding: .day, value: -1, to: instant)
    }

    /// A deadline that lets the whole of a Danish calendar day be used: midnight at its end.
    public static func endOfDay(year: Int, month: Int, day: Int) -> Deadline? {
        guard let start = DanishTime.instant(year: year, month: month, day: day, hour: 0, minute: 0),
            let next = DanishTime.calendar.date(byAdding: .day, value: 1, to: start)
        else { return nil }
        return Deadline(instant: next)
    }

    /// "3 dage og 4 timer", "2 timer og 5 minutter", "under 1 minut"; nil when the deadline has passed.
    public func danishTimeLeft(at now: Date) -> String? {
        guard isOpen(at: now) else { return nil }
        let seconds = Int(instant.timeIntervalSince(now))
        let days = seconds / 86_400
        let hours = (seconds % 86_400) / 3_600
        let minutes = (seconds % 3_600) / 60
        func unit(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        if days > 0 {
            return hours > 0
                ? unit(days, "dag", "dage") + " og " + unit(hours, "time", "timer") : unit(days, "dag", "dage")
        }
        if hours > 0 {
            return minutes > 0
                ? unit(hours, "time", "timer") + " og " + unit(minutes, "minut", "minutter")
                : unit(hours, "time", "timer")
        }
        return minutes > 0 ? unit(minutes, "minut", "minutter") : "under 1 minut"
    }
}

/// An ISO 8601 week, as Danish guides promise answers: "uge 51 2023".
public struct ISOWeek: Hashable, Sendable, Codable {
    public var year: Int
    public var week: Int

    public init?(year: Int, week: Int) {
        guard (1...53).contains(week), (1900...2200).contains(year) else { return nil }
        var components = DateComponents()
        components.yearForWeekOfYear = year
        components.weekOfYear = week
        components.weekday = 2
        guard let monday = DanishTime.calendar.date(from: components),
            DanishTime.calendar.component(.weekOfYear, from: monday) == week
        else { return nil }
        self.year = year
        self.week = week
    }

    /// The week an instant falls in, in Danish time.
    public init(containing instant: Date) {
        let c = DanishTime.calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: instant)
        self.year = c.yearForWeekOfYear!
        self.week = c.weekOfYear!
    }

    /// Monday 00.00 of the week, Danish time.
    public var monday: Date {
        var components = DateComponents()
        components.yearForWeekOfYear = year
        components.weekOfYear = week
        components.weekday = 2
        return DanishTime.calendar.date(from: components)!
    }

    public var danishText: String { "uge \(week) \(year)" }
}
