/// The bounds every saved application keeps, draft or submitted. A draft may be incomplete (an empty
/// title, a line without a price); it is never out of range (a negative price, month 13, an answer longer
/// than its question allows, an answer to a question the call does not ask). Checked at every save, so
/// nothing out of range is ever stored and no later computation on it can overflow.
public enum DraftLimits {
    /// 1.000.000 units, in hundredths.
    public static let maximumUnitsHundredths: Int64 = 100_000_000
    /// 1.000.000.000 kr. for one unit.
    public static let maximumUnitPrice = Money(ore: 100_000_000_000)
    /// 1.000.000.000 kr. for one line (units × unit price).
    public static let maximumLineAmount = Money(ore: 100_000_000_000)
    public static let maximumBudgetLines = 500
    public static let maximumServices = 200
    public static let maximumContacts = 50
    public static let maximumCitizens = 1_000_000
    /// Titles, names, descriptions, e-mail addresses and phone numbers.
    public static let maximumShortText = 300
    public static let maximumNote = 2_000
    /// Budget years when the call states no project period.
    public static let plausibleYears = 2000...2100

    /// Every value out of range, each at its field, in Danish. Empty: the content may be saved.
    public static func problems(_ content: ApplicationContent, rules: CallRules) -> [ApplicationProblem] {
        var problems: [ApplicationProblem] = []
        func tooLong(_ text: String, _ limit: Int) -> Bool { text.count > limit }

        if tooLong(content.projectTitle, maximumShortText) {
            problems.append(.init("projectTitle", "Titlen må højst være \(maximumShortText) tegn."))
        }
        let areas = Set(rules.targetAreas.map(\.code))
        if content.targetAreaCodes.contains(where: { !areas.contains($0) }) {
            problems.append(.init("targetAreas", "Et valgt målområde hører ikke til puljen."))
        }
        if content.services.count > maximumServices {
            problems.append(.init("services", "Der kan højst angives \(maximumServices) tilbud."))
        }
        for (index, service) in content.services.prefix(maximumServices).enumerated() {
            let field = "services.\(index)"
            if tooLong(service.name, maximumShortText) || tooLong(service.legalBasis, maximumShortText) {
                problems.append(
                    .init(field, "Tilbud \(index + 1): Navn og lovgrundlag må højst være \(maximumShortText) tegn."))
            }
            if !(0...maximumCitizens).contains(service.citizens) {
                problems.append(
                    .init(
                        field,
                        "Tilbud \(index + 1): Antal borgere skal være mellem 0 og \(DanishNumber.grouped(maximumCitizens))."
                    ))
            }
        }
        if content.contacts.count > maximumContacts {
            problems.append(.init("contacts", "Der kan højst angives \(maximumContacts) kontaktpersoner."))
        }
        for (index, contact) in content.contacts.prefix(maximumContacts).enumerated()
        where [contact.name, contact.role, contact.email, contact.phone].contains(where: {
            tooLong($0, maximumShortText)
        }) {
            problems.append(
                .init(
                    "contacts.\(index)",
                    "Kontaktperson \(index + 1): Hvert felt må højst være \(maximumShortText) tegn."))
        }
        let questions = Dictionary(rules.questions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let unknownAnswers = content.answers.keys.filter { questions[$0] == nil }
        if !unknownAnswers.isEmpty {
            problems.append(
                .init(
                    "answers",
                    "\(unknownAnswers.count == 1 ? "Et svar hører" : "\(DanishNumber.grouped(unknownAnswers.count)) svar hører") ikke til noget spørgsmål i puljen. Genindlæs siden."
                ))
        }
        for question in rules.questions {
            if let answer = content.answers[question.id], answer.count > question.maxLength {
                problems.append(
                    .init(
                        "answers.\(question.id)",
                        "Svaret på \"\(question.text)\" er \(DanishNumber.grouped(answer.count)) tegn; højst \(DanishNumber.grouped(question.maxLength)) er tilladt."
                    ))
            }
        }
        let conditions = Set(rules.minimumConditions.map(\.id))
        if content.declarations.contains(where: { !conditions.contains($0) }) {
            problems.append(.init("declarations", "En erklæring hører ikke til puljens minimumsbetingelser."))
        }
        problems += budgetProblems(content.budget, rules: rules)
        return problems
    }

    static func budgetProblems(_ lines: [BudgetLine], rules: CallRules) -> [ApplicationProblem] {
        var problems: [ApplicationProblem] = []
        if lines.count > maximumBudgetLines {
            problems.append(.init("budget", "Budgettet kan højst have \(maximumBudgetLines) linjer."))
        }
        let years = rules.projectYears ?? plausibleYears
        for (index, line) in lines.prefix(maximumBudgetLines).enumerated() {
            let field = "budget.\(index)"
            let number = index + 1
            if line.description.count > maximumShortText {
                problems.append(.init(field, "Linje \(number): Beskrivelsen må højst være \(maximumShortText) tegn."))
            }
            if line.note.count > maximumNote {
                problems.append(.init(field, "Linje \(number): Noten må højst være \(maximumNote) tegn."))
            }
            if !(0...maximumUnitsHundredths).contains(line.unitsHundredths) {
                problems.append(
                    .init(
                        field,
                        "Linje \(number): Antal skal være mellem 0 og \(DanishNumber.format(hundredths: maximumUnitsHundredths))."
                    ))
            }
            if !(0...maximumUnitPrice.ore).contains(line.unitPrice.ore) {
                problems.append(
                    .init(
                        field,
                        "Linje \(number): Enhedsprisen skal være mellem 0 kr. og \(DanishAmount.kroner(maximumUnitPrice))"
                    ))
            }
            if let amount = line.checkedAmount, amount <= maximumLineAmount {
                // In range.
            } else if line.unitsHundredths >= 0, line.unitPrice.ore >= 0 {
                problems.append(
                    .init(
                        field,
                        "Linje \(number): Antal × enhedspris giver mere end \(DanishAmount.kroner(maximumLineAmount)) Kontrollér antal og enhedspris."
                    ))
            }
            if !years.contains(line.year) {
                problems.append(
                    .init(
                        field,
                        "Linje \(number): \(line.year) ligger uden for projektperioden (\(years.lowerBound)–\(years.upperBound))."
                    ))
            }
            if line.months.contains(where: { !(1...12).contains($0) }) {
                problems.append(.init(field, "Linje \(number): Månederne skal være mellem 1 og 12."))
            }
        }
        return problems
    }
}

extension DanishNumber {
    /// "1.000.000"
    public static func grouped(_ value: Int) -> String {
        (value < 0 ? "-" : "") + DanishAmount.groupThousands(UInt64(value.magnitude))
    }
}
