import Foundation
import Testing

@testable import PuljeDomain

/// The SØM-style business case against a worked example written out by hand.
@Suite struct BusinessCaseTests {
    static func kr(_ kroner: Int64) -> Money { Money(kroner: kroner) }

    /// Two cohorts of 100 citizens; 12 % succeed with the new practice against 2 % with the current one, so
    /// s = 10 % and S = 10, 10. A successful citizen spends 10 weeks fewer on social assistance the year they
    /// complete and 20 weeks fewer in each of the next two years; a week costs the municipality 3.000 kr.
    /// and the state 1.000 kr. The municipality pays 500.000 kr. to start, 800.000 kr. a year to run it for two
    /// years, and saves 100.000 kr. a year of current practice from the second year.
    static let example = BusinessCaseInput(
        title: "Job og trivsel", priceLevel: 2024, firstYear: 2024, horizon: 4, successRateNew: 12,
        successRateCurrent: 2, cohorts: [100, 100],
        consequences: [
            .init(
                name: "Kontanthjælp", unit: "uger", prices: [.municipality: 3000, .state: 1000],
                changes: [-10, -20, -20])
        ],
        costs: [
            .init(name: "Opstart", kind: .startUp, payer: .municipality, amounts: [500_000]),
            .init(name: "Drift", kind: .operation, payer: .municipality, amounts: [800_000, 800_000]),
            .init(name: "Nuværende forløb", kind: .saved, payer: .municipality, amounts: [0, 100_000, 100_000]),
        ])

    func compute(_ input: BusinessCaseInput, index: NetPriceIndex = NetPriceIndex()) throws -> BusinessCaseResult {
        try BusinessCaseCalculator.compute(input, index: index).get()
    }

    @Test func theWorkedExample() throws {
        let result = try compute(Self.example)
        #expect(result.years == [2024, 2025, 2026, 2027])
        #expect(result.successShare == Decimal(string: "0.1"))
        #expect(result.successfulCitizens == [10, 10])
        // Use by the successful citizens, year by year: t=0: 10×−10 = −100 weeks; t=1: 10×−20 + 10×−10 = −300;
        // t=2: 10×−20 + 10×−20 = −400; t=3: the first cohort's change is over, the second's −20 × 10 = −200.
        let effects = result.consequences[0].effects
        #expect(effects[.municipality] == [300_000, 900_000, 1_200_000, 600_000].map(Self.kr))
        #expect(effects[.state] == [100_000, 300_000, 400_000, 200_000].map(Self.kr))
        #expect(effects[.region] == nil)

        let municipality = try #require(result.payers.first { $0.payer == .municipality })
        #expect(municipality.gross == [300_000, 900_000, 1_200_000, 600_000].map(Self.kr))
        // 500.000 + 800.000; 800.000 − 100.000; −100.000; 0
        #expect(municipality.costs == [1_300_000, 700_000, -100_000, 0].map(Self.kr))
        #expect(municipality.net == [-1_000_000, 200_000, 1_300_000, 600_000].map(Self.kr))
        #expect(municipality.cumulative == [-1_000_000, -800_000, 500_000, 1_100_000].map(Self.kr))
        #expect(municipality.breakEvenYear == 2026)
        #expect(municipality.presentValue == Self.kr(1_100_000))

        let state = try #require(result.payers.first { $0.payer == .state })
        #expect(state.cumulative == [100_000, 400_000, 800_000, 1_000_000].map(Self.kr))
        #expect(state.breakEvenYear == 2024)

        #expect(result.total.gross == [400_000, 1_200_000, 1_600_000, 800_000].map(Self.kr))
        #expect(result.total.net == [-900_000, 500_000, 1_700_000, 800_000].map(Self.kr))
        #expect(result.total.cumulative == [-900_000, -400_000, 1_300_000, 2_100_000].map(Self.kr))
        #expect(result.total.breakEvenYear == 2026)
        #expect(result.total.presentValue == Self.kr(2_100_000))
    }

    @Test func discountingAtThreeAndAHalfPercent() throws {
        var input = Self.example
        input.discountRate = Decimal(string: "3.5")!
        let result = try compute(input)
        // 1/1,035^t to 16 decimals; each year's net discounted to whole øre, then summed.
        #expect(
            result.discountFactors
                == ["1", "0.9661835748792271", "0.9335107003664029", "0.9019427056680222"].map { Decimal(string: $0)! })
        #expect(
            result.total.discountedNet == [-90_000_000, 48_309_179, 158_696_819, 72_155_416].map { Money(ore: $0) })
        #expect(result.total.presentValue == Money(ore: 189_161_414))
        // Discounting changes the present value, never the cumulative result or the break-even year.
        #expect(result.total.cumulative.last == Self.kr(2_100_000))
        #expect(result.total.breakEvenYear == 2026)
    }

    @Test func breakEvenAtItsEdges() throws {
        // Costs equal to the gains: a cumulative result of exactly 0 breaks even that year.
        var exact = Self.example
        exact.consequences = []
        exact.costs = [.init(name: "Drift", kind: .operation, payer: .state, amounts: [100])]
        exact.consequences = [.init(name: "Dage", unit: "dage", prices: [.state: 10], changes: [-1])]
        exact.cohorts = [100]
        exact.successRateNew = 10
        exact.successRateCurrent = 0
        let even = try compute(exact)
        #expect(even.total.cumulative == [0, 0, 0, 0].map(Self.kr))
        #expect(even.total.breakEvenYear == 2024)
        // One krone short: never within the horizon.
        exact.costs[0].amounts = [101]
        let never = try compute(exact)
        #expect(never.total.cumulative.last == Self.kr(-1))
        #expect(never.total.breakEvenYear == nil)
        // Worse than current practice: a negative success rate turns the gains into losses.
        var worse = Self.example
        worse.successRateNew = 1
        let losing = try compute(worse)
        #expect(losing.successShare == Decimal(string: "-0.01"))
        #expect(losing.total.gross[0] == Self.kr(-40_000))
        #expect(losing.total.breakEvenYear == nil)
    }

    @Test func pricesMoveBetweenPriceLevelsWithTheIndex() throws {
        var input = Self.example
        input.consequences[0].priceLevel = 2020
        input.costs[0].priceLevel = 2020
        let index = NetPriceIndex([2020: 100, 2024: Decimal(string: "110.5")!])
        let result = try compute(input, index: index)
        #expect(result.consequences[0].priceFactor == Decimal(string: "1.105"))
        #expect(result.consequences[0].prices[.municipality] == Money(ore: 331_500))  // 3.000 × 1,105
        #expect(result.costs[0].amounts[0] == Self.kr(552_500))  // 500.000 × 1,105
        #expect(result.consequences[0].effects[.municipality]?[0] == Self.kr(331_500))

        // A third of a krone rounds to whole øre, half away from zero.
        let thirds = NetPriceIndex([2020: 3, 2024: 1])
        let rounded = try compute(input, index: thirds)
        #expect(rounded.consequences[0].prices[.municipality] == Money(ore: 100_000))  // 3000 / 3
        #expect(rounded.consequences[0].prices[.state] == Money(ore: 33_333))  // 1000 / 3 = 333,333…

        // A missing value is named, never guessed.
        let problems = BusinessCaseCalculator.compute(input, index: NetPriceIndex([2024: 100]))
        guard case .failure(let failure) = problems else {
            Issue.record("A missing index value must stop the computation")
            return
        }
        #expect(failure.problems.map(\.path) == ["consequences[0].priceLevel", "costs[0].priceLevel"])
        #expect(failure.problems[0].message.contains("mangler en værdi for 2020"))
    }

    @Test func theSensitivityTableVariesSuccessAndPrices() throws {
        let result = try compute(Self.example)
        let table = Dictionary(uniqueKeysWithValues: result.sensitivity.map { ($0.label, $0) })
        #expect(table["Som beregnet"]?.cumulative == Self.kr(2_100_000))
        // Gross 4.000.000 in all; the costs 1.900.000. A quarter less effect: 3.000.000 − 1.900.000.
        #expect(table["Succesrate 25 % lavere"]?.cumulative == Self.kr(1_100_000))
        #expect(table["Priser 25 % højere"]?.cumulative == Self.kr(3_100_000))
        #expect(table["Begge 25 % lavere"]?.cumulative == Self.kr(350_000))  // 4.000.000 × 0,5625 − 1.900.000
        #expect(table["Begge 25 % højere"]?.breakEvenYear == 2025)
        #expect(result.sensitivity.count == BusinessCaseCalculator.variations.count)
    }

    @Test func everyProblemWithTheInputIsNamed() {
        let input = BusinessCaseInput(
            title: " ", priceLevel: 22, firstYear: 2024, horizon: 11, discountRate: -1, successRateNew: 101,
            successRateCurrent: -1, cohorts: [-5, Int.max],
            consequences: [
                .init(
                    name: "", unit: "uger", prices: [.state: Decimal(string: "0.001")!],
                    changes: [Decimal(string: "1e9")!])
            ],
            costs: [.init(name: "Drift", kind: .operation, payer: .state, amounts: [-1, Decimal(string: "1e20")!])])
        let paths = Set(input.problems().map(\.path))
        #expect(
            paths == [
                "title", "priceLevel", "horizon", "discountRate", "successRateNew", "successRateCurrent", "cohorts[0]",
                "cohorts[1]", "consequences[0].name", "consequences[0].prices.state", "consequences[0].changes[0]",
                "costs[0].amounts[0]", "costs[0].amounts[1]",
            ])
        guard case .failure = BusinessCaseCalculator.compute(input, index: NetPriceIndex()) else {
            Issue.record("An invalid input must not be computed")
            return
        }
        var noCohorts = Self.example
        noCohorts.cohorts = []
        noCohorts.consequences[0].prices = [:]
        #expect(noCohorts.problems().map(\.path) == ["cohorts", "consequences[0].prices"])
    }

    @Test func theLargestInputsNeverTrapAndTooLargeResultsAreRefused() {
        var input = Self.example
        input.horizon = 10
        input.cohorts = Array(repeating: BusinessCaseLimits.citizens, count: 10)
        input.successRateNew = 100
        input.successRateCurrent = 0
        input.consequences = Array(
            repeating: .init(
                name: "Døgn", unit: "døgn", prices: [.municipality: BusinessCaseLimits.unitPrice],
                changes: Array(repeating: -BusinessCaseLimits.change, count: 10)), count: 50)
        #expect(input.problems().isEmpty)
        guard case .failure(let failure) = BusinessCaseCalculator.compute(input, index: NetPriceIndex()) else {
            Issue.record("A result beyond the bound must be refused")
            return
        }
        #expect(failure.problems.first?.message.contains("for stort") == true)
    }

    @Test func theInputReadsFromJSONWithDefaults() throws {
        let json = """
            {"title": "Job", "priceLevel": 2024, "firstYear": 2024, "horizon": 3, "successRateNew": 12.5,
             "successRateCurrent": 2, "cohorts": [40],
             "consequences": [{"name": "Kontanthjælp", "prices": {"municipality": 3000.5}, "changes": [-0.1]}]}
            """
        let input = try JSONDecoder().decode(BusinessCaseInput.self, from: Data(json.utf8))
        #expect(input.discountRate == 0)
        #expect(input.costs.isEmpty)
        #expect(input.successRateNew == Decimal(string: "12.5"))
        #expect(input.consequences[0].prices[.municipality] == Decimal(string: "3000.5"))
        #expect(input.consequences[0].changes == [Decimal(string: "-0.1")!])
        let result = try compute(input)
        // S = 40 × 10,5 % = 4,2; 4,2 × 0,1 × 3.000,50 = 1.260,21 kr.
        #expect(result.total.gross[0] == Money(ore: 126_021))
    }

    @Test(arguments: [
        ("12,5", "12.5"), ("12.5", "12.5"), ("-3", "-3"), ("1.000.000", "1000000"), ("1.000,25", "1000.25"),
        ("0,1", "0.1"), ("1.000", "1000"), ("−2,5", "-2.5"),
    ])
    func danishDecimals(text: String, expected: String) {
        #expect(DanishNumber.decimal(text) == Decimal(string: expected))
    }

    @Test(arguments: ["", "12.", ".5", "1,2,3", "1.00,5", "abc", "1e5", "12,", "1.00.0"])
    func notDecimals(text: String) {
        #expect(DanishNumber.decimal(text) == nil)
    }

    @Test func decimalsAreWrittenTheDanishWay() {
        #expect(DanishNumber.decimal(Decimal(string: "1234567.5")!) == "1.234.567,5")
        #expect(DanishNumber.decimal(Decimal(string: "-0.25")!) == "-0,25")
        #expect(DanishNumber.decimal(Decimal(string: "0.9661835748792271")!, decimals: 4) == "0,9662")
        #expect(DanishNumber.decimal(10) == "10")
    }

    @Test func indexValuesAreChecked() {
        #expect(NetPriceIndex.problem(year: 2024, value: Decimal(string: "104.3")!) == nil)
        #expect(NetPriceIndex.problem(year: 2024, value: 0) != nil)
        #expect(NetPriceIndex.problem(year: 1066, value: 100) != nil)
        #expect(NetPriceIndex.problem(year: 2024, value: Decimal(string: "100.00001")!) != nil)
    }
}
