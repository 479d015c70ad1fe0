import Testing

@testable import PuljeDomain

@Suite struct CatalogueTests {
    static func budget(total: Int64, years: [Int: Int64], categories: [BudgetCategory: Int64]) -> InitiativeBudget {
        InitiativeBudget(
            priceLevel: 2022, total: Money(kroner: total), byYear: years.mapValues { Money(kroner: $0) },
            byCategory: categories.mapValues { Money(kroner: $0) })
    }

    @Test func aBudgetThatAddsUpHasNoProblems() {
        // Initiative 1.1 of the 2022 allocation.
        let b = Self.budget(
            total: 7_500_000, years: [2022: 2_500_000, 2023: 3_200_000, 2024: 1_800_000],
            categories: [
                .projectManagement: 1_500_000, .implementationSupport: 2_400_000, .competenceDevelopment: 3_600_000,
            ])
        #expect(b.problems().isEmpty)
        #expect(b.isConsistent)
    }

    @Test func yearsAndCategoriesMustEachAddUp() {
        let b = Self.budget(
            total: 7_500_000, years: [2022: 2_500_000, 2023: 3_000_000],
            categories: [.projectManagement: 7_400_000])
        #expect(
            b.problems() == [
                .yearsDoNotAddUp(sum: Money(kroner: 5_500_000), total: Money(kroner: 7_500_000)),
                .categoriesDoNotAddUp(sum: Money(kroner: 7_400_000), total: Money(kroner: 7_500_000)),
            ])
        #expect(
            b.problems()[0].danishMessage
                == "Årene summerer til 5.500.000 kr., men det samlede beløb er 7.500.000 kr.")
    }

    @Test func negativeAmountsAreRefused() {
        let b = Self.budget(
            total: 0, years: [2022: 100, 2023: -100], categories: [.evaluation: -5, .applicationPool: 5])
        #expect(b.problems().contains(.negativeYear(2023)))
        #expect(b.problems().contains(.negativeCategory(.evaluation)))
    }

    @Test func initiativeNumbersParseAndSortNumerically() throws {
        let numbers = try ["1.10", "1.2", "1.9", "2.1", "1.1"].map { try #require(InitiativeNumber($0)) }
        #expect(numbers.sorted().map(\.description) == ["1.1", "1.2", "1.9", "1.10", "2.1"])
        for bad in ["", "1", "1.", ".1", "a.b", "1.2.3.4", "1..2", "1.1000", " "] {
            #expect(InitiativeNumber(bad) == nil, "\(bad) should not parse")
        }
    }

    @Test(arguments: [
        ("1.-2. kvartal 2022", 2022, 1, 2022, 2),
        ("3. kvartal 2022-3. kvartal 2024", 2022, 3, 2024, 3),
        ("1. kvartal, 2022", 2022, 1, 2022, 1),
        ("1. - 2. kvartal 2022", 2022, 1, 2022, 2),
        ("2. kvartal 2022 – 1. kvartal 2023", 2022, 2, 2023, 1),
        ("1. kvartal 2023 til 3. kvartal 2025", 2023, 1, 2025, 3),
        ("3. og 4. kvartal 2025", 2025, 3, 2025, 4),
    ])
    func readsPeriodsAsTheDocumentsWriteThem(label: String, y1: Int, q1: Int, y2: Int, q2: Int) throws {
        let (from, to) = try #require(TimelineText.period(label))
        #expect(from == Quarter(year: y1, quarter: q1))
        #expect(to == Quarter(year: y2, quarter: q2))
    }

    @Test(arguments: [
        "", "kvartal", "5. kvartal 2022", "2.-1. kvartal 2022", "1. kvartal 2024-1. kvartal 2023", "Q1 2022",
    ])
    func refusesPeriodsThatCannotBeRead(label: String) {
        #expect(TimelineText.period(label) == nil)
    }

    @Test func timelineTextRoundTrips() throws {
        let text = "1.-2. kvartal 2022: Planlægning; Rekruttering\n\n4. kvartal 2024: Formidling"
        let entries = try TimelineText.parse(text).get()
        #expect(entries.count == 2)
        #expect(entries[0].activities == ["Planlægning", "Rekruttering"])
        #expect(try TimelineText.parse(TimelineText.format(entries)).get() == entries)
        #expect(throws: TimelineText.LineError.self) { try TimelineText.parse("Planlægning uden periode").get() }
        #expect(throws: TimelineText.LineError.self) { try TimelineText.parse("1. kvartal 2022:").get() }
    }

    static let sample: [Initiative] = [
        Initiative(
            programmeYear: 2022, number: InitiativeNumber("1.7")!, title: "Modning af MOVE", area: .adults,
            phase: .maturation, track: 1, purpose: "Stofmisbrugsbehandling til unge",
            budget: budget(total: 0, years: [:], categories: [:])),
        Initiative(
            programmeYear: 2022, number: InitiativeNumber("1.10")!, title: "Intensive forløb", area: .adults,
            phase: .maturation, track: 1, budget: budget(total: 0, years: [:], categories: [:])),
        Initiative(
            programmeYear: 2022, number: InitiativeNumber("1.4")!, title: "Screening af lovende indsatser",
            area: .children, phase: .screening, track: 2, background: "Dagtilbud og grundskoler",
            budget: budget(total: 0, years: [:], categories: [:])),
    ]

    @Test func filtersByAreaPhaseAndText() {
        #expect(CatalogueQuery(area: .adults).filter(Self.sample).map(\.number.description) == ["1.7", "1.10"])
        #expect(CatalogueQuery(phase: .screening).filter(Self.sample).map(\.number.description) == ["1.4"])
        #expect(CatalogueQuery(text: "move UNGE").filter(Self.sample).map(\.number.description) == ["1.7"])
        #expect(CatalogueQuery(text: "grundskoler").filter(Self.sample).map(\.number.description) == ["1.4"])
        #expect(CatalogueQuery(area: .children, text: "move").filter(Self.sample).isEmpty)
        #expect(CatalogueQuery().filter(Self.sample).map(\.number.description) == ["1.4", "1.7", "1.10"])
    }

    @Test func changesAreDescribedForTheAuditLog() {
        let old = Self.sample[0]
        var new = old
        new.title = "Modning af MOVE til de mest udsatte unge"
        new.phase = .testing
        let changes = InitiativeChanges.describe(from: old, to: new)
        #expect(
            changes == [
                "Titel: \"Modning af MOVE\" → \"Modning af MOVE til de mest udsatte unge\"",
                "SUSI-fase: \"Modning\" → \"Afprøvning\"",
            ])
        #expect(InitiativeChanges.describe(from: old, to: old).isEmpty)
    }
}
