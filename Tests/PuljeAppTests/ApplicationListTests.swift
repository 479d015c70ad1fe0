import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

/// The agency's list of applications: keyset pages that add up to the whole list in every order, filters,
/// search, and hostile query strings.
extension AppTests {
    @Suite struct ApplicationListTests {
        /// Follows "Næste 50" from the first page to the last; returns the submission numbers in order.
        static func walk(_ browser: Browser, _ first: String) async throws -> [String] {
            var path: String? = first
            var numbers: [String] = []
            var pages = 0
            while let next = path, pages < 100 {
                let html = try await browser.get(next).body.string
                numbers += html.matches(of: /UIP-\d{4}-[A-Z0-9]{8}/).map { String($0.output) }
                path = html.firstMatch(of: /href="(\/ansoegninger\?[^"]*efter=[^"]*)" rel="next"/).map {
                    String($0.output.1).replacingOccurrences(of: "&amp;", with: "&")
                }
                pages += 1
            }
            return numbers
        }

        @Test func pagesAddUpToTheWholeListInEveryOrder() async throws {
            try await withTestApp { app in
                let made = try await ListSeedCommand.seed(app, applications: 230)
                #expect(made.calls == 3)
                // Submissions in the same microsecond (a deadline surge): 60 ties across page boundaries.
                let tied = Date(timeIntervalSince1970: 1_790_000_000.123456)
                for record in try await ApplicationRecord.query(on: app.db).filter(\.$status != "draft").range(..<60)
                    .all()
                {
                    record.submittedAt = tied
                    try await record.save(on: app.db)
                }
                let staff = try await Assess.signedIn(app, Demo.grantAdministrator)
                let all = try await ApplicationRecord.query(on: app.db).filter(\.$status != "draft").all()
                for sort in ApplicationListSort.allCases {
                    let numbers = try await Self.walk(staff, SiteURL.applications.path + "?sortering=\(sort.rawValue)")
                    #expect(numbers.count == all.count, "\(sort)")
                    #expect(Set(numbers).count == numbers.count, "\(sort): a row shown twice")
                    #expect(Set(numbers) == Set(all.compactMap(\.submissionNumber)), "\(sort)")
                }
                // Newest first, across pages.
                let newest = try await Self.walk(staff, SiteURL.applications.path)
                let byNumber = Dictionary(uniqueKeysWithValues: all.map { ($0.submissionNumber!, $0.submittedAt!) })
                #expect(newest.map { byNumber[$0]! } == newest.map { byNumber[$0]! }.sorted(by: >))
            }
        }

        @Test func filtersAndSearchNarrowTheList() async throws {
            try await withTestApp { app in
                try await ListSeedCommand.seed(app, applications: 120)
                let staff = try await Assess.signedIn(app, Demo.grantAdministrator)
                let aarhus = try #require(
                    try await OrganisationRecord.query(on: app.db).filter(\.$name == "Aarhus Kommune").first())
                let search = try await Self.walk(staff, SiteURL.applications.path + "?q=aarhus")
                let ofAarhus = try await ApplicationRecord.query(on: app.db)
                    .filter(\.$organisation.$id == aarhus.requireID()).filter(\.$status != "draft").all()
                #expect(search.count == ofAarhus.count && search.count > 0)
                let byOrganisation = try await Self.walk(
                    staff, SiteURL.applications.path + "?ansoeger=\(try aarhus.requireID().uuidString.lowercased())")
                #expect(Set(byOrganisation) == Set(search))
                let one = try #require(ofAarhus.first)
                let exact = try await staff.get(SiteURL.applications.path + "?q=\(one.submissionNumber!)").body.string
                #expect(exact.contains("Viser 1 ansøgning."))
                let call = one.$call.id
                let ofCall = try await Self.walk(staff, SiteURL.applications.path + "?pulje=\(call.uuidString)")
                let callCount = try await ApplicationRecord.query(on: app.db).filter(\.$call.$id == call)
                    .filter(\.$status != "draft").count()
                #expect(ofCall.count == callCount && callCount > 0)
                let awarded = try await Self.walk(staff, SiteURL.applications.path + "?status=awarded")
                let awardedCount = try await ApplicationRecord.query(on: app.db).filter(\.$status == "awarded").count()
                #expect(awarded.count == awardedCount)
                let nothing = try await staff.get(SiteURL.applications.path + "?q=findes%20ikke").body.string
                #expect(nothing.contains("Ingen ansøgninger passer til filtrene."))
            }
        }

        @Test func hostileQueriesGiveAListNeverAnError() async throws {
            try await withTestApp { app in
                try await ListSeedCommand.seed(app, applications: 60)
                let staff = try await Assess.signedIn(app, Demo.grantAdministrator)
                for query in [
                    "efter=garbage", "efter=%00.%00", "efter=\(String(repeating: "A", count: 5000))",
                    "efter=OTk5OTk5OTk5OTk5OTk5OTk5OTk.00000000-0000-0000-0000-000000000000", "sortering=%27%3B--",
                    "status=draft", "pulje=not-a-uuid", "q=%25%25%25", "q=_",
                    "q=\(String(repeating: "x", count: 10_000))",
                    "q=%0D%0ALocation:%20evil",
                    "sortering=kommune&efter=JyBPUiAxPTE7LS0.00000000-0000-0000-0000-000000000000",
                ] {
                    let response = try await staff.get(SiteURL.applications.path + "?" + query)
                    #expect(response.status == .ok, "\(query)")
                }
                // "status=draft" shows no drafts: the list is of submitted applications.
                let page = try await staff.get(SiteURL.applications.path + "?status=draft").body.string
                #expect(!page.contains(">Kladde<"))
                // A literal "%" or "_" is searched for as itself.
                #expect(
                    try await staff.get(SiteURL.applications.path + "?q=%25").body.string.contains(
                        "Ingen ansøgninger passer"))
                // Municipalities and assessors have their own lists.
                let applicant = try await Assess.signedIn(app, Demo.applicant)
                #expect(try await applicant.get(SiteURL.applications.path).status == .forbidden)
                #expect(try await Browser(app).get(SiteURL.applications.path).status == .seeOther)
            }
        }

        /// The grant cases list, 50 a page: every case once, in order of call and recipient, of recipient and
        /// call, or newest first (opening times with ties and sub-microsecond differences); a municipality only
        /// its own.
        @Test func theGrantCaseListPagesThroughEveryCase() async throws {
            try await withTestApp { app in
                try await ListSeedCommand.seed(app, applications: 130)
                let applications = try await ApplicationRecord.query(on: app.db).filter(\.$submittedBy == "Listebruger")
                    .all()
                for (index, application) in applications.enumerated() {
                    let record = ListSeedCommand.grantCase(application)
                    record.openedAt = Date(
                        timeIntervalSince1970: 1_795_315_704.123456 + Double(index % 9) * 0.000_000_3)
                    try await record.create(on: app.db)
                }
                func walk(_ browser: Browser, from start: String = SiteURL.grantCases.path) async throws -> [String] {
                    var path: String? = start
                    var ids: [String] = []
                    var pages = 0
                    while let next = path, pages < 20 {
                        let html = try await browser.get(next).body.string
                        ids += html.matches(of: /href="\/tilskudssager\/([0-9a-f-]{36})"/).map { String($0.output.1) }
                        path = html.firstMatch(of: /href="(\/tilskudssager\?[^"]*efter=[^"]*)" rel="next"/).map {
                            String($0.output.1).replacingOccurrences(of: "&amp;", with: "&")
                        }
                        pages += 1
                    }
                    return ids
                }
                let staff = try await Assess.signedIn(app, Demo.grantAdministrator)
                let seen = try await walk(staff)
                let all = try await GrantCaseRecord.query(on: app.db).with(\.$call).with(\.$organisation).all()
                #expect(all.count > GrantCaseListQuery.pageSize)
                #expect(seen.count == all.count && Set(seen).count == seen.count)
                let ordered = all.sorted {
                    ($0.call.title, $0.organisation.name, $0.id!.uuidString)
                        < ($1.call.title, $1.organisation.name, $1.id!.uuidString)
                }
                #expect(Set(seen) == Set(ordered.map { $0.id!.pathValue }))
                #expect(
                    seen.map { id in all.first { $0.id!.pathValue == id }!.call.title } == ordered.map(\.call.title))
                let applicant = try await Assess.signedIn(app, Demo.applicant)
                let own = try await walk(applicant)
                let aarhus = try #require(
                    try await UserRecord.query(on: app.db).filter(\.$email == Demo.applicant).first())
                #expect(
                    Set(own)
                        == Set(all.filter { $0.$organisation.id == aarhus.$organisation.id }.map { $0.id!.pathValue }))
                #expect(try await staff.get(SiteURL.grantCases.path + "?efter=%00garbage").status == .ok)
                // Search and status narrow it; the search's pages keep the search.
                let odense = try await walk(staff, from: SiteURL.grantCases.path + "?q=odense")
                #expect(
                    Set(odense) == Set(all.filter { $0.organisation.name == "Odense Kommune" }.map { $0.id!.pathValue })
                )
                #expect(try await walk(staff, from: SiteURL.grantCases.path + "?status=closed").isEmpty)
                let none = try await staff.get(SiteURL.grantCases.path + "?q=findes%20ikke").body.string
                #expect(none.contains("Ingen tilskudssager passer til filtrene."))
                #expect(try await staff.get(SiteURL.grantCases.path + "?status=%27&q=%25").status == .ok)

                // By recipient: every case once, each recipient's cases together, within it each call's.
                let byRecipient = try await walk(staff, from: SiteURL.grantCases.path + "?sortering=modtager")
                #expect(byRecipient.count == all.count && Set(byRecipient) == Set(seen))
                let recipients = byRecipient.map { id in all.first { $0.id!.pathValue == id }! }
                #expect(Self.runs(recipients.map(\.organisation.name)) == Set(all.map(\.organisation.name)).count)
                #expect(
                    Self.runs(recipients.map { $0.organisation.name + "/" + $0.call.title })
                        == Set(all.map { $0.organisation.name + "/" + $0.call.title }).count)
                // Newest first: every case once, the opening times never rising, ties by id.
                let byOpened = try await walk(staff, from: SiteURL.grantCases.path + "?sortering=aabnet")
                #expect(byOpened.count == all.count && Set(byOpened) == Set(seen))
                let opened = byOpened.map { id in all.first { $0.id!.pathValue == id }!.openedAt }
                #expect(zip(opened, opened.dropFirst()).allSatisfy { $0 >= $1 })
                // The order is kept by the pages' links and the form; a cursor of another order is ignored.
                let sorted = try await staff.get(SiteURL.grantCases.path + "?sortering=aabnet").body.string
                #expect(sorted.contains("sortering=aabnet&amp;efter="))
                #expect(sorted.contains(#"<option value="aabnet" selected>"#))
                let titlesCursor = try #require(
                    try await staff.get(SiteURL.grantCases.path).body.string.firstMatch(of: /efter=([^"&]+)/)?.output.1)
                let mixed = try await staff.get(SiteURL.grantCases.path + "?sortering=aabnet&efter=" + titlesCursor)
                #expect(mixed.status == .ok && !mixed.body.string.contains("Til første side"))
                #expect(try await staff.get(SiteURL.grantCases.path + "?sortering=%27%3B--").status == .ok)
                // The calls' panels are shown in the order by call, each with ids of its own; by recipient a page
                // spans many calls, and it says where to plan instead.
                var panels = try await staff.get(SiteURL.grantCases.path).body.string
                while panels.matches(of: /class="call-panel"/).count < 2,
                    let next = panels.firstMatch(of: /href="(\/tilskudssager\?[^"]*efter=[^"]*)" rel="next"/)
                {
                    panels = try await staff.get(String(next.output.1).replacingOccurrences(of: "&amp;", with: "&"))
                        .body.string
                }
                let ids = panels.matches(of: /\sid="([^"]+)"/).map { String($0.output.1) }
                #expect(panels.matches(of: /class="call-panel"/).count > 1)
                #expect(ids.count == Set(ids).count, "an id twice on the page")
                let byName = try await staff.get(SiteURL.grantCases.path + "?sortering=modtager&q=kommune").body.string
                #expect(!byName.contains("class=\"call-panel\""))
                #expect(byName.contains("planlægges for en pulje ad gangen"))
                #expect(byName.contains(#"href="/tilskudssager?q=kommune">i rækkefølgen Pulje (A–Å)"#))
                // A refused activity of a call far down the list comes back with its errors and what was typed,
                // in that call's panel; nothing is planned.
                let last = try #require(all.map(\.call).max { $0.title < $1.title })
                let firstPage = try await staff.get(SiteURL.grantCases.path).body.string
                #expect(!firstPage.contains(try last.requireID().pathValue))
                let activities = try await GrantActivityRecord.query(on: app.db).count()
                let refused = try await staff.post(
                    SiteURL.callActivities(try last.requireID()).path,
                    [("activity.kind", ""), ("activity.title", "Netværksmøde i <nord>"), ("activity.date", "")])
                #expect(refused.status == .unprocessableEntity)
                let refusedPage = refused.body.string
                #expect(refusedPage.contains("<h3>" + last.title + "</h3>"))
                #expect(refusedPage.contains("Netværksmøde i &lt;nord&gt;"))
                #expect(refusedPage.contains("Formularen kunne ikke gemmes"))
                #expect(try await GrantActivityRecord.query(on: app.db).count() == activities)
                // The API gives the same cases 50 at a time through `next`; a municipality only its own; a cursor
                // that is not a `next` is refused with a message.
                func apiWalk(_ browser: Browser) async throws -> [String] {
                    var ids: [String] = []
                    var after: String? = nil
                    var pages = 0
                    repeat {
                        let path =
                            SiteURL.api(.grantCases).path
                            + (after.map {
                                "?efter=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                            } ?? "")
                        let response = try await browser.json(.GET, path)
                        #expect(response.status == .ok, "\(path)")
                        let list = try JSONDecoder().decode(GrantCasesAPI.GrantCaseList.self, from: response.body)
                        #expect(list.count == list.items.count && list.count <= GrantCaseListQuery.pageSize)
                        ids += list.items.map(\.id.pathValue)
                        after = list.next
                        pages += 1
                    } while after != nil && pages < 20
                    return ids
                }
                let api = try await apiWalk(staff)
                #expect(api == seen, "the API's pages follow the list's")
                #expect(Set(try await apiWalk(applicant)) == Set(own))
                let bad = try await staff.json(.GET, SiteURL.api(.grantCases).path + "?efter=%00garbage")
                #expect(bad.status == .badRequest && bad.body.string.contains("efter skal være"))
                let ownByOpened = try await walk(applicant, from: SiteURL.grantCases.path + "?sortering=aabnet")
                #expect(Set(ownByOpened) == Set(own) && ownByOpened.count == own.count)
            }
        }

        /// How many runs of equal neighbours a sequence has (a list ordered by a key has one run per value).
        static func runs(_ values: [String]) -> Int {
            zip(values, values.dropFirst()).filter { $0 != $1 }.count + (values.isEmpty ? 0 : 1)
        }

        @Test func aCursorRoundTripsAndRefusesWhatIsNotOne() {
            let id = UUID()
            let cursor = ListCursor(value: "Ærø Kommune / ÅÆØ", id: id)
            #expect(ListCursor(token: cursor.token) == cursor)
            let time = ListCursor(submittedAt: Date(timeIntervalSince1970: 1_795_315_704.123456), id: id)
            #expect(ListCursor(token: time.token)?.submittedAt == Date(timeIntervalSince1970: 1_795_315_704.123456))
            let organisation = UUID()
            let applicant = ListCursor(organisation: "Ærø Kommune", organisationID: organisation, id: id)
            #expect(ListCursor(token: applicant.token)?.organisation?.name == "Ærø Kommune")
            #expect(ListCursor(token: applicant.token)?.organisation?.id == organisation)
            #expect(
                ApplicationListQuery(parameters: ["sortering": "kommune", "efter": cursor.token]).after == nil)
            #expect(ListCursor(token: "abc") == nil)
            #expect(ListCursor(token: "a.b.c") == nil)
            #expect(ListCursor(token: "!!!." + id.uuidString) == nil)
            #expect(
                ApplicationListQuery(parameters: ["sortering": "indsendt", "efter": "YWJj." + id.uuidString]).after
                    == nil)
        }
    }
}
