import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

extension AppTests {
    @Suite struct CatalogueAppTests {
        @Test func theCatalogueFileReconciles() throws {
            // setup
            let initiatives = try CatalogueFile.load().domainInitiatives()
            // validate
            #expect(initiatives.count == 11)
            #expect(initiatives.map(\.number.description) == (1...11).map { "1.\($0)" })
            for initiative in initiatives {
                #expect(initiative.budget.problems().isEmpty, "\(initiative.number) does not add up")
                #expect(initiative.budget.priceLevel == 2022)
            }
            #expect(initiatives.map(\.budget.total).sum() == Money(kroner: 142_700_000))
            #expect(
                initiatives.filter { $0.area == .children }.map(\.number.description) == [
                    "1.1", "1.2", "1.3", "1.4", "1.5",
                ])
            let phases = initiatives.map(\.phase)
            #expect(
                phases == [
                    .dissemination, .maturation, .maturation, .screening, .maturation, .maturation,
                    .maturation, .testing, .screening, .maturation, .dissemination,
                ])
            let abc = try #require(initiatives.first { $0.number.description == "1.8" })
            #expect(
                abc.budget.byYear == [
                    2022: Money(kroner: 12_500_000), 2023: Money(kroner: 2_700_000),
                    2024: Money(kroner: 2_000_000), 2025: Money(kroner: 2_400_000),
                ])
            #expect(abc.budget.byCategory[.applicationPool] == Money(kroner: 10_500_000))
            #expect(abc.track == 1)
            #expect(abc.timeline.count == 3)
            #expect(abc.timeline[1].from == Quarter(year: 2022, quarter: 4))
            #expect(abc.timeline[1].to == Quarter(year: 2025, quarter: 2))
            #expect(initiatives.allSatisfy { !$0.title.isEmpty && !$0.purpose.isEmpty && !$0.timeline.isEmpty })
        }

        @Test func startingAgainDuplicatesNothing() async throws {
            try await withTestApp { app in
                // MUT: the start-up seeding, a second time
                try await Startup.seed(app)
                // validate
                #expect(try await InitiativeRecord.query(on: app.db).count() == 11)
                #expect(try await OrganisationRecord.query(on: app.db).filter(\.$kind == "municipality").count() == 98)
                #expect(try await OrganisationRecord.query(on: app.db).count() == 1 + 98 + 5 + 2)
                #expect(try await RegionRecord.query(on: app.db).count() == 5)
                #expect(try await UserRecord.query(on: app.db).count() == DemoAccounts.all.count)
                #expect(try await InitiativeBudgetAmountRecord.query(on: app.db).count() > 0)
            }
        }

        @Test func theListShowsEveryInitiativeAndTheTotal() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                let page = try await browser.get("/initiativer")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("11 initiativer, i alt 142,7 mio. kr."))
                #expect(page.body.string.contains("Afprøvning af Act-Belong-Commit-gruppeforløb"))
            }
        }

        @Test func filtersAndSearch() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                let adults = try await browser.get("/initiativer?omraade=adults").body.string
                #expect(adults.contains("6 af 11 initiativer"))
                #expect(!adults.contains("børnehandicapområdet"))
                let screening = try await browser.get("/initiativer?fase=screening").body.string
                #expect(screening.contains("2 af 11 initiativer, i alt 2,6 mio. kr."))
                let move = try await browser.get("/initiativer?q=MOVE").body.string
                #expect(move.contains("1 af 11 initiativer"))
                #expect(move.contains("Modning af styrket ambulant stofmisbrugsbehandling med MOVE"))
                let none = try await browser.get("/initiativer?q=xyzzy").body.string
                #expect(none.contains("Ingen initiativer passer til søgningen"))
                // Unknown filter values are ignored rather than failing.
                #expect(try await browser.get("/initiativer?omraade=mars&fase=x").status == .ok)
            }
        }

        @Test func anInitiativePageShowsTextsBudgetChartAndTimeline() async throws {
            try await withTestApp { app in
                let page = try await Browser(app).get("/initiativer/2022/1.8")
                let html = page.body.string
                #expect(page.status == .ok)
                #expect(html.contains("Act-Belong-Commit"))
                #expect(html.contains("12.500.000 kr."))
                #expect(html.contains("19.600.000 kr."))
                #expect(html.contains("Ansøgningspulje til kommuner"))
                #expect(html.contains("53,6 %"))  // 10,5 of 19,6 mio.
                #expect(html.contains("<svg class=\"chart\""))
                #expect(html.contains("4. kvartal 2022-2. kvartal 2025"))
                #expect(html.contains("Spor 1"))
                #expect(try await Browser(app).get("/initiativer/2022/9.9").status == .notFound)
                #expect(try await Browser(app).get("/initiativer/abc/1.1").status == .notFound)
            }
        }

        @Test func apiListsAndShowsInitiatives() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                let list = try await browser.get("/api/v1/initiatives")
                #expect(list.status == .ok)
                let json = try JSONSerialization.jsonObject(with: Data(list.body.readableBytesView)) as! [String: Any]
                #expect(json["count"] as? Int == 11)
                #expect((json["totalOre"] as? NSNumber)?.int64Value == 14_270_000_000)
                let adults = try await browser.get("/api/v1/initiatives?area=adults&phase=maturation")
                let adultsJSON =
                    try JSONSerialization.jsonObject(with: Data(adults.body.readableBytesView)) as! [String: Any]
                #expect(adultsJSON["count"] as? Int == 3)  // 1.6, 1.7, 1.10

                let detail = try await browser.get("/api/v1/initiatives/1.8")
                #expect(detail.status == .ok)
                let d = try JSONSerialization.jsonObject(with: Data(detail.body.readableBytesView)) as! [String: Any]
                #expect(d["phase"] as? String == "testing")
                let budget = d["budget"] as! [String: Any]
                #expect((budget["totalOre"] as? NSNumber)?.int64Value == 1_960_000_000)
                #expect(budget["consistent"] as? Bool == true)

                let missing = try await browser.get("/api/v1/initiatives/9.9")
                #expect(missing.status == .notFound)
                #expect(missing.body.string.contains("\"code\":\"not_found\""))
                let bad = try await browser.get("/api/v1/initiatives?area=mars")
                #expect(bad.status == .badRequest)
                #expect(bad.body.string.contains("Ukendt område"))
            }
        }
    }
}
