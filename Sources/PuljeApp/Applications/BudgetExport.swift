import Foundation
import PuljeDomain
import Vapor
import ZIPFoundation

/// The budget of an application as a download: CSV for Danish Excel, or XLSX.
enum BudgetExport {
    @Sendable static func csv(req: Request) async throws -> Response {
        let loaded = try await ApplicationCase.open(req)
        let content = try loaded.application.submittedContent() ?? loaded.application.content()
        return download(Data(BudgetTable.csv(content.budget).utf8), type: "text/csv; charset=utf-8", name: "budget.csv")
    }

    @Sendable static func xlsx(req: Request) async throws -> Response {
        let loaded = try await ApplicationCase.open(req)
        let content = try loaded.application.submittedContent() ?? loaded.application.content()
        return download(
            try XLSX.workbook(sheet: "Budget", rows: BudgetTable.rows(content.budget)),
            type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name: "budget.xlsx")
    }

    static func download(_ data: Data, type: String, name: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}

/// The smallest workbook Excel, LibreOffice and openpyxl all open: one sheet, inline strings,
/// numbers as numbers (amounts in kroner with two decimals).
enum XLSX {
    static func workbook(sheet name: String, rows: [[BudgetTable.Cell]]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        try addParts(to: archive, sheet: name)
        let data = Data(sheetXML(rows).utf8)
        try archive.addEntry(
            with: sheetPath, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
            provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        guard let data = archive.data else { throw PuljeError(.internalServerError, "Regnearket kunne ikke dannes.") }
        return data
    }

    /// Writes a workbook to `file` around a sheet already written to `sheetFile` (`sheetStart`, `row`s,
    /// `sheetEnd`): the sheet is read from disk in chunks, so memory stays flat in the number of rows.
    static func writeWorkbook(sheet name: String, sheetFile: URL, to file: URL) throws {
        let archive = try Archive(url: file, accessMode: .create)
        try addParts(to: archive, sheet: name)
        try archive.addEntry(with: sheetPath, fileURL: sheetFile, compressionMethod: .deflate)
    }

    static let sheetPath = "xl/worksheets/sheet1.xml"

    /// Every part of the workbook but its sheet.
    private static func addParts(to archive: Archive, sheet name: String) throws {
        let parts: [(String, String)] = [
            (
                "[Content_Types].xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
                """
            ),
            (
                "_rels/.rels",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """
            ),
            (
                "xl/workbook.xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="\(escape(name))" sheetId="1" r:id="rId1"/></sheets></workbook>
                """
            ),
            (
                "xl/_rels/workbook.xml.rels",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
                """
            ),
            (
                "xl/styles.xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf xfId="0"/><xf numFmtId="164" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
                """
            ),
        ]
        for (path, xml) in parts {
            let data = Data(xml.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
    }

    static let sheetStart =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    static let sheetEnd = "</sheetData></worksheet>"

    static func sheetXML(_ rows: [[BudgetTable.Cell]]) -> String {
        var xml = sheetStart
        for (r, cells) in rows.enumerated() { xml += row(cells, number: r + 1) }
        return xml + sheetEnd
    }

    /// One row of the sheet, numbered from 1.
    static func row(_ cells: [BudgetTable.Cell], number: Int) -> String {
        var xml = "<row r=\"\(number)\">"
        for (c, cell) in cells.enumerated() {
            let ref = column(c) + String(number)
            switch cell {
            case .empty: continue
            case .text(let text) where text.isEmpty: continue
            case .text(let text):
                xml += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(text))</t></is></c>"
            case .number(let hundredths): xml += "<c r=\"\(ref)\"><v>\(plain(hundredths))</v></c>"
            case .amount(let money): xml += "<c r=\"\(ref)\" s=\"1\"><v>\(plain(money.ore))</v></c>"
            }
        }
        return xml + "</row>"
    }

    /// 0 → A, 25 → Z, 26 → AA.
    static func column(_ index: Int) -> String {
        var index = index
        var name = ""
        repeat {
            name = String(UnicodeScalar(UInt8(65 + index % 26))) + name
            index = index / 26 - 1
        } while index >= 0
        return name
    }

    /// Hundredths as a plain decimal with a point, as XML numbers are written.
    static func plain(_ hundredths: Int64) -> String {
        let sign = hundredths < 0 ? "-" : ""
        let value = hundredths.magnitude
        let rest = value % 100
        let fraction = rest % 10 == 0 ? String(rest / 10) : (rest < 10 ? "0" : "") + String(rest)
        return sign + String(value / 100) + (rest == 0 ? "" : "." + fraction)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // Control characters are not allowed in XML 1.0; tab, newline and carriage return are.
            case _ where scalar.value < 0x20 && ![0x09, 0x0A, 0x0D].contains(scalar.value): continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
