import Foundation
import PuljeDomain
import PuljeHTML

/// The instrument form: field names are the definition's paths ("items.2.text"), so a problem the domain
/// names lands on its field. Lists are rows; blank rows are skipped, and the page adds blank rows to fill in.
struct InstrumentForm {
    var values: [String: String]

    init(values: [String: String]) { self.values = values }

    /// The form filled in from a definition.
    init(_ instrument: Instrument) {
        var values: [String: String] = [
            "key": instrument.key, "name": instrument.name, "instruction": instrument.instruction,
            "scoring.method": instrument.scoring.method.rawValue,
            "scoring.multiplier": DanishNumber.decimal(instrument.scoring.multiplier),
            "scoring.scoreName": instrument.scoring.scoreName,
            "scoring.meaningfulChange": instrument.scoring.meaningfulChange.map { DanishNumber.decimal($0) } ?? "",
        ]
        for (index, option) in instrument.scale.enumerated() {
            values["scale.\(index).value"] = String(option.value)
            values["scale.\(index).label"] = option.label
        }
        for (index, item) in instrument.items.enumerated() {
            values["items.\(index).key"] = item.key
            values["items.\(index).text"] = item.text
            if !item.required { values["items.\(index).optional"] = "1" }
            if item.reversed { values["items.\(index).reversed"] = "1" }
        }
        for (index, category) in instrument.scoring.categories.enumerated() {
            values["scoring.categories.\(index).lowerBound"] = DanishNumber.decimal(category.lowerBound)
            values["scoring.categories.\(index).label"] = category.label
        }
        for (index, flag) in instrument.scoring.flags.enumerated() {
            values["scoring.flags.\(index).label"] = flag.label
            for condition in flag.anyOf {
                switch condition {
                case .rawBelow(let bound): values["scoring.flags.\(index).rawBelow"] = DanishNumber.decimal(bound)
                case .anyItemAtMost(let bound): values["scoring.flags.\(index).anyItemAtMost"] = String(bound)
                }
            }
        }
        self.values = values
    }

    static let maximumRows = 200

    func value(_ name: String) -> String { (values[name] ?? "").trimmingCharacters(in: .whitespaces) }

    /// The rows of a list that hold anything, by their index in the form.
    func rows(_ prefix: String, fields: [String]) -> [Int] {
        let indices = Set(
            values.keys.compactMap { key -> Int? in
                guard key.hasPrefix(prefix + ".") else { return nil }
                let rest = key.dropFirst(prefix.count + 1)
                guard let dot = rest.firstIndex(of: "."), let index = Int(rest[..<dot]),
                    (0..<Self.maximumRows).contains(index)
                else { return nil }
                return index
            })
        return indices.sorted().filter { index in fields.contains { !value("\(prefix).\(index).\($0)").isEmpty } }
    }

    /// The instrument as typed, with `version`; or the problems by field.
    func instrument(version: Int) -> Result<Instrument, FormErrors> {
        var errors = FormErrors()
        func integer(_ name: String, _ message: String) -> Int? {
            let text = value(name)
            guard let number = Int(text.replacingOccurrences(of: "−", with: "-")) else {
                errors.add(name, message)
                return nil
            }
            return number
        }
        func decimal(_ name: String, _ message: String) -> Decimal? {
            guard let number = DanishNumber.decimal(value(name)) else {
                errors.add(name, message)
                return nil
            }
            return number
        }
        var scale: [ScaleOption] = []
        var scaleIndex: [Int] = []
        for index in rows("scale", fields: ["value", "label"]) {
            if let number = integer("scale.\(index).value", "Værdien skal være et helt tal.") {
                scale.append(ScaleOption(value: number, label: value("scale.\(index).label")))
                scaleIndex.append(index)
            }
        }
        var items: [InstrumentItem] = []
        var itemIndex: [Int] = []
        for index in rows("items", fields: ["key", "text"]) {
            items.append(
                InstrumentItem(
                    key: value("items.\(index).key"), text: value("items.\(index).text"),
                    required: value("items.\(index).optional").isEmpty,
                    reversed: !value("items.\(index).reversed").isEmpty))
            itemIndex.append(index)
        }
        var categories: [ScoreCategory] = []
        var categoryIndex: [Int] = []
        for index in rows("scoring.categories", fields: ["lowerBound", "label"]) {
            if let bound = decimal("scoring.categories.\(index).lowerBound", "Den nedre grænse skal være et tal.") {
                categories.append(ScoreCategory(lowerBound: bound, label: value("scoring.categories.\(index).label")))
                categoryIndex.append(index)
            }
        }
        var flags: [FlagRule] = []
        var flagIndex: [Int] = []
        for index in rows("scoring.flags", fields: ["label", "rawBelow", "anyItemAtMost"]) {
            var conditions: [FlagRule.Condition] = []
            if !value("scoring.flags.\(index).rawBelow").isEmpty,
                let bound = decimal("scoring.flags.\(index).rawBelow", "Grænsen skal være et tal.")
            {
                conditions.append(.rawBelow(bound))
            }
            if !value("scoring.flags.\(index).anyItemAtMost").isEmpty,
                let bound = integer("scoring.flags.\(index).anyItemAtMost", "Grænsen skal være et helt tal.")
            {
                conditions.append(.anyItemAtMost(bound))
            }
            flags.append(FlagRule(label: value("scoring.flags.\(index).label"), anyOf: conditions))
            flagIndex.append(index)
        }
        let method = InstrumentScoring.Method(rawValue: value("scoring.method"))
        if method == nil { errors.add("scoring.method", "Vælg, hvordan svarene lægges sammen.") }
        let multiplier =
            value("scoring.multiplier").isEmpty
            ? 1 : decimal("scoring.multiplier", "Faktoren skal være et tal, fx 4.")
        var meaningful: Decimal?
        if !value("scoring.meaningfulChange").isEmpty {
            meaningful = decimal("scoring.meaningfulChange", "En betydende ændring skal være et tal, fx 10.")
        }
        let instrument = Instrument(
            key: value("key"), version: version, name: value("name"), instruction: value("instruction"), scale: scale,
            items: items,
            scoring: InstrumentScoring(
                method: method ?? .sum, multiplier: multiplier ?? 1, scoreName: value("scoring.scoreName"),
                categories: categories, flags: flags, meaningfulChange: meaningful))
        // The domain's paths count rows that hold anything; the form's fields are numbered as shown.
        let maps: [(prefix: String, indices: [Int])] = [
            ("scale", scaleIndex), ("items", itemIndex), ("scoring.categories", categoryIndex),
            ("scoring.flags", flagIndex),
        ]
        for problem in instrument.definitionProblems() {
            var field = problem.field
            for map in maps where field.hasPrefix(map.prefix + ".") {
                let rest = field.dropFirst(map.prefix.count + 1)
                let number = rest.prefix { $0.isNumber }
                if let position = Int(number), position < map.indices.count {
                    field = "\(map.prefix).\(map.indices[position])" + rest.dropFirst(number.count)
                }
            }
            if field == "scale" && scale.isEmpty { field = "scale.0.value" }
            if field == "items" && items.isEmpty { field = "items.0.text" }
            if field.hasPrefix("scoring.flags.") && !field.dropFirst("scoring.flags.".count).contains(".") {
                field += ".label"
            }
            if field == "version" { continue }
            errors.add(field, problem.message)
        }
        return errors.isEmpty ? .success(instrument) : .failure(errors)
    }
}

/// The design form: the evaluation's title, end and retention, its measurement points and fields.
struct DesignForm {
    var values: [String: String]
    /// Checked instruments per point row.
    var instruments: [Int: [String]]

    init(pairs: [FormPair]) {
        values = FormPair.fields(pairs)
        var checked: [Int: [String]] = [:]
        for pair in pairs where pair.key.hasPrefix("points.") && pair.key.hasSuffix(".instruments[]") {
            let middle = pair.key.dropFirst("points.".count).dropLast(".instruments[]".count)
            if let index = Int(middle), (0..<InstrumentForm.maximumRows).contains(index) {
                checked[index, default: []].append(pair.value)
            }
        }
        instruments = checked
    }

    init(_ record: EvaluationRecord, design: EvaluationDesign) {
        var values: [String: String] = [
            "title": record.title, "endDate": record.end?.danishShort ?? record.endDate,
            "retention": record.retention,
        ]
        var checked: [Int: [String]] = [:]
        for (index, point) in design.points.enumerated() {
            values["points.\(index).key"] = point.key
            values["points.\(index).name"] = point.name
            values["points.\(index).monthsAfterBaseline"] = String(point.monthsAfterBaseline)
            values["points.\(index).windowDays"] = String(point.windowDays)
            checked[index] = point.instruments
        }
        for (index, field) in design.fields.enumerated() {
            values["fields.\(index).key"] = field.key
            values["fields.\(index).label"] = field.label
            values["fields.\(index).kind"] = field.kind.rawValue
        }
        if design.deriveBirthYear { values["deriveBirthYear"] = "1" }
        if design.deriveSex { values["deriveSex"] = "1" }
        if design.requiresConsent { values["requiresConsent"] = "1" }
        self.values = values
        instruments = checked
    }

    func value(_ name: String) -> String { (values[name] ?? "").trimmingCharacters(in: .whitespaces) }

    struct Read {
        var title: String
        var end: CalendarDate
        var retention: RetentionRule
        var design: EvaluationDesign
    }

    func read(instruments known: Set<String>) -> Result<Read, FormErrors> {
        var errors = FormErrors()
        let form = InstrumentForm(values: values)
        let title = value("title")
        if title.isEmpty || title.count > 200 { errors.add("title", "Giv evalueringen en titel på højst 200 tegn.") }
        let end = CalendarDate(parsing: value("endDate"))
        if end == nil { errors.add("endDate", "Skriv slutdatoen som dd.mm.åååå, fx 31.12.2028.") }
        let retention = RetentionRule(rawValue: value("retention"))
        if retention == nil { errors.add("retention", "Vælg, hvad der sker med borgernes data ved slutdatoen.") }
        var points: [MeasurementPoint] = []
        var pointIndex: [Int] = []
        for index in form.rows("points", fields: ["key", "name", "monthsAfterBaseline"]) {
            let months = Int(value("points.\(index).monthsAfterBaseline"))
            if months == nil {
                errors.add("points.\(index).monthsAfterBaseline", "Skriv antal måneder efter baseline som et helt tal.")
            }
            let windowText = value("points.\(index).windowDays")
            let window = windowText.isEmpty ? 0 : Int(windowText)
            if window == nil { errors.add("points.\(index).windowDays", "Skriv vinduet i hele dage.") }
            points.append(
                MeasurementPoint(
                    key: value("points.\(index).key"), name: value("points.\(index).name"),
                    monthsAfterBaseline: months ?? 0, windowDays: window ?? 0,
                    instruments: instruments[index] ?? []))
            pointIndex.append(index)
        }
        var fields: [DataField] = []
        var fieldIndex: [Int] = []
        for index in form.rows("fields", fields: ["key", "label"]) {
            let kind = DataField.Kind(rawValue: value("fields.\(index).kind"))
            if kind == nil { errors.add("fields.\(index).kind", "Vælg feltets type.") }
            fields.append(
                DataField(
                    key: value("fields.\(index).key"), label: value("fields.\(index).label"), kind: kind ?? .count))
            fieldIndex.append(index)
        }
        let design = EvaluationDesign(
            points: points, fields: fields, deriveBirthYear: !value("deriveBirthYear").isEmpty,
            deriveSex: !value("deriveSex").isEmpty, requiresConsent: !value("requiresConsent").isEmpty)
        for problem in design.problems(instruments: known) {
            var field = problem.field
            for (prefix, indices) in [("points", pointIndex), ("fields", fieldIndex)]
            where field.hasPrefix(prefix + ".") {
                let rest = field.dropFirst(prefix.count + 1)
                let number = rest.prefix { $0.isNumber }
                if let position = Int(number), position < indices.count {
                    field = "\(prefix).\(indices[position])" + rest.dropFirst(number.count)
                }
            }
            if field == "points" { field = "points.0.key" }
            if field == "fields" { field = "fields.0.key" }
            if field.hasSuffix(".instruments") { field += "[]" }
            // Months already reported as not a number are not reported again as out of order.
            if errors.message(for: field) == nil { errors.add(field, problem.message) }
        }
        guard errors.isEmpty, let end, let retention else { return .failure(errors) }
        return .success(Read(title: title, end: end, retention: retention, design: design))
    }
}
