import Foundation

/// One problem with an application, tied to where it is so a page can show it next to the field.
public struct ApplicationProblem: Hashable, Sendable {
    /// "projectTitle", "answers.motivation", "budget.2" (the line's index), "declarations", …
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    /// The messages joined per field, for a response that maps each field to what is wrong with it.
    public static func byField(_ problems: [ApplicationProblem]) -> [String: String] {
        var fields: [String: String] = [:]
        for problem in problems {
            fields[problem.field] = [fields[problem.field], problem.message].compactMap { $0 }.joined(separator: " ")
        }
        return fields
    }
}

public enum BudgetCheck {
    /// Words that make a line a lump rather than a specified expense.
    static let lumpWords: Set<String> = [
        "løn", "lønninger", "lønudgifter", "overhead", "diverse", "div", "div.", "andet", "øvrigt", "øvrige",
        "øvrige udgifter", "administration", "adm", "adm.", "uforudsete udgifter", "uforudset", "buffer", "drift",
        "projektudgifter", "udgifter", "misc", "andre udgifter", "personale", "lønmidler",
    ]

    /// Whether a description says what the expense is ("Projektleder 0,5 årsværk"), not just a lump ("Løn").
    public static func isLump(_ description: String) -> Bool {
        let folded = description.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
            .trimmingCharacters(in: CharacterSet(charactersIn: ".:;,-"))
        if folded.count < 4 { return true }
        return lumpWords.contains(folded)
    }

    /// Every problem with the budget lines against the call's rules, each at its line.
    public static func problems(
        _ lines: [BudgetLine], rules: BudgetRules, projectYears: ClosedRange<Int>?
    )
        -> [ApplicationProblem]
    {
        var problems: [ApplicationProblem] = []
        let eligible = Set(rules.eligibleCategories)
        for (index, line) in lines.enumerated() {
            let field = "budget.\(index)"
            let number = index + 1
            if isLump(line.description) {
                problems.append(
                    .init(
                        field,
                        "Linje \(number): Beskriv udgiften konkret (fx \"Projektleder, 0,5 årsværk\"); samleposter som løn, overhead og diverse kan ikke godkendes."
                    ))
            }
            if !eligible.contains(line.category) {
                problems.append(
                    .init(
                        field,
                        "Linje \(number): \(line.category.danishName) er ikke en støtteberettiget udgift i denne pulje."
                    ))
            }
            if line.unitsHundredths <= 0 {
                problems.append(.init(field, "Linje \(number): Antal skal være større end 0."))
            }
            if line.unitPrice.ore <= 0 {
                problems.append(.init(field, "Linje \(number): Enhedsprisen skal være større end 0."))
            }
            if let years = projectYears, !years.contains(line.year) {
                problems.append(
                    .init(
                        field,
                        "Linje \(number): \(line.year) ligger uden for projektperioden (\(years.lowerBound)–\(years.upperBound))."
                    ))
            }
            if line.months.contains(where: { !(1...12).contains($0) }) {
                problems.append(.init(field, "Linje \(number): Månederne skal være mellem 1 og 12."))
            }
            if rules.requiresMonthlySpread && line.months.isEmpty {
                problems.append(.init(field, "Linje \(number): Vælg de måneder, hvor udgiften falder."))
            }
        }
        let totals = BudgetTotals(lines)
        if let maximum = rules.maximumTotal, totals.total > maximum {
            problems.append(
                .init(
                    "budget",
                    sentence(
                        "Budgettet er i alt \(DanishAmount.kroner(totals.total)), men puljen giver højst \(DanishAmount.kroner(maximum))"
                    )))
        }
        if let maximum = rules.maximumPerYear {
            for (year, amount) in totals.byYear.sorted(by: { $0.key < $1.key }) where amount > maximum {
                problems.append(
                    .init(
                        "budget",
                        sentence(
                            "Budgettet for \(year) er \(DanishAmount.kroner(amount)), men højst \(DanishAmount.kroner(maximum)) pr. år kan søges"
                        )))
            }
        }
        return problems
    }
}

/// What must be in order before an application can be submitted, in Danish: everything a draft must keep
/// (`DraftLimits`), and completeness.
public enum SubmissionCheck {
    public static func problems(_ content: ApplicationContent, rules: CallRules) -> [ApplicationProblem] {
        var problems = DraftLimits.problems(content, rules: rules)
        func add(_ problem: ApplicationProblem) {
            if !problems.contains(problem) { problems.append(problem) }
        }
        if content.projectTitle.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            add(.init("projectTitle", "Skriv en titel på projektet."))
        }
        if !rules.targetAreas.isEmpty && content.targetAreaCodes.isEmpty {
            add(.init("targetAreas", "Vælg mindst ét målområde."))
        }
        for (index, service) in content.services.enumerated()
        where service.name.trimmingCharacters(in: .whitespaces).isEmpty {
            add(.init("services.\(index)", "Tilbud \(index + 1): Skriv tilbuddets navn."))
        }
        if content.contacts.isEmpty || content.contacts.allSatisfy({ $0.name.isEmpty }) {
            add(.init("contacts", "Angiv mindst én kontaktperson."))
        }
        for question in rules.questions where question.required {
            let answer = (content.answers[question.id] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if answer.isEmpty { add(.init("answers.\(question.id)", "Besvar spørgsmålet \"\(question.text)\".")) }
        }
        let attachedKinds = Set(content.attachments.map(\.kind))
        for kind in rules.attachmentKinds where kind.required && !attachedKinds.contains(kind.id) {
            add(.init("attachments", "Vedhæft bilaget: \(kind.name)."))
        }
        let declared = Set(content.declarations)
        for condition in rules.minimumConditions where !declared.contains(condition.id) {
            add(.init("declarations", "Erklær minimumsbetingelsen: \(condition.text)"))
        }
        if rules.budget.hasBudget {
            if content.budget.isEmpty { add(.init("budget", "Udfyld budgettet.")) }
            BudgetCheck.problems(content.budget, rules: rules.budget, projectYears: rules.projectYears).forEach(add)
        }
        return problems
    }
}
