import Fluent
import Foundation
import PuljeDomain

/// Turns the export's rows from the database into CSV lines, citizen by citizen, with the domain's
/// `EvaluationExport`. Each distinct answer set is scored once (WHO-5 has 7.776 of them; a large evaluation
/// repeats them many times).
struct EvaluationExporter {
    let form: EvaluationExport.Form
    let design: EvaluationDesign
    let instruments: [String: [Int: Instrument]]
    var scores: InstrumentScoreMemo

    init(form: EvaluationExport.Form, design: EvaluationDesign, instruments: [String: [Int: Instrument]]) {
        self.form = form
        self.design = design
        self.instruments = instruments
        self.scores = InstrumentScoreMemo(instruments: instruments)
    }

    /// The export's header row.
    var header: [BudgetTable.Cell] {
        form == .long
            ? EvaluationExport.longHeader : EvaluationExport.wideHeader(design: design, instruments: instruments)
    }

    /// The CSV of table rows.
    static func csv(_ table: [[BudgetTable.Cell]]) -> String {
        var out = ""
        out.reserveCapacity(table.count * 120)
        for line in table { out += BudgetTable.csvLine(line) }
        return out
    }

    /// Reads an evaluation's citizens `batch` at a time, in the order of their ids, and hands over each
    /// batch's table rows with the number of citizens in it: only one batch is in memory at a time.
    mutating func walk(
        _ evaluation: UUID, batch: Int = 1000, on db: any Database,
        _ each: ([[BudgetTable.Cell]], Int) async throws -> Void
    ) async throws {
        var after: UUID?
        while true {
            let rows = try await EvaluationStore.exportBatch(of: evaluation, after: after, limit: batch, on: db)
            guard let last = rows.last else { return }
            after = last.id
            var citizens = 0
            var previous: UUID?
            for row in rows where row.id != previous {
                citizens += 1
                previous = row.id
            }
            try await each(table(rows), citizens)
        }
    }

    /// The table rows of the database rows.
    mutating func table(_ rows: [EvaluationStore.ExportRow]) -> [[BudgetTable.Cell]] {
        var out: [[BudgetTable.Cell]] = []
        for citizen in Self.citizens(rows) { out += lines(citizen) }
        return out
    }

    /// The citizens of batch rows (every row of a citizen together, as the query orders them).
    static func citizens(_ rows: [EvaluationStore.ExportRow]) -> [EvaluationExport.Citizen] {
        var out: [EvaluationExport.Citizen] = []
        var start = 0
        while start < rows.count {
            var end = start + 1
            while end < rows.count && rows[end].id == rows[start].id { end += 1 }
            out.append(citizen(rows[start..<end]))
            start = end
        }
        return out
    }

    /// One citizen from their rows.
    static func citizen(_ rows: ArraySlice<EvaluationStore.ExportRow>) -> EvaluationExport.Citizen {
        let first = rows[rows.startIndex]
        var answers: [String: [String: (version: Int, values: [String: Int])]] = [:]
        var fields: [String: [String: String]] = [:]
        for row in rows {
            guard let point = row.pointKey else { continue }
            if let json = row.answersJSON {
                answers[point] = InstrumentAnswers.read(json).mapValues { ($0.version, $0.values) }
            }
            if let json = row.fieldsJSON { fields[point] = InstrumentAnswers.readFields(json) }
        }
        return EvaluationExport.Citizen(
            pseudonym: first.pseudonym, data: CitizenData(group: first.organisation, answers: answers),
            baseline: CalendarDate(parsing: first.baselineDate), birthYear: first.birthYear, sex: first.sex,
            fields: fields)
    }

    mutating func lines(_ citizen: EvaluationExport.Citizen) -> [[BudgetTable.Cell]] {
        var memo = scores
        defer { scores = memo }
        let score: (String, Int, [String: Int]) -> InstrumentScore? = { key, version, values in
            memo.score(key, version: version, values: values)
        }
        switch form {
        case .long: return EvaluationExport.longRows(citizen, design: design, instruments: instruments, score: score)
        case .wide: return [EvaluationExport.wideRow(citizen, design: design, instruments: instruments, score: score)]
        }
    }
}
