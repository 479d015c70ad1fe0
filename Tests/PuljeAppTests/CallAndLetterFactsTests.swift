import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Testing
import Vapor

@testable import PuljeApp

/// The real calls and the decision letters as the guides print them (issue 8), each fact an assertion.
extension AppTests {
    @Suite struct CallAndLetterFactsTests {
        /// 000 and 001: the municipalities chosen must together cover both target areas.
        @Test func bothAreasMustBeCoveredAndTheAPISaysSo() async throws {
            for seed in [CallSeeds.healthOnResidentialFacilities, CallSeeds.citizenAtTheHelm] {
                #expect(seed.rules.targetAreas.count == 2)
                #expect(seed.rules.targetAreas.allSatisfy { $0.minimumSelected == 1 }, "\(seed.title)")
            }
            try await withTestApp { app in
                let calls = try await CallRecord.query(on: app.db).all()
                let health = try #require(calls.first { $0.title == CallSeeds.healthOnResidentialFacilities.title })
                let body = try await Browser(app).get("/api/v1/calls/\(health.id!.pathValue)").body.string
                let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
                let areas = try #require(json?["targetAreas"] as? [[String: Any]])
                #expect(areas.map { $0["minimumSelected"] as? Int } == [1, 1])
                // The portfolio of the call requires both areas.
                let assessment = try await CallAssessment.load(health, on: app.db)
                #expect(assessment.portfolio().instance.coverage == ["handicap": 1, "socialpsykiatri": 1])
            }
        }

        /// 003: "Ansøgningsfristen er den 25. oktober 2022. Efter denne dato…": the whole day is usable.
        @Test func theWholeOfTheDeadlineDayIsUsable() throws {
            let deadline = try #require(CallSeeds.familyModelsRoundOne.rules.deadline)
            let late = try #require(
                DanishTime.instant(year: 2022, month: 10, day: 25, hour: 23, minute: 59, second: 30))
            #expect(deadline.isOpen(at: late))
            #expect(!deadline.isOpen(at: late.addingTimeInterval(30)))
            #expect(deadline.danishText == "tirsdag den 25. oktober 2022 – hele dagen, til midnat")
        }

        /// 002: "2-4 partnerskabskommuner i samarbejde med Socialstyrelsen og PwC", and its contacts.
        @Test func theInvestmentPoolAsPrinted() {
            let pool = CallSeeds.investmentPool
            #expect(pool.rules.municipalitiesSought == 2...4)
            #expect(pool.summary.contains("2–4 partnerskabskommuner i samarbejde med Socialstyrelsen og PwC"))
            let contacts = pool.rules.contacts
            #expect(
                contacts.contains {
                    $0.email == "tilskudsforvaltning@socialstyrelsen.dk" && $0.phone.contains("72 42 41 33")
                })
            #expect(contacts.contains { $0.email == "portal@socialstyrelsen.dk" })
        }

        /// One dash for ranges in everything the seeded calls show.
        @Test func rangesInTheCallsTakeOneDash() {
            for seed in CallSeeds.realCalls {
                let texts =
                    [seed.title, seed.summary, seed.targetGroup, seed.rules.startUpMeeting]
                    + seed.rules.criteria.map(\.description) + seed.rules.contacts.map(\.phone)
                for text in texts {
                    #expect(text.range(of: #"\d-\d"#, options: .regularExpression) == nil, "\(seed.title): \(text)")
                }
            }
        }

        @Test func theGuidesPrioritiesConditionsAndAttachmentsAsPrinted() {
            let helm = CallSeeds.citizenAtTheHelm
            #expect(helm.rules.startUpMeeting.hasPrefix("Obligatorisk opstartsmøde"))
            #expect(helm.rules.startUpMeeting.contains("leder, projektleder og andre relevante medlemmer"))
            #expect(helm.summary.contains("plan for langsigtet forankring"))
            let priorities = Dictionary(uniqueKeysWithValues: helm.rules.criteria.map { ($0.id, $0.guidePriority) })
            #expect(priorities["maalgruppe"]?.contains("større grupper af borgere") == true)
            #expect(priorities["maalgruppe"]?.contains("sammenholdt med kommunens størrelse") == true)
            #expect(priorities["motivation"]?.contains("realistiske målsætninger, vil blive prioriteret") == true)
            let family = CallSeeds.familyModelsRoundOne
            for id in ["A", "E"] {
                #expect(
                    family.rules.criteria.first { $0.id == id }?.guidePriority.hasSuffix("vil blive prioriteret.")
                        == true)
            }
            #expect(family.rules.minimumConditions[0].text.contains("(eller tilsvarende ledelsesniveau)"))
            #expect(family.rules.contacts.contains { $0.email == "bedrekoordination@socialstyrelsen.dk" })
            #expect(family.rules.contacts.contains { $0.name == "Dorthe Bevensee" && $0.phone == "61 96 56 03" })
            let health = CallSeeds.healthOnResidentialFacilities
            #expect(
                health.title
                    == "Deltagelse i udvikling af helhedsorienteret sundhedsindsats til borgere med handicap og/eller psykiske vanskeligheder"
            )
            #expect(health.rules.minimumConditions.contains { $0.text.contains("direktionsniveau eller tilsvarende") })
            for seed in [helm, family] {
                #expect(seed.rules.attachmentKinds.map(\.name) == ["Relevante bilag"], "\(seed.title)")
            }
        }

        /// No guide gives numeric weights or a scale: the page tells the guide's words from the agency's numbers.
        @Test func theCallPageTellsTheGuideFromTheAgency() async throws {
            try await withTestApp { app in
                let call = try #require(
                    try await CallRecord.query(on: app.db).filter(\.$title == CallSeeds.familyModelsRoundOne.title)
                        .first())
                let html = try await Browser(app).get("/puljer/\(call.id!.pathValue)").body.string
                #expect(html.contains("Vejledningen prioriterer") && html.contains("Styrelsens vægt"))
                #expect(html.contains("Vejledningen angiver ikke point eller talvægte"))
                #expect(
                    html.contains("konkrete og realistiske målsætninger for implementeringen, vil blive prioriteret"))
            }
        }

        /// "ABL § 105 med støtte efter SEL § 85" is nearly impossible to type as screening expects: it is picked.
        @Test func theLegalBasisIsPickedFromTheCallsList() {
            let rules = CallSeeds.healthOnResidentialFacilities.rules
            let field = ApplicationPage.legalBasisField(index: 0, value: "", rules: rules, errors: FormErrors()).html
            #expect(field.contains("<select") && field.contains("value=\"ABL § 105 med støtte efter SEL § 85\""))
            let legacy = ApplicationPage.legalBasisField(index: 0, value: "SEL 108", rules: rules, errors: FormErrors())
                .html
            #expect(legacy.contains("SEL 108 (ikke på puljens liste)") && legacy.contains("selected"))
            let free = ApplicationPage.legalBasisField(
                index: 0, value: "x", rules: CallSeeds.familyModelsRoundOne.rules, errors: FormErrors()
            ).html
            #expect(free.contains("type=\"text\""))
        }

        @Test func contactRolesAreLowercaseAfterAComma() {
            #expect(ContactPerson(name: "Line", role: "Projektleder").roleAfterComma == "projektleder")
            #expect(ContactPerson(name: "X", role: "VIVE").roleAfterComma == "VIVE")
            #expect(ContactPerson(name: "X", role: "").roleAfterComma == "")
        }

        @Test func aSupportCallAwardsParticipationNotMoney() {
            #expect(LetterKind.award(grantsMoney: true) == .award)
            #expect(LetterKind.award(grantsMoney: false) == .supportAward)
            let support = LetterKind.supportAward.defaultTemplate
            #expect(!support.contains("{{beloeb}}") && !support.contains("tilskud på"))
            #expect(LetterTemplate.problems(support, kind: .supportAward).isEmpty)
            #expect(LetterKind.supportAward.isAward && !LetterKind.rejection.isAward)
            for seed in [
                CallSeeds.healthOnResidentialFacilities, CallSeeds.citizenAtTheHelm, CallSeeds.familyModelsRoundOne,
            ] {
                #expect(!seed.rules.budget.hasBudget, "\(seed.title) pays no money to the municipality")
            }
        }

        /// Every decision letter says whether and where the decision can be appealed, as template text.
        @Test func everyLetterCarriesTheAppealStatement() {
            for kind in LetterKind.allCases {
                #expect(kind.defaultTemplate.contains("Klagevejledning"), "\(kind)")
                #expect(LetterTemplate.problems(kind.defaultTemplate, kind: kind).isEmpty)
            }
        }

        /// A rejection names the application's own score and place against the lowest selected, and no one else.
        @Test func aRejectionSaysWhereTheApplicationStood() {
            let below = RejectionReason.notSelected(
                score: 3.4, rank: 5, of: 8, lowestSelected: 3.9, grantsMoney: true)
            #expect(below.contains("3,4 point og blev nr. 5 af 8 bedømte ansøgninger"))
            #expect(below.contains("lavest placerede af de udvalgte ansøgninger fik 3,9 point"))
            #expect(below.contains("puljens midler"))
            let coverage = RejectionReason.notSelected(
                score: 4.1, rank: 2, of: 8, lowestSelected: 3.9, grantsMoney: false)
            #expect(coverage.contains("dække puljens målområder") && !coverage.contains("midler"))
        }

        @Test func theTemplatesPageHasOneTemplatePerKind() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.signIn(Demo.admin)
                let page = try await browser.get(SiteURL.letterTemplates.path).body.string
                for kind in LetterKind.allCases { #expect(page.contains("name=\"\(kind.rawValue)\"")) }
                #expect(page.contains("Kontrollér klagevejledningen"))
                let saved = try await browser.post(
                    SiteURL.letterTemplates.path,
                    [("supportAward", "Kære {{modtager}}. {{vilkaar}}\n\nKlagevejledning: …")])
                #expect(saved.status == .seeOther)
                let templates = try await LetterTemplates.current(on: app.db)
                #expect(templates[.supportAward] == "Kære {{modtager}}. {{vilkaar}}\n\nKlagevejledning: …")
                #expect(templates[.award] == LetterKind.award.defaultTemplate)
                let refused = try await browser.post(
                    SiteURL.letterTemplates.path, [("supportAward", "I får {{beloeb}}")])
                #expect(refused.status == .unprocessableEntity)
            }
        }
    }
}
