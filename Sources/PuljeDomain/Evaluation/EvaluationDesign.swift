import Foundation

/// What an evaluation collects about each citizen: the instruments at each measurement point, the
/// implementation and cost data, and what is derived from the CPR number or asked at enrolment.
public struct EvaluationDesign: Hashable, Sendable, Codable {
    public var points: [MeasurementPoint]
    /// Numbers recorded per citizen at each measurement point after the baseline: implementation data
    /// (sessions held, hours) and cost data (kroner).
    public var fields: [DataField]
    public var deriveBirthYear: Bool
    public var deriveSex: Bool
    public var requiresConsent: Bool

    public init(
        points: [MeasurementPoint], fields: [DataField] = [], deriveBirthYear: Bool = false, deriveSex: Bool = false,
        requiresConsent: Bool = false
    ) {
        self.points = points
        self.fields = fields
        self.deriveBirthYear = deriveBirthYear
        self.deriveSex = deriveSex
        self.requiresConsent = requiresConsent
    }

    public func point(_ key: String) -> MeasurementPoint? { points.first { $0.key == key } }

    /// The limits of a design.
    public enum Limits {
        public static let points = 1...12
        public static let fields = 0...30
        public static let months = 0...120
        public static let windowDays = 0...366
    }

    /// Everything wrong with the design, given the instruments that exist (key → latest version).
    public func problems(instruments: Set<String>) -> [InstrumentProblem] {
        var problems: [InstrumentProblem] = []
        if !Limits.points.contains(points.count) {
            problems.append(.init("points", "Designet skal have mellem 1 og 12 målepunkter."))
        }
        var keys: Set<String> = []
        var previousMonths = -1
        for (index, point) in points.enumerated() {
            if !Instrument.isValidKey(point.key) {
                problems.append(
                    .init(
                        "points.\(index).key",
                        "Målepunktets nøgle skal være små bogstaver, tal eller bindestreger, fx 6mdr."))
            } else if !keys.insert(point.key).inserted {
                problems.append(.init("points.\(index).key", "To målepunkter har nøglen \"\(point.key)\"."))
            }
            if point.name.trimmingCharacters(in: .whitespaces).isEmpty || point.name.count > 200 {
                problems.append(.init("points.\(index).name", "Giv målepunktet et navn på højst 200 tegn."))
            }
            if !Limits.months.contains(point.monthsAfterBaseline) {
                problems.append(.init("points.\(index).monthsAfterBaseline", "Måneder efter baseline skal være 0–120."))
            } else if point.monthsAfterBaseline <= previousMonths {
                problems.append(
                    .init(
                        "points.\(index).monthsAfterBaseline",
                        "Målepunkterne skal stå i tidsorden, hvert efter det forrige."))
            }
            previousMonths = point.monthsAfterBaseline
            if !Limits.windowDays.contains(point.windowDays) {
                problems.append(.init("points.\(index).windowDays", "Vinduet skal være 0–366 dage."))
            }
            for key in point.instruments where !instruments.contains(key) {
                problems.append(.init("points.\(index).instruments", "Instrumentet \"\(key)\" findes ikke."))
            }
            if Set(point.instruments).count != point.instruments.count {
                problems.append(
                    .init("points.\(index).instruments", "Et instrument står to gange ved samme målepunkt."))
            }
        }
        if let first = points.first, first.monthsAfterBaseline != 0 {
            problems.append(.init("points.0.monthsAfterBaseline", "Det første målepunkt er baseline: 0 måneder."))
        }
        if !Limits.fields.contains(fields.count) {
            problems.append(
                .init("fields", "Designet kan højst have 30 felter til implementerings- og omkostningsdata."))
        }
        var fieldKeys: Set<String> = []
        for (index, field) in fields.enumerated() {
            if !Instrument.isValidKey(field.key) {
                problems.append(
                    .init("fields.\(index).key", "Feltets nøgle skal være små bogstaver, tal eller bindestreger."))
            } else if !fieldKeys.insert(field.key).inserted {
                problems.append(.init("fields.\(index).key", "To felter har nøglen \"\(field.key)\"."))
            }
            if field.label.trimmingCharacters(in: .whitespaces).isEmpty || field.label.count > 200 {
                problems.append(.init("fields.\(index).label", "Giv feltet en tekst på højst 200 tegn."))
            }
        }
        return problems
    }
}

/// A measurement point: baseline (0 months) and follow-ups, each open in a window around its date.
public struct MeasurementPoint: Hashable, Sendable, Codable {
    public var key: String
    public var name: String
    public var monthsAfterBaseline: Int
    /// Days before and after the point's date in which the measurement counts.
    public var windowDays: Int
    /// The keys of the instruments given at this point.
    public var instruments: [String]

    public init(key: String, name: String, monthsAfterBaseline: Int, windowDays: Int, instruments: [String]) {
        self.key = key
        self.name = name
        self.monthsAfterBaseline = monthsAfterBaseline
        self.windowDays = windowDays
        self.instruments = instruments
    }

    public enum Due: Equatable, Sendable {
        /// The baseline: measured at enrolment.
        case atEnrolment
        case notYet(opens: CalendarDate)
        case open(closes: CalendarDate)
        case closed(closedOn: CalendarDate)

        public var danishText: String {
            switch self {
            case .atEnrolment: "Ved indskrivning"
            case .notYet(let opens): "Åbner \(opens.danishText)"
            case .open(let closes): "Åben til og med \(closes.danishText)"
            case .closed(let closed): "Vinduet lukkede \(closed.danishText)"
            }
        }
    }

    /// The point's date for a citizen whose baseline was on `baseline`: the same day of the month so many
    /// months later (the month's last day where it is shorter).
    public func date(baseline: CalendarDate) -> CalendarDate {
        let total = baseline.year * 12 + (baseline.month - 1) + monthsAfterBaseline
        let year = total / 12
        let month = total % 12 + 1
        var day = baseline.day
        while day > 28, CalendarDate(year: year, month: month, day: day) == nil { day -= 1 }
        return CalendarDate(year: year, month: month, day: day) ?? baseline
    }

    /// Where the point stands on `today` for a citizen with the baseline on `baseline`.
    public func due(baseline: CalendarDate, today: CalendarDate) -> Due {
        if monthsAfterBaseline == 0 { return .atEnrolment }
        let date = date(baseline: baseline)
        let opens = date.adding(days: -windowDays)
        let closes = date.adding(days: windowDays)
        if today < opens { return .notYet(opens: opens) }
        if today <= closes { return .open(closes: closes) }
        return .closed(closedOn: closes)
    }
}

/// A number recorded per citizen and measurement point.
public struct DataField: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// Implementation data counted, e.g. sessions held.
        case count
        /// Implementation data in hours, with decimals, e.g. hours per citizen.
        case hours
        /// Cost data in kroner and øre.
        case kroner

        public var danishName: String {
            switch self {
            case .count: "Antal"
            case .hours: "Timer"
            case .kroner: "Kroner"
            }
        }
    }

    public var key: String
    public var label: String
    public var kind: Kind

    public init(key: String, label: String, kind: Kind) {
        self.key = key
        self.label = label
        self.kind = kind
    }

    /// The largest value accepted: far beyond any real figure for one citizen, far below any overflow.
    public static let maximum: Decimal = 10_000_000

    /// Reads a value typed in Danish ("12", "3,5", "1.250,50"); nil with the reason when it is not one.
    public func parse(_ text: String) -> Result<Decimal?, InstrumentProblem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .success(nil) }
        guard let value = DanishNumber.decimal(trimmed) else {
            return .failure(.init(key, "\(label) skal være et tal, fx 12 eller 3,5."))
        }
        if value < 0 || value > Self.maximum {
            return .failure(.init(key, "\(label) skal være mellem 0 og 10.000.000."))
        }
        switch kind {
        case .count:
            if value != Instrument.rounded(value, places: 0) {
                return .failure(.init(key, "\(label) skal være et helt tal."))
            }
        case .hours:
            if value != Instrument.rounded(value, places: 2) {
                return .failure(.init(key, "\(label) kan højst have to decimaler."))
            }
        case .kroner:
            if value != Instrument.rounded(value, places: 2) {
                return .failure(.init(key, "\(label) kan højst have to decimaler (øre)."))
            }
        }
        return .success(value)
    }
}

/// What the agency may see of citizen data: aggregates only, with every cell of fewer than five citizens
/// suppressed, and one more where a suppressed cell could be worked out from a total.
public enum SmallCells {
    public static let minimum = 5

    /// The indices of the counts to suppress in a row of counts whose total is shown: each below the minimum,
    /// and, where exactly one is (so total − the others would reveal it), also the smallest of the rest.
    public static func suppressed(_ counts: [Int]) -> Set<Int> {
        var hidden = Set(counts.indices.filter { counts[$0] > 0 && counts[$0] < minimum })
        if hidden.count == 1 {
            let rest = counts.indices.filter { !hidden.contains($0) && counts[$0] > 0 }
            if let smallest = rest.min(by: { (counts[$0], $0) < (counts[$1], $1) }) { hidden.insert(smallest) }
        }
        return hidden
    }

    /// Whether a figure computed from `count` citizens may be shown to the agency.
    public static func mayShow(_ count: Int) -> Bool { count == 0 || count >= minimum }
}

/// What a user sees of an evaluation's citizen data: the one rule every page, export and the API ask.
public enum EvaluationAccess: Equatable, Sendable {
    case none
    /// The agency: aggregates only, small cells suppressed.
    case aggregates
    /// A municipality taking part: its own citizens, which it enrols and records data on.
    case ownCitizens
    /// The evaluator: every citizen, under pseudonyms; defines the design.
    case allCitizens

    /// - takesPart: the actor's organisation has a grant case in the evaluation's call.
    public static func of(_ actor: Actor, takesPart: Bool) -> EvaluationAccess {
        if AccessPolicy.permits(actor, .readEvaluationData, on: .other) { return .allCitizens }
        if takesPart && AccessPolicy.permits(actor, .readEvaluationData, on: .own) { return .ownCitizens }
        if AccessPolicy.permits(actor, .readEvaluationAggregates, on: .other) { return .aggregates }
        return .none
    }

    public var readsCitizens: Bool { self == .ownCitizens || self == .allCitizens }
}

/// The list of an evaluation's citizens (the municipality's own, or all for the evaluator) in the order they
/// were enrolled, a page at a time: a keyset on the enrolment time and the id, so a page continues after the
/// last row of the one before however many there are.
public struct EvaluationCitizenListQuery: Hashable, Sendable {
    public static let pageSize = 50

    public var after: ListCursor?

    public init(after: ListCursor? = nil) { self.after = after }

    /// Reads the list's query string; anything that is not a time cursor gives the first page.
    public init(parameters: [String: String]) {
        after = parameters["efter"].flatMap(ListCursor.init(token:)).flatMap { $0.seconds == nil ? nil : $0 }
    }

    public func parameters(after cursor: ListCursor? = nil) -> [(String, String)] {
        cursor.map { [("efter", $0.token)] } ?? []
    }
}
