import Foundation
import PuljeDomain
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads an uploaded table: an XLSX workbook's first sheet (through ZIPFoundation and Foundation's XML
/// parser), or CSV as UTF-8 text. Numbers in XLSX cells come back as Danish decimals ("2,5"), as a person
/// would have typed them.
enum SpreadsheetReader {
    enum Problem: Error, Equatable {
        case unreadable
        case notUTF8
        case unclosedQuote
        case tooLarge

        var danishMessage: String {
            switch self {
            case .unreadable: "Filen kan ikke læses som CSV eller XLSX. Brug skabelonen."
            case .notUTF8: "CSV-filen skal være gemt som UTF-8 (i Excel: CSV UTF-8)."
            case .unclosedQuote: "CSV-filen har et anførselstegn, der ikke lukkes."
            case .tooLarge: "Regnearket er for stort pakket ud (højst 50 MB)."
            }
        }
    }

    /// The largest uncompressed part of a workbook read: a guard against a small file that unpacks to gigabytes.
    static let maximumPartBytes = 50_000_000

    static func rows(_ bytes: [UInt8]) -> Result<[[String]], Problem> {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return workbook(bytes) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notUTF8) }
        guard let rows = DelimitedText.parse(text) else { return .failure(.unclosedQuote) }
        return .success(rows)
    }

    static func part(_ archive: Archive, _ path: String) -> Result<Data?, Problem> {
        guard let entry = archive[path] else { return .success(nil) }
        guard entry.uncompressedSize <= UInt64(maximumPartBytes) else { return .failure(.tooLarge) }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
        } catch {
            return .failure(.unreadable)
        }
        return .success(data)
    }

    static func workbook(_ bytes: [UInt8]) -> Result<[[String]], Problem> {
        guard let archive = try? Archive(data: Data(bytes), accessMode: .read, pathEncoding: nil) else {
            return .failure(.unreadable)
        }
        let shared: [String]
        switch part(archive, "xl/sharedStrings.xml") {
        case .failure(let problem): return .failure(problem)
        case .success(let data): shared = data.map { SharedStrings.read($0) } ?? []
        }
        switch part(archive, "xl/worksheets/sheet1.xml") {
        case .failure(let problem): return .failure(problem)
        case .success(nil): return .failure(.unreadable)
        case .success(let data?):
            guard let rows = Sheet.read(data, shared: shared) else { return .failure(.unreadable) }
            return .success(rows)
        }
    }

    /// The shared strings of a workbook: each `<si>`'s text runs joined.
    final class SharedStrings: NSObject, XMLParserDelegate {
        var strings: [String] = []
        var current = ""
        var inText = false

        static func read(_ data: Data) -> [String] {
            let reader = SharedStrings()
            let parser = XMLParser(data: data)
            parser.delegate = reader
            parser.parse()
            return reader.strings
        }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if name == "si" { current = "" }
            if name == "t" { inText = true }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { current += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "t" { inText = false }
            if name == "si" { strings.append(current) }
        }
    }

    /// The cells of a worksheet, placed by their references ("C4").
    final class Sheet: NSObject, XMLParserDelegate {
        var rows: [Int: [Int: String]] = [:]
        let shared: [String]
        var reference = ""
        var type = ""
        var value = ""
        var inValue = false
        var failed = false

        init(shared: [String]) { self.shared = shared }

        static func read(_ data: Data, shared: [String]) -> [[String]]? {
            let reader = Sheet(shared: shared)
            let parser = XMLParser(data: data)
            parser.delegate = reader
            guard parser.parse(), !reader.failed else { return nil }
            guard let last = reader.rows.keys.max() else { return [] }
            guard last <= EvaluationImport.maximumRows + 1 else { return nil }
            return (1...last).map { number in
                let cells = reader.rows[number] ?? [:]
                guard let width = cells.keys.max() else { return [] }
                return (0...width).map { cells[$0] ?? "" }
            }
        }

        /// "C4" → (row 4, column 2); nil for anything else.
        static func position(_ reference: String) -> (row: Int, column: Int)? {
            var column = 0
            var digits = ""
            for character in reference.uppercased() {
                if let ascii = character.asciiValue, ascii >= 65, ascii <= 90, digits.isEmpty {
                    column = column * 26 + Int(ascii - 64)
                    if column > 16_384 { return nil }
                } else if character.isASCII && character.isNumber {
                    digits.append(character)
                } else {
                    return nil
                }
            }
            guard column > 0, let row = Int(digits), row > 0, row <= 1_048_576 else { return nil }
            return (row, column - 1)
        }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch name {
            case "c":
                reference = attributes["r"] ?? ""
                type = attributes["t"] ?? "n"
                value = ""
            case "v", "t": inValue = true
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inValue { value += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "v", "t": inValue = false
            case "c":
                guard let (row, column) = Self.position(reference) else {
                    failed = true
                    parser.abortParsing()
                    return
                }
                var text = value
                switch type {
                case "s": text = Int(value).flatMap { $0 >= 0 && $0 < shared.count ? shared[$0] : nil } ?? ""
                case "n":
                    // 2.5 as stored is 2,5 as typed; whole numbers stay whole.
                    if let number = Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")) {
                        text = DanishNumber.decimal(number).replacingOccurrences(of: ".", with: "")
                    }
                default: break
                }
                rows[row, default: [:]][column] = text
            default: break
            }
        }
    }
}
