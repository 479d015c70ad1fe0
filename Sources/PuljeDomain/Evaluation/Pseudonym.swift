import Crypto
import Foundation

/// A Danish CPR number, checked and held only as long as it takes to make a pseudonym of it. It never prints
/// its digits (`description` hides them), so it cannot reach a log or a page by accident.
public struct CPRNumber: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Sex: String, Sendable, Codable, CaseIterable {
        case female
        case male

        public var danishName: String {
            switch self {
            case .female: "Kvinde"
            case .male: "Mand"
            }
        }
    }

    /// The ten digits, without the hyphen.
    let digits: [UInt8]
    public let birthDate: CalendarDate

    public var description: String { "CPR-nummer (skjult)" }
    public var debugDescription: String { description }

    /// The birth year, where an evaluation design asks for it.
    public var birthYear: Int { birthDate.year }
    /// The sex the number was issued with (the last digit: odd for men, even for women).
    public var sex: Sex { digits[9] % 2 == 1 ? .male : .female }

    public enum Problem: Error, Equatable, Sendable {
        case format
        case date
        case future

        public var danishMessage: String {
            switch self {
            case .format: "Et CPR-nummer er 10 cifre, fx 010190-1234 eller 0101901234."
            case .date: "CPR-nummerets første 6 cifre er ikke en dato, der findes."
            case .future: "CPR-nummerets fødselsdato ligger efter i dag."
            }
        }
    }

    /// Reads "DDMMÅÅ-LLLL" or "DDMMÅÅLLLL" (spaces around it ignored). The date part must be a real date,
    /// with the century the seventh digit gives (the CPR office's table), not after `today`. The modulus-11
    /// check is not applied: numbers issued since 2007 need not pass it.
    public static func parse(_ input: String, today: CalendarDate) -> Result<CPRNumber, Problem> {
        var bytes = Array(input.utf8)
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0A || last == 0x0D { bytes.removeLast() }
        if bytes.count == 11, bytes[6] == UInt8(ascii: "-") { bytes.remove(at: 6) }
        guard bytes.count == 10, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .failure(.format) }
        let digits = bytes.map { $0 - 0x30 }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(digits[$1]) } }
        let day = number(0..<2)
        let month = number(2..<4)
        let twoDigitYear = number(4..<6)
        guard let century = century(seventhDigit: Int(digits[6]), year: twoDigitYear),
            let date = CalendarDate(year: century + twoDigitYear, month: month, day: day)
        else { return .failure(.date) }
        if date > today { return .failure(.future) }
        return .success(CPRNumber(digits: digits, birthDate: date))
    }

    /// The century of the birth year from the seventh digit (the first of the serial number) and the
    /// two-digit year, by the CPR office's table; nil for the 1800s, which no living citizen has.
    static func century(seventhDigit: Int, year: Int) -> Int? {
        switch seventhDigit {
        case 0...3: return 1900
        case 4, 9: return year <= 36 ? 2000 : 1900
        default: return year <= 57 ? 2000 : nil
        }
    }
}

/// A citizen's pseudonym in one evaluation: HMAC-SHA256 of the CPR number's ten digits under a key derived
/// (HKDF-SHA256) from the installation's pseudonym key and the evaluation's id. The same person gets the same
/// pseudonym within an evaluation, so a second enrolment is caught, and unrelated pseudonyms in two
/// evaluations, so they cannot be linked. A CPR number has few possible values (a date and four digits), so
/// an unkeyed hash could be reversed by trying them all; the key lives outside the database.
public struct Pseudonym: Hashable, Sendable, Codable, CustomStringConvertible {
    /// 64 lower-case hex digits.
    public let value: String

    public init?(stored: String) {
        guard stored.utf8.count == 64,
            stored.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        value = stored
    }

    init(value: String) { self.value = value }

    /// The first 12 hex digits in groups of four, upper case, for a page: "3F9A-21C7-0B4E".
    public var short: String {
        let head = Array(value.prefix(12).uppercased())
        return stride(from: 0, to: head.count, by: 4).map { String(head[$0..<min($0 + 4, head.count)]) }
            .joined(separator: "-")
    }

    public var description: String { short }

    /// The smallest installation key accepted: 32 bytes.
    public static let minimumKeyBytes = 32

    public static func of(_ cpr: CPRNumber, evaluation: UUID, installationKey: [UInt8]) -> Pseudonym {
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: installationKey),
            info: Array("pulje-evaluation-pseudonym:\(evaluation.uuidString.lowercased())".utf8), outputByteCount: 32)
        let digits = cpr.digits.map { $0 + 0x30 }
        let mac = HMAC<SHA256>.authenticationCode(for: digits, using: derived)
        return Pseudonym(value: mac.map { String(format: "%02x", $0) }.joined())
    }
}
