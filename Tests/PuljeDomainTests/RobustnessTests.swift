import Foundation
import Testing

@testable import PuljeDomain

/// No arithmetic on amounts, quantities, months or scale values traps, whatever 64-bit value a user sends;
/// what is out of range is refused with a Danish message at save time.
@Suite struct RobustnessTests {
    static let rules = CallRules(
        targetAreas: [TargetArea(code: "handicap", name: "Handicapområdet")], projectStart: "2024-01-01",
        projectEnd: "2026-12-31",
        minimumConditions: [MinimumCondition(id: "projektleder", text: "Vi udpeger en projektleder.")],
        questions: [FormQuestion(id: "motivation", text: "Motivation", maxLength: 3_000)],
        budget: BudgetRules(eligibleCategories: [.salaries], maximumTotal: Money(kroner: 1_000_000)))

    static let hostile: [Int64] = [
        .max, .min, .max - 1, .min + 1, 0, -1, 1, 100, 99, 50, -50, 3_037_000_500, -3_037_000_500,
        92_233_720_368_547_758,
    ]

    func line(units: Int64, price: Int64, year: Int = 2024, months: [Int] = [1]) -> BudgetLine {
        BudgetLine(
            category: .salaries, description: "Projektleder, 0,5 årsværk", unitsHundredths: units,
            unitPrice: Money(ore: price), year: year, months: months)
    }

    /// The numbers of the probe: 9223372036854775807 units at 2 øre, and a price of 999.999.999.999.999 kr.
    @Test func theProbesLinesAreRefusedAndComputeWithoutTrapping() throws {
        let overflowing = line(units: .max, price: 2)
        #expect(overflowing.checkedAmount == nil)
        #expect(overflowing.amount == Money(ore: .max))
        _ = overflowing.monthlyAmounts
        let content = ApplicationContent(budget: [overflowing, line(units: 100, price: 99_999_999_999_999_900)])
        let problems = DraftLimits.problems(content, rules: Self.rules)
        #expect(problems.contains { $0.field == "budget.0" && $0.message.contains("Antal skal være mellem 0 og") })
        #expect(problems.contains { $0.field == "budget.1" && $0.message.contains("Enhedsprisen skal være mellem") })
        #expect(problems.contains { $0.message.contains("Antal × enhedspris giver mere end 1.000.000.000 kr.") })
        _ = BudgetTotals(content.budget)
        _ = SubmissionCheck.problems(content, rules: Self.rules)
        _ = BudgetTable.rows(content.budget)
    }

    @Test func everyCombinationOfHostileNumbersIsJudgedWithoutTrapping() {
        for units in Self.hostile {
            for price in Self.hostile {
                let budget = [line(units: units, price: price), line(units: price, price: units)]
                let content = ApplicationContent(budget: budget)
                let draft = DraftLimits.problems(content, rules: Self.rules)
                let inRange =
                    (0...DraftLimits.maximumUnitsHundredths).contains(units)
                    && (0...DraftLimits.maximumUnitPrice.ore).contains(price)
                    && (0...DraftLimits.maximumUnitsHundredths).contains(price)
                    && (0...DraftLimits.maximumUnitPrice.ore).contains(units)
                    && (budget.allSatisfy { ($0.checkedAmount ?? .init(ore: .max)) <= DraftLimits.maximumLineAmount })
                #expect(draft.isEmpty == inRange, "units \(units), price \(price)")
                // Every refusal is a Danish sentence at its line.
                #expect(draft.allSatisfy { $0.field.hasPrefix("budget") && $0.message.hasPrefix("Linje ") })
                let totals = BudgetTotals(budget)
                _ = totals.total + totals.total
                _ = SubmissionCheck.problems(content, rules: Self.rules)
                for l in budget { _ = l.monthlyAmounts }
                _ = DanishAmount.kroner(totals.total)
                _ = DanishAmount.millions(totals.total)
            }
        }
    }

    @Test func randomSixtyFourBitInputsNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let units = Int64.random(in: .min ... .max, using: &generator)
            let price = Int64.random(in: .min ... .max, using: &generator)
            let year = Int.random(in: .min ... .max, using: &generator)
            let month = Int.random(in: .min ... .max, using: &generator)
            let citizens = Int.random(in: .min ... .max, using: &generator)
            let content = ApplicationContent(
                services: [ParticipatingService(name: "Botilbud", legalBasis: "SEL § 108", citizens: citizens)],
                budget: [line(units: units, price: price, year: year, months: [month, 1])])
            let problems = DraftLimits.problems(content, rules: Self.rules)
            #expect(!problems.isEmpty)
            _ = SubmissionCheck.problems(content, rules: Self.rules)
            _ = BudgetTotals(content.budget)
            _ = BudgetTable.rows(content.budget)
            _ = Money(kroner: units)
            _ = Money(ore: units) + Money(ore: price)
            _ = Money(ore: units) - Money(ore: price)
        }
    }

    @Test func draftsMayBeIncompleteButNeverOutOfRange() {
        // Incomplete: no title, a line without price or units. Saved.
        let incomplete = ApplicationContent(budget: [line(units: 0, price: 0)])
        #expect(DraftLimits.problems(incomplete, rules: Self.rules).isEmpty)
        #expect(!SubmissionCheck.problems(incomplete, rules: Self.rules).isEmpty)
        // Out of range: each refused at its field.
        let cases: [(ApplicationContent, String, String)] = [
            (ApplicationContent(budget: [line(units: -100, price: 100)]), "budget.0", "Antal skal være mellem 0"),
            (ApplicationContent(budget: [line(units: 100, price: -100)]), "budget.0", "Enhedsprisen skal være mellem"),
            (ApplicationContent(budget: [line(units: 100, price: 100, months: [13])]), "budget.0", "mellem 1 og 12"),
            (ApplicationContent(budget: [line(units: 100, price: 100, months: [0])]), "budget.0", "mellem 1 og 12"),
            (ApplicationContent(budget: [line(units: 100, price: 100, months: [-1])]), "budget.0", "mellem 1 og 12"),
            (
                ApplicationContent(budget: [line(units: 100, price: 100, year: 2031)]), "budget.0",
                "uden for projektperioden"
            ),
            (
                ApplicationContent(answers: ["motivation": String(repeating: "x", count: 900_000)]),
                "answers.motivation", "højst 3.000 er tilladt"
            ),
            (
                ApplicationContent(
                    answers: Dictionary(uniqueKeysWithValues: (0..<20_000).map { ("ukendt\($0)", "x") })),
                "answers", "20.000 svar hører ikke til"
            ),
            (ApplicationContent(targetAreaCodes: ["udsatte"]), "targetAreas", "hører ikke til puljen"),
            (ApplicationContent(declarations: ["opfundet"]), "declarations", "hører ikke til puljens"),
            (
                ApplicationContent(services: [ParticipatingService(name: "B", legalBasis: "", citizens: -1)]),
                "services.0", "Antal borgere skal være mellem 0 og 1.000.000"
            ),
            (
                ApplicationContent(projectTitle: String(repeating: "t", count: 301)), "projectTitle",
                "højst være 300 tegn"
            ),
        ]
        for (content, field, message) in cases {
            let problems = DraftLimits.problems(content, rules: Self.rules)
            #expect(
                problems.contains { $0.field == field && $0.message.contains(message) },
                "\(field): \(problems.map(\.message))")
        }
    }

    @Test func moneyNeverTraps() {
        #expect(Money(ore: .max) + Money(ore: 1) == Money(ore: .max))
        #expect(Money(ore: .min) - Money(ore: 1) == Money(ore: .min))
        #expect(Money(ore: .min) + Money(ore: -1) == Money(ore: .min))
        #expect(Money(kroner: .max) == Money(ore: .max))
        #expect(Money(kroner: .min) == Money(ore: .min))
        #expect(Money(ore: .max).adding(Money(ore: 1)) == nil)
        #expect(Money(ore: 1).adding(Money(ore: 2)) == Money(ore: 3))
        #expect([Money(ore: .max), Money(ore: .max)].sum() == Money(ore: .max))
        // Rounding to whole øre on the remainder: half away from zero, no overflow near the ends.
        #expect(line(units: 50, price: 1).checkedAmount == Money(ore: 1))
        #expect(line(units: 49, price: 1).checkedAmount == Money(ore: 0))
        #expect(line(units: -50, price: 1).checkedAmount == Money(ore: -1))
        #expect(line(units: 1, price: .max).checkedAmount == Money(ore: Int64.max / 100))
        #expect(line(units: 2, price: .max).checkedAmount == nil)
    }

    @Test func scoringScalesAreBounded() {
        let huge = ScoringScale(minimum: 0, maximum: 100_000_000_000_000_000_000, step: 1)
        #expect(huge.problem != nil)
        #expect(huge.values.isEmpty)
        #expect(!huge.allows(3))
        let tooManySteps = ScoringScale(minimum: 0, maximum: 1_000, step: 1)
        #expect(tooManySteps.problem?.contains("højst have 200 trin") == true)
        #expect(tooManySteps.values.isEmpty)
        for scale in [
            ScoringScale(minimum: .nan, maximum: 5, step: 1), ScoringScale(minimum: 0, maximum: .infinity, step: 1),
            ScoringScale(minimum: 0, maximum: 5, step: 0), ScoringScale(minimum: 0, maximum: 5, step: -1),
            ScoringScale(minimum: 0, maximum: 5, step: .leastNonzeroMagnitude),
            ScoringScale(minimum: -.greatestFiniteMagnitude, maximum: .greatestFiniteMagnitude, step: 1),
        ] {
            #expect(scale.problem != nil)
            #expect(scale.values.isEmpty)
        }
        #expect(ScoringScale(minimum: 0, maximum: 100, step: 1).values.count == 101)
        #expect(ScoringScale.standard.values.count == 11)
    }

    @Test func aScaleStaysOnceApplicationsAreSubmitted() {
        let other = ScoringScale(minimum: 1, maximum: 10, step: 1)
        #expect(ScoringScale.changeProblem(from: .standard, to: other, submittedApplications: 0) == nil)
        #expect(ScoringScale.changeProblem(from: .standard, to: .standard, submittedApplications: 3) == nil)
        #expect(
            ScoringScale.changeProblem(from: .standard, to: other, submittedApplications: 1)
                == "Pointskalaen kan ikke ændres, når der er indsendt ansøgninger til puljen (den er 0–5 i halve point)."
        )
    }

    @Test func criterionWeightsAndCoverageAreBounded() {
        #expect(throws: CallRulesText.LineError.self) {
            try CallRulesText.criteria("motivation; Motivation; 9223372036854775807")
        }
        #expect(throws: CallRulesText.LineError.self) { try CallRulesText.criteria("m; M; 1; inf") }
        #expect(throws: CallRulesText.LineError.self) { try CallRulesText.targetAreas("a; A; 100000") }
        let heavy = [
            AwardCriterion(id: "a", name: "A", description: "", weight: .max),
            AwardCriterion(id: "b", name: "B", description: "", weight: .max),
        ]
        #expect(WeightedScore(scores: ["a": 3, "b": 4], criteria: heavy).value == 3.5)
    }

    @Test func portfolioAmountsAreBounded() {
        let instance = PortfolioInstance(
            funds: Money(ore: .max), minCount: 0, maxCount: 3, coverage: [:],
            candidates: (0..<3).map { PortfolioCandidate(id: "\($0)", score: 1, amount: Money(ore: .max), areas: []) })
        #expect(throws: PortfolioError.self) { try PortfolioSolver.validate(instance) }
    }
}

@Suite struct CalendarDateTests {
    @Test func danishAndISODatesAreRead() {
        #expect(CalendarDate(parsing: "2023-12-07") == CalendarDate(year: 2023, month: 12, day: 7))
        #expect(CalendarDate(parsing: "7.12.2023") == CalendarDate(year: 2023, month: 12, day: 7))
        #expect(CalendarDate(parsing: "07.12.2023") == CalendarDate(year: 2023, month: 12, day: 7))
        #expect(CalendarDate(parsing: " 15/12/2026 ") == CalendarDate(year: 2026, month: 12, day: 15))
        #expect(CalendarDate(parsing: "29.02.2024") != nil)
    }

    @Test(arguments: [
        "-1-01-01", "0001-01-01", "99999-01-01", "2023-13-01", "2023-02-30", "29.02.2023", "2023-12", "", "i morgen",
        "2023-12-07T12:00", "1.2.3", "2023--12-07", "9223372036854775807-01-01", "+2023-12-07",
    ])
    func nonsenseIsRefused(input: String) {
        #expect(CalendarDate(parsing: input) == nil)
    }

    @Test func datesAreWrittenTheDanishWay() throws {
        let date = try #require(CalendarDate(parsing: "2026-12-15"))
        #expect(date.iso == "2026-12-15")
        #expect(date.danishText == "15. december 2026")
        #expect(date.danishShort == "15.12.2026")
        #expect(try #require(CalendarDate(parsing: "1.2.2024")) < date)
    }

    @Test func timesOfDayAreRead() {
        #expect(ClockTime(parsing: "12.00") == ClockTime(hour: 12, minute: 0))
        #expect(ClockTime(parsing: "12:00") == ClockTime(hour: 12, minute: 0))
        #expect(ClockTime(parsing: "9.5") == ClockTime(hour: 9, minute: 5))
        for bad in ["24.00", "12.60", "-1.00", "12", "12.00.00", "kl. 12", ""] {
            #expect(ClockTime(parsing: bad) == nil, "\(bad)")
        }
        #expect(ClockTime(hour: 12, minute: 0)?.danishText == "12.00")
    }
}

@Suite struct LocalRedirectTests {
    @Test(arguments: ["/", "/initiativer/2022/1.8", "/puljer?fase=aaben", "/ansoegninger/abc#beskeder"])
    func pathsOnThisSiteAreKept(path: String) {
        #expect(LocalRedirect.path(path) == path)
    }

    @Test(arguments: [
        "//evil.example", "/\\evil.example", "/\t/localhost:8080/healthz", "/\r\nSet-Cookie: pulje_session=PLANTED",
        "/\nLocation: //evil", "https://evil.example", "evil", "", " /", "/ ", "/\u{0}", "/\u{7F}", "/æøå",
        "/\u{2028}", "\\\\evil",
    ])
    func anythingElseIsRefused(path: String) {
        #expect(LocalRedirect.path(path) == nil)
    }

    @Test func nothingIsNothing() {
        #expect(LocalRedirect.path(nil) == nil)
        #expect(LocalRedirect.path("/" + String(repeating: "a", count: 2_000)) == nil)
    }
}

@Suite struct AuditAudienceTests {
    @Test func theInsideOfTheAssessmentIsForHistoryStaffOnly() {
        let applicant = CaseHistoryReader(actor: Actor(roles: [.municipalApplicant], organisationKind: .municipality))
        let assessor = CaseHistoryReader(actor: Actor(roles: [.assessor], organisationKind: .agency))
        let caseworker = CaseHistoryReader(actor: Actor(roles: [.grantAdministrator], organisationKind: .agency))
        #expect(applicant == .caseParty)
        #expect(assessor == .caseParty)
        #expect(caseworker == .historyStaff)
        for action in [AuditAction.score, .conflictDeclaration, .assessorAssign, .consensus, .screening] {
            #expect(!applicant.mayRead(action.rawValue))
            #expect(!assessor.mayRead(action.rawValue))
            #expect(caseworker.mayRead(action.rawValue))
        }
        for action in [AuditAction.applicationSave, .applicationSubmit, .applicationMessage, .informationRequest] {
            #expect(applicant.mayRead(action.rawValue))
            #expect(caseworker.mayRead(action.rawValue))
        }
        #expect(!applicant.mayRead("something.unknown"))
        #expect(caseworker.mayRead("something.unknown"))
        #expect(!applicant.seesNamesOfOtherOrganisations)
        #expect(caseworker.seesNamesOfOtherOrganisations)
    }

    @Test func everyActionHasADanishName() {
        for action in AuditAction.allCases {
            #expect(action.danishName != action.rawValue)
            #expect(AuditAction.danishName(of: action.rawValue) == action.danishName)
        }
    }
}

@Suite struct ContentMergeTests {
    let base = ApplicationContent(
        projectTitle: "Titel", targetAreaCodes: ["a"], answers: ["m": "Motivation", "p": "Parathed"])

    @Test func fieldsOnlyOneSideChangedMergeByThemselves() {
        var mine = base
        mine.projectTitle = "Min titel"
        var saved = base
        saved.answers["m"] = "Deres motivation"
        saved.targetAreaCodes = ["a", "b"]
        let result = ContentMerge.merge(base: base, mine: mine, saved: saved)
        #expect(result.conflicts.isEmpty)
        #expect(result.merged.projectTitle == "Min titel")
        #expect(result.merged.answers["m"] == "Deres motivation")
        #expect(result.merged.targetAreaCodes == ["a", "b"])
        #expect(result.merged.answers["p"] == "Parathed")
    }

    @Test func fieldsBothChangedDifferentlyAreTheUsersToChoose() {
        var mine = base
        mine.answers["m"] = "Min motivation"
        mine.answers["p"] = "Samme"
        var saved = base
        saved.answers["m"] = "Deres motivation"
        saved.answers["p"] = "Samme"
        saved.answers["ny"] = "Kun deres"
        let result = ContentMerge.merge(base: base, mine: mine, saved: saved)
        #expect(result.conflicts == [.answer("m")])
        #expect(result.merged.answers["m"] == "Min motivation")
        #expect(result.merged.answers["ny"] == "Kun deres")
        let kept = ContentMerge.resolve(result.merged, saved: saved, keepSaved: [.answer("m")])
        #expect(kept.answers["m"] == "Deres motivation")
        #expect(ContentMerge.Field("answers.m") == .answer("m"))
        #expect(ContentMerge.Field("budget") == .budget)
        #expect(ContentMerge.Field("answers.") == nil)
        #expect(ContentMerge.Field("noget") == nil)
    }
}
