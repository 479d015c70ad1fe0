/// An amount of Danish kroner, kept as a whole number of øre so that sums are exact.
///
/// Arithmetic never traps: amounts from users are bounded where they enter (`DraftLimits`), far below
/// where a sum could overflow, and should an unbounded value ever reach a sum it saturates at the
/// largest amount instead of taking the server down.
public struct Money: Hashable, Comparable, Sendable, Codable {
    public var ore: Int64

    public init(ore: Int64) { self.ore = ore }
    public init(kroner: Int64) { self.ore = Money.saturating(kroner.multipliedReportingOverflow(by: 100), kroner >= 0) }

    public static let zero = Money(ore: 0)

    /// Whole kroner, rounded towards zero (amounts in the catalogue are always whole kroner).
    public var kroner: Int64 { ore / 100 }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.ore < rhs.ore }
    public static func + (lhs: Money, rhs: Money) -> Money {
        Money(ore: saturating(lhs.ore.addingReportingOverflow(rhs.ore), rhs.ore >= 0))
    }
    public static func - (lhs: Money, rhs: Money) -> Money {
        Money(ore: saturating(lhs.ore.subtractingReportingOverflow(rhs.ore), rhs.ore < 0))
    }
    public static func += (lhs: inout Money, rhs: Money) { lhs = lhs + rhs }

    /// The sum, or nil when it would not fit in 64 bits.
    public func adding(_ other: Money) -> Money? {
        let (sum, overflow) = ore.addingReportingOverflow(other.ore)
        return overflow ? nil : Money(ore: sum)
    }

    /// A result that overflowed becomes the largest or smallest amount, in the direction it was going.
    static func saturating(_ result: (partialValue: Int64, overflow: Bool), _ upwards: Bool) -> Int64 {
        guard result.overflow else { return result.partialValue }
        return upwards ? .max : .min
    }
}

extension Sequence where Element == Money {
    public func sum() -> Money { reduce(.zero, +) }
}

/// How amounts are written for Danish readers: "1.234.567 kr.", "13,0 mio. kr.".
public enum DanishAmount {
    /// "1.234.567 kr." — øre are shown only when there are any ("1.234,50 kr.").
    public static func kroner(_ money: Money) -> String {
        let negative = money.ore < 0
        let magnitude = money.ore.magnitude
        var text = groupThousands(magnitude / 100)
        let ore = magnitude % 100
        if ore != 0 { text += "," + (ore < 10 ? "0" : "") + String(ore) }
        return (negative ? "-" : "") + text + " kr."
    }

    /// "13,0 mio. kr.": millions with one decimal, rounded half away from zero.
    /// The amount as in a form field, without the unit: "1.234.567", "1.234,50"; `parse` reads it back.
    public static func plain(_ money: Money) -> String {
        let text = kroner(money)
        return text.hasSuffix(" kr.") ? String(text.dropLast(4)) : text
    }

    public static func millions(_ money: Money, decimals: Int = 1) -> String {
        let scale = Int64(pow10(decimals))
        let divisor = Int64(100_000_000) / scale  // øre per shown unit
        let magnitude = money.ore.magnitude
        let units = (magnitude + UInt64(divisor / 2)) / UInt64(divisor)
        let whole = units / UInt64(scale)
        var text = groupThousands(whole)
        if decimals > 0 {
            let fraction = String(units % UInt64(scale))
            text += "," + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return (money.ore < 0 ? "-" : "") + text + " mio. kr."
    }

    /// Reads an amount as a Danish user writes it: "1.234.567", "1234567", "1.234,50", "1234,5 kr.".
    /// Returns nil for anything else, including more than two decimals.
    public static func parse(_ input: String) -> Money? {
        var text = input.trimmingWhitespace()
        if text.hasSuffix("kr.") {
            text = String(text.dropLast(3)).trimmingWhitespace()
        } else if text.hasSuffix("kr") {
            text = String(text.dropLast(2)).trimmingWhitespace()
        }
        var negative = false
        if text.hasPrefix("-") {
            negative = true
            text.removeFirst()
        }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let wholePart = String(parts[0])
        let groups = wholePart.split(separator: ".", omittingEmptySubsequences: false)
        if groups.count > 1 {
            // Thousands separators must separate groups of exactly three digits.
            guard let first = groups.first, (1...3).contains(first.count),
                groups.dropFirst().allSatisfy({ $0.count == 3 })
            else { return nil }
        }
        let digits = groups.joined()
        guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy(\.isASCIIDigit), let whole = Int64(digits) else {
            return nil
        }
        var ore = whole * 100
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy(\.isASCIIDigit), let value = Int64(fraction)
            else {
                return nil
            }
            ore += fraction.count == 1 ? value * 10 : value
        }
        return Money(ore: negative ? -ore : ore)
    }

    static func groupThousands(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(".") }
            out.append(digit)
        }
        return out
    }

    private static func pow10(_ n: Int) -> Int { (0..<n).reduce(1) { acc, _ in acc * 10 } }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

/// Numbers with up to two decimals as Danes write them ("0,5", "37,5", "1.200"), as hundredths.
public enum DanishNumber {
    public static func hundredths(_ input: String) -> Int64? {
        DanishAmount.parse(input)?.ore
    }

    /// "0,5", "37,5", "12"
    public static func format(hundredths: Int64) -> String {
        let text = DanishAmount.kroner(Money(ore: hundredths))
        return String(text.dropLast(4))
    }
}
