import Foundation

/// One citizen's data as the overview and the exports read it: the group (municipality) and, per measurement
/// point, the answers per instrument with the version they were given under.
public struct CitizenData: Sendable {
    public var group: String
    public var answers: [String: [String: (version: Int, values: [String: Int])]]

    public init(group: String, answers: [String: [String: (version: Int, values: [String: Int])]]) {
        self.group = group
        self.answers = answers
    }
}

/// Per group (municipality) and measurement point: how many are enrolled, how many have the point complete,
/// and per instrument the mean score, the share flagged and the share with a meaningful change since
/// baseline. For the agency every figure resting on fewer than five citizens is suppressed.
public struct EvaluationOverview: Sendable {
    public struct InstrumentFigures: Sendable, Equatable {
        public var instrument: String
        /// Citizens with a score.
        public var scored: Int
        public var meanScore: Decimal?
        public var flagged: Int
        /// Citizens with a score here and at baseline, and of those with a meaningful change up and down.
        public var compared: Int
        public var improved: Int
        public var worsened: Int
    }

    public struct Cell: Sendable, Equatable {
        public var enrolled: Int
        public var complete: Int
        public var instruments: [InstrumentFigures]
        /// Set when the cell's figures are withheld (fewer than five citizens).
        public var suppressed: Bool
    }

    public struct Row: Sendable {
        public var group: String
        /// By measurement point key.
        public var cells: [String: Cell]
    }

    public var points: [MeasurementPoint]
    public var rows: [Row]
    public var total: Row

    /// The overview; `suppress` withholds small cells (with their complement) as `SmallCells` says.
    /// `instruments` holds every version of every instrument (key → version → definition).
    public static func compute(
        design: EvaluationDesign, instruments: [String: [Int: Instrument]], citizens: [CitizenData], suppress: Bool
    ) -> EvaluationOverview {
        let groups = Array(Set(citizens.map(\.group))).sorted()
        let baselineKey = design.points.first?.key
        func cell(_ members: [CitizenData], point: MeasurementPoint) -> Cell {
            var complete = 0
            var figures: [InstrumentFigures] = []
            var scoresByCitizen: [[String: InstrumentScore]] = Array(repeating: [:], count: members.count)
            var baselineByCitizen: [[String: InstrumentScore]] = Array(repeating: [:], count: members.count)
            for (index, citizen) in members.enumerated() {
                var all = !point.instruments.isEmpty
                for key in point.instruments {
                    if let given = citizen.answers[point.key]?[key],
                        let instrument = instruments[key]?[given.version],
                        let score = instrument.score(given.values)
                    {
                        scoresByCitizen[index][key] = score
                    } else {
                        all = false
                    }
                    if let baselineKey, let given = citizen.answers[baselineKey]?[key],
                        let instrument = instruments[key]?[given.version], let score = instrument.score(given.values)
                    {
                        baselineByCitizen[index][key] = score
                    }
                }
                if all { complete += 1 }
            }
            for key in point.instruments {
                let scores = scoresByCitizen.compactMap { $0[key] }
                let latest = instruments[key].flatMap { $0.keys.max().flatMap { v in instruments[key]?[v] } }
                var compared = 0
                var improved = 0
                var worsened = 0
                if point.key != baselineKey, let latest {
                    for index in members.indices {
                        guard let now = scoresByCitizen[index][key], let before = baselineByCitizen[index][key] else {
                            continue
                        }
                        compared += 1
                        let change = latest.change(from: before, to: now)
                        if change.meaningful == true { if change.delta > 0 { improved += 1 } else { worsened += 1 } }
                    }
                }
                let mean =
                    scores.isEmpty
                    ? nil : Instrument.rounded(scores.map(\.score).reduce(0, +) / Decimal(scores.count), places: 1)
                figures.append(
                    InstrumentFigures(
                        instrument: key, scored: scores.count, meanScore: mean,
                        flagged: scores.filter { !$0.flags.isEmpty }.count, compared: compared, improved: improved,
                        worsened: worsened))
            }
            return Cell(enrolled: members.count, complete: complete, instruments: figures, suppressed: false)
        }
        var rows = groups.map { group in
            let members = citizens.filter { $0.group == group }
            return Row(
                group: group,
                cells: Dictionary(uniqueKeysWithValues: design.points.map { ($0.key, cell(members, point: $0)) }))
        }
        let total = Row(
            group: "I alt",
            cells: Dictionary(uniqueKeysWithValues: design.points.map { ($0.key, cell(citizens, point: $0)) }))
        if suppress {
            // A group's enrolment is the base of all its figures: suppress by it, with the complement.
            let hidden = SmallCells.suppressed(rows.map { $0.cells.values.first?.enrolled ?? 0 })
            for index in rows.indices where hidden.contains(index) {
                for key in rows[index].cells.keys {
                    rows[index].cells[key] = Cell(enrolled: 0, complete: 0, instruments: [], suppressed: true)
                }
            }
        }
        var shownTotal = total
        if suppress, let enrolled = total.cells.values.first?.enrolled, !SmallCells.mayShow(enrolled) {
            for key in shownTotal.cells.keys {
                shownTotal.cells[key] = Cell(enrolled: 0, complete: 0, instruments: [], suppressed: true)
            }
        }
        return EvaluationOverview(points: design.points, rows: rows, total: shownTotal)
    }
}

extension EvaluationOverview {
    /// The share, in percent to two decimals, of the citizens scored on `instrument` both at `from` and at
    /// `to` whose score improved meaningfully (by at least the instrument's meaningful change): the success
    /// rate a business case can take from the evaluation. Nil when nobody was scored at both points or the
    /// instrument states no meaningful change.
    public static func improvementRate(
        instrument key: String, from: String, to: String, instruments: [String: [Int: Instrument]],
        citizens: [CitizenData]
    ) -> (rate: Decimal?, compared: Int) {
        guard let versions = instruments[key], let latest = versions.keys.max().flatMap({ versions[$0] }),
            latest.scoring.meaningfulChange != nil
        else { return (nil, 0) }
        func score(_ citizen: CitizenData, _ point: String) -> InstrumentScore? {
            guard let given = citizen.answers[point]?[key], let instrument = versions[given.version] else { return nil }
            return instrument.score(given.values)
        }
        var compared = 0
        var improved = 0
        for citizen in citizens {
            guard let before = score(citizen, from), let after = score(citizen, to) else { continue }
            compared += 1
            let change = latest.change(from: before, to: after)
            if change.meaningful == true && change.delta > 0 { improved += 1 }
        }
        guard compared > 0 else { return (nil, 0) }
        return (Instrument.rounded(Decimal(improved) * 100 / Decimal(compared), places: 2), compared)
    }
}
