import Foundation

/// The evaluator's exports of citizen-level data, in long form (one row per answer, score and field) and
/// wide form (one row per citizen), as table rows for CSV or XLSX. Citizens appear by pseudonym only.
public enum EvaluationExport {
    public enum Form: String, CaseIterable, Sendable {
        case long = "lang"
        case wide = "bred"
    }

    /// A citizen with everything the export shows of them.
    public struct Citizen: Sendable {
        public var pseudonym: String
        public var data: CitizenData
        public var baseline: CalendarDate?
        public var birthYear: Int?
        public var sex: String?
        /// Per measurement point, the fields' values as stored (decimal text with a point).
        public var fields: [String: [String: String]]

        public init(
            pseudonym: String, data: CitizenData, baseline: CalendarDate?, birthYear: Int?, sex: String?,
            fields: [String: [String: String]]
        ) {
            self.pseudonym = pseudonym
            self.data = data
            self.baseline = baseline
            self.birthYear = birthYear
            self.sex = sex
            self.fields = fields
        }
    }

    typealias Cell = BudgetTable.Cell

    static func number(_ value: Decimal) -> Cell {
        let hundredths = Instrument.rounded(value * 100, places: 0)
        return .number(hundredths: NSDecimalNumber(decimal: hundredths).int64Value)
    }

    static func latest(_ versions: [Int: Instrument]?) -> Instrument? {
        versions.flatMap { all in all.keys.max().flatMap { all[$0] } }
    }

    public static let longHeader: [BudgetTable.Cell] = [
        "pseudonym", "kommune", "maalepunkt", "instrument", "version", "variabel", "vaerdi",
    ].map { .text($0) }

    /// The rows of one citizen in long form: every answer, then the instrument's raw score and score, then
    /// the fields, point by point.
    public static func longRows(
        _ citizen: Citizen, design: EvaluationDesign, instruments: [String: [Int: Instrument]],
        score: ((String, Int, [String: Int]) -> InstrumentScore?)? = nil
    ) -> [[BudgetTable.Cell]] {
        var rows: [[Cell]] = []
        for point in design.points {
            for key in point.instruments {
                guard let given = citizen.data.answers[point.key]?[key] else { continue }
                let instrument = instruments[key]?[given.version]
                let start: [Cell] = [
                    .text(citizen.pseudonym), .text(citizen.data.group), .text(point.key), .text(key),
                    .number(hundredths: Int64(given.version) * 100),
                ]
                for item in instrument?.items ?? [] {
                    if let value = given.values[item.key] {
                        rows.append(start + [.text(item.key), .number(hundredths: Int64(value) * 100)])
                    }
                }
                let scored = score.map { $0(key, given.version, given.values) } ?? instrument?.score(given.values)
                if let score = scored {
                    rows.append(start + [.text("raascore"), number(score.raw)])
                    rows.append(start + [.text("score"), number(score.score)])
                }
            }
            for field in design.fields {
                guard let text = citizen.fields[point.key]?[field.key], let value = Decimal(string: text) else {
                    continue
                }
                rows.append([
                    .text(citizen.pseudonym), .text(citizen.data.group), .text(point.key), .text(""), .empty,
                    .text(field.key), number(value),
                ])
            }
        }
        return rows
    }

    /// The header of the wide form: the citizen's columns, then per point each instrument's items (of its
    /// latest version) and scores, then the fields (recorded at the follow-ups only).
    public static func wideHeader(
        design: EvaluationDesign, instruments: [String: [Int: Instrument]]
    )
        -> [BudgetTable.Cell]
    {
        var header: [String] = ["pseudonym", "kommune", "baseline_dato"]
        if design.deriveBirthYear { header.append("foedselsaar") }
        if design.deriveSex { header.append("koen") }
        for point in design.points {
            for key in point.instruments {
                for item in latest(instruments[key])?.items ?? [] { header.append("\(point.key)_\(key)_\(item.key)") }
                header.append("\(point.key)_\(key)_raascore")
                header.append("\(point.key)_\(key)_score")
            }
            if point.monthsAfterBaseline > 0 {
                for field in design.fields { header.append("\(point.key)_\(field.key)") }
            }
        }
        return header.map { .text($0) }
    }

    public static func wideRow(
        _ citizen: Citizen, design: EvaluationDesign, instruments: [String: [Int: Instrument]],
        score scorer: ((String, Int, [String: Int]) -> InstrumentScore?)? = nil
    ) -> [BudgetTable.Cell] {
        var row: [Cell] = [.text(citizen.pseudonym), .text(citizen.data.group), .text(citizen.baseline?.iso ?? "")]
        if design.deriveBirthYear {
            row.append(citizen.birthYear.map { .number(hundredths: Int64($0) * 100) } ?? .empty)
        }
        if design.deriveSex { row.append(.text(citizen.sex ?? "")) }
        for point in design.points {
            for key in point.instruments {
                let given = citizen.data.answers[point.key]?[key]
                for item in latest(instruments[key])?.items ?? [] {
                    row.append(given?.values[item.key].map { .number(hundredths: Int64($0) * 100) } ?? .empty)
                }
                let score = given.flatMap { given in
                    scorer.map { $0(key, given.version, given.values) }
                        ?? instruments[key]?[given.version]?.score(given.values)
                }
                row.append(score.map { number($0.raw) } ?? .empty)
                row.append(score.map { number($0.score) } ?? .empty)
            }
            for field in design.fields where point.monthsAfterBaseline > 0 {
                row.append(
                    citizen.fields[point.key]?[field.key].flatMap { Decimal(string: $0) }.map(number) ?? .empty)
            }
        }
        return row
    }
}
