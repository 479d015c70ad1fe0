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
        var tally = Tally(design: design, instruments: instruments)
        for citizen in citizens { tally.add(citizen) }
        return tally.overview(suppress: suppress)
    }

    /// The overview's counts, taken one citizen at a time: a caller can read an evaluation of any size in
    /// batches and keep only the counts (each answer set is scored once).
    public struct Tally: Sendable {
        let design: EvaluationDesign
        let instruments: [String: [Int: Instrument]]
        let baselineKey: String?
        /// The latest version of each instrument: its meaningful change judges every version's scores.
        let latest: [String: Instrument]
        var groups: [String: [String: CellCount]] = [:]
        var total: [String: CellCount] = [:]
        var scores: InstrumentScoreMemo

        struct FigureCount: Sendable {
            var scored = 0
            var scoreSum: Decimal = 0
            var flagged = 0
            var compared = 0
            var improved = 0
            var worsened = 0
        }

        struct CellCount: Sendable {
            var enrolled = 0
            var complete = 0
            var figures: [String: FigureCount] = [:]
        }

        public init(design: EvaluationDesign, instruments: [String: [Int: Instrument]]) {
            self.design = design
            self.instruments = instruments
            self.baselineKey = design.points.first?.key
            self.latest = instruments.compactMapValues { all in all.keys.max().flatMap { all[$0] } }
            self.scores = InstrumentScoreMemo(instruments: instruments)
        }

        mutating func score(_ citizen: CitizenData, point: String, instrument key: String) -> InstrumentScore? {
            guard let given = citizen.answers[point]?[key] else { return nil }
            return scores.score(key, version: given.version, values: given.values)
        }

        public mutating func add(_ citizen: CitizenData) {
            var cells: [String: CellCount] = [:]
            for point in design.points {
                var cell = CellCount(enrolled: 1)
                var all = !point.instruments.isEmpty
                for key in point.instruments {
                    var figure = FigureCount()
                    let now = score(citizen, point: point.key, instrument: key)
                    if let now {
                        figure.scored = 1
                        figure.scoreSum = now.score
                        figure.flagged = now.flags.isEmpty ? 0 : 1
                        if point.key != baselineKey, let baselineKey, let latest = latest[key],
                            let before = score(citizen, point: baselineKey, instrument: key)
                        {
                            figure.compared = 1
                            let change = latest.change(from: before, to: now)
                            if change.meaningful == true {
                                if change.delta > 0 { figure.improved = 1 } else { figure.worsened = 1 }
                            }
                        }
                    } else {
                        all = false
                    }
                    cell.figures[key] = figure
                }
                cell.complete = all ? 1 : 0
                cells[point.key] = cell
            }
            for (point, cell) in cells {
                groups[citizen.group, default: [:]][point, default: CellCount()].add(cell)
                total[point, default: CellCount()].add(cell)
            }
        }

        func cell(_ count: CellCount?, point: MeasurementPoint) -> Cell {
            let count = count ?? CellCount()
            return Cell(
                enrolled: count.enrolled, complete: count.complete,
                instruments: point.instruments.map { key in
                    let figure = count.figures[key] ?? FigureCount()
                    return InstrumentFigures(
                        instrument: key, scored: figure.scored,
                        meanScore: figure.scored == 0
                            ? nil : Instrument.rounded(figure.scoreSum / Decimal(figure.scored), places: 1),
                        flagged: figure.flagged, compared: figure.compared, improved: figure.improved,
                        worsened: figure.worsened)
                }, suppressed: false)
        }

        func row(_ group: String, _ counts: [String: CellCount]) -> Row {
            Row(
                group: group,
                cells: Dictionary(uniqueKeysWithValues: design.points.map { ($0.key, cell(counts[$0.key], point: $0)) })
            )
        }

        /// The overview of the citizens added; `suppress` withholds small cells as `compute` says.
        public func overview(suppress: Bool) -> EvaluationOverview {
            var rows = groups.keys.sorted().map { row($0, groups[$0] ?? [:]) }
            let total = row("I alt", total)
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
}

extension EvaluationOverview.Tally.CellCount {
    mutating func add(_ other: Self) {
        enrolled += other.enrolled
        complete += other.complete
        for (key, figure) in other.figures {
            var sum = figures[key] ?? .init()
            sum.scored += figure.scored
            sum.scoreSum += figure.scoreSum
            sum.flagged += figure.flagged
            sum.compared += figure.compared
            sum.improved += figure.improved
            sum.worsened += figure.worsened
            figures[key] = sum
        }
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
