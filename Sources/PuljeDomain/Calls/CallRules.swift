import Foundation

/// A target area an applicant chooses among, such as "handicapområdet".
public struct TargetArea: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    /// The selection must hold at least this many applications covering the area (000 and 001: both areas).
    public var minimumSelected: Int?
    public init(code: String, name: String, minimumSelected: Int? = nil) {
        self.code = code
        self.name = name
        self.minimumSelected = minimumSelected
    }
}

public struct ContactPerson: Hashable, Sendable, Codable {
    public var name: String
    public var role: String
    public var email: String
    public var phone: String
    public init(name: String, role: String = "", email: String = "", phone: String = "") {
        self.name = name
        self.role = role
        self.email = email
        self.phone = phone
    }

    /// The role as it reads after a comma in Danish: "Line Zimmer Rasmussen, projektleder". An acronym or a
    /// name written in capitals ("VIVE") keeps them.
    public var roleAfterComma: String {
        let letters = Array(role)
        guard letters.count > 1, letters[0].isUppercase, letters[1].isLowercase else { return role }
        return letters[0].lowercased() + String(letters.dropFirst())
    }
}

public struct CallDocument: Hashable, Sendable, Codable {
    public var title: String
    public var url: String
    public init(title: String, url: String) {
        self.title = title
        self.url = url
    }
}

/// A declaration the applicant must make ("At ansøger forpligter sig til at udpege en projektleder").
public struct MinimumCondition: Hashable, Sendable, Codable {
    public var id: String
    public var text: String
    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}

/// An award criterion of a call: assessed on the call's scale, weighted, perhaps with a minimum.
public struct AwardCriterion: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var description: String
    /// Relative weight; the weights of a call need not add up to anything in particular.
    public var weight: Int
    /// The largest weight a criterion may have.
    public static let maximumWeight = 1_000
    /// Below this consensus score an application cannot be selected.
    public var minimumScore: Double?
    /// What the call's guide says will be prioritised under the criterion, as printed ("Kommuner, der …, vil
    /// blive prioriteret."). The guides give no numeric weights or scale; `weight` is the agency's own.
    public var guidePriority: String

    public init(
        id: String, name: String, description: String, weight: Int = 1, minimumScore: Double? = nil,
        guidePriority: String = ""
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.weight = weight
        self.minimumScore = minimumScore
        self.guidePriority = guidePriority
    }

    enum CodingKeys: String, CodingKey { case id, name, description, weight, minimumScore, guidePriority }

    /// Rules stored before `guidePriority` existed read as having none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id), name: try c.decode(String.self, forKey: .name),
            description: try c.decode(String.self, forKey: .description),
            weight: try c.decode(Int.self, forKey: .weight),
            minimumScore: try c.decodeIfPresent(Double.self, forKey: .minimumScore),
            guidePriority: try c.decodeIfPresent(String.self, forKey: .guidePriority) ?? "")
    }
}

/// A question of the application form.
public struct FormQuestion: Hashable, Sendable, Codable {
    public var id: String
    public var text: String
    public var guidance: String
    public var required: Bool
    public var maxLength: Int
    /// The award criterion the answer informs.
    public var criterionID: String?

    public init(
        id: String, text: String, guidance: String = "", required: Bool = true, maxLength: Int = 4000,
        criterionID: String? = nil
    ) {
        self.id = id
        self.text = text
        self.guidance = guidance
        self.required = required
        self.maxLength = maxLength
        self.criterionID = criterionID
    }
}

/// The expense categories an application budget uses.
public enum ExpenseCategory: String, CaseIterable, Sendable, Codable {
    case salaries
    case consultancy
    case training
    case travel
    case materials
    case meetings
    case evaluation
    case other

    public var danishName: String {
        switch self {
        case .salaries: "Løn til projektmedarbejdere"
        case .consultancy: "Konsulentbistand"
        case .training: "Kompetenceudvikling og kurser"
        case .travel: "Transport"
        case .materials: "Materialer og udstyr"
        case .meetings: "Møder og arrangementer"
        case .evaluation: "Evaluering og dokumentation"
        case .other: "Andre specificerede udgifter"
        }
    }
}

/// What the budget of an application must respect.
public struct BudgetRules: Hashable, Sendable, Codable {
    public var eligibleCategories: [ExpenseCategory]
    public var maximumTotal: Money?
    public var maximumPerYear: Money?
    /// Each line's expense must be placed in the months of the project year in which it falls.
    public var requiresMonthlySpread: Bool

    public init(
        eligibleCategories: [ExpenseCategory], maximumTotal: Money? = nil, maximumPerYear: Money? = nil,
        requiresMonthlySpread: Bool = true
    ) {
        self.eligibleCategories = eligibleCategories
        self.maximumTotal = maximumTotal
        self.maximumPerYear = maximumPerYear
        self.requiresMonthlySpread = requiresMonthlySpread
    }

    /// A call that grants support and competence development, not money, has no budget.
    public var hasBudget: Bool { !eligibleCategories.isEmpty }
}

/// A kind of attachment the call allows.
public struct AttachmentKind: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var maximumBytes: Int
    public var required: Bool
    public init(id: String, name: String, maximumBytes: Int = 10_000_000, required: Bool = false) {
        self.id = id
        self.name = name
        self.maximumBytes = maximumBytes
        self.required = required
    }
}

/// When answers come: a date, an ISO week or (as some guides put it) a month.
public enum AnswerExpectation: Hashable, Sendable, Codable {
    case date(year: Int, month: Int, day: Int)
    case week(ISOWeek)
    case month(year: Int, month: Int)

    public var danishText: String {
        switch self {
        case .date(let y, let m, let d):
            DanishTime.instant(year: y, month: m, day: d, hour: 12, minute: 0).map(DanishTime.date) ?? "\(d)/\(m) \(y)"
        case .week(let week): week.danishText
        case .month(let y, let m): (1...12).contains(m) ? "\(DanishTime.monthNames[m - 1]) \(y)" : "\(y)"
        }
    }
}

/// Everything a call states that an application is measured against. Versioned as a whole.
public struct CallRules: Hashable, Sendable, Codable {
    public var applicantKinds: Set<OrganisationKind>
    /// Legal bases of the applicant's services, such as "SEL § 108".
    public var legalBases: [String]
    public var targetAreas: [TargetArea]
    /// How many municipalities the agency seeks, such as 3–4 or 20–25.
    public var municipalitiesSought: ClosedRange<Int>?
    public var funds: Money?
    public var financeLawAccount: String
    public var projectStart: String
    public var projectEnd: String
    public var round: Int?
    public var opensAt: Date?
    public var deadline: Deadline?
    public var answerExpected: AnswerExpectation?
    public var startUpMeeting: String
    public var contacts: [ContactPerson]
    public var documents: [CallDocument]
    public var minimumConditions: [MinimumCondition]
    public var criteria: [AwardCriterion]
    public var questions: [FormQuestion]
    public var budget: BudgetRules
    public var attachmentKinds: [AttachmentKind]
    /// The scale criteria are scored on; nil means the standard 0–5 in half points.
    public var scoringScale: ScoringScale?
    /// Where the guide requires the application approved at director level before it is submitted (001,
    /// 003), its words: "ved direktørunderskrift (eller tilsvarende ledelsesniveau)". nil: no approval.
    public var requiredApproval: String?
    /// The terms of the grant cases the call's decision opens; nil means `GrantTerms.standard`.
    public var grantTerms: GrantTerms?
    /// The agency's journal number for the call (its file reference), printed on every letter.
    public var journalNumber: String?

    public var scale: ScoringScale { scoringScale ?? .standard }
    public var terms: GrantTerms { grantTerms ?? .standard }

    /// The calendar years of the project period ("2024-01-01" to "2026-12-31": 2024...2026); nil without one.
    public var projectYears: ClosedRange<Int>? {
        guard let start = Int(projectStart.prefix(4)), let end = Int(projectEnd.prefix(4)) else { return nil }
        return start...max(start, end)
    }

    public init(
        applicantKinds: Set<OrganisationKind> = [.municipality], legalBases: [String] = [],
        targetAreas: [TargetArea] = [], municipalitiesSought: ClosedRange<Int>? = nil, funds: Money? = nil,
        financeLawAccount: String = "", projectStart: String = "", projectEnd: String = "", round: Int? = nil,
        opensAt: Date? = nil, deadline: Deadline? = nil, answerExpected: AnswerExpectation? = nil,
        startUpMeeting: String = "", contacts: [ContactPerson] = [], documents: [CallDocument] = [],
        minimumConditions: [MinimumCondition] = [], criteria: [AwardCriterion] = [], questions: [FormQuestion] = [],
        budget: BudgetRules = BudgetRules(eligibleCategories: []), attachmentKinds: [AttachmentKind] = [],
        scoringScale: ScoringScale? = nil, requiredApproval: String? = nil, grantTerms: GrantTerms? = nil,
        journalNumber: String? = nil
    ) {
        self.applicantKinds = applicantKinds
        self.legalBases = legalBases
        self.targetAreas = targetAreas
        self.municipalitiesSought = municipalitiesSought
        self.funds = funds
        self.financeLawAccount = financeLawAccount
        self.projectStart = projectStart
        self.projectEnd = projectEnd
        self.round = round
        self.opensAt = opensAt
        self.deadline = deadline
        self.answerExpected = answerExpected
        self.startUpMeeting = startUpMeeting
        self.contacts = contacts
        self.documents = documents
        self.minimumConditions = minimumConditions
        self.criteria = criteria
        self.questions = questions
        self.budget = budget
        self.attachmentKinds = attachmentKinds
        self.scoringScale = scoringScale
        self.requiredApproval = requiredApproval
        self.grantTerms = grantTerms
        self.journalNumber = journalNumber
    }

    /// The longest journal number a call may carry.
    public static let maximumJournalNumber = 40

    /// What is wrong with a journal number as typed, in Danish; nil when it may be used.
    public static func journalNumberProblem(_ typed: String) -> String? {
        if typed.count > maximumJournalNumber { return "Journalnummeret må højst være \(maximumJournalNumber) tegn." }
        if typed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "Journalnummeret må ikke indeholde styretegn."
        }
        return nil
    }

    /// What a call lacks before it can be published, in Danish; empty when it is complete.
    public func missingForPublication() -> [String] {
        var missing: [String] = []
        if applicantKinds.isEmpty { missing.append("Hvem der kan søge (ansøgerkreds)") }
        if deadline == nil { missing.append("Ansøgningsfrist med dato og klokkeslæt") }
        if let opensAt, let deadline, opensAt >= deadline.instant {
            missing.append("Åbningstidspunktet skal ligge før ansøgningsfristen")
        }
        if answerExpected == nil { missing.append("Hvornår ansøgerne kan forvente svar") }
        if projectStart.isEmpty || projectEnd.isEmpty { missing.append("Projektperiode") }
        if contacts.isEmpty { missing.append("Mindst én kontaktperson") }
        if criteria.isEmpty { missing.append("Mindst ét tildelingskriterium") }
        if criteria.contains(where: { $0.weight <= 0 }) { missing.append("Alle kriterier skal have en vægt over 0") }
        if Set(criteria.map(\.id)).count != criteria.count {
            missing.append("Kriteriernes koder skal være forskellige")
        }
        if questions.isEmpty { missing.append("Mindst ét spørgsmål i ansøgningsskemaet") }
        if Set(questions.map(\.id)).count != questions.count {
            missing.append("Spørgsmålenes koder skal være forskellige")
        }
        if questions.contains(where: { $0.maxLength <= 0 }) { missing.append("Alle spørgsmål skal have en tegngrænse") }
        let criterionIDs = Set(criteria.map(\.id))
        if questions.contains(where: { q in q.criterionID.map { !criterionIDs.contains($0) } ?? false }) {
            missing.append("Et spørgsmål henviser til et kriterium, der ikke findes")
        }
        if let sought = municipalitiesSought, sought.lowerBound < 1 {
            missing.append("Antal kommuner, der søges, skal være mindst 1")
        }
        if let problem = scoringScale?.problem { missing.append(problem) }
        for criterion in criteria {
            if let minimum = criterion.minimumScore, !scale.allows(minimum) {
                missing.append(
                    "Minimum for kriteriet \"\(criterion.name)\" skal ligge på pointskalaen \(scale.danishText)")
            }
        }
        if let sought = municipalitiesSought {
            let required = targetAreas.compactMap(\.minimumSelected).max() ?? 0
            if required > sought.upperBound {
                missing.append("Et målområde kræver flere valgte ansøgninger, end puljen søger kommuner")
            }
        }
        if budget.hasBudget && funds == nil { missing.append("Puljens midler (beløb til fordeling)") }
        return missing
    }
}
