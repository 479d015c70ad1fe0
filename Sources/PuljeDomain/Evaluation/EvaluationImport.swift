import Foundation

/// Delimited text as spreadsheets write it: semicolons (Danish Excel) or commas, whichever the first line
/// has more of outside quotes; fields in double quotes with quotes doubled; CRLF or LF; a byte order mark
/// ignored. Nil when a quote is never closed.
public enum DelimitedText {
    public static func parse(_ text: String) -> [[String]]? {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        let delimiter = detectDelimiter(scalars)
        var rows: [[String]] = []
        var row: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if quoted {
                if scalar == "\"" {
                    if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(scalar)
                }
            } else if scalar == "\"" && field.isEmpty {
                quoted = true
            } else if scalar == delimiter {
                row.append(String(field))
                field = .init()
            } else if scalar == "\r" || scalar == "\n" {
                if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
                row.append(String(field))
                field = .init()
                rows.append(row)
                row = []
            } else {
                field.append(scalar)
            }
            index += 1
        }
        if quoted { return nil }
        if !field.isEmpty || !row.isEmpty {
            row.append(String(field))
            rows.append(row)
        }
        return rows
    }

    static func detectDelimiter(_ scalars: [Unicode.Scalar]) -> Unicode.Scalar {
        var semicolons = 0
        var commas = 0
        var quoted = false
        for scalar in scalars {
            if scalar == "\"" { quoted.toggle() }
            if quoted { continue }
            if scalar == "\n" || scalar == "\r" { break }
            if scalar == ";" { semicolons += 1 }
            if scalar == "," { commas += 1 }
        }
        return commas > semicolons ? "," : ";"
    }
}

/// The bulk import of a municipality's citizens and measurements, from the evaluator's template (CSV or
/// XLSX): one row per citizen, identified by CPR number (made a pseudonym at once), with the answers and
/// fields of any measurement points. Every row is checked, every bad cell named by row and column; a file with
/// any problem imports nothing.
public enum EvaluationImport {
    public static let maximumRows = 10_000

    public static let cprColumn = "cpr"
    public static let baselineColumn = "baseline_dato"
    public static let consentColumn = "samtykke"

    /// A row that passed every check.
    public struct Row: Sendable {
        /// The row's number in the file (the header is 1).
        public var line: Int
        public var cpr: CPRNumber
        public var baseline: CalendarDate?
        public var consent: Bool
        /// Point → instrument → item → value.
        public var answers: [String: [String: [String: Int]]]
        /// Point → field → value.
        public var fields: [String: [String: Decimal]]
    }

    /// A bad cell, by row and column. It never repeats a CPR number.
    public struct Problem: Hashable, Sendable {
        public var line: Int
        public var column: String
        public var message: String

        public init(line: Int, column: String, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }

        public var danishText: String {
            column.isEmpty ? "Række \(line): \(message)" : "Række \(line), kolonne \(column): \(message)"
        }
    }

    /// Every problem of a file.
    public struct Problems: Error, Sendable {
        public var all: [Problem]
        public init(_ all: [Problem]) { self.all = all }
    }

    enum Column {
        case cpr
        case baseline
        case consent
        case answer(point: String, instrument: Instrument, item: String)
        case field(point: String, field: DataField)
    }

    /// The template's columns: CPR, baseline date, consent where asked, then per point each instrument's items
    /// and, at the follow-ups, the fields.
    public static func header(design: EvaluationDesign, instruments: [String: Instrument]) -> [String] {
        columns(design: design, instruments: instruments).map(\.name)
    }

    static func columns(design: EvaluationDesign, instruments: [String: Instrument]) -> [(name: String, column: Column)]
    {
        var columns: [(String, Column)] = [(cprColumn, .cpr), (baselineColumn, .baseline)]
        if design.requiresConsent { columns.append((consentColumn, .consent)) }
        for point in design.points {
            for key in point.instruments {
                guard let instrument = instruments[key] else { continue }
                for item in instrument.items {
                    columns.append(
                        (
                            "\(point.key)_\(key)_\(item.key)",
                            .answer(point: point.key, instrument: instrument, item: item.key)
                        ))
                }
            }
            if point.monthsAfterBaseline > 0 {
                for field in design.fields {
                    columns.append(("\(point.key)_\(field.key)", .field(point: point.key, field: field)))
                }
            }
        }
        return columns
    }

    /// Reads the table (the first row its header); every problem or every row.
    public static func read(
        _ table: [[String]], design: EvaluationDesign, instruments: [String: Instrument], today: CalendarDate
    ) -> Result<[Row], Problems> {
        var problems: [Problem] = []
        guard let headerRow = table.first else {
            return .failure(Problems([Problem(line: 1, column: "", message: "Filen er tom.")]))
        }
        // A consent column is read (and then not needed) also where the design does not ask for consent.
        let known = Dictionary(
            (columns(design: design, instruments: instruments) + [(consentColumn, .consent)]).map {
                ($0.name, $0.column)
            },
            uniquingKeysWith: { a, _ in a })
        var layout: [(index: Int, column: Column)] = []
        var seen: Set<String> = []
        for (index, raw) in headerRow.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if name.isEmpty { continue }
            guard let column = known[name] else {
                problems.append(
                    Problem(
                        line: 1, column: String(name.prefix(60)),
                        message: "Kolonnen findes ikke i evalueringens skabelon."))
                continue
            }
            if !seen.insert(name).inserted {
                problems.append(Problem(line: 1, column: name, message: "Kolonnen står to gange."))
            }
            layout.append((index, column))
        }
        if !seen.contains(cprColumn) {
            problems.append(
                Problem(line: 1, column: cprColumn, message: "Filen skal have en kolonne med CPR-nummeret."))
        }
        let body = table.dropFirst().enumerated().filter {
            !$0.element.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
        if body.count > maximumRows {
            problems.append(
                Problem(line: 1, column: "", message: "Filen har flere end \(maximumRows) rækker; del den op."))
        }
        if !problems.isEmpty { return .failure(Problems(problems)) }
        if body.isEmpty {
            return .failure(Problems([Problem(line: 2, column: "", message: "Filen har ingen rækker med borgere.")]))
        }

        var rows: [Row] = []
        var digitsSeen: [String: Int] = [:]
        for (offset, cells) in body {
            let line = offset + 2
            var cpr: CPRNumber?
            var baseline: CalendarDate?
            var consent = false
            var answers: [String: [String: [String: Int]]] = [:]
            var fields: [String: [String: Decimal]] = [:]
            if cells.count > headerRow.count {
                problems.append(Problem(line: line, column: "", message: "Rækken har flere celler end overskriften."))
            }
            for (index, column) in layout {
                let text = index < cells.count ? cells[index].trimmingCharacters(in: .whitespaces) : ""
                let name = headerRow[index].trimmingCharacters(in: .whitespaces).lowercased()
                switch column {
                case .cpr:
                    switch CPRNumber.parse(text, today: today) {
                    case .success(let number): cpr = number
                    case .failure(let problem):
                        let message =
                            text.isEmpty
                            ? "CPR-nummeret mangler."
                            : text.count == 9 && text.allSatisfy(\.isASCIIDigit)
                                ? "CPR-nummeret har 9 cifre: et regneark fjerner det første 0, når kolonnen ikke er formateret som tekst."
                                : problem.danishMessage
                        problems.append(Problem(line: line, column: name, message: message))
                    }
                case .baseline:
                    if text.isEmpty { continue }
                    if let date = CalendarDate(parsing: text) ?? CalendarDate(spreadsheetSerial: text), date <= today {
                        baseline = date
                    } else {
                        problems.append(
                            Problem(
                                line: line, column: name, message: "Skriv en dato som dd.mm.åååå, ikke efter i dag."))
                    }
                case .consent:
                    switch text.lowercased() {
                    case "ja", "j", "1", "x": consent = true
                    case "", "nej", "n", "0": consent = false
                    default: problems.append(Problem(line: line, column: name, message: "Skriv ja eller nej."))
                    }
                case .answer(let point, let instrument, let item):
                    if text.isEmpty { continue }
                    if let value = Int(text), instrument.scaleValues.contains(value) {
                        answers[point, default: [:]][instrument.key, default: [:]][item] = value
                    } else {
                        problems.append(
                            Problem(
                                line: line, column: name,
                                message:
                                    "Svaret skal være et helt tal på skalaen \(instrument.scaleMinimum)–\(instrument.scaleMaximum)."
                            ))
                    }
                case .field(let point, let field):
                    switch field.parse(text) {
                    case .success(let value): if let value { fields[point, default: [:]][field.key] = value }
                    case .failure(let problem):
                        problems.append(Problem(line: line, column: name, message: problem.message))
                    }
                }
            }
            if let number = cpr {
                let key = String(decoding: number.digits.map { $0 + 0x30 }, as: UTF8.self)
                if let first = digitsSeen[key] {
                    problems.append(
                        Problem(line: line, column: cprColumn, message: "Samme borger som i række \(first)."))
                } else {
                    digitsSeen[key] = line
                }
                rows.append(
                    Row(line: line, cpr: number, baseline: baseline, consent: consent, answers: answers, fields: fields)
                )
            }
        }
        return problems.isEmpty ? .success(rows) : .failure(Problems(problems))
    }
}

extension CalendarDate {
    /// A date as a spreadsheet stores a date cell: its serial number, days counted as Excel and LibreOffice
    /// do (serial 61 is 1 March 1900, e.g. 46000 is 9 December 2025). Only 1 March 1900 to the year 2198;
    /// nil for anything else.
    public init?(spreadsheetSerial text: String) {
        guard (2...6).contains(text.count), text.allSatisfy(\.isASCIIDigit), let serial = Int(text),
            (61...109_000).contains(serial), let first = CalendarDate(year: 1900, month: 3, day: 1)
        else { return nil }
        self = first.adding(days: serial - 61)
    }
}
