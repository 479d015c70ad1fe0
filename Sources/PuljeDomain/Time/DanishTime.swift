import Foundation

/// Wall-clock time in Denmark. Deadlines and everything users read are in Europe/Copenhagen,
/// whatever the server's own time zone is.
public enum DanishTime {
    public static let timeZone = TimeZone(identifier: "Europe/Copenhagen")!

    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.locale = Locale(identifier: "da_DK")
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4  // ISO 8601 weeks, as "uge 51" means in Denmark
        return calendar
    }()

    static let monthNames = [
        "januar", "februar", "marts", "april", "maj", "juni",
        "juli", "august", "september", "oktober", "november", "december",
    ]
    static let weekdayNames = ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"]

    /// "7. december 2023"
    public static func date(_ instant: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        return "\(c.day!). \(monthNames[c.month! - 1]) \(c.year!)"
    }

    /// "7. december 2023 kl. 12.00"
    public static func dateTime(_ instant: Date) -> String {
        date(instant) + " kl. " + time(instant)
    }

    /// "7. december 2023 kl. 12.00.05", for receipts and audit entries where the second matters.
    public static func dateTimeWithSeconds(_ instant: Date) -> String {
        let c = calendar.dateComponents([.second], from: instant)
        return dateTime(instant) + "." + twoDigits(c.second!)
    }

    /// "torsdag den 7. december 2023 kl. 12.00"
    public static func weekdayDateTime(_ instant: Date) -> String {
        weekdayDate(instant) + " kl. " + time(instant)
    }

    /// "torsdag den 7. december 2023"
    public static func weekdayDate(_ instant: Date) -> String {
        let weekday = calendar.component(.weekday, from: instant)
        return weekdayNames[weekday - 1] + " den " + date(instant)
    }

    /// "12.00"
    public static func time(_ instant: Date) -> String {
        let c = calendar.dateComponents([.hour, .minute], from: instant)
        return twoDigits(c.hour!) + "." + twoDigits(c.minute!)
    }

    /// The instant at which the clocks in Denmark show the given wall-clock time.
    /// Returns nil for a time that does not exist (the skipped hour in spring).
    public static func instant(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int = 0) -> Date? {
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard back.year == year, back.month == month, back.day == day, back.hour == hour, back.minute == minute,
            back.second == second
        else { return nil }
        return date
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
