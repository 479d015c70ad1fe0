import Foundation

/// The result as JSON: what `pulje business-case` prints and what the page shows. Amounts are kroner with
/// two decimals, years are calendar years, payers are `municipality`, `region` and `state`.
extension BusinessCaseResult: Encodable {
    enum Keys: String, CodingKey {
        case input, years, successShare, successfulCitizens, consequences, costs, discountFactors, payers, total
        case sensitivity
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(input, forKey: .input)
        try c.encode(years, forKey: .years)
        try c.encode(successShare, forKey: .successShare)
        try c.encode(successfulCitizens, forKey: .successfulCitizens)
        try c.encode(consequences, forKey: .consequences)
        try c.encode(costs, forKey: .costs)
        try c.encode(discountFactors, forKey: .discountFactors)
        try c.encode(payers, forKey: .payers)
        try c.encode(total, forKey: .total)
        try c.encode(sensitivity, forKey: .sensitivity)
    }
}

private func kroner(_ money: Money) -> Decimal { BusinessCaseMath.kroner(money) }
private func kroner(_ amounts: [Money]) -> [Decimal] { amounts.map(kroner) }

extension BusinessCaseResult.ConsequenceLine: Encodable {
    enum Keys: String, CodingKey { case name, unit, sourcePriceLevel, priceFactor, prices, effects }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(name, forKey: .name)
        try c.encode(unit, forKey: .unit)
        try c.encode(sourcePriceLevel, forKey: .sourcePriceLevel)
        try c.encode(priceFactor, forKey: .priceFactor)
        try c.encode(prices.mapValues(kroner), forKey: .prices)
        try c.encode(effects.mapValues(kroner), forKey: .effects)
    }
}

extension BusinessCaseResult.CostLine: Encodable {
    enum Keys: String, CodingKey { case name, kind, payer, sourcePriceLevel, priceFactor, amounts }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(name, forKey: .name)
        try c.encode(kind, forKey: .kind)
        try c.encode(payer, forKey: .payer)
        try c.encode(sourcePriceLevel, forKey: .sourcePriceLevel)
        try c.encode(priceFactor, forKey: .priceFactor)
        try c.encode(kroner(amounts), forKey: .amounts)
    }
}

extension BusinessCaseResult.PayerLine: Encodable {
    enum Keys: String, CodingKey {
        case payer, gross, costs, net, cumulative, discountedNet, presentValue, breakEvenYear
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encodeIfPresent(payer, forKey: .payer)
        try c.encode(kroner(gross), forKey: .gross)
        try c.encode(kroner(costs), forKey: .costs)
        try c.encode(kroner(net), forKey: .net)
        try c.encode(kroner(cumulative), forKey: .cumulative)
        try c.encode(kroner(discountedNet), forKey: .discountedNet)
        try c.encode(kroner(presentValue), forKey: .presentValue)
        try c.encode(breakEvenYear, forKey: .breakEvenYear)
    }
}

extension BusinessCaseResult.SensitivityLine: Encodable {
    enum Keys: String, CodingKey { case label, successFactor, priceFactor, cumulative, presentValue, breakEvenYear }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(label, forKey: .label)
        try c.encode(successFactor, forKey: .successFactor)
        try c.encode(priceFactor, forKey: .priceFactor)
        try c.encode(kroner(cumulative), forKey: .cumulative)
        try c.encode(kroner(presentValue), forKey: .presentValue)
        try c.encode(breakEvenYear, forKey: .breakEvenYear)
    }
}

extension BusinessCaseResult {
    /// The computation as one sheet: the key figures, each payer's lines by year, the sensitivity table.
    public func table() -> [[BudgetTable.Cell]] {
        var rows: [[BudgetTable.Cell]] = [
            [.text(input.title)],
            [.text("Prisniveau"), BudgetTable.whole(input.priceLevel)],
            [.text("Diskonteringsrente (%)"), .text(DanishNumber.decimal(input.discountRate))],
            [.text("Succesrate med indsatsen (%)"), .text(DanishNumber.decimal(input.successRateNew))],
            [
                .text("Kilde til succesraten med indsatsen"),
                .text(
                    input.successRateSource.map {
                        "\($0.description): \(DanishNumber.decimal($0.rate)) % (\($0.citizens) borgere)"
                            + (input.successRateOverrideReason.map { "; afviger: " + $0 } ?? "")
                    } ?? "Indtastet"),
            ],
            [.text("Succesrate med nuværende praksis (%)"), .text(DanishNumber.decimal(input.successRateCurrent))],
            [.empty],
        ]
        for line in payers + [total] {
            rows.append([.text(line.payer?.danishName ?? "Alle betalere")] + years.map { BudgetTable.whole($0) })
            for (label, amounts) in [
                ("Bruttogevinst (kr.)", line.gross), ("Omkostninger (kr.)", line.costs),
                ("Nettoresultat (kr.)", line.net), ("Akkumuleret (kr.)", line.cumulative),
                ("Diskonteret nettoresultat (kr.)", line.discountedNet),
            ] {
                rows.append([.text(label)] + amounts.map { .amount($0) })
            }
            rows.append([.text("Nutidsværdi (kr.)"), .amount(line.presentValue)])
            rows.append([.text("Break-even"), line.breakEvenYear.map { BudgetTable.whole($0) } ?? .text("Ingen")])
            rows.append([.empty])
        }
        rows.append([.text("Følsomhed"), .text("Akkumuleret (kr.)"), .text("Nutidsværdi (kr.)"), .text("Break-even")])
        for line in sensitivity {
            rows.append([
                .text(line.label), .amount(line.cumulative), .amount(line.presentValue),
                line.breakEvenYear.map { BudgetTable.whole($0) } ?? .text("Ingen"),
            ])
        }
        return rows
    }
}
