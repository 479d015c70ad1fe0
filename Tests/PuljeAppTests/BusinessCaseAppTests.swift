import Fluent
import Foundation
import PuljeHTML
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

/// Business cases through their pages: created, filled in, refused, conflicting, read by a municipality,
/// downloaded; the net price index kept by the agency.
extension AppTests {
    @Suite struct BusinessCaseAppTests {
        /// The worked example of `BusinessCaseTests` as its form posts it, with the price in 2020 prices.
        static let form: [(String, String)] = [
            ("title", "Job og trivsel"), ("initiative", "2022/1.6"), ("priceLevel", "2024"), ("firstYear", "2024"),
            ("horizon", "4"), ("discountRate", "0"), ("successRateNew", "12"), ("successRateCurrent", "2"),
            ("cohorts[0]", "100"), ("cohorts[1]", "100"), ("cohorts[2]", ""),
            ("consequences[0].name", ""), ("consequences[0].unit", ""),  // a blank row is left out
            ("consequences[1].name", "Kontanthjælp"), ("consequences[1].unit", "uger"),
            ("consequences[1].priceLevel", "2020"), ("consequences[1].prices.municipality", "3.000"),
            ("consequences[1].prices.state", "1.000"), ("consequences[1].changes[0]", "-10"),
            ("consequences[1].changes[1]", "-20"), ("consequences[1].changes[2]", "-20"),
            ("costs[0].name", "Opstart"), ("costs[0].kind", "startUp"), ("costs[0].payer", "municipality"),
            ("costs[0].amounts[0]", "500.000"),
            ("costs[1].name", "Drift"), ("costs[1].kind", "operation"), ("costs[1].payer", "municipality"),
            ("costs[1].amounts[0]", "800.000"), ("costs[1].amounts[1]", "800.000"),
            ("costs[2].name", ""), ("costs[2].kind", "startUp"), ("costs[2].payer", "municipality"),
        ]

        static func created(_ app: Application, _ manager: Browser) async throws -> UUID {
            try await manager.get(SiteURL.businessCases.path)
            let response = try await manager.post(
                SiteURL.businessCases.path, [("title", "Job og trivsel"), ("initiative", "2022/1.6")])
            #expect(response.status == .seeOther)
            let record = try #require(try await BusinessCaseRecord.query(on: app.db).first())
            #expect(response.location == SiteURL.editBusinessCase(try record.requireID()).path)
            return try record.requireID()
        }

        static func filled(_ app: Application, _ manager: Browser) async throws -> UUID {
            let id = try await created(app, manager)
            try await manager.post(SiteURL.priceIndex.path, [("year", "2020"), ("value", "100")])
            try await manager.post(SiteURL.priceIndex.path, [("year", "2024"), ("value", "110,5")])
            try await manager.get(SiteURL.editBusinessCase(id).path)
            let saved = try await manager.post(SiteURL.editBusinessCase(id).path, form + [("version", "1")])
            #expect(saved.status == .seeOther, "\(saved.body.string.prefix(2000))")
            return id
        }

        @Test func theAgencyBuildsABusinessCaseAndAMunicipalityChecksIt() async throws {
            try await withTestApp { app in
                let manager = try await Assess.signedIn(app, Demo.programmeManager)
                let id = try await Self.filled(app, manager)
                let page = try await manager.get(SiteURL.businessCase(id).path)
                #expect(page.status == .ok)
                let html = page.body.string
                // 3.000 kr. in 2020 prices × 110,5/100; gains 442.000, 1.326.000, 1.768.000, 884.000 in all.
                #expect(html.contains("kommune 3.315 kr., stat 1.105 kr."))
                #expect(html.contains("<dt>Break-even (alle betalere)</dt><dd>2026</dd>"))
                #expect(html.contains("2.320.000 kr."))
                #expect(html.contains("Beregningen trin for trin"))

                // The page's JSON is the command's output for the same input and index.
                let json = try await manager.get(SiteURL.businessCaseJSON(id).path)
                #expect(json.status == .ok)
                var input =
                    try JSONSerialization.jsonObject(
                        with: Data(try #require(try await BusinessCaseRecord.find(id, on: app.db)).inputJSON.utf8))
                    as! [String: Any]
                input["priceIndex"] = ["2020": 100, "2024": 110.5]
                let cli = BusinessCaseCLI.run(try JSONSerialization.data(withJSONObject: input))
                #expect(cli.status == 0)
                #expect(
                    String(decoding: cli.output, as: UTF8.self).trimmingCharacters(in: .newlines) == json.body.string)

                let xlsx = try await manager.get(SiteURL.businessCaseXLSX(id).path)
                #expect(xlsx.status == .ok && xlsx.body.readableBytes > 500)

                // Every change is in the audit log, and shown on the page to staff.
                let entries = try await AuditLog.history(of: .businessCase(id), on: app.db)
                #expect(entries.map(\.action) == ["business-case.update", "business-case.create"])
                #expect(entries[0].summary.contains("konsekvenser (1)"))
                #expect(html.contains("Business case ændret"))
                let index = try await AuditLog.history(of: .priceIndex, on: app.db)
                #expect(index.map(\.summary).contains("Nettoprisindeks 2024: ingen værdi → 110,5."))

                // A municipality reads it from the initiative's page and cannot change it.
                let applicant = try await Assess.signedIn(app, Demo.applicant)
                let initiative = try await applicant.get(SiteURL.initiative(year: 2022, number: "1.6").path)
                #expect(initiative.body.string.contains(SiteURL.businessCase(id).path))
                let read = try await applicant.get(SiteURL.businessCase(id).path).body.string
                #expect(read.contains("2.320.000 kr.") && !read.contains("Ret tallene"))
                #expect(!read.contains("Business case ændret"))  // the history is for staff
                #expect(try await applicant.get(SiteURL.editBusinessCase(id).path).status == .forbidden)
                let before = try await auditCount(app)
                let refused = try await applicant.post(
                    SiteURL.editBusinessCase(id).path, Self.form + [("version", "2")])
                #expect(refused.status == .forbidden)
                #expect(try await applicant.post(SiteURL.businessCases.path, [("title", "X")]).status == .forbidden)
                #expect(
                    try await applicant.post(SiteURL.priceIndex.path, [("year", "2020"), ("value", "1")]).status
                        == .forbidden)
                #expect(try await auditCount(app) == before)
                // Anonymous visitors are sent to sign in.
                #expect(try await Browser(app).get(SiteURL.businessCase(id).path).status == .seeOther)
                #expect(try await manager.get(SiteURL.businessCase(UUID()).path).status == .notFound)
            }
        }

        @Test func badInputIsRefusedByItsFieldAndNothingIsSaved() async throws {
            try await withTestApp { app in
                let manager = try await Assess.signedIn(app, Demo.programmeManager)
                let id = try await Self.filled(app, manager)
                let saved = try #require(try await BusinessCaseRecord.find(id, on: app.db))
                func replaced(_ changes: [String: String]) -> [(String, String)] {
                    Self.form.map { ($0.0, changes[$0.0] ?? $0.1) } + [("version", "2")]
                }
                for (changes, field, message) in [
                    (["cohorts[0]": "9223372036854775807"], "cohorts[0]", "Antallet skal være et helt tal"),
                    (["cohorts[0]": "-5"], "cohorts[0]", "Antallet af borgere skal være mellem 0 og 1.000.000"),
                    (["successRateNew": "1e400"], "successRateNew", "Succesraten skal være et tal"),
                    (["successRateNew": "101"], "successRateNew", "mellem 0 og 100 %"),
                    (["horizon": "0"], "horizon", "Horisonten skal være mellem 1 og 10 år"),
                    (["consequences[1].prices.state": "1,005"], "consequences[1].prices.state", "to decimaler"),
                    (["consequences[1].name": ""], "consequences[1].name", "Konsekvensen skal have et navn"),
                    (["costs[1].amounts[0]": "-1"], "costs[1].amounts[0]", "kan ikke være negativt"),
                    (["costs[1].payer": "kongen"], "costs[1].payer", "Vælg hvem der betaler"),
                    (["priceLevel": "2024\r\nX-Injected: 1"], "priceLevel", "Skal være et årstal"),
                ] {
                    let response = try await manager.post(SiteURL.editBusinessCase(id).path, replaced(changes))
                    #expect(response.status == .unprocessableEntity, "\(changes)")
                    let html = response.body.string
                    #expect(html.contains("href=\"#\(FormField.fieldID(field))\""), "\(changes)")
                    #expect(html.contains(message), "\(changes): \(html.prefix(3000))")
                    // What was typed is shown again.
                    #expect(html.contains("value=\"Kontanthjælp\"") || changes["consequences[1].name"] != nil)
                }
                let after = try #require(try await BusinessCaseRecord.find(id, on: app.db))
                #expect(after.version == saved.version && after.inputJSON == saved.inputJSON)

                // A price level the index does not have is saved, and the page says what is missing.
                let missing = try await manager.post(
                    SiteURL.editBusinessCase(id).path, replaced(["consequences[1].priceLevel": "2019"]))
                #expect(missing.status == .seeOther)
                let page = try await manager.get(SiteURL.businessCase(id).path).body.string
                #expect(page.contains("Business casen kan ikke beregnes endnu"))
                #expect(page.contains("Nettoprisindekset mangler en værdi for 2019"))
                #expect(try await manager.get(SiteURL.businessCaseXLSX(id).path).status == .unprocessableEntity)
                #expect(try await manager.get(SiteURL.businessCaseJSON(id).path).status == .unprocessableEntity)
            }
        }

        @Test func twoEditorsDoNotOverwriteEachOtherUnknowingly() async throws {
            try await withTestApp { app in
                let manager = try await Assess.signedIn(app, Demo.programmeManager)
                let id = try await Self.filled(app, manager)
                let colleague = try await Assess.signedIn(app, Demo.admin)
                try await colleague.get(SiteURL.editBusinessCase(id).path)
                // Both opened version 2; the manager saves first.
                let first = Self.form.map { $0.0 == "successRateNew" ? ($0.0, "14") : $0 } + [("version", "2")]
                #expect(try await manager.post(SiteURL.editBusinessCase(id).path, first).status == .seeOther)
                let second = Self.form.map { $0.0 == "successRateNew" ? ($0.0, "9") : $0 } + [("version", "2")]
                let conflict = try await colleague.post(SiteURL.editBusinessCase(id).path, second)
                #expect(conflict.status == .conflict)
                #expect(conflict.body.string.contains("En anden har gemt business casen"))
                #expect(conflict.body.string.contains("value=\"9\""))  // their figures stay in the form
                #expect(try await BusinessCaseRecord.find(id, on: app.db)?.input().successRateNew == 14)
                // Saving again, knowingly, on the version the page now carries.
                #expect(conflict.body.string.contains("name=\"version\" value=\"3\""))
                let again = second.filter { $0.0 != "version" } + [("version", "3")]
                #expect(try await colleague.post(SiteURL.editBusinessCase(id).path, again).status == .seeOther)
                #expect(try await BusinessCaseRecord.find(id, on: app.db)?.input().successRateNew == 9)
            }
        }

        @Test func theIndexStartsEmptyAndIsKeptByTheAgency() async throws {
            try await withTestApp { app in
                let manager = try await Assess.signedIn(app, Demo.programmeManager)
                let empty = try await manager.get(SiteURL.priceIndex.path).body.string
                #expect(empty.contains("Indekset er tomt. Pulje opfinder ingen indeksværdier"))
                #expect(try await PriceIndexRecord.query(on: app.db).count() == 0)
                for (year, value, message) in [
                    ("20x4", "100", "Året skal være et årstal"), ("2024", "0", "større end 0"),
                    ("2024", "-3", "større end 0"), ("2024", "9223372036854775807", "større end 0"),
                    ("2024", "100,00001", "fire decimaler"), ("2024", "hundrede", "skal være et tal"),
                ] {
                    let response = try await manager.post(SiteURL.priceIndex.path, [("year", year), ("value", value)])
                    #expect(response.status == .unprocessableEntity, "\(year) \(value)")
                    #expect(response.body.string.contains(message), "\(year) \(value)")
                }
                #expect(try await PriceIndexRecord.query(on: app.db).count() == 0)
                try await manager.post(SiteURL.priceIndex.path, [("year", "2024"), ("value", "104,3")])
                try await manager.post(SiteURL.priceIndex.path, [("year", "2024"), ("value", "104,4")])
                #expect(try await BusinessCaseStore.index(on: app.db).values == [2024: Decimal(string: "104.4")!])
                try await manager.post(SiteURL.priceIndex.path, [("year", "2024"), ("value", "")])
                #expect(try await PriceIndexRecord.query(on: app.db).count() == 0)
                let summaries = try await AuditLog.history(of: .priceIndex, on: app.db).map(\.summary)
                #expect(
                    summaries == [
                        "Nettoprisindeks 2024: 104,4 → fjernet.", "Nettoprisindeks 2024: 104,3 → 104,4.",
                        "Nettoprisindeks 2024: ingen værdi → 104,3.",
                    ])
            }
        }

        /// Costs taken from the grant cases' approved accounts carry their source; changing them needs a reason.
        @Test func costsComeFromTheAccountsWithTheirSource() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                let call = try #require(try await CallRecord.find(try await Assess.call(app), on: app.db))
                call.initiativeNumber = "1.8"
                try await call.save(on: app.db)
                let aarhus = try await Grants.grantCase(app, "Aarhus Kommune")
                try await Grants.accountsApproved(app, aarhus)
                let firstYear = try #require(try call.rules().projectYears?.first)

                let manager = try await Assess.signedIn(app, Demo.programmeManager)
                try await manager.get(SiteURL.businessCases.path)
                #expect(
                    try await manager.post(
                        SiteURL.businessCases.path, [("title", "Act-Belong-Commit"), ("initiative", "2022/1.8")]
                    ).status == .seeOther)
                let record = try #require(try await BusinessCaseRecord.query(on: app.db).first())
                let id = try record.requireID()
                // The case starts in the year it is made; set its first year to the project's.
                var input = try record.input()
                input.firstYear = firstYear
                record.inputJSON = try BusinessCaseStore.encode(input)
                try await record.save(on: app.db)

                let fetched = try await manager.post(SiteURL.businessCaseAccounts(id).path)
                #expect(fetched.status == .seeOther)
                let cost = try #require(try await BusinessCaseRecord.find(id, on: app.db)?.input().costs.first)
                #expect(cost.source?.description.contains("initiativ 1.8") == true)
                #expect(cost.amounts.first == BusinessCaseMath.kroner(Money(ore: aarhus.awardOre)))
                #expect(cost.payer == .state && !cost.differsFromSource)
                let page = try await manager.get(SiteURL.businessCase(id).path).body.string
                #expect(page.contains("hentet fra Pulje, godkendte regnskaber for tilskudssagerne under initiativ 1.8"))

                // On the form: the source is the server's; a changed amount needs a reason.
                let form = try await manager.get(SiteURL.editBusinessCase(id).path).body.string
                #expect(form.contains("name=\"costs[0].source\" value=\"regnskaber\""))
                var fields = BusinessCaseForm(
                    try #require(try await BusinessCaseRecord.find(id, on: app.db)).input(),
                    initiative: .init(year: 2022, number: "1.8")
                ).values
                fields["successRateNew"] = "10"
                fields["cohorts[0]"] = "10"
                fields["costs[0].amounts[0]"] = "1"
                let version = try #require(try await BusinessCaseRecord.find(id, on: app.db)).version
                let refused = try await manager.post(
                    SiteURL.editBusinessCase(id).path, fields.map { ($0.key, $0.value) } + [("version", "\(version)")])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("Beløbene afviger fra kilden"))
                fields["costs[0].overrideReason"] = "Kun driften tæller med; etableringen er betalt af kommunen."
                let saved = try await manager.post(
                    SiteURL.editBusinessCase(id).path, fields.map { ($0.key, $0.value) } + [("version", "\(version)")])
                #expect(saved.status == .seeOther, "\(saved.body.string.prefix(3000))")
                let after = try #require(try await BusinessCaseRecord.find(id, on: app.db)?.input().costs.first)
                #expect(after.differsFromSource && after.source == cost.source && after.amounts.first == 1)
                #expect(
                    try await manager.get(SiteURL.businessCase(id).path).body.string.contains(
                        "Beløbene er ændret: Kun driften tæller med"))
                // A forged marker brings no source: only the saved case's source is ever attached.
                fields["costs[1].name"] = "Falsk"
                fields["costs[1].source"] = "noget-andet"
                fields["costs[1].kind"] = "operation"
                fields["costs[1].payer"] = "state"
                fields["costs[1].amounts[0]"] = "5"
                let newVersion = try #require(try await BusinessCaseRecord.find(id, on: app.db)).version
                #expect(
                    try await manager.post(
                        SiteURL.editBusinessCase(id).path,
                        fields.map { ($0.key, $0.value) } + [("version", "\(newVersion)")]
                    ).status == .seeOther)
                #expect(try await BusinessCaseRecord.find(id, on: app.db)?.input().costs.last?.source == nil)
                // A case without an initiative has nothing to fetch.
                try await manager.post(SiteURL.businessCases.path, [("title", "Uden initiativ")])
                let loose = try #require(
                    try await BusinessCaseRecord.query(on: app.db).filter(\.$title == "Uden initiativ").first())
                #expect(
                    try await manager.post(SiteURL.businessCaseAccounts(loose.requireID()).path).status == .conflict)
            }
        }
    }
}
