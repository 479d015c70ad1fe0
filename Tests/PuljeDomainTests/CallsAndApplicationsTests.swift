import Foundation
import Testing

@testable import PuljeDomain

@Suite struct DeadlineTests {
    @Test(arguments: [
        // Winter: 7 December 2023 kl. 12.00 is 11:00:00 UTC.
        (2023, 12, 7, 1_701_946_800.0),
        // Summer: 15 August 2023 kl. 12.00 is 10:00:00 UTC.
        (2023, 8, 15, 1_692_093_600.0),
    ])
    func theDoorShutsAtTwelveDanishTime(year: Int, month: Int, day: Int, utcSeconds: Double) throws {
        let deadline = try #require(Deadline(year: year, month: month, day: day, hour: 12, minute: 0))
        #expect(deadline.instant.timeIntervalSince1970 == utcSeconds)
        #expect(deadline.isOpen(at: Date(timeIntervalSince1970: utcSeconds - 0.001)))  // 11:59:59.999
        #expect(!deadline.isOpen(at: Date(timeIntervalSince1970: utcSeconds)))  // 12:00:00.000
        #expect(!deadline.isOpen(at: Date(timeIntervalSince1970: utcSeconds + 0.001)))
    }

    @Test func timeLeftInDanish() throws {
        let deadline = try #require(Deadline(year: 2023, month: 12, day: 7, hour: 12, minute: 0))
        let at = { (seconds: Double) in deadline.instant.addingTimeInterval(-seconds) }
        #expect(deadline.danishTimeLeft(at: at(3 * 86_400 + 4 * 3_600 + 59)) == "3 dage og 4 timer")
        #expect(deadline.danishTimeLeft(at: at(86_400)) == "1 dag")
        #expect(deadline.danishTimeLeft(at: at(2 * 3_600 + 5 * 60)) == "2 timer og 5 minutter")
        #expect(deadline.danishTimeLeft(at: at(61)) == "1 minut")
        #expect(deadline.danishTimeLeft(at: at(0.5)) == "under 1 minut")
        #expect(deadline.danishTimeLeft(at: at(0)) == nil)
        #expect(deadline.danishText == "torsdag den 7. december 2023 kl. 12.00")
    }

    @Test func isoWeeks() throws {
        let week = try #require(ISOWeek(year: 2023, week: 51))
        #expect(week.danishText == "uge 51 2023")
        #expect(DanishTime.date(week.monday) == "18. december 2023")
        #expect(ISOWeek(containing: week.monday.addingTimeInterval(6 * 86_400)) == week)
        // 1 January 2027 is a Friday and belongs to week 53 of 2026.
        let newYear = try #require(DanishTime.instant(year: 2027, month: 1, day: 1, hour: 12, minute: 0))
        #expect(ISOWeek(containing: newYear) == ISOWeek(year: 2026, week: 53))
        #expect(ISOWeek(year: 2023, week: 53) == nil)
        #expect(ISOWeek(year: 2023, week: 0) == nil)
    }
}

@Suite struct ApplicationBudgetTests {
    let rules = BudgetRules(
        eligibleCategories: [.salaries, .training, .travel], maximumTotal: Money(kroner: 1_000_000),
        maximumPerYear: Money(kroner: 600_000))

    func line(
        _ category: ExpenseCategory = .salaries, _ description: String = "Projektleder, 0,5 årsværk",
        units: Int64 = 100, price: Int64 = 300_000, year: Int = 2024, months: [Int] = Array(1...12)
    ) -> BudgetLine {
        BudgetLine(
            category: category, description: description, unitsHundredths: units, unitPrice: Money(kroner: price),
            year: year, months: months)
    }

    @Test func amountsAreUnitsTimesPriceInWholeOre() {
        #expect(line(units: 50, price: 600_000).amount == Money(kroner: 300_000))
        let hours = BudgetLine(
            category: .salaries, description: "Supervision", unitsHundredths: 3_750, unitPrice: Money(ore: 45_033),
            year: 2024, months: [3])
        #expect(hours.amount == Money(ore: 1_688_738))  // 37,5 × 450,33 kr. = 16.887,375 → 16.887,38
    }

    @Test func theAmountIsSpreadOverItsMonthsWithoutLosingAnOre() {
        let l = BudgetLine(
            category: .travel, description: "Kørsel til netværksmøder", unitsHundredths: 100,
            unitPrice: Money(ore: 1_000), year: 2024, months: [3, 6, 9])
        #expect(l.monthlyAmounts == [3: Money(ore: 334), 6: Money(ore: 333), 9: Money(ore: 333)])
        #expect(l.monthlyAmounts.values.sum() == l.amount)
    }

    @Test(arguments: ["Løn", "løn", "Overhead", "Diverse", "div.", "Administration", "  lønninger ", "xyz"])
    func lumpsAreRefused(description: String) {
        #expect(BudgetCheck.isLump(description))
    }

    @Test(arguments: ["Projektleder, 0,5 årsværk", "Kursusdage for 12 medarbejdere", "Løn til projektleder 20 t/uge"])
    func specifiedLinesAreAccepted(description: String) {
        #expect(!BudgetCheck.isLump(description))
    }

    @Test func everyProblemIsReportedAtItsLine() {
        let lines = [
            line(),  // 300.000 in 2024: fine
            line(.materials, "Diverse"),  // ineligible and a lump
            line(units: 0, year: 2031, months: []),  // no units, outside the period, no months
        ]
        let problems = BudgetCheck.problems(lines, rules: rules, projectYears: 2024...2026)
        #expect(problems.filter { $0.field == "budget.0" }.isEmpty)
        #expect(problems.filter { $0.field == "budget.1" }.count == 2)
        #expect(problems.filter { $0.field == "budget.2" }.count == 3)
        #expect(problems.contains { $0.message.contains("Materialer og udstyr er ikke en støtteberettiget udgift") })
    }

    @Test func limitsPerYearAndInAll() {
        let lines = [line(units: 100, price: 700_000), line(units: 100, price: 400_000, year: 2025)]
        let messages = BudgetCheck.problems(lines, rules: rules, projectYears: nil).map(\.message)
        #expect(messages.contains("Budgettet er i alt 1.100.000 kr., men puljen giver højst 1.000.000 kr."))
        #expect(messages.contains("Budgettet for 2024 er 700.000 kr., men højst 600.000 kr. pr. år kan søges."))
        let totals = BudgetTotals(lines)
        #expect(totals.byYear == [2024: Money(kroner: 700_000), 2025: Money(kroner: 400_000)])
        #expect(totals.byCategory == [.salaries: Money(kroner: 1_100_000)])
    }
}

@Suite struct CallAndSubmissionTests {
    static let rules = CallRules(
        targetAreas: [
            TargetArea(code: "handicap", name: "Handicapområdet"),
            TargetArea(code: "psykiatri", name: "Socialpsykiatrien"),
        ],
        municipalitiesSought: 3...4, financeLawAccount: "§ 15.75.55.10", projectStart: "2024-01-01",
        projectEnd: "2026-12-31", deadline: Deadline(year: 2023, month: 12, day: 7, hour: 12, minute: 0),
        answerExpected: .week(ISOWeek(year: 2023, week: 51)!), contacts: [ContactPerson(name: "Line")],
        minimumConditions: [MinimumCondition(id: "projektleder", text: "Vi udpeger en projektleder.")],
        criteria: [AwardCriterion(id: "motivation", name: "Motivation", description: "")],
        questions: [FormQuestion(id: "motivation", text: "Motivation", maxLength: 20, criterionID: "motivation")])

    @Test func aCompleteCallCanBePublished() {
        #expect(Self.rules.missingForPublication().isEmpty)
    }

    @Test func anIncompleteCallListsWhatIsMissing() {
        let missing = CallRules(budget: BudgetRules(eligibleCategories: [.salaries])).missingForPublication()
        #expect(missing.contains("Ansøgningsfrist med dato og klokkeslæt"))
        #expect(missing.contains("Mindst ét tildelingskriterium"))
        #expect(missing.contains("Mindst ét spørgsmål i ansøgningsskemaet"))
        #expect(missing.contains("Puljens midler (beløb til fordeling)"))
        #expect(missing.contains("Projektperiode"))
    }

    @Test func scaleAndCoverageRulesAreCheckedBeforePublishing() {
        var rules = Self.rules
        rules.scoringScale = ScoringScale(minimum: 1, maximum: 10, step: 1)
        rules.criteria[0].minimumScore = 2.5
        rules.targetAreas[0].minimumSelected = 5
        let missing = rules.missingForPublication()
        #expect(
            missing.contains { $0.contains("Minimum for kriteriet \"Motivation\"") && $0.contains("1–10 i hele point") }
        )
        #expect(missing.contains("Et målområde kræver flere valgte ansøgninger, end puljen søger kommuner"))
        rules.scoringScale = ScoringScale(minimum: 0, maximum: 5, step: 2)
        #expect(rules.missingForPublication().contains("Pointskalaen skal gå op i trinnet."))
    }

    @Test func targetAreasAreWrittenWithAnOptionalCoverageMinimum() throws {
        let areas = try CallRulesText.targetAreas("handicap; Handicapområdet; 1\npsykiatri; Socialpsykiatrien")
        #expect(
            areas == [
                TargetArea(code: "handicap", name: "Handicapområdet", minimumSelected: 1),
                TargetArea(code: "psykiatri", name: "Socialpsykiatrien"),
            ])
        #expect(try CallRulesText.targetAreas(CallRulesText.format(areas)) == areas)
        #expect(throws: CallRulesText.LineError.self) { try CallRulesText.targetAreas("a; A; mange") }
    }

    @Test func aSubmissionMustBeComplete() {
        let empty = SubmissionCheck.problems(ApplicationContent(), rules: Self.rules)
        #expect(
            Set(empty.map(\.field)) == [
                "projectTitle", "targetAreas", "contacts", "answers.motivation", "declarations",
            ])
        let complete = ApplicationContent(
            projectTitle: "Sundhed på botilbud", targetAreaCodes: ["handicap"],
            contacts: [ContactPerson(name: "Amalie")], answers: ["motivation": "Fordi."], declarations: ["projektleder"]
        )
        #expect(SubmissionCheck.problems(complete, rules: Self.rules).isEmpty)
        var tooLong = complete
        tooLong.answers["motivation"] = String(repeating: "x", count: 21)
        #expect(SubmissionCheck.problems(tooLong, rules: Self.rules).map(\.field) == ["answers.motivation"])
        var foreignArea = complete
        foreignArea.targetAreaCodes = ["udsatte"]
        #expect(SubmissionCheck.problems(foreignArea, rules: Self.rules).map(\.field) == ["targetAreas"])
    }

    @Test func theCanonicalFormIsStable() {
        let a = ApplicationContent(projectTitle: "A", answers: ["b": "2", "a": "1"])
        let b = ApplicationContent(projectTitle: "A", answers: ["a": "1", "b": "2"])
        #expect(a.canonicalJSON() == b.canonicalJSON())
        #expect(String(decoding: a.canonicalJSON(), as: UTF8.self).contains("\"answers\":{\"a\":\"1\",\"b\":\"2\"}"))
    }

    @Test func whatWasSubmittedNeverBecomesADraftAgain() {
        #expect(ApplicationStatus.draft.canMove(to: .submitted))
        #expect(ApplicationStatus.submitted.canMove(to: .withdrawn))
        for status in ApplicationStatus.allCases where status != .draft {
            #expect(!status.canMove(to: .draft))
            #expect(!status.isEditable)
        }
        #expect(ApplicationStatus.withdrawn.allowedNext.isEmpty)
    }
}

@Suite struct BudgetTableTests {
    let lines = [
        BudgetLine(
            category: .salaries, description: "Projektleder; 0,5 årsværk", unitsHundredths: 50,
            unitPrice: Money(kroner: 600_000), year: 2030, months: [1, 2, 3], note: "=SUM(A1)"),
        BudgetLine(
            category: .travel, description: "Kørsel \"netværk\"", unitsHundredths: 1_250, unitPrice: Money(ore: 379),
            year: 2031, months: [6]),
    ]

    @Test func csvForDanishExcel() {
        let csv = BudgetTable.csv(lines)
        #expect(csv.hasPrefix("\u{FEFF}Linje;Kategori;Beskrivelse;Antal;Enhedspris (kr.);År;jan;"))
        let rows = csv.dropFirst().components(separatedBy: "\r\n")
        #expect(
            rows[1].hasPrefix(
                "1;Løn til projektmedarbejdere;\"Projektleder; 0,5 årsværk\";0,5;600000;2030;100000;100000;100000;;"))
        #expect(rows[1].hasSuffix(";300000;'=SUM(A1)"))  // a formula is written as text
        #expect(rows[2].contains("\"Kørsel \"\"netværk\"\"\";12,5;3,79;2031"))
        #expect(rows[2].contains(";47,38;"))  // 12,5 × 3,79 = 47,375 → 47,38
        #expect(csv.contains("I alt;;;;;;;;;;;;;;;;;;300047,38"))
        #expect(csv.hasSuffix("\r\n"))
    }

    @Test func monthTotalsAddUpToTheYear() {
        let rows = BudgetTable.rows(lines)
        let year2030 = rows.first { $0.first == .text("I alt 2030") }!
        #expect(year2030[6] == .amount(Money(kroner: 100_000)))
        #expect(year2030.last == .amount(Money(kroner: 300_000)))
    }
}

@Suite struct FileTypeTests {
    @Test func typesAreJudgedFromContent() {
        #expect(FileType.sniff(Array("%PDF-1.7\n".utf8)) == .known(.pdf))
        #expect(FileType.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .known(.png))
        #expect(FileType.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .known(.jpeg))
        #expect(FileType.sniff([0x50, 0x4B, 0x03, 0x04, 0x14]) == .zip)
        #expect(FileType.sniff(Array("MZ\u{90}\u{0}".utf8)) == .unknown)  // an executable named .pdf
        #expect(FileType.sniff(Array("<html>".utf8)) == .unknown)
        #expect(FileType.sniff([]) == .unknown)
    }

    @Test func officeDocumentsAreToldApartByTheirParts() {
        #expect(FileType.officeType(partNames: ["[Content_Types].xml", "word/document.xml"]) == .docx)
        #expect(FileType.officeType(partNames: ["[Content_Types].xml", "xl/workbook.xml"]) == .xlsx)
        #expect(FileType.officeType(partNames: ["photo.jpg"]) == nil)
    }

    @Test func sizesInDanish() {
        #expect(FileType.danishSize(1_234_567) == "1,2 MB")
        #expect(FileType.danishSize(10_000_000) == "10,0 MB")
        #expect(FileType.danishSize(340_200) == "340 kB")
        #expect(FileType.danishSize(12) == "1 kB")
    }
}

/// The form's sections: which a call's form has, where each problem belongs, and how far an application is.
@Suite struct ApplicationSectionTests {
    @Test func aCallsFormHasOnlyTheSectionsItAsksFor() {
        #expect(ApplicationSection.of(CallRules()) == [.project, .services, .contacts])
        var rules = CallAndSubmissionTests.rules
        rules.budget = BudgetRules(eligibleCategories: [.salaries])
        rules.attachmentKinds = [AttachmentKind(id: "plan", name: "Plan")]
        rules.requiredApproval = "Direktøren godkender."
        #expect(ApplicationSection.of(rules) == ApplicationSection.allCases)
    }

    @Test(arguments: [
        ("projectTitle", ApplicationSection.project), ("targetAreas", .project), ("services.2", .services),
        ("contacts", .contacts), ("answers.motivation", .questions), ("declarations", .declarations),
        ("budget.0", .budget), ("budget", .budget), ("attachments", .attachments), ("approval", .approval),
    ])
    func eachProblemBelongsToItsSection(field: String, section: ApplicationSection) {
        #expect(ApplicationSection.of(field: field) == section)
    }

    @Test func problemsOfTheWholeApplicationBelongToNoSection() {
        #expect(ApplicationSection.of(field: "version") == nil)
        #expect(ApplicationSection.of(field: "deadline") == nil)
        let progress = ApplicationProgress(
            sections: [.project, .contacts],
            problems: [.init("version", "Gemt igen."), .init("contacts", "Angiv mindst én kontaktperson.")])
        #expect(progress.general.map(\.field) == ["version"])
        #expect(progress.counts == ["projekt": 0, "kontakter": 1])
        #expect(progress.doneCount == 1)
        #expect(!progress.isComplete)
        #expect(progress.danishSummary == "1 af 2 afsnit er klar til indsendelse.")
    }

    @Test func anEmptyApplicationMissesSomethingInEveryRequiredSection() {
        let rules = CallAndSubmissionTests.rules
        let progress = ApplicationProgress(
            sections: ApplicationSection.of(rules),
            problems: SubmissionCheck.problems(ApplicationContent(), rules: rules))
        let missing = Set(progress.items.filter { !$0.isDone }.map(\.section))
        #expect(missing == [.project, .contacts, .questions, .declarations])
        #expect(progress.items.first { $0.section == .services }?.isDone == true)
    }

    /// After an autosave the script learns the form's sections: attachments are not in the form, and the
    /// save voids an approval the call requires.
    @Test func afterASaveAttachmentsAreLeftOutAndApprovalIsDueAgain() {
        var rules = CallAndSubmissionTests.rules
        rules.requiredApproval = "Direktøren godkender."
        rules.attachmentKinds = [AttachmentKind(id: "plan", name: "Plan", required: true)]
        let progress = ApplicationProgress.afterSave(
            ApplicationContent(), unreadable: [.init("budget.0", "Linje 1: Vælg en udgiftskategori.")], rules: rules)
        #expect(progress.counts["bilag"] == nil)
        #expect(progress.counts["godkendelse"] == 1)
        #expect(progress.counts["projekt"] == 2)  // the title and the target areas
    }
}
