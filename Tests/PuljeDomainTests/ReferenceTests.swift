import Testing

@testable import PuljeDomain

@Suite struct ReferenceTests {
    @Test func ninetyEightMunicipalitiesInFiveRegions() {
        let all = DanishReference.municipalities
        #expect(all.count == 98)
        #expect(Set(all.map(\.code)).count == 98)
        #expect(Set(all.map(\.name)).count == 98)
        #expect(all.allSatisfy { (101...999).contains($0.code) })
        #expect(DanishReference.regions.count == 5)
        let counts = Dictionary(grouping: all, by: \.regionCode).mapValues(\.count)
        #expect(counts == [1084: 29, 1085: 17, 1083: 22, 1082: 19, 1081: 11])
    }

    @Test func knownCodes() {
        let byCode = Dictionary(uniqueKeysWithValues: DanishReference.municipalities.map { ($0.code, $0) })
        #expect(byCode[101]?.name == "København Kommune")
        #expect(byCode[751]?.name == "Aarhus Kommune")
        #expect(byCode[461]?.regionCode == 1083)
        #expect(byCode[851]?.regionCode == 1081)
        #expect(byCode[400]?.name == "Bornholm Kommune")
        #expect(byCode[411] == nil)  // Christiansø is not a municipality
    }
}
