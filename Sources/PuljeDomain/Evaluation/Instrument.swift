import Foundation

/// A questionnaire the evaluator defines as data: its items, the response scale they share, and how a
/// completed form is scored. WHO-5 is one such definition (`Instrument.who5`); others are added on a page,
/// without code. A changed definition is a new version; responses keep the version they were given under.
public struct Instrument: Hashable, Sendable, Codable {
    /// Lower-case letters, digits and hyphens, e.g. "who5": the name in exports and the column prefix.
    public var key: String
    public var version: Int
    public var name: String
    /// What the respondent is told before the items, e.g. "Inden for de sidste to uger:".
    public var instruction: String
    public var scale: [ScaleOption]
    public var items: [InstrumentItem]
    public var scoring: InstrumentScoring

    public init(
        key: String, version: Int, name: String, instruction: String, scale: [ScaleOption], items: [InstrumentItem],
        scoring: InstrumentScoring
    ) {
        self.key = key
        self.version = version
        self.name = name
        self.instruction = instruction
        self.scale = scale
        self.items = items
        self.scoring = scoring
    }

    public var scaleValues: Set<Int> { Set(scale.map(\.value)) }
    public var scaleMinimum: Int { scale.map(\.value).min() ?? 0 }
    public var scaleMaximum: Int { scale.map(\.value).max() ?? 0 }

    /// The lowest and highest score the instrument can give (WHO-5: 0 and 100), for a chart's axis.
    public var scoreRange: ClosedRange<Decimal> {
        let required = Decimal(items.filter(\.required).count)
        let all = Decimal(items.count)
        let low = Decimal(scaleMinimum)
        let high = Decimal(scaleMaximum)
        let range: (Decimal, Decimal) =
            scoring.method == .sum ? (min(low * required, low * all), max(high * all, high * required)) : (low, high)
        let a = range.0 * scoring.multiplier
        let b = range.1 * scoring.multiplier
        return min(a, b)...max(a, b)
    }

    /// The label of a value on the scale, for a page that shows an answer.
    public func label(of value: Int) -> String? { scale.first { $0.value == value }?.label }
}

/// Scores each distinct answer set once: an evaluation repeats the same answers many times (WHO-5 has
/// 7.776 answer sets), so the overview and the exports look a score up rather than compute it again.
public struct InstrumentScoreMemo: Sendable {
    /// Every version of every instrument (key → version → definition).
    public let instruments: [String: [Int: Instrument]]
    var known: [Key: InstrumentScore?] = [:]

    struct Key: Hashable {
        var instrument: String
        var version: Int
        var values: [String: Int]
    }

    public init(instruments: [String: [Int: Instrument]]) { self.instruments = instruments }

    /// The score of answers given under a version of an instrument; nil when the version is unknown or the
    /// answers do not score.
    public mutating func score(_ key: String, version: Int, values: [String: Int]) -> InstrumentScore? {
        let lookup = Key(instrument: key, version: version, values: values)
        if let score = known[lookup] { return score }
        let computed = instruments[key]?[version]?.score(values)
        known[lookup] = computed
        return computed
    }
}

/// One answer a scale offers: its value in the scoring and its label on the form.
public struct ScaleOption: Hashable, Sendable, Codable {
    public var value: Int
    public var label: String

    public init(value: Int, label: String) {
        self.value = value
        self.label = label
    }
}

/// One item (question) of an instrument.
public struct InstrumentItem: Hashable, Sendable, Codable {
    /// Unique within the instrument, e.g. "1" or "glad": the column name in exports after the instrument's key.
    public var key: String
    public var text: String
    public var required: Bool
    /// Scored the other way round: a value v counts as (lowest + highest − v).
    public var reversed: Bool

    public init(key: String, text: String, required: Bool = true, reversed: Bool = false) {
        self.key = key
        self.text = text
        self.required = required
        self.reversed = reversed
    }
}

/// How the items' values become a score.
public struct InstrumentScoring: Hashable, Sendable, Codable {
    public enum Method: String, Hashable, Sendable, Codable, CaseIterable {
        case sum
        case mean

        public var danishName: String {
            switch self {
            case .sum: "Sum af svarene"
            case .mean: "Gennemsnit af svarene"
            }
        }
    }

    public var method: Method
    /// The raw score times this is the reported score (WHO-5: 4, from 0–25 to an index of 0–100).
    public var multiplier: Decimal
    /// The name of the reported score, e.g. "Trivselsindeks".
    public var scoreName: String
    /// Categories by the raw score: each applies from its lower bound up to the next category's.
    public var categories: [ScoreCategory]
    public var flags: [FlagRule]
    /// A change of at least this much in the reported score is meaningful (WHO-5: 10 index points); nil: none stated.
    public var meaningfulChange: Decimal?

    public init(
        method: Method, multiplier: Decimal = 1, scoreName: String, categories: [ScoreCategory] = [],
        flags: [FlagRule] = [], meaningfulChange: Decimal? = nil
    ) {
        self.method = method
        self.multiplier = multiplier
        self.scoreName = scoreName
        self.categories = categories
        self.flags = flags
        self.meaningfulChange = meaningfulChange
    }
}

/// A named range of the raw score, from `lowerBound` (inclusive) to the next category's lower bound.
public struct ScoreCategory: Hashable, Sendable, Codable {
    public var lowerBound: Decimal
    public var label: String

    public init(lowerBound: Decimal, label: String) {
        self.lowerBound = lowerBound
        self.label = label
    }
}

/// A warning a completed form raises when any of its conditions holds.
public struct FlagRule: Hashable, Sendable, Codable {
    public enum Condition: Hashable, Sendable, Codable {
        /// The raw score is below the value.
        case rawBelow(Decimal)
        /// Any item's value (as answered, before reversal) is at most the value.
        case anyItemAtMost(Int)

        public var danishText: String {
            switch self {
            case .rawBelow(let value): "råscore under \(DanishNumber.decimal(value))"
            case .anyItemAtMost(let value): "et svar på \(value) eller derunder"
            }
        }
    }

    public var label: String
    public var anyOf: [Condition]

    public init(label: String, anyOf: [Condition]) {
        self.label = label
        self.anyOf = anyOf
    }
}

/// A scored form.
public struct InstrumentScore: Hashable, Sendable, Codable {
    public var raw: Decimal
    /// raw × multiplier, rounded to two decimals.
    public var score: Decimal
    public var category: String?
    public var flags: [String]

    public init(raw: Decimal, score: Decimal, category: String?, flags: [String]) {
        self.raw = raw
        self.score = score
        self.category = category
        self.flags = flags
    }
}

/// A problem with answers or with a definition, with the field it concerns (an item key or a definition path).
public struct InstrumentProblem: Error, Hashable, Sendable {
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}

extension Instrument {
    /// The limits of a definition: generous for any questionnaire in use, small enough for one form.
    public enum Limits {
        public static let items = 1...200
        public static let scaleOptions = 2...20
        public static let scaleValues = -1_000...1_000
        public static let textLength = 500
        public static let keyLength = 1...40
    }

    /// Whether a key is lower-case letters a–z, digits and hyphens, starting with a letter or digit.
    public static func isValidKey(_ key: String) -> Bool {
        guard Limits.keyLength.contains(key.utf8.count), let first = key.utf8.first, first != UInt8(ascii: "-") else {
            return false
        }
        return key.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                || $0 == UInt8(ascii: "-")
        }
    }

    /// Everything wrong with the definition, each named by its field on the instrument's form.
    public func definitionProblems() -> [InstrumentProblem] {
        var problems: [InstrumentProblem] = []
        if !Self.isValidKey(key) {
            problems.append(.init("key", "Nøglen skal være 1–40 små bogstaver (a–z), tal eller bindestreger, fx who5."))
        }
        if version < 1 { problems.append(.init("version", "Versionen skal være 1 eller derover.")) }
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init("name", "Giv instrumentet et navn."))
        }
        for (field, text) in [("name", name), ("instruction", instruction), ("scoring.scoreName", scoring.scoreName)]
        where text.count > Limits.textLength {
            problems.append(.init(field, "Teksten må højst være \(Limits.textLength) tegn."))
        }
        if !Limits.scaleOptions.contains(scale.count) {
            problems.append(.init("scale", "Svarskalaen skal have mellem 2 og 20 svarmuligheder."))
        }
        if Set(scale.map(\.value)).count != scale.count {
            problems.append(.init("scale", "To svarmuligheder har samme værdi."))
        }
        for (index, option) in scale.enumerated() {
            if !Limits.scaleValues.contains(option.value) {
                problems.append(.init("scale.\(index).value", "Værdien skal være et helt tal mellem −1000 og 1000."))
            }
            if option.label.trimmingCharacters(in: .whitespaces).isEmpty || option.label.count > Limits.textLength {
                problems.append(.init("scale.\(index).label", "Giv svarmuligheden en tekst på højst 500 tegn."))
            }
        }
        if !Limits.items.contains(items.count) {
            problems.append(.init("items", "Instrumentet skal have mellem 1 og 200 spørgsmål."))
        }
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            if !Self.isValidKey(item.key) {
                problems.append(
                    .init("items.\(index).key", "Spørgsmålets nøgle skal være små bogstaver, tal eller bindestreger."))
            } else if !seen.insert(item.key).inserted {
                problems.append(.init("items.\(index).key", "To spørgsmål har nøglen \"\(item.key)\"."))
            }
            if item.text.trimmingCharacters(in: .whitespaces).isEmpty || item.text.count > Limits.textLength {
                problems.append(.init("items.\(index).text", "Skriv spørgsmålet (højst 500 tegn)."))
            }
        }
        if scoring.multiplier <= 0 || scoring.multiplier > 1_000 {
            problems.append(.init("scoring.multiplier", "Faktoren skal være over 0 og højst 1000."))
        }
        if scoring.scoreName.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init("scoring.scoreName", "Giv scoren et navn, fx Trivselsindeks."))
        }
        let bounds = scoring.categories.map(\.lowerBound)
        if bounds != bounds.sorted() || Set(bounds).count != bounds.count {
            problems.append(
                .init("scoring.categories", "Kategoriernes nedre grænser skal stige fra den ene til den næste."))
        }
        for (index, category) in scoring.categories.enumerated()
        where category.label.trimmingCharacters(in: .whitespaces).isEmpty || category.label.count > Limits.textLength {
            problems.append(.init("scoring.categories.\(index).label", "Giv kategorien et navn på højst 500 tegn."))
        }
        for (index, flag) in scoring.flags.enumerated() {
            if flag.label.trimmingCharacters(in: .whitespaces).isEmpty || flag.label.count > Limits.textLength {
                problems.append(.init("scoring.flags.\(index).label", "Giv advarslen et navn på højst 500 tegn."))
            }
            if flag.anyOf.isEmpty {
                problems.append(.init("scoring.flags.\(index)", "Advarslen skal have mindst én betingelse."))
            }
        }
        if let change = scoring.meaningfulChange, change <= 0 || change > 1_000_000 {
            problems.append(.init("scoring.meaningfulChange", "En betydende ændring skal være et positivt tal."))
        }
        return problems
    }

    /// Everything wrong with a set of answers (item key → value): an unknown item, a value not on the
    /// scale, a required item not answered.
    public func problems(answers: [String: Int]) -> [InstrumentProblem] {
        var problems: [InstrumentProblem] = []
        let keys = Set(items.map(\.key))
        for key in answers.keys.sorted() where !keys.contains(key) {
            problems.append(.init(key, "Spørgsmålet \"\(key)\" findes ikke i \(name)."))
        }
        let values = scaleValues
        for item in items {
            if let value = answers[item.key] {
                if !values.contains(value) {
                    problems.append(.init(item.key, "Svaret på \"\(item.text)\" skal være et af skalaens svar."))
                }
            } else if item.required {
                problems.append(.init(item.key, "Besvar \"\(item.text)\"."))
            }
        }
        return problems
    }

    /// The score of complete, valid answers; nil while a required item is unanswered or an answer is invalid
    /// (a form is saved as it is filled in, and scored once it is complete). Optional items left out do not
    /// count in the sum or the mean.
    public func score(_ answers: [String: Int]) -> InstrumentScore? {
        guard problems(answers: answers).isEmpty else { return nil }
        let low = scaleMinimum
        let high = scaleMaximum
        var values: [Int] = []
        for item in items {
            guard let value = answers[item.key] else { continue }
            values.append(item.reversed ? low + high - value : value)
        }
        guard !values.isEmpty else { return nil }
        let sum = Decimal(values.reduce(0, +))
        let raw = scoring.method == .sum ? sum : Self.rounded(sum / Decimal(values.count), places: 4)
        let score = Self.rounded(raw * scoring.multiplier, places: 2)
        let category = scoring.categories.last { raw >= $0.lowerBound }?.label
        let answered = items.compactMap { answers[$0.key] }
        let flags = scoring.flags.filter { flag in
            flag.anyOf.contains { condition in
                switch condition {
                case .rawBelow(let bound): raw < bound
                case .anyItemAtMost(let bound): answered.contains { $0 <= bound }
                }
            }
        }.map(\.label)
        return InstrumentScore(raw: raw, score: score, category: category, flags: flags)
    }

    /// The change in the reported score from one measurement to a later one, and whether it is meaningful
    /// (at least `meaningfulChange`, up or down); nil meaningfulness when the instrument states none.
    public func change(from before: InstrumentScore, to after: InstrumentScore) -> (delta: Decimal, meaningful: Bool?) {
        let delta = after.score - before.score
        guard let threshold = scoring.meaningfulChange else { return (delta, nil) }
        let magnitude = delta < 0 ? -delta : delta
        return (delta, magnitude >= threshold)
    }

    static func rounded(_ value: Decimal, places: Int) -> Decimal {
        var input = value
        var output = Decimal()
        NSDecimalRound(&output, &input, places, .plain)
        return output
    }
}

extension Instrument {
    /// WHO-5, exactly as the domain brief states it: five items about the last two weeks, each from 0 (at no
    /// time) to 5 (all of the time); raw score 0–25, index = raw × 4; a raw score below 13, or any item at 0
    /// or 1, indicates poor well-being; a change of 10 index points is meaningful. The Danish wording is the
    /// Psychiatric Centre North Zealand's (the WHO-5's Danish home), free to use.
    public static let who5 = Instrument(
        key: "who5", version: 1, name: "WHO-5 Trivselsindeks",
        instruction: "Inden for de sidste to uger:",
        scale: [
            ScaleOption(value: 5, label: "Hele tiden"),
            ScaleOption(value: 4, label: "Det meste af tiden"),
            ScaleOption(value: 3, label: "Lidt mere end halvdelen af tiden"),
            ScaleOption(value: 2, label: "Lidt mindre end halvdelen af tiden"),
            ScaleOption(value: 1, label: "Lidt af tiden"),
            ScaleOption(value: 0, label: "På intet tidspunkt"),
        ],
        items: [
            InstrumentItem(key: "1", text: "… har jeg været glad og i godt humør"),
            InstrumentItem(key: "2", text: "… har jeg følt mig rolig og afslappet"),
            InstrumentItem(key: "3", text: "… har jeg følt mig aktiv og energisk"),
            InstrumentItem(key: "4", text: "… er jeg vågnet frisk og udhvilet"),
            InstrumentItem(key: "5", text: "… har min dagligdag været fyldt med ting, der interesserer mig"),
        ],
        scoring: InstrumentScoring(
            method: .sum, multiplier: 4, scoreName: "Trivselsindeks (0–100)",
            flags: [FlagRule(label: "Tegn på dårlig trivsel", anyOf: [.rawBelow(13), .anyItemAtMost(1)])],
            meaningfulChange: 10))
}
