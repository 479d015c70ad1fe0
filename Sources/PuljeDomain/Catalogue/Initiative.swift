/// The two programme areas of the development and investment programmes.
public enum ProgrammeArea: String, CaseIterable, Sendable, Codable {
    case children
    case adults

    public var danishName: String {
        switch self {
        case .children: "Børne- og ungeområdet"
        case .adults: "Voksenområdet"
        }
    }
}

/// The phases of the strategy for developing social interventions (SUSI). The raw value is the
/// stable code used in the API and in storage.
public enum SUSIPhase: String, CaseIterable, Sendable, Codable {
    case screening
    case maturation
    case testing
    case dissemination

    public var danishName: String {
        switch self {
        case .screening: "Screening"
        case .maturation: "Modning"
        case .testing: "Afprøvning"
        case .dissemination: "Udbredelse"
        }
    }
}

/// The categories an initiative's budget is split into.
public enum BudgetCategory: String, CaseIterable, Sendable, Codable {
    case projectManagement
    case implementationSupport
    /// Screening initiatives (1.4, 1.9) spend on "vidensudviklende aktiviteter", not implementation support.
    case knowledgeDevelopment
    case competenceDevelopment
    case evaluation
    case applicationPool

    public var danishName: String {
        switch self {
        case .projectManagement: "Projektledelse og formidling"
        case .implementationSupport: "Implementeringsstøtte og andre vidensudviklende aktiviteter"
        case .knowledgeDevelopment: "Vidensudviklende aktiviteter"
        case .competenceDevelopment: "Kompetenceudvikling"
        case .evaluation: "Evaluering"
        case .applicationPool: "Ansøgningspulje til kommuner"
        }
    }
}

/// An initiative's number within its programme year, such as "1.8". Orders numerically (1.10 after 1.9).
public struct InitiativeNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let parts: [Int]

    public init?(_ text: String) {
        let pieces = text.trimmingWhitespace().split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(pieces.count) else { return nil }
        var parts: [Int] = []
        for piece in pieces {
            guard (1...3).contains(piece.count), piece.allSatisfy(\.isASCIIDigit), let value = Int(piece) else {
                return nil
            }
            parts.append(value)
        }
        self.parts = parts
    }

    public var description: String { parts.map(String.init).joined(separator: ".") }

    public static func < (lhs: InitiativeNumber, rhs: InitiativeNumber) -> Bool {
        lhs.parts.lexicographicallyPrecedes(rhs.parts)
    }
}

/// A quarter of a year, "3. kvartal 2022".
public struct Quarter: Hashable, Comparable, Sendable, Codable {
    public var year: Int
    public var quarter: Int

    public init?(year: Int, quarter: Int) {
        guard (1...4).contains(quarter), (1900...2200).contains(year) else { return nil }
        self.year = year
        self.quarter = quarter
    }

    public var index: Int { year * 4 + quarter - 1 }

    public var danishName: String { "\(quarter). kvartal \(year)" }

    public static func < (lhs: Quarter, rhs: Quarter) -> Bool { lhs.index < rhs.index }
}

/// A line of an initiative's timeline: activities planned over a span of quarters.
public struct TimelineEntry: Hashable, Sendable, Codable {
    /// The period as the source writes it ("1.-2. kvartal 2022").
    public var label: String
    public var from: Quarter
    public var to: Quarter
    public var activities: [String]

    public init(label: String, from: Quarter, to: Quarter, activities: [String]) {
        self.label = label
        self.from = from
        self.to = to
        self.activities = activities
    }
}

/// An initiative of the programme catalogue.
/// What the allocation states about an initiative beyond its sections, and what staff should know about the
/// text as printed.
public struct InitiativeFacts: Sendable, Hashable, Codable {
    /// How many municipalities the initiative seeks, as printed with one dash: "4–5"; empty where not stated.
    public var municipalitiesSought: String
    /// The initiative's duration in years ("Initiativet er 4-årigt"); nil where not stated.
    public var durationYears: Int?
    /// Partners the text names besides the grant recipients.
    public var partners: [String]
    /// Where the initiative comes from (an earlier screening or maturation and its year).
    public var origin: String
    /// Remarks on the text as printed: inconsistencies, what a term covers.
    public var notes: [String]
    /// Obvious typing errors corrected when the text was transcribed; shown to staff.
    public var corrections: [String]

    public init(
        municipalitiesSought: String = "", durationYears: Int? = nil, partners: [String] = [], origin: String = "",
        notes: [String] = [], corrections: [String] = []
    ) {
        self.municipalitiesSought = municipalitiesSought
        self.durationYears = durationYears
        self.partners = partners
        self.origin = origin
        self.notes = notes
        self.corrections = corrections
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            municipalitiesSought: try c.decodeIfPresent(String.self, forKey: .municipalitiesSought) ?? "",
            durationYears: try c.decodeIfPresent(Int.self, forKey: .durationYears),
            partners: try c.decodeIfPresent([String].self, forKey: .partners) ?? [],
            origin: try c.decodeIfPresent(String.self, forKey: .origin) ?? "",
            notes: try c.decodeIfPresent([String].self, forKey: .notes) ?? [],
            corrections: try c.decodeIfPresent([String].self, forKey: .corrections) ?? [])
    }
}

public struct Initiative: Sendable, Hashable {
    public var programmeYear: Int
    public var number: InitiativeNumber
    public var title: String
    public var area: ProgrammeArea
    public var phase: SUSIPhase
    /// Spor 1 or 2 of the phase model; nil where the source names none.
    public var track: Int?
    public var grantRecipients: String
    public var purpose: String
    public var background: String
    public var targetGroup: String
    public var expectedResults: String
    public var activities: String
    public var successCriteria: String
    public var implementationNote: String
    public var applicationPoolCriteria: String
    public var timeline: [TimelineEntry]
    public var budget: InitiativeBudget
    public var facts: InitiativeFacts

    public init(
        programmeYear: Int, number: InitiativeNumber, title: String, area: ProgrammeArea, phase: SUSIPhase,
        track: Int?, grantRecipients: String = "", purpose: String = "", background: String = "",
        targetGroup: String = "", expectedResults: String = "", activities: String = "",
        successCriteria: String = "", implementationNote: String = "", applicationPoolCriteria: String = "",
        timeline: [TimelineEntry] = [], budget: InitiativeBudget, facts: InitiativeFacts = InitiativeFacts()
    ) {
        self.programmeYear = programmeYear
        self.number = number
        self.title = title
        self.area = area
        self.phase = phase
        self.track = track
        self.grantRecipients = grantRecipients
        self.purpose = purpose
        self.background = background
        self.targetGroup = targetGroup
        self.expectedResults = expectedResults
        self.activities = activities
        self.successCriteria = successCriteria
        self.implementationNote = implementationNote
        self.applicationPoolCriteria = applicationPoolCriteria
        self.timeline = timeline
        self.budget = budget
        self.facts = facts
    }
}
