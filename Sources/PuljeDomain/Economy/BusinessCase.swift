import Foundation

/// Who pays for a consequence or a cost, and so gains when the consequence changes.
public enum Payer: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable, Hashable {
    case municipality
    case region
    case state

    public var danishName: String {
        switch self {
        case .municipality: "Kommune"
        case .region: "Region"
        case .state: "Stat"
        }
    }
}

/// What a cost is: the start-up and the operation of the intervention count against it, the costs of
/// current practice that it replaces count for it.
public enum CostKind: String, CaseIterable, Codable, Sendable, Hashable {
    case startUp
    case operation
    case saved

    public var danishName: String {
        switch self {
        case .startUp: "Etablering"
        case .operation: "Drift"
        case .saved: "Sparede udgifter til nuværende praksis"
        }
    }
}

/// The inputs of a business case in the manner of the social-economic investment model (SØM), as
/// `../shared/domain.md` states it. Amounts are kroner with at most two decimals, at the price level
/// their item names (the case's own when none is named); rates are percent.
public struct BusinessCaseInput: Codable, Hashable, Sendable {
    public var title: String
    /// The price level the results are shown at (a year).
    public var priceLevel: Int
    /// The calendar year of the first cohort; year index t = 0 in the formulas.
    public var firstYear: Int
    /// How many years the results cover, 1 to 10.
    public var horizon: Int
    /// Percent a year; 0 unless set.
    public var discountRate: Decimal
    /// The share that succeeds with the new intervention, in percent.
    public var successRateNew: Decimal
    /// The share that succeeds with current practice, in percent.
    public var successRateCurrent: Decimal
    /// Where Pulje found the success rate with the intervention (the evaluation data), if it did; a rate that
    /// differs from the source needs `successRateOverrideReason`.
    public var successRateSource: RateSource?
    public var successRateOverrideReason: String?
    /// N_c: citizens completing the intervention in year `firstYear + c`.
    public var cohorts: [Int]
    public var consequences: [Consequence]
    public var costs: [Cost]

    public struct Consequence: Codable, Hashable, Sendable {
        public var name: String
        /// What is counted, e.g. "uger på kontanthjælp".
        public var unit: String
        /// The price level of the prices; the case's when nil.
        public var priceLevel: Int?
        /// p_k,a: kroner per unit for each payer that pays for it.
        public var prices: [Payer: Decimal]
        /// Δq_k,τ: the change in yearly use by one successful citizen τ = 0, 1, … years after completion
        /// (negative when less is used). Years not given are 0.
        public var changes: [Decimal]

        public init(name: String, unit: String, priceLevel: Int? = nil, prices: [Payer: Decimal], changes: [Decimal]) {
            self.name = name
            self.unit = unit
            self.priceLevel = priceLevel
            self.prices = prices
            self.changes = changes
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            unit = try c.decodeIfPresent(String.self, forKey: .unit) ?? ""
            priceLevel = try c.decodeIfPresent(Int.self, forKey: .priceLevel)
            prices = try c.decode([Payer: Decimal].self, forKey: .prices)
            changes = try c.decode([Decimal].self, forKey: .changes)
        }
    }

    public struct Cost: Codable, Hashable, Sendable {
        public var name: String
        public var kind: CostKind
        public var payer: Payer
        public var priceLevel: Int?
        /// Kroner in year `firstYear + t`, t = 0, 1, …; years not given are 0.
        public var amounts: [Decimal]
        /// Where Pulje took the amounts from, when it did.
        public var source: CostSource?
        /// Why the amounts differ from the source's, when they do.
        public var overrideReason: String?

        public init(
            name: String, kind: CostKind, payer: Payer, priceLevel: Int? = nil, amounts: [Decimal],
            source: CostSource? = nil, overrideReason: String? = nil
        ) {
            self.name = name
            self.kind = kind
            self.payer = payer
            self.priceLevel = priceLevel
            self.amounts = amounts
            self.source = source
            self.overrideReason = overrideReason
        }

        /// Whether the amounts are other than the source's (trailing zero years aside).
        public var differsFromSource: Bool {
            guard let source else { return false }
            func trimmed(_ values: [Decimal]) -> [Decimal] {
                var out = values
                while out.last == 0 { out.removeLast() }
                return out
            }
            return trimmed(amounts) != trimmed(source.amounts)
        }
    }

    public init(
        title: String, priceLevel: Int, firstYear: Int, horizon: Int, discountRate: Decimal = 0,
        successRateNew: Decimal, successRateCurrent: Decimal, cohorts: [Int], consequences: [Consequence],
        costs: [Cost], successRateSource: RateSource? = nil, successRateOverrideReason: String? = nil
    ) {
        self.successRateSource = successRateSource
        self.successRateOverrideReason = successRateOverrideReason
        self.title = title
        self.priceLevel = priceLevel
        self.firstYear = firstYear
        self.horizon = horizon
        self.discountRate = discountRate
        self.successRateNew = successRateNew
        self.successRateCurrent = successRateCurrent
        self.cohorts = cohorts
        self.consequences = consequences
        self.costs = costs
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decode(String.self, forKey: .title)
        priceLevel = try c.decode(Int.self, forKey: .priceLevel)
        firstYear = try c.decode(Int.self, forKey: .firstYear)
        horizon = try c.decode(Int.self, forKey: .horizon)
        discountRate = try c.decodeIfPresent(Decimal.self, forKey: .discountRate) ?? 0
        successRateNew = try c.decode(Decimal.self, forKey: .successRateNew)
        successRateCurrent = try c.decode(Decimal.self, forKey: .successRateCurrent)
        cohorts = try c.decode([Int].self, forKey: .cohorts)
        consequences = try c.decodeIfPresent([Consequence].self, forKey: .consequences) ?? []
        costs = try c.decodeIfPresent([Cost].self, forKey: .costs) ?? []
        successRateSource = try c.decodeIfPresent(RateSource.self, forKey: .successRateSource)
        successRateOverrideReason = try c.decodeIfPresent(String.self, forKey: .successRateOverrideReason)
    }

    /// The years the results cover.
    public var years: [Int] {
        horizon > 0 && horizon <= BusinessCaseLimits.horizon ? (0..<horizon).map { firstYear + $0 } : []
    }

    /// Every problem with the input, each with the path of the value it is about; empty when it can be computed.
    public func problems() -> [BusinessCaseProblem] {
        var found: [BusinessCaseProblem] = []
        func add(_ path: String, _ message: String) { found.append(BusinessCaseProblem(path: path, message: message)) }
        let limits = BusinessCaseLimits.self
        let trimmedTitle = title.trimmingWhitespace()
        if trimmedTitle.isEmpty { add("title", "Titlen skal udfyldes.") }
        if title.count > limits.textLength { add("title", "Titlen må højst være \(limits.textLength) tegn.") }
        if !limits.years.contains(priceLevel) { add("priceLevel", "Prisniveauet skal være et årstal, fx 2022.") }
        if !limits.years.contains(firstYear) { add("firstYear", "Første år skal være et årstal, fx 2024.") }
        if !(1...limits.horizon).contains(horizon) {
            add("horizon", "Horisonten skal være mellem 1 og \(limits.horizon) år.")
        }
        if !(0...limits.discountRate).contains(discountRate) {
            add("discountRate", "Diskonteringsrenten skal være mellem 0 og \(limits.discountRate) %.")
        }
        for (path, rate) in [("successRateNew", successRateNew), ("successRateCurrent", successRateCurrent)]
        where !(0...100).contains(rate) {
            add(path, "En succesrate skal være mellem 0 og 100 %.")
        }
        if let source = successRateSource, source.rate != successRateNew,
            (successRateOverrideReason ?? "").trimmingWhitespace().isEmpty
        {
            add(
                "successRateOverrideReason",
                "Succesraten afviger fra kilden (\(source.description): \(DanishNumber.decimal(source.rate)) %); skriv hvorfor, eller sæt kildens værdi ind igen."
            )
        }
        if (successRateOverrideReason ?? "").count > limits.textLength * 5 {
            add("successRateOverrideReason", "Begrundelsen må højst være \(limits.textLength * 5) tegn.")
        }
        let maxYears = min(max(horizon, 1), limits.horizon)
        if cohorts.isEmpty { add("cohorts", "Angiv antallet af borgere i mindst én årgang.") }
        if cohorts.count > maxYears {
            add("cohorts", "Der kan højst være én årgang pr. år i horisonten (\(maxYears)).")
        }
        for (c, count) in cohorts.enumerated() where !(0...limits.citizens).contains(count) {
            add(
                "cohorts[\(c)]",
                "Antallet af borgere skal være mellem 0 og \(DanishNumber.decimal(Decimal(limits.citizens))).")
        }
        if consequences.count > limits.items { add("consequences", "Højst \(limits.items) konsekvenser.") }
        for (k, consequence) in consequences.enumerated() {
            let path = "consequences[\(k)]"
            if consequence.name.trimmingWhitespace().isEmpty { add(path + ".name", "Konsekvensen skal have et navn.") }
            if consequence.name.count > limits.textLength || consequence.unit.count > limits.textLength {
                add(path + ".name", "Navn og enhed må højst være \(limits.textLength) tegn.")
            }
            if let level = consequence.priceLevel, !limits.years.contains(level) {
                add(path + ".priceLevel", "Prisniveauet skal være et årstal, fx 2022.")
            }
            if consequence.prices.isEmpty { add(path + ".prices", "Angiv en enhedspris for mindst én betaler.") }
            for payer in Payer.allCases {
                guard let price = consequence.prices[payer] else { continue }
                checkAmount(price, bound: limits.unitPrice, path + ".prices.\(payer.rawValue)", "Enhedsprisen", &found)
            }
            if consequence.changes.count > maxYears {
                add(path + ".changes", "Der kan højst angives ændringer for \(maxYears) år efter gennemførelsen.")
            }
            for (tau, change) in consequence.changes.enumerated() where change.magnitude > limits.change {
                add(
                    path + ".changes[\(tau)]",
                    "Ændringen pr. borger må højst være \(DanishNumber.decimal(limits.change)) i hver retning.")
            }
        }
        if costs.count > limits.items { add("costs", "Højst \(limits.items) omkostninger.") }
        for (i, cost) in costs.enumerated() {
            let path = "costs[\(i)]"
            if cost.name.trimmingWhitespace().isEmpty { add(path + ".name", "Omkostningen skal have et navn.") }
            if cost.name.count > limits.textLength {
                add(path + ".name", "Navnet må højst være \(limits.textLength) tegn.")
            }
            if let level = cost.priceLevel, !limits.years.contains(level) {
                add(path + ".priceLevel", "Prisniveauet skal være et årstal, fx 2022.")
            }
            if cost.amounts.count > maxYears {
                add(path + ".amounts", "Der kan højst angives beløb for \(maxYears) år.")
            }
            if cost.differsFromSource && (cost.overrideReason ?? "").trimmingWhitespace().isEmpty {
                add(
                    path + ".overrideReason",
                    "Beløbene afviger fra kilden (\(cost.source?.description ?? "")); skriv hvorfor, eller sæt kildens beløb ind igen."
                )
            }
            if (cost.overrideReason ?? "").count > limits.textLength * 5 {
                add(path + ".overrideReason", "Begrundelsen må højst være \(limits.textLength * 5) tegn.")
            }
            for (t, amount) in cost.amounts.enumerated() {
                checkAmount(amount, bound: limits.costAmount, path + ".amounts[\(t)]", "Beløbet", &found)
                if amount < 0 {
                    add(
                        path + ".amounts[\(t)]",
                        "Beløbet kan ikke være negativt; vælg \"sparede udgifter\" for en besparelse.")
                }
            }
        }
        return found
    }

    private func checkAmount(
        _ amount: Decimal, bound: Decimal, _ path: String, _ what: String, _ found: inout [BusinessCaseProblem]
    ) {
        if amount.magnitude > bound {
            found.append(.init(path: path, message: "\(what) må højst være \(DanishNumber.decimal(bound)) kr."))
        } else if BusinessCaseMath.roundedToOre(amount) != amount {
            found.append(.init(path: path, message: "\(what) må højst have to decimaler (øre)."))
        }
    }
}

/// Where Pulje found a success rate: what (in Danish, for the reader), the rate in percent and how many
/// citizens it rests on.
public struct RateSource: Codable, Hashable, Sendable {
    public var description: String
    public var rate: Decimal
    public var citizens: Int

    public init(description: String, rate: Decimal, citizens: Int) {
        self.description = description
        self.rate = rate
        self.citizens = citizens
    }
}

/// Where Pulje found a cost's amounts: what (in Danish, for the reader) and the amounts as found, by year index.
public struct CostSource: Codable, Hashable, Sendable {
    public var description: String
    public var amounts: [Decimal]

    public init(description: String, amounts: [Decimal]) {
        self.description = description
        self.amounts = amounts
    }
}

/// One thing wrong with a business case's input: where (a path such as `consequences[0].prices.state`) and
/// what, in Danish.
public struct BusinessCaseProblem: Codable, Hashable, Sendable, Error {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

/// The bounds on a business case's input: far beyond any real case, and small enough that every
/// computation stays exact in `Decimal`.
public enum BusinessCaseLimits {
    public static let horizon = 10
    public static let years = 1990...2100
    public static let discountRate: Decimal = 20
    public static let citizens = 1_000_000
    public static let change: Decimal = 100_000
    public static let unitPrice: Decimal = 1_000_000_000
    public static let costAmount: Decimal = 100_000_000_000
    public static let items = 50
    public static let textLength = 200
    public static let indexValue: Decimal = 100_000
}

/// The net price index (nettoprisindekset) the agency keeps, one value per year, to move amounts between
/// price levels: P_target = P_source × NPI_target / NPI_source. It starts empty; nobody invents its values.
public struct NetPriceIndex: Hashable, Sendable, Codable {
    public var values: [Int: Decimal]

    public init(_ values: [Int: Decimal] = [:]) { self.values = values }

    /// The factor NPI_target / NPI_source, 1 when the levels are the same, nil when a value is missing.
    public func factor(from source: Int, to target: Int) -> Decimal? {
        if source == target { return 1 }
        guard let from = values[source], let to = values[target], from > 0 else { return nil }
        return to / from
    }

    /// Why a value cannot be used, or nil.
    public static func problem(year: Int, value: Decimal) -> String? {
        if !BusinessCaseLimits.years.contains(year) { return "Året skal være et årstal, fx 2022." }
        if value <= 0 || value > BusinessCaseLimits.indexValue {
            return
                "Indeksværdien skal være større end 0 og højst \(DanishNumber.decimal(BusinessCaseLimits.indexValue))."
        }
        if BusinessCaseMath.rounded(value, decimals: 4) != value {
            return "Indeksværdien må højst have fire decimaler."
        }
        return nil
    }
}

/// Decimal numbers the Danish way: "12,5", "-0,25", "1.000.000".
extension DanishNumber {
    /// At most `decimals` decimals, trailing zeros dropped, thousands grouped.
    public static func decimal(_ value: Decimal, decimals: Int = 4) -> String {
        let rounded = BusinessCaseMath.rounded(value, decimals: decimals)
        let text = "\(rounded.magnitude)"
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = UInt64(parts[0]).map(DanishAmount.groupThousands) ?? String(parts[0])
        var out = whole
        if parts.count == 2 {
            var fraction = String(parts[1])
            while fraction.hasSuffix("0") { fraction.removeLast() }
            if !fraction.isEmpty { out += "," + fraction }
        }
        return (rounded < 0 ? "-" : "") + out
    }

    /// Reads "12,5", "12.5", "-3", "1.000.000" or "1.000,5"; nil for anything else.
    public static func decimal(_ input: String) -> Decimal? {
        var text = input.trimmingWhitespace()
        var negative = false
        if text.hasPrefix("-") || text.hasPrefix("−") {
            negative = true
            text.removeFirst()
        }
        guard !text.isEmpty, text.count <= 30, text.allSatisfy({ $0.isASCIIDigit || $0 == "." || $0 == "," }) else {
            return nil
        }
        let normalised: String
        if text.contains(",") {
            // Danish: "." groups thousands, "," is the decimal mark.
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[1].isEmpty, !parts[1].contains("."),
                groupedCorrectly(String(parts[0]))
            else { return nil }
            normalised = parts[0].replacingOccurrences(of: ".", with: "") + "." + parts[1]
        } else {
            let groups = text.split(separator: ".", omittingEmptySubsequences: false)
            if groups.count == 2 && groups[1].count != 3 {
                // One point that does not group three digits is a decimal point, as in "12.5".
                normalised = text
            } else {
                guard groupedCorrectly(text) else { return nil }
                normalised = text.replacingOccurrences(of: ".", with: "")
            }
        }
        guard !normalised.hasPrefix("."), !normalised.hasSuffix("."), let value = Decimal(string: normalised) else {
            return nil
        }
        return negative ? -value : value
    }

    private static func groupedCorrectly(_ whole: String) -> Bool {
        let groups = whole.split(separator: ".", omittingEmptySubsequences: false)
        guard groups.count > 1 else { return !whole.isEmpty }
        return (1...3).contains(groups[0].count) && groups.dropFirst().allSatisfy { $0.count == 3 }
    }
}
