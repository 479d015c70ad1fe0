import Testing

@testable import PuljeDomain

@Suite struct MoneyTests {
    @Test(arguments: [
        (Int64(123_456_700), "1.234.567 kr."),
        (0, "0 kr."),
        (100, "1 kr."),
        (99_900, "999 kr."),
        (100_000, "1.000 kr."),
        (123_450, "1.234,50 kr."),
        (5, "0,05 kr."),
        (-250_000_00, "-250.000 kr."),
    ])
    func kroner(ore: Int64, expected: String) {
        #expect(DanishAmount.kroner(Money(ore: ore)) == expected)
    }

    @Test func millions() {
        #expect(DanishAmount.millions(Money(kroner: 13_000_000)) == "13,0 mio. kr.")
        #expect(DanishAmount.millions(Money(kroner: 142_700_000)) == "142,7 mio. kr.")
        #expect(DanishAmount.millions(Money(kroner: 7_450_000)) == "7,5 mio. kr.")  // half rounds up
        #expect(DanishAmount.millions(Money(kroner: 1_234_500_000)) == "1.234,5 mio. kr.")
        #expect(DanishAmount.millions(Money(kroner: 0)) == "0,0 mio. kr.")
    }

    @Test func parsesWhatDanesType() {
        #expect(DanishAmount.parse("1.234.567") == Money(kroner: 1_234_567))
        #expect(DanishAmount.parse("1234567") == Money(kroner: 1_234_567))
        #expect(DanishAmount.parse(" 1.500.000 kr. ") == Money(kroner: 1_500_000))
        #expect(DanishAmount.parse("1.234,5") == Money(ore: 123_450))
        #expect(DanishAmount.parse("1.234,05") == Money(ore: 123_405))
        #expect(DanishAmount.parse("-12") == Money(kroner: -12))
    }

    @Test(arguments: ["", "abc", "1.23.456", "1,234,5", "1,234", "12.34", "1e6", "1.2345", "--1", "9999999999999999"])
    func refusesWhatIsNotAnAmount(input: String) {
        #expect(DanishAmount.parse(input) == nil)
    }

    @Test func sumIsExact() {
        let parts = Array(repeating: Money(ore: 10), count: 1000)
        #expect(parts.sum() == Money(kroner: 100))
    }
}
