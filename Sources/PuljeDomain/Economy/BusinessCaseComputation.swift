import Foundation

/// The computed business case, every intermediate figure kept so that a page can show the computation
/// step by step and an economist can check each one. Amounts are whole øre.
///
/// The computation, with t the year index (0 = the first year) and a the payer:
/// 1. Prices at the case's price level: p'_k,a = round(p_k,a × NPI_target / NPI_source), and each cost the same way.
/// 2. The success rate s = new − current; successful citizens S_c = N_c × s.
/// 3. The effect of consequence k for payer a in year t: E_k,a,t = round(Σ_c S_c × Δq_k,(t−c) × p'_k,a) over
///    0 ≤ t − c (changes not given are 0); the gross effect G_a,t = Σ_k E_k,a,t. A fall in use (Δq < 0) is a
///    gain, so E is shown with the sign turned: a saving is positive.
/// 4. Costs K_a,t = start-up + operation − saved costs of current practice.
/// 5. Net NR_a,t = G_a,t − K_a,t; the cumulative result; the break-even year, the first whose cumulative
///    result is ≥ 0; the present value PV_a = Σ_t round(NR_a,t / (1 + r)^t).
/// Rounding is to whole øre, half away from zero.
public struct BusinessCaseResult: Hashable, Sendable {
    public var input: BusinessCaseInput
    public var years: [Int]
    /// s as a fraction (0,1 for 10 %).
    public var successShare: Decimal
    /// S_c per cohort.
    public var successfulCitizens: [Decimal]
    public var consequences: [ConsequenceLine]
    public var costs: [CostLine]
    /// (1 + r)^−t per year.
    public var discountFactors: [Decimal]
    public var payers: [PayerLine]
    /// All payers together.
    public var total: PayerLine
    public var sensitivity: [SensitivityLine]

    public struct ConsequenceLine: Hashable, Sendable {
        public var name: String
        public var unit: String
        public var sourcePriceLevel: Int
        /// NPI_target / NPI_source.
        public var priceFactor: Decimal
        /// p'_k,a, at the case's price level.
        public var prices: [Payer: Money]
        /// E_k,a,t per payer and year.
        public var effects: [Payer: [Money]]
    }

    public struct CostLine: Hashable, Sendable {
        public var name: String
        public var kind: CostKind
        public var payer: Payer
        public var sourcePriceLevel: Int
        public var priceFactor: Decimal
        /// At the case's price level, per year, as given (positive); `kind` says whether it counts against.
        public var amounts: [Money]
    }

    public struct PayerLine: Hashable, Sendable {
        /// nil for the total of all payers.
        public var payer: Payer?
        public var gross: [Money]
        public var costs: [Money]
        public var net: [Money]
        public var cumulative: [Money]
        public var discountedNet: [Money]
        public var presentValue: Money
        /// The calendar year; nil when the cumulative result stays below 0 within the horizon.
        public var breakEvenYear: Int?
    }

    public struct SensitivityLine: Hashable, Sendable {
        public var label: String
        /// The factor on the success rate s and on the consequences' prices.
        public var successFactor: Decimal
        public var priceFactor: Decimal
        public var cumulative: Money
        public var presentValue: Money
        public var breakEvenYear: Int?
    }
}

/// Computes business cases: the one home of the SØM-style computation.
public enum BusinessCaseCalculator {
    /// The variations of the sensitivity table: the success rate and the prices 25 % down and up.
    public static let variations: [(label: String, success: Decimal, prices: Decimal)] = [
        ("Som beregnet", 1, 1),
        ("Succesrate 25 % lavere", Decimal(string: "0.75")!, 1),
        ("Succesrate 25 % højere", Decimal(string: "1.25")!, 1),
        ("Priser 25 % lavere", 1, Decimal(string: "0.75")!),
        ("Priser 25 % højere", 1, Decimal(string: "1.25")!),
        ("Begge 25 % lavere", Decimal(string: "0.75")!, Decimal(string: "0.75")!),
        ("Begge 25 % højere", Decimal(string: "1.25")!, Decimal(string: "1.25")!),
    ]

    /// The result, or every problem: with the input, with a missing index value, or a result too large.
    public static func compute(
        _ input: BusinessCaseInput, index: NetPriceIndex
    ) -> Result<BusinessCaseResult, BusinessCaseProblems> {
        var problems = input.problems()
        if !problems.isEmpty { return .failure(BusinessCaseProblems(problems)) }
        let years = input.years
        let target = input.priceLevel
        func factor(_ source: Int, _ path: String) -> Decimal {
            if let found = index.factor(from: source, to: target) { return found }
            let missing = [source, target].filter { index.values[$0] == nil }.map(String.init)
            problems.append(
                .init(
                    path: path,
                    message:
                        "Nettoprisindekset mangler en værdi for \(missing.joined(separator: " og ")), så beløb i \(source)-priser kan ikke regnes om til \(target)-priser."
                ))
            return 1
        }
        var overflow = false
        func money(_ kroner: Decimal) -> Money {
            guard let value = BusinessCaseMath.money(kroner) else {
                overflow = true
                return .zero
            }
            return value
        }

        let share = (input.successRateNew - input.successRateCurrent) / 100
        let successful = input.cohorts.map { Decimal($0) * share }
        var consequences: [BusinessCaseResult.ConsequenceLine] = []
        for (k, consequence) in input.consequences.enumerated() {
            let source = consequence.priceLevel ?? target
            let f = factor(source, "consequences[\(k)].priceLevel")
            var prices: [Payer: Money] = [:]
            for (payer, price) in consequence.prices { prices[payer] = money(price * f) }
            consequences.append(
                .init(
                    name: consequence.name, unit: consequence.unit, sourcePriceLevel: source, priceFactor: f,
                    prices: prices, effects: [:]))
        }
        var costs: [BusinessCaseResult.CostLine] = []
        for (i, cost) in input.costs.enumerated() {
            let source = cost.priceLevel ?? target
            let f = factor(source, "costs[\(i)].priceLevel")
            let amounts = years.indices.map { t in t < cost.amounts.count ? money(cost.amounts[t] * f) : .zero }
            costs.append(
                .init(
                    name: cost.name, kind: cost.kind, payer: cost.payer, sourcePriceLevel: source, priceFactor: f,
                    amounts: amounts))
        }
        if !problems.isEmpty { return .failure(BusinessCaseProblems(problems)) }

        let discountFactors = years.indices.map { BusinessCaseMath.discountFactor(rate: input.discountRate, year: $0) }

        // One pass per variation; the first (factors 1, 1) is the result itself.
        func run(
            success: Decimal, priceScale: Decimal
        ) -> (lines: [BusinessCaseResult.ConsequenceLine], payers: [BusinessCaseResult.PayerLine]) {
            var lines = consequences
            for k in lines.indices {
                let changes = input.consequences[k].changes
                for (payer, price) in lines[k].prices {
                    lines[k].effects[payer] = years.indices.map { t in
                        var sum = Decimal(0)
                        for c in successful.indices where c <= t && t - c < changes.count {
                            sum += successful[c] * success * changes[t - c]
                        }
                        // Less use is a gain for the payer.
                        return money(-(sum * BusinessCaseMath.kroner(price) * priceScale))
                    }
                }
            }
            let payers = Payer.allCases.map { payer -> BusinessCaseResult.PayerLine in
                let gross = years.indices.map { t in lines.compactMap { $0.effects[payer]?[t] }.sum() }
                let cost = years.indices.map { t in
                    costs.filter { $0.payer == payer }.map {
                        $0.kind == .saved ? Money.zero - $0.amounts[t] : $0.amounts[t]
                    }
                    .sum()
                }
                return line(payer: payer, gross: gross, costs: cost)
            }
            return (lines, payers)
        }
        func line(payer: Payer?, gross: [Money], costs: [Money]) -> BusinessCaseResult.PayerLine {
            let net = zip(gross, costs).map { $0 - $1 }
            var running = Money.zero
            let cumulative = net.map { value -> Money in
                running += value
                return running
            }
            let discounted = zip(net, discountFactors).map { money(BusinessCaseMath.kroner($0) * $1) }
            let breakEven = cumulative.firstIndex { $0.ore >= 0 }.map { years[$0] }
            return .init(
                payer: payer, gross: gross, costs: costs, net: net, cumulative: cumulative, discountedNet: discounted,
                presentValue: discounted.sum(), breakEvenYear: breakEven)
        }
        func total(_ payers: [BusinessCaseResult.PayerLine]) -> BusinessCaseResult.PayerLine {
            line(
                payer: nil, gross: years.indices.map { t in payers.map { $0.gross[t] }.sum() },
                costs: years.indices.map { t in payers.map { $0.costs[t] }.sum() })
        }

        let base = run(success: 1, priceScale: 1)
        let sensitivity = variations.map { variation -> BusinessCaseResult.SensitivityLine in
            let varied = total(run(success: variation.success, priceScale: variation.prices).payers)
            return .init(
                label: variation.label, successFactor: variation.success, priceFactor: variation.prices,
                cumulative: varied.cumulative.last ?? .zero, presentValue: varied.presentValue,
                breakEvenYear: varied.breakEvenYear)
        }
        let result = BusinessCaseResult(
            input: input, years: years, successShare: share, successfulCitizens: successful, consequences: base.lines,
            costs: costs, discountFactors: discountFactors, payers: base.payers, total: total(base.payers),
            sensitivity: sensitivity)
        if overflow || !BusinessCaseMath.fitsComfortably(result) {
            return .failure(
                BusinessCaseProblems([
                    .init(
                        path: "",
                        message: "Resultatet bliver for stort til at regne med; kontrollér antal, ændringer og priser.")
                ]))
        }
        return .success(result)
    }
}

/// Every problem that keeps a business case from being computed.
public struct BusinessCaseProblems: Error, Hashable, Sendable {
    public var problems: [BusinessCaseProblem]
    public init(_ problems: [BusinessCaseProblem]) { self.problems = problems }
}

/// The exact decimal arithmetic the business case uses.
public enum BusinessCaseMath {
    /// Largest amount a figure may reach, in øre: a thousandth of what 64 bits hold, so sums of up to
    /// ten years and three payers never come near the edge.
    static let largestOre: Decimal = 1_000_000_000_000_000

    public static func rounded(_ value: Decimal, decimals: Int) -> Decimal {
        var input = value
        var output = Decimal()
        NSDecimalRound(&output, &input, decimals, .plain)
        return output
    }

    public static func roundedToOre(_ kroner: Decimal) -> Decimal { rounded(kroner, decimals: 2) }

    /// Kroner as whole øre, rounded half away from zero; nil when beyond the bound (or not a number).
    public static func money(_ kroner: Decimal) -> Money? {
        guard !kroner.isNaN else { return nil }
        let ore = rounded(kroner * 100, decimals: 0)
        guard ore.magnitude <= largestOre else { return nil }
        return Money(ore: NSDecimalNumber(decimal: ore).int64Value)
    }

    public static func kroner(_ money: Money) -> Decimal { Decimal(money.ore) / 100 }

    /// (1 + r/100)^−t, to 16 decimals.
    public static func discountFactor(rate: Decimal, year: Int) -> Decimal {
        guard rate != 0, year > 0 else { return 1 }
        var power = Decimal(1)
        let base = 1 + rate / 100
        for _ in 0..<year { power *= base }
        return rounded(1 / power, decimals: 16)
    }

    static func fitsComfortably(_ result: BusinessCaseResult) -> Bool {
        let lines = result.payers + [result.total]
        let all = lines.flatMap { $0.gross + $0.costs + $0.net + $0.cumulative + [$0.presentValue] }
        return all.allSatisfy { Decimal($0.ore).magnitude <= largestOre }
    }
}
