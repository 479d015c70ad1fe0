import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import ZIPFoundation

@testable import PuljeApp
@testable import PuljeDomain

/// A clock a test can set: "it is now 11:59:59.999 on deadline day".
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ date: Date) { current = date }
    var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}

/// A call with a fixed deadline, for tests that set the clock around it.
func makeCall(
    _ app: Application, title: String = "Testpulje", deadline: Deadline, opensAt: Date? = nil, budget: Bool = true,
    attachmentKinds: [AttachmentKind] = [], requiredApproval: String? = nil
) async throws -> UUID {
    let rules = CallRules(
        applicantKinds: [.municipality],
        targetAreas: [
            TargetArea(code: "handicap", name: "Handicapområdet"),
            TargetArea(code: "psykiatri", name: "Socialpsykiatrien"),
        ],
        municipalitiesSought: 3...4, funds: budget ? Money(kroner: 5_000_000) : nil, projectStart: "2030-01-01",
        projectEnd: "2031-12-31", opensAt: opensAt ?? deadline.instant.addingTimeInterval(-30 * 86_400),
        deadline: deadline,
        answerExpected: .week(ISOWeek(year: 2031, week: 2)!), contacts: [ContactPerson(name: "Line")],
        minimumConditions: [MinimumCondition(id: "projektleder", text: "Vi udpeger en projektleder.")],
        criteria: [AwardCriterion(id: "motivation", name: "Motivation", description: "Hvorfor")],
        questions: [FormQuestion(id: "motivation", text: "Motivation", maxLength: 500, criterionID: "motivation")],
        budget: budget
            ? BudgetRules(eligibleCategories: [.salaries, .training], maximumTotal: Money(kroner: 1_000_000))
            : BudgetRules(eligibleCategories: []),
        attachmentKinds: attachmentKinds, requiredApproval: requiredApproval)
    try await CallSeeds.load(
        [
            CallSeeds.Seed(
                title: title, summary: "Til test.", targetGroup: "Voksne.", initiativeNumber: nil, rules: rules)
        ],
        on: app.db, now: deadline.instant)
    return try await CallRecord.query(on: app.db).filter(\.$title == title).first()!.requireID()
}

/// A complete application as the form posts it.
func completeApplication(version: Int, title: String = "Sundhed på botilbud") -> [(String, String)] {
    [
        ("version", String(version)), ("projectTitle", title), ("targetAreas[]", "handicap"),
        ("services[0][name]", "Bostedet Åen"), ("services[0][legalBasis]", "SEL § 108"),
        ("services[0][citizens]", "24"),
        ("contacts[0][name]", "Amalie Ansøger"), ("contacts[0][email]", "ansoger@aarhus.demo"),
        ("answers[motivation]", "Vi vil styrke sundheden for borgerne på vores botilbud."),
        ("declarations[]", "projektleder"),
        ("budget[0][category]", "salaries"), ("budget[0][description]", "Projektleder, 0,5 årsværk"),
        ("budget[0][units]", "0,5"), ("budget[0][unitPrice]", "600.000"), ("budget[0][year]", "2030"),
        ("budget[0][months][]", "1"), ("budget[0][months][]", "2"), ("budget[0][months][]", "3"),
    ]
}

extension AppTests {
    @Suite struct ApplicationFlowTests {
        static let winter = Deadline(year: 2030, month: 12, day: 10, hour: 12, minute: 0)!
        static let summer = Deadline(year: 2030, month: 6, day: 11, hour: 12, minute: 0)!

        /// An open test call (the clock an hour before its deadline) and the Aarhus applicant's application to it,
        /// saved complete and submitted; the browser is left on the application's page.
        static func submitted(_ app: Application, _ browser: Browser) async throws -> (UUID, String) {
            let clock = TestClock(winter.instant.addingTimeInterval(-3600))
            app.now = { clock.now }
            let call = try await makeCall(app, deadline: winter)
            let (id, path) = try await start(app, browser, call: call)
            try await browser.post(path, completeApplication(version: 1))
            try await browser.post(path + "/indsend", [("version", "2")])
            try await browser.get(path)
            return (id, path)
        }

        /// An open test call (the clock a day before its deadline); Amalie starts an application and adds her
        /// colleague Karl (kollega@aarhus.demo) as a contributor.
        static func withColleague(_ app: Application) async throws -> (Browser, UUID, String) {
            let clock = TestClock(winter.instant.addingTimeInterval(-86_400))
            app.now = { clock.now }
            let call = try await makeCall(app, deadline: winter)
            let amalie = Browser(app)
            let (id, path) = try await start(app, amalie, call: call)
            let added = try await amalie.post(path + "/bidragydere", [("email", "kollega@aarhus.demo")])
            #expect(added.status == .seeOther)
            return (amalie, id, path)
        }

        /// Signs in the Aarhus applicant and starts an application; returns its id and path.
        static func start(_ app: Application, _ browser: Browser, call: UUID) async throws -> (UUID, String) {
            try await browser.signIn(Demo.applicant)
            try await browser.get("/puljer/\(call.uuidString.lowercased())")
            let started = try await browser.post("/puljer/\(call.uuidString.lowercased())/ansoeg")
            #expect(started.status == .seeOther)
            // A new application opens at the first step of the form in steps.
            #expect(started.location?.hasSuffix("/afsnit/projekt") == true)
            let path = try applicationPath(startedAt: started.location)
            let id = try #require(UUID(uuidString: String(path.split(separator: "/").last!)))
            try await browser.get(path)
            return (id, path)
        }

        @Test func writeSaveSubmitAndGetAReceiptWhoseDigestMatches() async throws {
            try await withTestApp { app in
                let clock = TestClock(Self.winter.instant.addingTimeInterval(-3600))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: Self.winter)
                let browser = Browser(app)
                let (id, path) = try await Self.start(app, browser, call: call)
                // MUT: save everything, then submit
                let saved = try await browser.post(path, completeApplication(version: 1))
                #expect(saved.status == .seeOther)
                let page = try await browser.get(path).body.string
                #expect(page.contains("Sundhed på botilbud"))
                #expect(page.contains("300.000 kr."))  // 0,5 × 600.000
                let submitted = try await browser.post(path + "/indsend", [("version", "2")])
                // validate
                #expect(submitted.status == .seeOther)
                #expect(submitted.location == path + "/kvittering")
                let record = try #require(try await ApplicationRecord.find(id, on: app.db))
                #expect(record.applicationStatus == .submitted)
                #expect(record.submittedAt == clock.now)
                let json = try #require(record.submittedContentJSON)
                let expected = SHA256.hash(data: Data(json.utf8)).map { String(format: "%02x", $0) }.joined()
                #expect(record.digest == expected)
                #expect(try record.submittedContent()?.canonicalJSON() == Data(json.utf8))
                let receipt = try await browser.get(path + "/kvittering").body.string
                #expect(receipt.contains(record.submissionNumber!))
                #expect(receipt.contains(expected))
                #expect(receipt.contains(DanishTime.dateTimeWithSeconds(clock.now)))
                // A double click or a retry gives the same submission.
                let again = try await browser.post(path + "/indsend", [("version", "2")])
                #expect(again.location == path + "/kvittering")
                #expect(try await ApplicationRecord.find(id, on: app.db)?.submissionNumber == record.submissionNumber)
                // What was submitted no longer changes.
                let change = try await browser.post(path, completeApplication(version: 3, title: "Ændret"))
                #expect(change.status == .forbidden)
                #expect(try await ApplicationRecord.find(id, on: app.db)?.submittedContentJSON == json)
                // It shows in Mine sager.
                let cases = try await browser.get("/mine-sager").body.string
                #expect(cases.contains("Indsendt"))
                #expect(cases.contains(record.submissionNumber!))
            }
        }

        @Test(arguments: [winter, summer])
        func theDoorShutsAtTheDeadlineByTheServersClock(deadline: Deadline) async throws {
            try await withTestApp { app in
                let clock = TestClock(deadline.instant.addingTimeInterval(-86_400))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: deadline)
                let early = Browser(app)
                let (_, earlyPath) = try await Self.start(app, early, call: call)
                try await early.post(earlyPath, completeApplication(version: 1))
                // Odense starts one too, for the refused submission.
                let late = Browser(app)
                try await late.signIn("ansoger@odense.demo")
                let started = try await late.post("/puljer/\(call.uuidString.lowercased())/ansoeg")
                let latePath = try applicationPath(startedAt: started.location)
                try await late.get(latePath)
                try await late.post(latePath, completeApplication(version: 1))

                // MUT: 11:59:59.999 is in time, 12:00:00.000 is not.
                clock.now = deadline.instant.addingTimeInterval(-0.001)
                let inTime = try await early.post(earlyPath + "/indsend", [("version", "2")])
                clock.now = deadline.instant
                let tooLate = try await late.post(latePath + "/indsend", [("version", "2")])

                // validate
                #expect(inTime.status == .seeOther)
                #expect(tooLate.status == .forbidden)
                #expect(tooLate.body.string.contains("Efter fristen er det ikke muligt at indsende ansøgninger."))
                // The draft stays readable after the deadline.
                let draft = try await late.get(latePath)
                #expect(draft.status == .ok)
                #expect(draft.body.string.contains("Sundhed på botilbud"))
                #expect(
                    try await ApplicationRecord.query(on: app.db).filter(\.$call.$id == call)
                        .filter(\.$status == "submitted").count() == 1)
            }
        }

        @Test func twoEditorsFromTheSameVersionGiveOneConflictAndLoseNothing() async throws {
            try await withTestApp { app in
                // The helper checks that adding Karl succeeded.
                let (amalie, id, path) = try await Self.withColleague(app)
                let karl = Browser(app)
                try await karl.signIn("kollega@aarhus.demo")
                try await karl.get(path)
                // Both have version 1 open. Amalie saves first.
                var mine = completeApplication(version: 1)
                mine[1] = ("projectTitle", "Amalies titel")
                #expect(try await amalie.post(path, mine).status == .seeOther)
                // MUT: Karl saves from the same version.
                var his = completeApplication(version: 1)
                his[1] = ("projectTitle", "Karls titel")
                let response = try await karl.post(path, his)
                // validate: a conflict, his text on the page, hers saved and shown beside it.
                #expect(response.status == .conflict)
                let html = response.body.string
                #expect(html.contains("Nogen har gemt en nyere udgave"))
                #expect(html.contains("value=\"Karls titel\""))
                #expect(html.contains("Amalies titel"))
                let stored = try #require(try await ApplicationRecord.find(id, on: app.db))
                #expect(try stored.content().projectTitle == "Amalies titel")
                #expect(stored.version == 2)
                // Saving again from the version the conflict page carries is deliberate, and works.
                his[0] = ("version", "2")
                #expect(try await karl.post(path, his).status == .seeOther)
                #expect(try await ApplicationRecord.find(id, on: app.db)?.content().projectTitle == "Karls titel")
                // Only the responsible person submits; Karl may not.
                let refused = try await karl.post(path + "/indsend", [("version", "3")])
                #expect(refused.status == .forbidden)
                #expect(refused.body.string.contains("Kun den ansvarlige"))
            }
        }

        /// The base a page carries (its `base` field), as the browser would post it back.
        static func base(in html: String) throws -> String {
            let marker = "name=\"base\" value=\""
            let start = try #require(html.range(of: marker)).upperBound
            let end = try #require(html[start...].firstIndex(of: "\""))
            return String(html[start..<end]).replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        }

        /// Two editors from the same version: fields only one changed merge by themselves; a field both changed
        /// is the user's to choose, and nothing is lost either way.
        @Test func changesToDifferentFieldsMergeAndTheSameFieldIsChosen() async throws {
            try await withTestApp { app in
                let (amalie, id, path) = try await Self.withColleague(app)
                try await amalie.post(path, completeApplication(version: 1))
                let karl = Browser(app)
                try await karl.signIn("kollega@aarhus.demo")
                let karlsBase = try Self.base(in: try await karl.get(path).body.string)
                let amaliesBase = try Self.base(in: try await amalie.get(path).body.string)
                // Amalie changes the title; Karl, from the same version, only the answer.
                var hers = completeApplication(version: 2, title: "Amalies titel") + [("base", amaliesBase)]
                #expect(try await amalie.post(path, hers).status == .seeOther)
                var his = completeApplication(version: 2) + [("base", karlsBase)]
                his = his.map { $0.0 == "answers[motivation]" ? ($0.0, "Karls motivation") : $0 }
                let merged = try await karl.post(path, his)
                #expect(merged.status == .seeOther)
                var stored = try #require(try await ApplicationRecord.find(id, on: app.db)).content()
                #expect(stored.projectTitle == "Amalies titel")
                #expect(stored.answers["motivation"] == "Karls motivation")
                #expect(try await karl.get(path).body.string.contains("begges ændringer er med"))

                // Now both change the answer, from version 4.
                let base4 = try Self.base(in: try await amalie.get(path).body.string)
                hers = completeApplication(version: 4, title: "Amalies titel") + [("base", base4)]
                hers = hers.map { $0.0 == "answers[motivation]" ? ($0.0, "Amalies motivation") : $0 }
                #expect(try await amalie.post(path, hers).status == .seeOther)
                his = completeApplication(version: 4, title: "Amalies titel") + [("base", base4)]
                his = his.map { $0.0 == "answers[motivation]" ? ($0.0, "Karls nye motivation") : $0 }
                let asked = try await karl.post(path, his)
                #expect(asked.status == .conflict)
                let page = asked.body.string
                #expect(page.contains("Felter, I begge har ændret"))
                #expect(page.contains("name=\"keep[answers.motivation]\""))
                #expect(page.contains("Den gemte udgave: Amalies motivation"))
                #expect(page.contains("Karls nye motivation"))
                // He keeps the saved one.
                let chosen =
                    completeApplication(version: 5, title: "Amalies titel")
                    .map { $0.0 == "answers[motivation]" ? ($0.0, "Karls nye motivation") : $0 }
                    + [("base", try Self.base(in: page)), ("keep[answers.motivation]", "saved")]
                #expect(try await karl.post(path, chosen).status == .seeOther)
                stored = try #require(try await ApplicationRecord.find(id, on: app.db)).content()
                #expect(stored.answers["motivation"] == "Amalies motivation")
            }
        }

        @Test func anotherMunicipalityGetsNotFound() async throws {
            try await withTestApp { app in
                let clock = TestClock(Self.winter.instant.addingTimeInterval(-86_400))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: Self.winter)
                let (_, path) = try await Self.start(app, Browser(app), call: call)
                let odense = Browser(app)
                try await odense.signIn("ansoger@odense.demo")
                try await odense.get("/profil")
                #expect(try await odense.get(path).status == .notFound)
                #expect(try await odense.post(path, completeApplication(version: 1)).status == .notFound)
                #expect(try await odense.post(path + "/indsend", [("version", "1")]).status == .notFound)
                #expect(try await odense.get(path + "/kvittering").status == .notFound)
                #expect(try await odense.get(path + "/afsnit/budget").status == .notFound)
                #expect(
                    try await odense.post(path, [("version", "1"), ("section", "projekt"), ("projectTitle", "Odense")])
                        .status == .notFound)
                // Agency staff do not see drafts either.
                let staff = Browser(app)
                try await staff.signIn(Demo.grantAdministrator)
                #expect(try await staff.get(path).status == .notFound)
            }
        }

        @Test func anIncompleteApplicationListsEverythingMissing() async throws {
            try await withTestApp { app in
                let clock = TestClock(Self.winter.instant.addingTimeInterval(-86_400))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: Self.winter)
                let browser = Browser(app)
                let (_, path) = try await Self.start(app, browser, call: call)
                var lumped = completeApplication(version: 1)
                lumped.removeAll { $0.0 == "declarations[]" || $0.0 == "answers[motivation]" }
                lumped = lumped.map { $0.0 == "budget[0][description]" ? ($0.0, "Løn") : $0 }
                #expect(try await browser.post(path, lumped).status == .seeOther)
                let response = try await browser.post(path + "/indsend", [("version", "2")])
                #expect(response.status == .unprocessableEntity)
                let html = response.body.string
                #expect(html.contains("Ansøgningen kan ikke indsendes endnu"))
                #expect(html.contains("Besvar spørgsmålet"))
                #expect(html.contains("Erklær minimumsbetingelsen"))
                #expect(html.contains("samleposter som løn, overhead og diverse"))
            }
        }

        /// "Tjek og indsend": the saved application, what is missing section by section with links to the
        /// form, and the submit button only when nothing is; the form's sections menu says the same, and the
        /// autosave tells the script what is missing per section.
        @Test func theCheckPageListsWhatIsMissingAndSubmitsOnlyWhenNothingIs() async throws {
            try await withTestApp { app in
                let clock = TestClock(Self.winter.instant.addingTimeInterval(-86_400))
                app.now = { clock.now }
                let call = try await makeCall(
                    app, deadline: Self.winter, attachmentKinds: [AttachmentKind(id: "plan", name: "Projektplan")])
                let browser = Browser(app)
                let (_, path) = try await Self.start(app, browser, call: call)
                let form = try await browser.get(path).body.string
                #expect(form.contains("Ansøgningens afsnit"))
                #expect(form.contains("href=\"#afsnit-projekt\""))
                #expect(form.contains("Tjek og indsend"))
                // Attachments come before the way to submission.
                let attachments = try #require(form.range(of: "id=\"bilag\""))
                let submit = try #require(form.range(of: "id=\"indsend\""))
                #expect(attachments.lowerBound < submit.lowerBound)
                var partial = completeApplication(version: 1)
                partial.removeAll { $0.0 == "declarations[]" || $0.0 == "answers[motivation]" }
                #expect(try await browser.post(path, partial).status == .seeOther)
                let check = try await browser.get(path + "/tjek")
                #expect(check.status == .ok)
                let missing = check.body.string
                #expect(missing.contains("Ansøgningen kan ikke indsendes endnu"))
                #expect(missing.contains("href=\"\(path)/afsnit/spoergsmaal\""))
                #expect(missing.contains("href=\"\(path)/afsnit/erklaeringer\""))
                #expect(missing.contains("Besvar spørgsmålet"))
                #expect(missing.contains("Sundhed på botilbud"))
                #expect(!missing.contains("Indsend ansøgningen"))
                // The form's menu counts the same, and the autosave tells the script.
                let menu = try await browser.get(path).body.string
                #expect(menu.contains("afsnit er klar til indsendelse."))
                #expect(menu.contains("Mangler 1"))
                let autosaved = try await SecurityDefectTests.autosave(browser, path, completeApplication(version: 2))
                #expect(autosaved.status == .ok)
                #expect(autosaved.body.string.contains("\"spoergsmaal\":0"))
                #expect(autosaved.body.string.contains("\"erklaeringer\":0"))
                // Complete now: the page shows the version it submits, and submitting it gives the receipt.
                let ready = try await browser.get(path + "/tjek").body.string
                #expect(ready.contains("Intet mangler"))
                #expect(ready.contains("Indsend ansøgningen"))
                #expect(ready.contains("name=\"version\" value=\"3\""))
                let submitted = try await browser.post(path + "/indsend", [("version", "3")])
                #expect(submitted.location == path + "/kvittering")
                // A submitted application has nothing to check: back to the case.
                #expect(try await browser.get(path + "/tjek").location == path)
                // Another municipality learns nothing.
                let other = Browser(app)
                try await other.signIn("ansoger@odense.demo")
                #expect(try await other.get(path + "/tjek").status == .notFound)
            }
        }

        /// A draft keeps everything typed: what can be read is saved, what cannot is kept as typed and shown
        /// at its field, and it stands in the way of submission until it is put right.
        /// The form in steps: each section on a page of its own saves that section only; every other field
        /// stays as saved, as typed where it could not be read, by the page's Gem and by the autosave alike.
        @Test func theFormInStepsSavesOneSectionAndKeepsTheRest() async throws {
            try await withTestApp { app in
                let clock = TestClock(Self.winter.instant.addingTimeInterval(-86_400))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: Self.winter)
                let browser = Browser(app)
                let (id, path) = try await Self.start(app, browser, call: call)
                func content() async throws -> ApplicationContent {
                    try #require(try await ApplicationRecord.find(id, on: app.db)).content()
                }
                // The first step: its own fields, the menu with it marked, the count, the ways on.
                let first = try await browser.get(path + "/afsnit/projekt")
                #expect(first.status == .ok)
                let html = first.body.string
                #expect(html.contains("Trin 1 af 7"))
                #expect(html.contains("name=\"section\" value=\"projekt\""))
                #expect(html.contains("name=\"projectTitle\""))
                #expect(!html.contains("name=\"services[0][name]\""))
                #expect(!html.contains("name=\"budget[0][category]\""))
                #expect(html.contains("aria-current=\"step\""))
                #expect(html.contains("Gem og fortsæt"))
                try await browser.post(path, completeApplication(version: 1))

                // Saving the services step changes the services, nothing else, and goes on to contacts.
                let services = try await browser.post(
                    path,
                    [
                        ("version", "2"), ("section", "tilbud"), ("go", "next"),
                        ("services[0][name]", "Bostedet Bakken"),
                        ("services[0][legalBasis]", "SEL § 107"), ("services[0][citizens]", "12"),
                    ])
                #expect(services.status == .seeOther)
                #expect(services.location == path + "/afsnit/kontakter")
                var saved = try await content()
                #expect(saved.services.map(\.name) == ["Bostedet Bakken"])
                #expect(saved.projectTitle == "Sundhed på botilbud")
                #expect(saved.budget.count == 1)
                #expect(saved.answers["motivation"] != nil)
                #expect(saved.declarations == ["projektleder"])

                // A budget step with a number that cannot be read: kept as typed, and the user stays at it.
                let budget = completeApplication(version: 3).filter { $0.0.hasPrefix("budget") }.map {
                    $0.0 == "budget[0][units]" ? ($0.0, "en halv") : $0
                }
                let unreadable = try await browser.post(
                    path, [("version", "3"), ("section", "budget"), ("go", "next")] + budget)
                #expect(unreadable.location == path + "/afsnit/budget")
                let budgetPage = try await browser.get(path + "/afsnit/budget").body.string
                #expect(budgetPage.contains("value=\"en halv\""))
                #expect(budgetPage.contains("Antal skal være et tal"))
                // Another step saved after it keeps the budget as typed, by the page and by the autosave.
                let title = try await browser.post(
                    path,
                    [
                        ("version", "4"), ("section", "projekt"), ("go", "stay"), ("projectTitle", "Ny titel"),
                        ("targetAreas[]", "handicap"),
                    ])
                #expect(title.location == path + "/afsnit/projekt")
                let autosaved = try await SecurityDefectTests.autosave(
                    browser, path,
                    [
                        ("version", "5"), ("section", "kontakter"), ("contacts[0][name]", "Karl Kollega"),
                        ("contacts[0][email]", "kollega@aarhus.demo"),
                    ])
                #expect(autosaved.status == .ok)
                #expect(autosaved.body.string.contains("\"budget.0\""))
                saved = try await content()
                #expect(saved.projectTitle == "Ny titel")
                #expect(saved.contacts.map(\.name) == ["Karl Kollega"])
                #expect(saved.services.map(\.name) == ["Bostedet Bakken"])
                #expect(try await browser.get(path + "/afsnit/budget").body.string.contains("value=\"en halv\""))
                #expect(try await browser.get(path).body.string.contains("value=\"en halv\""))

                // Put right on its step; "Gem og tjek ansøgningen" on the last step leads to the check page.
                let fixed = try await browser.post(
                    path,
                    [("version", "6"), ("section", "budget"), ("go", "next")]
                        + completeApplication(version: 6)
                        .filter { $0.0.hasPrefix("budget") })
                #expect(fixed.location == path + "/tjek")
                #expect(try await ApplicationRecord.find(id, on: app.db)?.unreadInputJSON == nil)
                #expect(try await content().budget.count == 1)
                // Back from the first step is the page with every section.
                let back = try await browser.post(
                    path,
                    [
                        ("version", "7"), ("section", "projekt"), ("go", "previous"), ("projectTitle", "Ny titel"),
                        ("targetAreas[]", "handicap"),
                    ])
                #expect(back.location == path)
                // A saved form from an older version of one step merges with the newer saves.
                let stale = try await browser.post(
                    path,
                    [
                        ("version", "2"), ("base", ApplicationStore.encode(saved)), ("section", "spoergsmaal"),
                        ("answers[motivation]", "Et nyt svar."),
                    ])
                #expect(stale.status == .seeOther)
                saved = try await content()
                #expect(saved.answers["motivation"] == "Et nyt svar.")
                #expect(saved.projectTitle == "Ny titel")
                // A section the call's form does not have, or none at all, is the application's page.
                #expect(try await browser.get(path + "/afsnit/godkendelse").location == path)
                #expect(try await browser.get(path + "/afsnit/noget").location == path)
                // The check page leads to the steps, and submission works as from the whole page.
                #expect(try await browser.get(path + "/tjek").body.string.contains(path + "/afsnit/budget"))
                let submitted = try await browser.post(path + "/indsend", [("version", "9")])
                #expect(submitted.location == path + "/kvittering")
                // A submitted application has no steps to write in.
                #expect(try await browser.get(path + "/afsnit/projekt").location == path)
            }
        }

        @Test func unreadableInputIsSavedAsTypedAndBlocksOnlyTheSubmission() async throws {
            try await withTestApp { app in
                let clock = TestClock(Self.winter.instant.addingTimeInterval(-86_400))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: Self.winter)
                let browser = Browser(app)
                let (id, path) = try await Self.start(app, browser, call: call)
                let fields = completeApplication(version: 1).map { $0.0 == "budget[0][units]" ? ($0.0, "en halv") : $0 }
                let response = try await browser.post(path, fields)
                #expect(response.status == .seeOther)
                #expect(try await ApplicationRecord.find(id, on: app.db)?.version == 2)
                let page = try await browser.get(path).body.string
                #expect(page.contains("Nogle felter kan ikke læses endnu"))
                #expect(page.contains("Antal skal være et tal"))
                #expect(page.contains("value=\"en halv\""))
                #expect(page.contains("value=\"Sundhed på botilbud\""))
                // A line without a category is kept as typed too, and the autosave says where the problem is.
                let noCategory = completeApplication(version: 2).map {
                    $0.0 == "budget[0][category]" ? ($0.0, "") : $0
                }
                let autosaved = try await SecurityDefectTests.autosave(browser, path, noCategory)
                #expect(autosaved.status == .ok)
                #expect(autosaved.body.string.contains("Linje 1: Vælg en udgiftskategori."))
                #expect(autosaved.body.string.contains("\"budget.0\""))
                #expect(try await browser.get(path).body.string.contains("Projektleder, 0,5 årsværk"))
                // Submission names it.
                let submit = try await browser.post(path + "/indsend", [("version", "3")])
                #expect(submit.status == .unprocessableEntity)
                #expect(submit.body.string.contains("Linje 1: Vælg en udgiftskategori."))
                // Put right, it is gone and the application can be submitted.
                try await browser.post(path, completeApplication(version: 3))
                #expect(try await ApplicationRecord.find(id, on: app.db)?.unreadInputJSON == nil)
                let done = try await browser.post(path + "/indsend", [("version", "4")])
                #expect(done.status == .seeOther)
            }
        }

        @Test func withdrawBeforeTheDeadlineAndHandOverResponsibility() async throws {
            try await withTestApp { app in
                let (amalie, id, path) = try await Self.withColleague(app)
                let karl = try #require(
                    try await UserRecord.query(on: app.db).filter(\.$email == "kollega@aarhus.demo").first())
                try await amalie.get(path)
                #expect(
                    try await amalie.post(path + "/ansvarlig", [("userID", karl.id!.uuidString)]).status == .seeOther)
                #expect(try await ApplicationRecord.find(id, on: app.db)?.$responsible.id == karl.id)
                // Amalie is no longer responsible and cannot withdraw; Karl can.
                #expect(try await amalie.post(path + "/traek-tilbage").status == .forbidden)
                let karlBrowser = Browser(app)
                try await karlBrowser.signIn("kollega@aarhus.demo")
                try await karlBrowser.get(path)
                #expect(try await karlBrowser.post(path + "/traek-tilbage").status == .seeOther)
                #expect(try await ApplicationRecord.find(id, on: app.db)?.applicationStatus == .withdrawn)
                // A colleague from another municipality cannot be added.
                let foreign = try await karlBrowser.post(path + "/bidragydere", [("email", "ansoger@odense.demo")])
                #expect(foreign.status == .forbidden || foreign.status == .seeOther)
                #expect(try await ApplicationContributorRecord.query(on: app.db).count() == 1)
            }
        }

        @Test func autosaveAnswersInJSONAndReportsConflicts() async throws {
            try await withTestApp { app in
                let clock = TestClock(Self.winter.instant.addingTimeInterval(-86_400))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: Self.winter)
                let browser = Browser(app)
                let (_, path) = try await Self.start(app, browser, call: call)
                func autosave(_ version: Int, title: String = "Sundhed på botilbud") async throws -> TestingHTTPResponse
                {
                    var fields = completeApplication(version: version, title: title)
                    fields.append(("_csrf", browser.csrfToken!))
                    var headers = HTTPHeaders()
                    headers.contentType = .urlEncodedForm
                    headers.replaceOrAdd(name: .accept, value: "application/json")
                    headers.replaceOrAdd(name: "X-Pulje-Autosave", value: "1")
                    let body = fields.map { Browser.encode($0.0) + "=" + Browser.encode($0.1) }.joined(separator: "&")
                    return try await browser.send(.POST, path, headers: headers, body: ByteBuffer(string: body))
                }
                // A browser's ordinary form post accepts */*; it must get the page, not the script's JSON.
                var plain = HTTPHeaders()
                plain.contentType = .urlEncodedForm
                plain.replaceOrAdd(name: .accept, value: "text/html,application/xhtml+xml,*/*;q=0.8")
                let plainBody = (completeApplication(version: 1) + [("_csrf", browser.csrfToken!)])
                    .map { Browser.encode($0.0) + "=" + Browser.encode($0.1) }.joined(separator: "&")
                let ordinary = try await browser.send(.POST, path, headers: plain, body: ByteBuffer(string: plainBody))
                #expect(ordinary.status == .seeOther)
                let first = try await autosave(2)
                #expect(first.status == .ok)
                #expect(first.body.string.contains("\"version\":3"))
                // The same save again, as after an answer lost on the way: what is stored is what is sent, so
                // it is saved (no new version), not a conflict.
                let repeated = try await autosave(2)
                #expect(repeated.status == .ok)
                #expect(repeated.body.string.contains("\"version\":3"))
                let stale = try await autosave(2, title: "Et andet forslag")
                #expect(stale.status == .conflict)
                #expect(stale.body.string.contains("\"conflict\":true"))
                // The answer names the newer version and who saved it, and the stale save wrote nothing.
                #expect(stale.body.string.contains("\"version\":3") && stale.body.string.contains("Amalie Ansøger"))
                #expect(
                    try await AuditEntryRecord.query(on: app.db).filter(\.$action == "application.save")
                        .filter(\.$summary == "Kladde gemt automatisk (version 3).").count() == 1)
                // Who, from where, about what (on PostgreSQL the save and its entry are one statement).
                let entry = try #require(
                    try await AuditEntryRecord.query(on: app.db)
                        .filter(\.$summary == "Kladde gemt automatisk (version 3).").first())
                #expect(entry.actorName == "Amalie Ansøger <ansoger@aarhus.demo>")
                #expect(entry.organisationName == "Aarhus Kommune")
                #expect(entry.actorID != nil && entry.organisationID != nil && !entry.address.isEmpty)
                #expect(entry.entityType == "application" && entry.entityID == path.components(separatedBy: "/").last)
            }
        }
    }

    @Suite struct CallPageTests {
        @Test func publicListShowsOpenAndClosedCallsWithTheirDeadlines() async throws {
            try await withTestApp { app in
                let html = try await Browser(app).get("/puljer").body.string
                #expect(html.contains("Åbne puljer"))
                #expect(html.contains("Demo: Ansøgningspulje til modning af tidlig opsporing i skolen"))
                #expect(html.contains("torsdag den 7. december 2023 kl. 12.00"))
                #expect(html.contains("tirsdag den 25. oktober 2022 – hele dagen, til midnat"))
            }
        }

        @Test func theSeededCallsCarryTheRightDeadlinesInUTC() async throws {
            try await withTestApp { app in
                let expected: [String: TimeInterval] = [
                    CallSeeds.healthOnResidentialFacilities.title: 1_701_946_800,  // 2023-12-07T11:00:00Z
                    CallSeeds.citizenAtTheHelm.title: 1_701_428_400,  // 2023-12-01T11:00:00Z
                    CallSeeds.investmentPool.title: 1_568_714_400,  // 2019-09-17T10:00:00Z (summer time)
                    CallSeeds.familyModelsRoundOne.title: 1_666_735_200,  // 2022-10-25T22:00:00Z: end of day
                ]
                for (title, seconds) in expected {
                    let call = try #require(try await CallRecord.query(on: app.db).filter(\.$title == title).first())
                    #expect(call.deadlineAt?.timeIntervalSince1970 == seconds, "\(title)")
                    #expect(try call.rules().deadline?.instant.timeIntervalSince1970 == seconds)
                }
            }
        }

        @Test func theCallPageHasEverythingAndACalendarFile() async throws {
            try await withTestApp { app in
                let call = try #require(
                    try await CallRecord.query(on: app.db).filter(\.$title == CallSeeds.familyModelsRoundOne.title)
                        .first())
                let path = "/puljer/\(call.id!.uuidString.lowercased())"
                let html = try await Browser(app).get(path).body.string
                for text in [
                    "Minimumsbetingelser", "Tildelingskriterier", "E: Parathed til deltagelse",
                    "Forventet svar: 15. november 2022",
                    "Fristen er udløbet", "61 96 56 03", "Runde",
                ] {
                    #expect(html.contains(text), "missing \(text)")
                }
                let ics = try await Browser(app).get(path + "/frist.ics")
                #expect(ics.headers.first(name: .contentType)?.hasPrefix("text/calendar") == true)
                #expect(ics.body.string.contains("DTSTART:20221025T220000Z"))
                #expect(ics.body.string.contains("\r\nEND:VCALENDAR\r\n"))
            }
        }

        @Test func publishingRefusesAnIncompleteCallAndVersionsRulesAfterASubmission() async throws {
            try await withTestApp { app in
                let staff = Browser(app)
                try await staff.signIn(Demo.programmeManager)
                try await staff.get("/puljer/ny")
                let created = try await staff.post(
                    "/puljer", [("title", "Ny pulje"), ("applicantKinds[]", "municipality"), ("deadlineTime", "12:00")])
                #expect(created.status == .seeOther)
                let path = try #require(created.location)
                try await staff.get(path)
                let refused = try await staff.post(path + "/offentliggoer")
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("Puljen kan ikke offentliggøres endnu"))
                #expect(refused.body.string.contains("Ansøgningsfrist med dato og klokkeslæt"))
                // A draft is invisible to the public.
                #expect(try await Browser(app).get(path).status == .notFound)

                // A deadline without a time is refused with a message.
                let noTime = try await staff.post(
                    path,
                    [
                        ("title", "Ny pulje"), ("applicantKinds[]", "municipality"), ("deadlineDate", "2031-03-04"),
                        ("deadlineTime", ""),
                    ])
                #expect(noTime.status == .unprocessableEntity)
                #expect(noTime.body.string.contains("et tidspunkt skal altid angives"))

                // Versioning: once an application is submitted under version 1, a change makes version 2.
                let clock = TestClock(ApplicationFlowTests.winter.instant.addingTimeInterval(-3600))
                app.now = { clock.now }
                let callID = try await makeCall(app, deadline: ApplicationFlowTests.winter)
                let applicant = Browser(app)
                let (applicationID, appPath) = try await ApplicationFlowTests.start(app, applicant, call: callID)
                try await applicant.post(appPath, completeApplication(version: 1))
                #expect(try await applicant.post(appPath + "/indsend", [("version", "2")]).status == .seeOther)
                let callPath = "/puljer/\(callID.uuidString.lowercased())"
                try await staff.get(callPath + "/rediger")
                let call = try #require(try await CallRecord.find(callID, on: app.db))
                var form = CallForm(call: call, rules: try call.rules())
                form.criteria = "motivation; Motivation; 2; ; Hvorfor"
                let fields = Self.fields(form)
                let updated = try await staff.post(callPath, fields)
                #expect(updated.status == .seeOther)
                let after = try #require(try await CallRecord.find(callID, on: app.db))
                #expect(after.version == 2)
                #expect(try await CallVersionRecord.query(on: app.db).filter(\.$call.$id == callID).count() == 2)
                let application = try #require(try await ApplicationRecord.find(applicationID, on: app.db))
                #expect(application.callVersion == 1)
                let rules = try await ApplicationCaseStore.rules(of: application, call: after, on: app.db)
                #expect(rules.criteria.first?.weight == 1)
            }
        }

        static func fields(_ form: CallForm) -> [(String, String)] {
            var fields: [(String, String)] = [
                ("title", form.title ?? ""), ("summary", form.summary ?? ""), ("targetGroup", form.targetGroup ?? ""),
                ("initiativeNumber", form.initiativeNumber ?? ""), ("legalBases", form.legalBases ?? ""),
                ("targetAreas", form.targetAreas ?? ""), ("municipalitiesMin", form.municipalitiesMin ?? ""),
                ("municipalitiesMax", form.municipalitiesMax ?? ""), ("funds", form.funds ?? ""),
                ("financeLawAccount", form.financeLawAccount ?? ""), ("projectStart", form.projectStart ?? ""),
                ("projectEnd", form.projectEnd ?? ""), ("round", form.round ?? ""), ("opensDate", form.opensDate ?? ""),
                ("opensTime", form.opensTime ?? ""), ("deadlineDate", form.deadlineDate ?? ""),
                ("deadlineTime", form.deadlineTime ?? ""), ("answerExpected", form.answerExpected ?? ""),
                ("startUpMeeting", form.startUpMeeting ?? ""), ("contacts", form.contacts ?? ""),
                ("documents", form.documents ?? ""), ("minimumConditions", form.minimumConditions ?? ""),
                ("criteria", form.criteria ?? ""), ("questions", form.questions ?? ""),
                ("maximumTotal", form.maximumTotal ?? ""), ("maximumPerYear", form.maximumPerYear ?? ""),
                ("attachmentKinds", form.attachmentKinds ?? ""), ("scaleMinimum", form.scaleMinimum ?? ""),
                ("scaleMaximum", form.scaleMaximum ?? ""), ("scaleStep", form.scaleStep ?? ""),
                ("requiredApproval", form.requiredApproval ?? ""), ("journalNumber", form.journalNumber ?? ""),
            ]
            // The grant terms' fields, as the page has them (a form without them keeps the terms).
            for (name, value) in [
                ("teamRoles", form.teamRoles), ("reallocationNoticePercent", form.reallocationNoticePercent),
                ("reallocationNoticeAmount", form.reallocationNoticeAmount),
                ("secondApprovalAbove", form.secondApprovalAbove), ("auditorStatementFrom", form.auditorStatementFrom),
            ] {
                if let value { fields.append((name, value)) }
            }
            fields += (form.applicantKinds ?? []).map { ("applicantKinds[]", $0) }
            fields += (form.eligibleCategories ?? []).map { ("eligibleCategories[]", $0) }
            if form.requiresMonthlySpread == "true" { fields.append(("requiresMonthlySpread", "true")) }
            return fields
        }
    }
}

extension AppTests {
    @Suite struct BudgetExportTests {
        @Test func theBudgetDownloadsAsCSVAndXLSX() async throws {
            try await withTestApp { app in
                let clock = TestClock(ApplicationFlowTests.winter.instant.addingTimeInterval(-3600))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: ApplicationFlowTests.winter)
                let browser = Browser(app)
                let (_, path) = try await ApplicationFlowTests.start(app, browser, call: call)
                try await browser.post(path, completeApplication(version: 1))
                let csv = try await browser.get(path + "/budget.csv")
                #expect(csv.status == .ok)
                #expect(csv.headers.first(name: .contentType) == "text/csv; charset=utf-8")
                #expect(csv.body.string.hasPrefix("\u{FEFF}Linje;"))
                #expect(csv.body.string.contains("Projektleder, 0,5 årsværk;0,5;600000;2030;100000;100000;100000"))

                let xlsx = try await browser.get(path + "/budget.xlsx")
                #expect(xlsx.status == .ok)
                let archive = try Archive(data: Data(xlsx.body.readableBytesView), accessMode: .read)
                let paths = Set(archive.map(\.path))
                #expect(
                    paths.isSuperset(of: [
                        "[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml",
                    ]))
                var sheet = Data()
                _ = try archive.extract(archive["xl/worksheets/sheet1.xml"]!) { sheet.append($0) }
                let xml = String(decoding: sheet, as: UTF8.self)
                #expect(xml.contains("<t xml:space=\"preserve\">Projektleder, 0,5 årsværk</t>"))
                #expect(xml.contains("<v>300000</v>"))
                #expect(xml.contains("<v>0.5</v>"))
                // Another municipality cannot download it.
                let odense = Browser(app)
                try await odense.signIn("ansoger@odense.demo")
                #expect(try await odense.get(path + "/budget.csv").status == .notFound)
            }
        }
    }
}

extension AppTests {
    @Suite struct AttachmentTests {
        static let pdf = Array("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".utf8)

        @Test func filesAreCheckedByContentStoredOutsideTheDatabaseAndFrozenIntoTheDigest() async throws {
            try await withTestApp { app in
                let clock = TestClock(ApplicationFlowTests.winter.instant.addingTimeInterval(-3600))
                app.now = { clock.now }
                let call = try await makeCall(
                    app, deadline: ApplicationFlowTests.winter,
                    attachmentKinds: [
                        AttachmentKind(
                            id: "erklaering", name: "Ledelseserklæring", maximumBytes: 1_000_000, required: true)
                    ])
                let browser = Browser(app)
                let (id, path) = try await ApplicationFlowTests.start(app, browser, call: call)
                try await browser.post(path, completeApplication(version: 1))
                // Without the required attachment the application cannot be submitted.
                let missing = try await browser.post(path + "/indsend", [("version", "2")])
                #expect(missing.body.string.contains("Vedhæft bilaget: Ledelseserklæring."))

                // A program renamed to .pdf is refused, and so is a file above the limit.
                try await browser.get(path)
                try await browser.upload(
                    path + "/bilag", fields: [("kind", "erklaering")],
                    file: ("erklæring.pdf", "application/pdf", Array("MZ not a pdf".utf8)))
                #expect(
                    try await browser.get(path).body.string.contains(
                        "er ikke en PDF-, Word-, Excel-, PNG- eller JPEG-fil"))
                try await browser.upload(
                    path + "/bilag", fields: [("kind", "erklaering")],
                    file: ("stor.pdf", "application/pdf", Self.pdf + Array(repeating: 0x20, count: 1_000_001)))
                #expect(try await browser.get(path).body.string.contains("må højst fylde 1,0 MB"))
                #expect(try await ApplicationAttachmentRecord.query(on: app.db).count() == 0)

                // MUT: a real PDF, named as a Word file by mistake.
                let uploaded = try await browser.upload(
                    path + "/bilag", fields: [("kind", "erklaering")],
                    file: ("Erklæring <underskrevet>.docx", "application/msword", Self.pdf))
                #expect(uploaded.status == .seeOther)
                let record = try #require(try await ApplicationAttachmentRecord.query(on: app.db).first())
                #expect(record.contentType == "application/pdf")
                #expect(record.fileName == "Erklæring _underskrevet_.pdf")
                let stored = FileManager.default.contents(
                    atPath: AttachmentFiles.folder(app) + "/" + record.id!.uuidString.lowercased())
                #expect(stored.map { Array($0) } == Self.pdf)
                let download = try await browser.get(path + "/bilag/" + record.id!.uuidString.lowercased())
                #expect(download.status == .ok)
                #expect(download.headers.first(name: .contentType) == "application/pdf")
                #expect(Array(download.body.readableBytesView) == Self.pdf)
                let odense = Browser(app)
                try await odense.signIn("ansoger@odense.demo")
                #expect(try await odense.get(path + "/bilag/" + record.id!.uuidString.lowercased()).status == .notFound)

                // The submission freezes the attachment's hash into the digest.
                try await browser.get(path)
                let submitted = try await browser.post(path + "/indsend", [("version", "2")])
                #expect(submitted.status == .seeOther)
                let application = try #require(try await ApplicationRecord.find(id, on: app.db))
                let frozen = try #require(try application.submittedContent())
                #expect(frozen.attachments.map(\.sha256) == [record.sha256])
                // After submission nothing can be added or removed.
                #expect(
                    try await browser.upload(
                        path + "/bilag", fields: [("kind", "erklaering")], file: ("x.pdf", "application/pdf", Self.pdf)
                    ).status == .forbidden)
                #expect(
                    try await browser.post(path + "/bilag/" + record.id!.uuidString.lowercased() + "/fjern").status
                        == .forbidden)
            }
        }
    }
}
