import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

/// A valid new initiative as the form posts it.
let newInitiativeForm: [(String, String)] = [
    ("programmeYear", "2026"), ("number", "2.1"), ("title", "Screening af <nye> \"indsatser\" & metoder"),
    ("area", "adults"), ("phase", "screening"), ("track", "2"), ("grantRecipients", "Socialstyrelsen"),
    ("purpose", "Formålet er at screene.\n\n• Første punkt\n• Andet punkt"), ("priceLevel", "2026"),
    ("total", "1.000.000"), ("years[2026]", "600.000"), ("years[2027]", "400.000"),
    ("categories[projectManagement]", "250.000"), ("categories[implementationSupport]", "750.000"),
    ("timeline", "1.-2. kvartal 2026: Design; Igangsættelse\n4. kvartal 2027: Vurdering"),
]

extension AppTests {
    @Suite struct InitiativeEditingTests {
        @Test func staffCreateAnInitiativeAndTextIsEscaped() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.signIn(Demo.programmeManager)
                try await browser.get("/initiativer/ny")
                // MUT
                let response = try await browser.post("/initiativer", newInitiativeForm)
                // validate
                #expect(response.status == .seeOther)
                #expect(response.location == "/initiativer/2026/2.1")
                let page = try await browser.get("/initiativer/2026/2.1").body.string
                #expect(page.contains("Screening af &lt;nye&gt; \"indsatser\" &amp; metoder"))
                #expect(!page.contains("<nye>"))
                #expect(page.contains("<li>Første punkt</li>"))
                #expect(page.contains("Initiativ 2.1 er oprettet."))
                let stored = try #require(try await CatalogueStore.find(year: 2026, number: "2.1", on: app.db))
                #expect(stored.budget.byYear == [2026: Money(kroner: 600_000), 2027: Money(kroner: 400_000)])
                #expect(stored.timeline.map(\.activities) == [["Design", "Igangsættelse"], ["Vurdering"]])
                let again = try await browser.post("/initiativer", newInitiativeForm)
                #expect(again.status == .unprocessableEntity)
                #expect(again.body.string.contains("Der findes allerede et initiativ 2.1"))
            }
        }

        @Test func aBudgetThatDoesNotAddUpIsRefusedAndNothingIsSaved() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.signIn(Demo.programmeManager)
                try await browser.get("/initiativer/2022/1.1/rediger")
                let before = try #require(try await CatalogueStore.find(year: 2022, number: "1.1", on: app.db))
                var form = InitiativeForm(before)
                form.title = "Ny titel der ikke må gemmes"
                form.years?["2023"] = "3.300.000"
                let audits = try await auditCount(app)
                // MUT
                let response = try await browser.post("/initiativer/2022/1.1", Self.fields(form))
                // validate
                #expect(response.status == .unprocessableEntity)
                let html = response.body.string
                #expect(html.contains("Årene summerer til 7.600.000 kr., men det samlede beløb er 7.500.000 kr."))
                #expect(html.contains("Ny titel der ikke må gemmes"))  // the user's input is kept
                #expect(try await CatalogueStore.find(year: 2022, number: "1.1", on: app.db) == before)
                #expect(try await auditCount(app) == audits)
            }
        }

        @Test func badInputGetsAMessageForEachField() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.signIn(Demo.programmeManager)
                try await browser.get("/initiativer/ny")
                let response = try await browser.post(
                    "/initiativer",
                    [
                        ("programmeYear", "tyve"), ("number", "1-8"), ("title", ""), ("area", "mars"), ("phase", ""),
                        ("track", "7"), ("priceLevel", ""), ("total", "mange penge"), ("years[2026]", "1,234,5"),
                        ("timeline", "noget uden periode"),
                    ])
                #expect(response.status == .unprocessableEntity)
                let html = response.body.string
                for message in [
                    "Programår skal være et årstal", "Nummer skal skrives som 1.8", "Titel skal udfyldes.",
                    "Vælg et område.", "Vælg en SUSI-fase.", "Spor skal være 1, 2 eller tomt.",
                    "Prisniveau skal udfyldes.", "Samlet beløb skal være et beløb i kroner",
                    "Beløbet for 2026 skal være et beløb i kroner", "Linje 1 i tidsplanen kan ikke læses",
                ] {
                    #expect(html.contains(message), "missing: \(message)")
                }
                #expect(html.contains("aria-invalid=\"true\""))
                #expect(try await InitiativeRecord.query(on: app.db).count() == 11)
            }
        }

        @Test func anEditIsSavedAuditedAndShownInTheHistory() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.signIn(Demo.programmeManager)
                try await browser.get("/initiativer/2022/1.7/rediger")
                var form = InitiativeForm(
                    try #require(try await CatalogueStore.find(year: 2022, number: "1.7", on: app.db)))
                form.phase = "testing"
                form.years?["2024"] = "3.500.000"
                form.years?["2025"] = "3.200.000"
                // MUT
                let response = try await browser.post("/initiativer/2022/1.7", Self.fields(form))
                // validate
                #expect(response.status == .seeOther)
                let stored = try #require(try await CatalogueStore.find(year: 2022, number: "1.7", on: app.db))
                #expect(stored.phase == .testing)
                #expect(stored.budget.byYear[2024] == Money(kroner: 3_500_000))
                let history = try await browser.get("/initiativer/2022/1.7/historik").body.string
                #expect(history.contains("SUSI-fase: \"Modning\" → \"Afprøvning\""))
                #expect(history.contains("Budget 2024: \"3.600.000 kr.\" → \"3.500.000 kr.\""))
                #expect(history.contains("Frederik Fagkonsulent"))
                #expect(history.contains(Agency.name))
            }
        }

        static func fields(_ form: InitiativeForm) -> [(String, String)] {
            var fields: [(String, String)] = [
                ("title", form.title ?? ""), ("area", form.area ?? ""), ("phase", form.phase ?? ""),
                ("track", form.track ?? ""), ("grantRecipients", form.grantRecipients ?? ""),
                ("purpose", form.purpose ?? ""), ("background", form.background ?? ""),
                ("targetGroup", form.targetGroup ?? ""), ("expectedResults", form.expectedResults ?? ""),
                ("activities", form.activities ?? ""), ("successCriteria", form.successCriteria ?? ""),
                ("implementationNote", form.implementationNote ?? ""),
                ("applicationPoolCriteria", form.applicationPoolCriteria ?? ""), ("priceLevel", form.priceLevel ?? ""),
                ("total", form.total ?? ""), ("timeline", form.timeline ?? ""),
            ]
            for (year, amount) in form.years ?? [:] { fields.append(("years[\(year)]", amount)) }
            for (category, amount) in form.categories ?? [:] { fields.append(("categories[\(category)]", amount)) }
            return fields
        }
    }
}
