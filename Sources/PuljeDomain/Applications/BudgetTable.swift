/// An application budget as a table: one row a line with its months, then totals by year and category.
/// The one shape both the CSV and the XLSX export write.
public enum BudgetTable {
    public enum Cell: Hashable, Sendable {
        case text(String)
        case number(hundredths: Int64)
        case amount(Money)
        case empty
    }

    static let monthNames = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]

    /// A whole number as a number cell; as text should it not fit (only a year that never passed the
    /// draft limits could).
    static func whole(_ value: Int) -> Cell {
        let (hundredths, overflow) = Int64(value).multipliedReportingOverflow(by: 100)
        return overflow ? .text(String(value)) : .number(hundredths: hundredths)
    }

    public static func rows(_ lines: [BudgetLine]) -> [[Cell]] {
        var rows: [[Cell]] = [
            [
                .text("Linje"), .text("Kategori"), .text("Beskrivelse"), .text("Antal"), .text("Enhedspris (kr.)"),
                .text("År"),
            ]
                + monthNames.map { .text($0) } + [.text("I alt (kr.)"), .text("Budgetnote")]
        ]
        for (index, line) in lines.enumerated() {
            let monthly = line.monthlyAmounts
            rows.append(
                [
                    whole(index + 1), .text(line.category.danishName),
                    .text(line.description),
                    .number(hundredths: line.unitsHundredths), .amount(line.unitPrice),
                    whole(line.year),
                ]
                    + (1...12).map { monthly[$0].map(Cell.amount) ?? .empty } + [
                        .amount(line.amount), .text(line.note),
                    ])
        }
        let totals = BudgetTotals(lines)
        rows.append([])
        for (year, amount) in totals.byYear.sorted(by: { $0.key < $1.key }) {
            rows.append(
                [.text("I alt \(year)"), .empty, .empty, .empty, .empty, whole(year)]
                    + monthTotals(lines, year: year) + [.amount(amount)])
        }
        for category in ExpenseCategory.allCases {
            if let amount = totals.byCategory[category] {
                rows.append(
                    [.text("I alt"), .text(category.danishName)] + Array(repeating: Cell.empty, count: 16) + [
                        .amount(amount)
                    ])
            }
        }
        rows.append([.text("I alt")] + Array(repeating: Cell.empty, count: 17) + [.amount(totals.total)])
        return rows
    }

    static func monthTotals(_ lines: [BudgetLine], year: Int) -> [Cell] {
        var sums: [Int: Money] = [:]
        for line in lines where line.year == year {
            for (month, amount) in line.monthlyAmounts { sums[month, default: .zero] += amount }
        }
        return (1...12).map { sums[$0].map(Cell.amount) ?? .empty }
    }

    /// CSV that Danish Excel opens as it is: UTF-8 with BOM, semicolons, decimal comma, CRLF.
    /// Text that a spreadsheet would take for a formula is prefixed with an apostrophe.
    public static func csv(_ lines: [BudgetLine]) -> String {
        csv(rows: rows(lines))
    }

    /// Any table as CSV for Danish Excel.
    public static func csv(rows: [[Cell]]) -> String {
        "\u{FEFF}" + rows.map { row in row.map(csvCell).joined(separator: ";") }.joined(separator: "\r\n")
            + "\r\n"
    }

    /// One row of CSV for Danish Excel, ending in CRLF (for files written a batch at a time after a header
    /// that `csvStart` begins).
    public static func csvLine(_ row: [Cell]) -> String {
        var line = ""
        line.reserveCapacity(row.count * 12)
        for (index, cell) in row.enumerated() {
            if index > 0 { line.append(";") }
            line.append(csvCell(cell))
        }
        line.append("\r\n")
        return line
    }

    /// What a CSV file for Danish Excel begins with: the byte order mark.
    public static let csvStart = "\u{FEFF}"

    static func csvCell(_ cell: Cell) -> String {
        switch cell {
        case .empty: return ""
        case .number(let hundredths): return decimal(hundredths)
        case .amount(let money): return decimal(money.ore)
        case .text(let text):
            // Read as bytes: every character that matters here is ASCII, and this runs for every cell of a
            // million-row export.
            let utf8 = text.utf8
            var out = text
            if let first = utf8.first,
                first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
                    || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
            {
                out = "'" + text
            }
            if utf8.contains(where: { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D })
            {
                return "\"" + out.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return out
        }
    }

    /// 123450 → "1234,5"; 100 → "1": no thousands separators, so every spreadsheet reads a number.
    static func decimal(_ hundredths: Int64) -> String {
        let sign = hundredths < 0 ? "-" : ""
        let value = hundredths.magnitude
        let whole = value / 100
        let rest = value % 100
        if rest == 0 { return sign + String(whole) }
        let fraction = rest % 10 == 0 ? String(rest / 10) : (rest < 10 ? "0" + String(rest) : String(rest))
        return sign + String(whole) + "," + fraction
    }
}
