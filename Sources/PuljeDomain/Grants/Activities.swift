import Foundation

/// The kinds of activity the implementation support holds with the municipalities of a call (`domain.md`,
/// "Implementation support and partnership").
public enum ActivityKind: String, CaseIterable, Codable, Sendable {
    case crossMunicipalStartUp
    case localStartUp
    case competenceDay
    case networkMeeting
    case statusMeeting
    case learningLoopGathering
    case leaderWorkshop
    case closingWorkshop

    public var danishName: String {
        switch self {
        case .crossMunicipalStartUp: "Tværkommunalt opstartsmøde"
        case .localStartUp: "Lokalt opstartsmøde"
        case .competenceDay: "Kompetenceudviklingsdag"
        case .networkMeeting: "Netværksmøde"
        case .statusMeeting: "Statusmøde"
        case .learningLoopGathering: "Erfaringsopsamling i læringsloop"
        case .leaderWorkshop: "Lederworkshop"
        case .closingWorkshop: "Afslutningsworkshop"
        }
    }
}

/// An activity as staff schedule it for a call's municipalities: when (in Danish time), where (a place or a
/// link), whether attendance is an obligation, and which of the call's team roles must attend.
public struct ActivityPlan: Hashable, Sendable {
    public var kind: ActivityKind
    public var title: String
    public var startsAt: Date
    public var endsAt: Date
    public var place: String
    public var mandatory: Bool
    public var requiredRoleIDs: [String]

    public init(
        kind: ActivityKind, title: String, startsAt: Date, endsAt: Date, place: String, mandatory: Bool,
        requiredRoleIDs: [String]
    ) {
        self.kind = kind
        self.title = title
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.place = place
        self.mandatory = mandatory
        self.requiredRoleIDs = requiredRoleIDs
    }
}

/// The rules of activities: what a plan must hold, when municipalities register and staff record attendance,
/// and whether a municipality met its obligations.
public enum ActivityRules {
    public static let maximumTitle = 200
    public static let maximumPlace = 500

    /// The plan as typed, or each problem by its field ("kind", "title", "date", "start", "end", "place",
    /// "roles"), in Danish. Times are wall-clock times in Denmark on the given date.
    public static func plan(
        kind typedKind: String, title: String, date typedDate: String, start typedStart: String,
        end typedEnd: String, place: String, mandatory: Bool, roleIDs: [String], terms: GrantTerms
    ) -> Result<ActivityPlan, ActivityProblems> {
        var problems = ActivityProblems()
        let kind = ActivityKind(rawValue: typedKind)
        if kind == nil { problems.add("kind", "Vælg, hvilken slags aktivitet det er.") }
        if title.isEmpty { problems.add("title", "Giv aktiviteten en titel.") }
        if title.count > maximumTitle { problems.add("title", "Titlen må højst være \(maximumTitle) tegn.") }
        if place.isEmpty { problems.add("place", "Skriv stedet eller linket til det virtuelle møde.") }
        if place.count > maximumPlace { problems.add("place", "Stedet må højst være \(maximumPlace) tegn.") }
        let date = CalendarDate(parsing: typedDate)
        let start = ClockTime(parsing: typedStart)
        let end = ClockTime(parsing: typedEnd)
        if date == nil { problems.add("date", "Skriv datoen, fx 2027-03-01.") }
        if start == nil { problems.add("start", "Skriv, hvornår aktiviteten begynder, fx 9.30.") }
        if end == nil { problems.add("end", "Skriv, hvornår aktiviteten slutter, fx 15.00.") }
        let known = Set(terms.teamRoles.map(\.id))
        if roleIDs.contains(where: { !known.contains($0) }) {
            problems.add("roles", "Vælg kun blandt puljens roller.")
        }
        var startsAt: Date?
        var endsAt: Date?
        if let date, let start, let end {
            startsAt =
                Deadline(year: date.year, month: date.month, day: date.day, hour: start.hour, minute: start.minute)?
                .instant
            endsAt =
                Deadline(year: date.year, month: date.month, day: date.day, hour: end.hour, minute: end.minute)?
                .instant
            if startsAt == nil { problems.add("date", "Datoen findes ikke.") }
            if let startsAt, let endsAt, endsAt <= startsAt {
                problems.add("end", "Aktiviteten skal slutte, efter den er begyndt.")
            }
        }
        guard problems.isEmpty, let kind, let startsAt, let endsAt else { return .failure(problems) }
        return .success(
            ActivityPlan(
                kind: kind, title: title, startsAt: startsAt, endsAt: endsAt, place: place, mandatory: mandatory,
                requiredRoleIDs: terms.teamRoles.map(\.id).filter { roleIDs.contains($0) }))
    }

    /// Why a municipality can no longer register or withdraw someone; nil while it can (until the start).
    public static func registrationProblem(startsAt: Date, at now: Date) -> String? {
        now < startsAt ? nil : "Aktiviteten er begyndt; tilmeldingen er lukket."
    }

    /// Why staff cannot record attendance yet; nil once the activity has begun.
    public static func attendanceProblem(startsAt: Date, at now: Date) -> String? {
        now >= startsAt ? nil : "Fremmøde registreres, når aktiviteten er begyndt."
    }

    /// The required roles no registered participant holds.
    public static func missingRoles(_ required: [TeamRole], registered roleIDs: [String]) -> [TeamRole] {
        let held = Set(roleIDs)
        return required.filter { !held.contains($0.id) }
    }
}

/// Problems of a form, each at its field, in Danish.
public struct ActivityProblems: Error, Hashable, Sendable {
    public private(set) var messages: [ApplicationProblem] = []
    public init() {}
    public var isEmpty: Bool { messages.isEmpty }
    public mutating func add(_ field: String, _ message: String) { messages.append(ApplicationProblem(field, message)) }
}

/// How a municipality stands against its obligations to attend: the mandatory activities that have been
/// held, and those it attended (someone of its people was recorded as present).
public struct AttendanceObligations: Hashable, Sendable {
    /// A held mandatory activity and whether the municipality attended (nil: attendance not recorded yet).
    public struct Item: Hashable, Sendable {
        public var title: String
        public var startsAt: Date
        public var attended: Bool?

        public init(title: String, startsAt: Date, attended: Bool?) {
            self.title = title
            self.startsAt = startsAt
            self.attended = attended
        }
    }

    public var items: [Item]

    public init(items: [Item]) { self.items = items }

    /// Whether a municipality attended a held activity, from what was recorded for each of its registered
    /// people: yes if anyone attended; no if nobody was registered or everyone was recorded absent; nil while
    /// attendance is not recorded yet.
    public static func attended(_ recorded: [Bool?]) -> Bool? {
        if recorded.isEmpty { return false }
        if recorded.contains(true) { return true }
        return recorded.contains(nil) ? nil : false
    }

    /// The obligations of a case: every mandatory activity begun by `now`, and whether the case attended.
    public static func of(
        _ activities: [(title: String, startsAt: Date, mandatory: Bool, recorded: [Bool?])], at now: Date
    ) -> AttendanceObligations {
        AttendanceObligations(
            items: activities.filter { $0.mandatory && $0.startsAt <= now }.map {
                Item(title: $0.title, startsAt: $0.startsAt, attended: attended($0.recorded))
            })
    }

    public var held: Int { items.count }
    public var attended: Int { items.filter { $0.attended == true }.count }
    public var missed: [Item] { items.filter { $0.attended == false } }

    /// "Deltaget i 3 af 4 obligatoriske aktiviteter."
    public var danishSummary: String {
        "Deltaget i \(attended) af \(held) obligatoriske aktiviteter."
    }
}

/// A calendar file (RFC 5545) with one event, for an activity or a deadline: lines folded at 75 octets,
/// never inside a character, and text escaped.
public enum ICSCalendar {
    public static func event(
        uid: String, stamp: Date, start: Date, end: Date, summary: String, description: String,
        location: String? = nil, alarm: String? = nil, product: String
    ) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Pulje//\(product)//DA", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "BEGIN:VEVENT", "UID:\(uid)@pulje", "DTSTAMP:\(utc(stamp))", "DTSTART:\(utc(start))",
            "DTEND:\(utc(end))", fold("SUMMARY:" + escape(summary)), fold("DESCRIPTION:" + escape(description)),
        ]
        if let location, !location.isEmpty { lines.append(fold("LOCATION:" + escape(location))) }
        if let alarm {
            lines += [
                "BEGIN:VALARM", "TRIGGER:-P1D", "ACTION:DISPLAY", fold("DESCRIPTION:" + escape(alarm)), "END:VALARM",
            ]
        }
        lines += ["END:VEVENT", "END:VCALENDAR"]
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    public static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0,
            c.second ?? 0)
    }

    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\r\n", with: "\\n")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\n")
    }

    /// Lines longer than 75 octets are folded (RFC 5545 § 3.1), never inside a UTF-8 character.
    public static func fold(_ line: String) -> String {
        var out = ""
        var current = 0
        for character in line {
            let size = String(character).utf8.count
            if current + size > 75 {
                out += "\r\n "
                current = 1
            }
            out.append(character)
            current += size
        }
        return out
    }
}
