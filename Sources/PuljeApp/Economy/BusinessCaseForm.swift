import Foundation
import PuljeDomain
import PuljeHTML

/// The business case form as posted: every value as typed, by the path the domain names it by
/// (`consequences[0].prices.state`), so the domain's problems land on the fields they are about.
struct BusinessCaseForm: Sendable {
    var values: [String: String]

    init(values: [String: String]) { self.values = values }

    /// The form filled in from a saved input.
    init(_ input: BusinessCaseInput, initiative: BusinessCaseInitiative?) {
        var values: [String: String] = [
            "title": input.title, "initiative": initiative?.formValue ?? "", "priceLevel": String(input.priceLevel),
            "firstYear": String(input.firstYear), "horizon": String(input.horizon),
            "discountRate": DanishNumber.decimal(input.discountRate, decimals: 10),
            "successRateNew": DanishNumber.decimal(input.successRateNew, decimals: 10),
            "successRateCurrent": DanishNumber.decimal(input.successRateCurrent, decimals: 10),
            "successRateOverrideReason": input.successRateOverrideReason ?? "",
        ]
        for (c, count) in input.cohorts.enumerated() { values["cohorts[\(c)]"] = String(count) }
        for (k, consequence) in input.consequences.enumerated() {
            let path = "consequences[\(k)]"
            values[path + ".name"] = consequence.name
            values[path + ".unit"] = consequence.unit
            values[path + ".priceLevel"] = consequence.priceLevel.map(String.init) ?? ""
            for (payer, price) in consequence.prices {
                values[path + ".prices.\(payer.rawValue)"] = Self.kroner(price)
            }
            for (tau, change) in consequence.changes.enumerated() {
                values[path + ".changes[\(tau)]"] = DanishNumber.decimal(change, decimals: 10)
            }
        }
        for (i, cost) in input.costs.enumerated() {
            let path = "costs[\(i)]"
            values[path + ".name"] = cost.name
            values[path + ".kind"] = cost.kind.rawValue
            values[path + ".payer"] = cost.payer.rawValue
            values[path + ".priceLevel"] = cost.priceLevel.map(String.init) ?? ""
            for (t, amount) in cost.amounts.enumerated() { values[path + ".amounts[\(t)]"] = Self.kroner(amount) }
            if cost.source != nil { values[path + ".source"] = Self.accountsSource }
            if let reason = cost.overrideReason { values[path + ".overrideReason"] = reason }
        }
        self.values = values
    }

    /// A new case's starting point: the year it is made in, a horizon of 10 years.
    static func starting(title: String, initiative: BusinessCaseInitiative?, year: Int) -> BusinessCaseInput {
        BusinessCaseInput(
            title: title, priceLevel: year, firstYear: year, horizon: 10, successRateNew: 0, successRateCurrent: 0,
            cohorts: [0], consequences: [], costs: [])
    }

    /// The marker of the one source a cost can have today: the grant cases' approved accounts. The source
    /// itself (what was found) is the server's, kept with the saved case; the form only says which row it is.
    static let accountsSource = "regnskaber"

    static func kroner(_ amount: Decimal) -> String {
        BusinessCaseMath.money(amount).map(DanishAmount.plain) ?? "\(amount)"
    }

    func text(_ name: String) -> String { (values[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The rows of a list posted (`consequences[3].name` gives 4), at least the saved ones.
    func rowCount(_ list: String) -> Int {
        let prefix = list + "["
        let indices = values.keys.compactMap { key -> Int? in
            guard key.hasPrefix(prefix), let close = key.firstIndex(of: "]") else { return nil }
            return Int(key[key.index(key.startIndex, offsetBy: prefix.count)..<close])
        }
        return min((indices.max() ?? -1) + 1, BusinessCaseLimits.items + 1)
    }

    /// The year columns to show: the horizon, or more when more was typed (so nothing typed disappears).
    var columnCount: Int {
        let horizon = Int(text("horizon")).map { min(max($0, 1), BusinessCaseLimits.horizon) } ?? 10
        let typed = values.filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }.keys.compactMap {
            key -> Int? in
            for list in ["cohorts[", "changes[", "amounts["] {
                if let range = key.range(of: list), let close = key[range.upperBound...].firstIndex(of: "]") {
                    return Int(key[range.upperBound..<close]).map { $0 + 1 }
                }
            }
            return nil
        }
        return min(max(horizon, typed.max() ?? 0), BusinessCaseLimits.horizon)
    }

    /// Reads the form into an input, or every problem by field: first what cannot be read as a number,
    /// then the domain's rules. Rows left wholly blank are left out.
    func input(
        sources: [String: CostSource] = [:], rateSource: RateSource? = nil
    ) -> Result<
        (BusinessCaseInput, BusinessCaseInitiative?), FormErrors
    > {
        var errors = FormErrors()
        func year(_ name: String, required: Bool = true) -> Int? {
            let value = text(name)
            if value.isEmpty {
                if required { errors.add(name, "Skal udfyldes med et årstal.") }
                return nil
            }
            guard let year = Int(value) else {
                errors.add(name, "Skal være et årstal, fx 2024.")
                return nil
            }
            return year
        }
        func whole(_ name: String, _ what: String) -> Int? {
            let value = text(name)
            if value.isEmpty { return nil }
            guard let number = DanishNumber.decimal(value), number == BusinessCaseMath.rounded(number, decimals: 0),
                number.magnitude <= Decimal(Int32.max),
                let int = Int(exactly: NSDecimalNumber(decimal: number).int64Value)
            else {
                errors.add(name, "\(what) skal være et helt tal, fx 40.")
                return nil
            }
            return int
        }
        func decimal(_ name: String, _ what: String, example: String) -> Decimal? {
            let value = text(name)
            if value.isEmpty { return nil }
            guard let number = DanishNumber.decimal(value) else {
                errors.add(name, "\(what) skal være et tal, fx \(example).")
                return nil
            }
            return number
        }
        func list(_ name: (Int) -> String, _ read: (String) -> Decimal?) -> [Decimal] {
            var items = (0..<BusinessCaseLimits.horizon + 1).map { read(name($0)) }
            while let last = items.last, last == nil { items.removeLast() }
            return items.map { $0 ?? 0 }
        }

        let title = text("title")
        let initiativeText = text("initiative")
        let initiative = BusinessCaseInitiative(formValue: initiativeText)
        if !initiativeText.isEmpty && initiative == nil { errors.add("initiative", "Vælg et initiativ på listen.") }
        let priceLevel = year("priceLevel")
        let firstYear = year("firstYear")
        let horizon = whole("horizon", "Horisonten")
        if text("horizon").isEmpty { errors.add("horizon", "Horisonten skal udfyldes (1 til 10 år).") }
        let discountRate = decimal("discountRate", "Diskonteringsrenten", example: "3,5") ?? 0
        let successNew = decimal("successRateNew", "Succesraten", example: "12")
        let successCurrent = decimal("successRateCurrent", "Succesraten", example: "2")
        if text("successRateNew").isEmpty { errors.add("successRateNew", "Succesraten med indsatsen skal udfyldes.") }
        if text("successRateCurrent").isEmpty {
            errors.add("successRateCurrent", "Succesraten med nuværende praksis skal udfyldes (0, hvis ingen).")
        }
        let cohorts = list({ "cohorts[\($0)]" }) { name in whole(name, "Antallet").map { Decimal($0) } }
            .map { Int(truncating: NSDecimalNumber(decimal: $0)) }

        // Posted row → input row, so a problem with input row k is shown on the row the user typed it in.
        var consequenceRows: [Int] = []
        var consequences: [BusinessCaseInput.Consequence] = []
        for k in 0..<rowCount("consequences") {
            let path = "consequences[\(k)]"
            if values.filter({ $0.key.hasPrefix(path + ".") }).allSatisfy({
                $0.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            }) {
                continue
            }
            var prices: [Payer: Decimal] = [:]
            for payer in Payer.allCases {
                if let price = decimal(path + ".prices.\(payer.rawValue)", "Prisen", example: "3.000") {
                    prices[payer] = price
                }
            }
            let changes = list({ path + ".changes[\($0)]" }) { decimal($0, "Ændringen", example: "-10") }
            consequenceRows.append(k)
            consequences.append(
                .init(
                    name: text(path + ".name"), unit: text(path + ".unit"),
                    priceLevel: year(path + ".priceLevel", required: false), prices: prices, changes: changes))
        }
        var costRows: [Int] = []
        var costs: [BusinessCaseInput.Cost] = []
        for i in 0..<rowCount("costs") {
            let path = "costs[\(i)]"
            let typed = values.filter {
                $0.key.hasPrefix(path + ".") && !$0.key.hasSuffix(".kind") && !$0.key.hasSuffix(".payer")
                    && !$0.key.hasSuffix(".source")
            }
            if typed.allSatisfy({ $0.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) { continue }
            let kind = CostKind(rawValue: text(path + ".kind"))
            let payer = Payer(rawValue: text(path + ".payer"))
            if kind == nil { errors.add(path + ".kind", "Vælg hvilken slags omkostning det er.") }
            if payer == nil { errors.add(path + ".payer", "Vælg hvem der betaler.") }
            let amounts = list({ path + ".amounts[\($0)]" }) { decimal($0, "Beløbet", example: "500.000") }
            costRows.append(i)
            costs.append(
                .init(
                    name: text(path + ".name"), kind: kind ?? .operation, payer: payer ?? .municipality,
                    priceLevel: year(path + ".priceLevel", required: false), amounts: amounts,
                    source: sources[text(path + ".source")],
                    overrideReason: text(path + ".overrideReason").isEmpty ? nil : text(path + ".overrideReason")))
        }
        guard errors.isEmpty, let priceLevel, let firstYear, let horizon, let successNew, let successCurrent else {
            if errors.isEmpty { errors.add("title", "Formularen er ufuldstændig.") }
            return .failure(errors)
        }
        let input = BusinessCaseInput(
            title: title, priceLevel: priceLevel, firstYear: firstYear, horizon: horizon, discountRate: discountRate,
            successRateNew: successNew, successRateCurrent: successCurrent, cohorts: cohorts,
            consequences: consequences, costs: costs, successRateSource: rateSource,
            successRateOverrideReason: rateSource == nil || text("successRateOverrideReason").isEmpty
                ? nil : text("successRateOverrideReason"))
        for problem in input.problems() {
            errors.add(Self.postedPath(problem.path, consequences: consequenceRows, costs: costRows), problem.message)
        }
        return errors.isEmpty ? .success((input, initiative)) : .failure(errors)
    }

    /// The field a domain path is about, with the row index the user saw.
    static func postedPath(_ path: String, consequences: [Int], costs: [Int]) -> String {
        for (list, rows) in [("consequences[", consequences), ("costs[", costs)] where path.hasPrefix(list) {
            let rest = path.dropFirst(list.count)
            guard let close = rest.firstIndex(of: "]"), let index = Int(rest[..<close]), index < rows.count else {
                return path
            }
            return list + String(rows[index]) + String(rest[close...])
        }
        return path
    }
}
