import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

/// The access matrix, generated from the route table: every route with a parameter is called
/// with the ids of Aarhus Kommune's objects (its application, grant case, citizens, team, payments …) by
/// everyone who has no business with them. A new route is in the matrix the moment it is registered; its
/// parameters must have an id below, or the test says which is missing.
extension AppTests {
    @Suite struct AccessMatrixTests {
        /// Who calls: each has a right to see something in Pulje, but not Aarhus's objects.
        enum Outsider: String, CaseIterable, Sendable {
            case anonymous
            /// Odense: a municipality with no application in the calls below.
            case otherMunicipality
            /// Vejle: a municipality with a grant case in the same call as Aarhus (a partner, not an owner).
            case partnerMunicipality
            /// An assessor who is not assigned to Aarhus's application.
            case unassignedAssessor
            /// The assessor assigned to Aarhus's application, before declaring their impartiality.
            case undeclaredAssessor
            case evaluator
        }

        /// (route, outsider) pairs that are answered on purpose, each with why. A GET here must be answered
        /// (so the list cannot rot); a POST here is not sent (it would change something, rightly).
        static let allowed: [String: (who: Set<Outsider>, why: String)] = [
            "GET /puljer/:callID": (Set(Outsider.allCases), "a published call is public"),
            "GET /puljer/:callID/frist.ics": (Set(Outsider.allCases), "the deadline of a published call is public"),
            "GET /api/v1/calls/:callID": (Set(Outsider.allCases), "a published call is public"),
            "GET /initiativer/:year/:number": (Set(Outsider.allCases), "the catalogue is public"),
            "GET /initiativer/:year/:number/fasevurderinger": (
                Set(Outsider.allCases), "decided phase verdicts are published"
            ),
            "GET /api/v1/initiatives/:number": (Set(Outsider.allCases), "the catalogue is public"),
            "POST /puljer/:callID/ansoeg": (
                [.otherMunicipality, .partnerMunicipality], "any municipality may apply to a published call"
            ),
            "GET /ansoegninger/:applicationID/vurdering": (
                [.undeclaredAssessor], "the assigned assessor declares impartiality on this page (it shows no content)"
            ),
            "POST /ansoegninger/:applicationID/habilitet": (
                [.undeclaredAssessor], "the assigned assessor's own declaration"
            ),
            "GET /aktiviteter/:activityID/kalender.ics": (
                [.partnerMunicipality], "the call's activities are shared by its grant cases"
            ),
            "GET /evalueringer/:evaluationID": (
                [.evaluator, .partnerMunicipality], "evaluator: all pseudonymised; partner: its own citizens"
            ),
            "GET /evalueringer/:evaluationID/borgere": (
                [.evaluator, .partnerMunicipality], "evaluator: all pseudonymised; partner: its own citizens"
            ),
            "GET /evalueringer/:evaluationID/borgere/:citizenID": (
                [.evaluator], "the evaluator reads every pseudonymised record"
            ),
            "GET /evalueringer/:evaluationID/borgere/:citizenID/:point": (
                [.evaluator], "the evaluator reads every pseudonymised record"
            ),
            "GET /evalueringer/:evaluationID/design": ([.evaluator], "the evaluator defines the design"),
            "POST /evalueringer/:evaluationID/design": ([.evaluator], "the evaluator defines the design"),
            "GET /evalueringer/:evaluationID/eksport/:file": ([.evaluator], "the evaluator's export"),
            "POST /evalueringer/:evaluationID/eksporter": ([.evaluator], "the evaluator asks for an export"),
            "GET /evalueringer/:evaluationID/skabelon/:file": (
                [.evaluator, .partnerMunicipality], "the import template names no one"
            ),
            "GET /instrumenter/:instrumentKey": (
                [.evaluator, .otherMunicipality, .partnerMunicipality],
                "an instrument's items are no one's data; municipalities enter answers with them"
            ),
            "POST /evalueringer/:evaluationID/borgere": (
                [.partnerMunicipality], "a municipality with a grant case in the call enrols its own citizens"
            ),
            "POST /evalueringer/:evaluationID/indlaes": (
                [.partnerMunicipality], "a municipality with a grant case in the call imports its own citizens"
            ),
            "GET /puljer/:callID/vurdering": (
                [.unassignedAssessor, .undeclaredAssessor], "an assessor's overview lists only what is assigned to them"
            ),
            "GET /api/v1/calls/:callID/assessment": (
                [.unassignedAssessor, .undeclaredAssessor], "an assessor's overview lists only what is assigned to them"
            ),
            "GET /api/v1/applications/:applicationID/assessment": (
                [.undeclaredAssessor], "the assigned assessor sees the facts to declare impartiality on, nothing more"
            ),
            "POST /api/v1/applications/:applicationID/assessment/declaration": (
                [.undeclaredAssessor], "the assigned assessor's own declaration"
            ),
            "GET /business-cases/:businessCaseID": (
                signedIn, "business cases are read by everyone signed in (AccessPolicy)"
            ),
            "GET /business-cases/:businessCaseID/business-case.xlsx": (
                signedIn, "business cases are read by everyone signed in (AccessPolicy)"
            ),
            "GET /business-cases/:businessCaseID/beregning.json": (
                signedIn, "business cases are read by everyone signed in (AccessPolicy)"
            ),
            "POST /instrumenter/:instrumentKey": ([.evaluator], "the evaluator defines instruments"),
        ]

        static let signedIn = Set(Outsider.allCases).subtracting([.anonymous])

        /// The evaluator's colleague, who asked for the world's export.
        static let colleague = "kollega@vive.demo"

        /// What an outsider who is answered may still not see: Aarhus's application title, its citizen's
        /// pseudonym, its team member's e-mail. Only these (route, outsider) pairs show one, and why.
        static let shows: [String: [Outsider: (Set<Secret>, String)]] = [
            "GET /ansoegninger/:applicationID/vurdering": [
                .undeclaredAssessor: ([.applicationTitle], "an assessor must know what they declare impartiality on")
            ],
            "GET /puljer/:callID/vurdering": [
                .undeclaredAssessor: ([.applicationTitle], "the application is assigned to them")
            ],
            "GET /api/v1/applications/:applicationID/assessment": [
                .undeclaredAssessor: ([.applicationTitle], "an assessor must know what they declare impartiality on")
            ],
            "GET /evalueringer/:evaluationID/borgere": [.evaluator: ([.citizenPseudonym], "the evaluator reads all")],
            "GET /evalueringer/:evaluationID/borgere/:citizenID": [
                .evaluator: ([.citizenPseudonym], "the evaluator reads all")
            ],
            "GET /evalueringer/:evaluationID/borgere/:citizenID/:point": [
                .evaluator: ([.citizenPseudonym], "the evaluator reads all")
            ],
            "GET /evalueringer/:evaluationID/eksport/:file": [
                .evaluator: ([.citizenPseudonym], "the evaluator's export")
            ],
        ]

        enum Secret: String, CaseIterable, Sendable {
            case applicationTitle, citizenPseudonym, teamMemberEmail
        }

        /// Routes left out of the matrix, each with why and where it is tested instead.
        static let excluded: [String: String] = [
            "GET /invitation/:token": "the token is the capability; InvitationTests try unknown, used and expired ones",
            "POST /invitation/:token":
                "the token is the capability; InvitationTests try unknown, used and expired ones",
        ]

        /// Aarhus's objects, by parameter name, and the accounts of the matrix.
        struct World {
            var ids: [String: String]
            /// Routes whose parameters belong together differently from the defaults.
            var overrides: [String: [String: String]]
            var accounts: [Outsider: String]
            var assignedAssessor: String
            var secrets: [Secret: String]

            func path(_ route: Route) throws -> String {
                let key = AccessMatrixTests.key(route)
                let values = ids.merging(overrides[key] ?? [:]) { _, new in new }
                return try "/"
                    + route.path.map { component -> String in
                        guard case .parameter(let name) = component else { return component.description }
                        return try #require(values[name], "no id for :\(name) (\(key)): add one to the world")
                    }.joined(separator: "/")
            }
        }

        static func key(_ route: Route) -> String {
            "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
        }

        /// The routes with a parameter (every method), in the order they were registered.
        static func routes(_ app: Application) -> [Route] {
            app.routes.all.filter { route in
                ![.HEAD, .OPTIONS].contains(route.method)
                    && route.path.contains { if case .parameter = $0 { true } else { false } }
                    && excluded[key(route)] == nil
            }
        }

        /// The demo's decided call in its first year (grant cases for Aarhus, Vejle and Aalborg, evaluation
        /// data), the assessment demo's call screened with one assessor on each application, and Aarhus's
        /// application with a message file, an attachment, an information request and a letter.
        static func world(_ app: Application) async throws -> World {
            try await GrantDemo.load(on: app.db, now: app.now())
            try await EvaluationDemo.load(on: app.db, now: app.now(), key: app.pseudonymKey)
            try await Assess.screen(app)
            try await Assess.spread(app, per: 1)

            let aarhus = try #require(
                try await OrganisationRecord.query(on: app.db).filter(\.$name == "Aarhus Kommune").first())
            let aarhusID = try aarhus.requireID()
            let application = try await Assess.application(app, "Aarhus Kommune")
            let assigned = try #require(try await Assess.assignments(app, application).first?.assessor.email)
            let unassigned = try #require(Assess.assessors.first { $0 != assigned })

            let grantCall = try #require(
                try await CallRecord.query(on: app.db).filter(\.$title == GrantDemo.title).first()?.requireID())
            let grantApplication = try #require(
                try await ApplicationRecord.query(on: app.db).filter(\.$call.$id == grantCall)
                    .filter(\.$organisation.$id == aarhusID).first()?.requireID())
            let grantCase = try #require(
                try await GrantCaseRecord.query(on: app.db).filter(\.$application.$id == grantApplication).first())
            let caseID = try grantCase.requireID()
            let member = try #require(
                try await GrantTeamMemberRecord.query(on: app.db).filter(\.$grantCase.$id == caseID).first())
            let participant = try #require(
                try await ActivityParticipantRecord.query(on: app.db).filter(\.$grantCase.$id == caseID).first())
            let payment = try #require(
                try await GrantPaymentRecord.query(on: app.db).filter(\.$grantCase.$id == caseID).first())
            let report = try #require(
                try await StatusReportRecord.query(on: app.db).filter(\.$grantCase.$id == caseID).first())
            try await GrantDemo.askForReallocation(
                caseID, budget: try grantCase.budget(),
                terms: try #require(try await CallRecord.find(grantCall, on: app.db)).rules().terms,
                by: try #require(try await UserRecord.query(on: app.db).filter(\.$email == Demo.applicant).first()),
                at: app.now(), on: app.db)
            let change = try #require(
                try await ChangeRequestRecord.query(on: app.db).filter(\.$grantCase.$id == caseID).first())
            let accounts = GrantAccountsRecord()
            accounts.$grantCase.id = caseID
            accounts.year = 2026
            accounts.actualJSON = "{}"
            accounts.status = AccountsStatus.submitted.rawValue
            accounts.auditorStatement = ""
            accounts.submittedBy = "Amalie Ansøger"
            accounts.submittedAt = app.now()
            try await accounts.create(on: app.db)

            let evaluation = try #require(
                try await EvaluationRecord.query(on: app.db).filter(\.$title == EvaluationDemo.title).first()?
                    .requireID())
            let citizenRecord = try #require(
                try await EvaluationCitizenRecord.query(on: app.db).filter(\.$evaluation.$id == evaluation)
                    .filter(\.$organisation.$id == aarhusID).first())
            let citizen = try citizenRecord.requireID()
            // An export of the evaluation, made and ready, asked for by an evaluator who is none of the
            // outsiders (a colleague of theirs): only the one who asked may see or download it.
            let vera = try #require(try await UserRecord.query(on: app.db).filter(\.$email == Demo.evaluator).first())
            let colleague = UserRecord(
                email: Self.colleague, name: "Karl Kollega", passwordHash: vera.passwordHash,
                organisationID: vera.$organisation.id, roles: vera.roleSet)
            try await colleague.create(on: app.db)
            let export = EvaluationExportRecord()
            export.$evaluation.id = evaluation
            export.fileName = "lang.csv"
            export.statusValue = ExportJobStatus.ready.rawValue
            export.requestedByID = try colleague.requireID()
            export.requestedBy = colleague.name
            export.requestedAt = app.now()
            export.citizensTotal = 1
            export.citizensDone = 1
            export.rowsWritten = 1
            export.sizeBytes = 1
            try await export.create(on: app.db)
            let exportID = try export.requireID()
            try FileManager.default.createDirectory(atPath: ExportJobs.folder(app), withIntermediateDirectories: true)
            #expect(
                DataDirectory.write(
                    Data("pseudonym\r\n\(citizenRecord.pseudonymValue)\r\n".utf8),
                    to: ExportJobs.path(of: exportID, .init(form: .long, format: .csv), in: app)))
            let activity = try #require(
                try await GrantActivityRecord.query(on: app.db).filter(\.$call.$id == grantCall).first()?.requireID())

            // Aarhus's application: a message with a file, an attachment, a question from the agency, a letter.
            let amalie = try await Assess.signedIn(app, Demo.applicant)
            try await amalie.get(Assess.path(application))
            let sent = try await amalie.upload(
                Assess.path(application) + "/beskeder", fields: [("body", "Se notatet.")],
                file: ("Notat.pdf", "application/pdf", AttachmentTests.pdf))
            #expect(sent.status == .seeOther, "\(sent.body.string.prefix(300))")
            let file = try #require(try await MessageAttachmentRecord.query(on: app.db).first()?.requireID())
            let attachment = ApplicationAttachmentRecord()
            attachment.$application.id = application
            attachment.kind = "bilag"
            attachment.fileName = "Bilag.pdf"
            attachment.contentType = "application/pdf"
            attachment.bytes = AttachmentTests.pdf.count
            attachment.sha256 = SHA256Hex.of(AttachmentTests.pdf)
            attachment.uploadedBy = "Amalie Ansøger"
            attachment.uploadedAt = app.now()
            try await attachment.create(on: app.db)
            try AttachmentFiles.store(AttachmentTests.pdf, id: try attachment.requireID(), in: app)
            let staff = try await Assess.signedIn(app, Assess.grantAdministrator)
            try await staff.get(Assess.path(application) + "/vurdering")
            let asked = try await staff.post(
                Assess.path(application) + "/oplysninger",
                [("question", "Hvor mange borgere?"), ("replyBy", "2099-12-31")])
            #expect(asked.status == .seeOther, "\(asked.body.string.prefix(300))")
            let request = try #require(
                try await InformationRequestRecord.query(on: app.db).filter(\.$application.$id == application).first())
            let letter = LetterRecord()
            letter.$application.id = grantApplication
            letter.kind = LetterKind.award.rawValue
            letter.body = "Kære Aarhus Kommune."
            letter.createdAt = app.now()
            try await letter.create(on: app.db)

            let openCall = try #require(
                try await CallRecord.query(on: app.db).filter(\.$title == CallSeeds.demoCalls(now: app.now())[0].title)
                    .first()?.requireID())
            let started = try await amalie.post(SiteURL.startApplication(openCall).path)
            let draft = try applicationPath(startedAt: started.location)

            let manager = try await Assess.signedIn(app, Demo.programmeManager)
            let businessCase = try await AppTests.BusinessCaseAppTests.created(app, manager)
            let applicant = try #require(
                try await UserRecord.query(on: app.db).filter(\.$email == Demo.applicant).first()?.requireID())

            let grantCallPath = grantCall.pathValue
            return World(
                ids: [
                    "applicationID": application.pathValue,
                    "section": ApplicationSection.project.rawValue,
                    "attachmentID": try attachment.requireID().pathValue,
                    "fileID": file.pathValue,
                    "requestID": try request.requireID().pathValue,
                    "letterID": try letter.requireID().pathValue,
                    "callID": grantCallPath,
                    "caseID": caseID.pathValue,
                    "memberID": try member.requireID().pathValue,
                    "roundID": report.$round.id.pathValue,
                    "changeID": try change.requireID().pathValue,
                    "accountsID": try accounts.requireID().pathValue,
                    "paymentID": try payment.requireID().pathValue,
                    "participantID": try participant.requireID().pathValue,
                    "activityID": activity.pathValue,
                    "evaluationID": evaluation.pathValue,
                    "citizenID": citizen.pathValue,
                    "exportID": exportID.pathValue,
                    "point": "baseline",
                    "file": "lang.csv",
                    "instrumentKey": "who5",
                    "businessCaseID": businessCase.pathValue,
                    "userID": applicant.pathValue,
                    "organisationID": aarhusID.pathValue,
                    "year": "2022",
                    "number": "1.1",
                    "phase": SUSIPhase.maturation.rawValue,
                ],
                overrides: [
                    "GET /ansoegninger/:applicationID/breve/:letterID": ["applicationID": grantApplication.pathValue],
                    "GET /evalueringer/:evaluationID/skabelon/:file": ["file": "skabelon.csv"],
                    "GET /puljer/:callID/vurdering": ["callID": try await Assess.call(app).pathValue],
                    "GET /api/v1/calls/:callID/assessment": ["callID": try await Assess.call(app).pathValue],
                    "GET /ansoegninger/:applicationID/afsnit/:section": [
                        "applicationID": String(draft.split(separator: "/").last!)
                    ],
                    "GET /ansoegninger/:applicationID/tjek": [
                        "applicationID": String(draft.split(separator: "/").last!)
                    ],
                ],
                accounts: [
                    .otherMunicipality: "ansoger@odense.demo", .partnerMunicipality: "ansoger@vejle.demo",
                    .unassignedAssessor: unassigned, .undeclaredAssessor: assigned, .evaluator: Demo.evaluator,
                ],
                assignedAssessor: assigned,
                secrets: [
                    .applicationTitle: AssessmentDemo.applicants[0].title,
                    .citizenPseudonym: citizenRecord.shownPseudonym,
                    .teamMemberEmail: member.email,
                ])
        }

        /// A browser for the outsider: signed in, or (anonymous) with a session and its CSRF token.
        static func browser(_ app: Application, _ world: World, _ who: Outsider) async throws -> Browser {
            let browser = Browser(app)
            if let email = world.accounts[who] {
                try await browser.signIn(email)
            } else {
                try await browser.get("/log-ind")
            }
            return browser
        }

        /// A refusal: not found or forbidden, or (anonymous) sent to sign in or told 401.
        static func refused(_ response: TestingHTTPResponse, _ who: Outsider) -> Bool {
            switch response.status {
            case .notFound, .forbidden: true
            case .unauthorized: who == .anonymous
            case .seeOther: who == .anonymous && (response.location ?? "").hasPrefix(SiteURL.signIn.path)
            default: false
            }
        }

        static func call(_ browser: Browser, _ route: Route, _ path: String) async throws -> TestingHTTPResponse {
            if path.hasPrefix("/api/") {
                return try await browser.json(route.method, path, route.method == .POST ? "{}" : nil)
            }
            switch route.method {
            case .GET: return try await browser.get(path)
            case .POST: return try await browser.post(path, [("name", "x")])
            default: return try await browser.send(route.method, path, headers: [:], body: ByteBuffer(string: "name=x"))
            }
        }

        @Test func noOutsiderGetsAnythingOfAnotherOrganisation() async throws {
            try await withTestApp { app in
                let world = try await Self.world(app)
                let routes = Self.routes(app)
                #expect(routes.count > 100, "the matrix found \(routes.count) routes")
                var leaks: [String] = []
                var unusedAllowances: [String] = []
                for who in Outsider.allCases {
                    let browser = try await Self.browser(app, world, who)
                    for route in routes where route.method == .GET {
                        let key = Self.key(route)
                        let audits = try await auditCount(app)
                        let response = try await Self.call(browser, route, try world.path(route))
                        if try await auditCount(app) != audits { leaks.append("\(who) \(key): audited a read") }
                        guard Self.allowed[key]?.who.contains(who) == true else {
                            if !Self.refused(response, who) {
                                leaks.append("\(who) \(key): \(response.status.code) \(response.location ?? "")")
                            }
                            continue
                        }
                        if response.status != .ok { unusedAllowances.append("\(who) \(key): \(response.status.code)") }
                        let shown = Self.shows[key]?[who]?.0 ?? []
                        let body = response.body.string
                        for (secret, text) in world.secrets where !shown.contains(secret) && body.contains(text) {
                            leaks.append("\(who) \(key): shows \(secret) (\(text))")
                        }
                    }
                }
                // Refused changes change nothing: no audit entry, and every table as it was (sessions aside).
                for who in Outsider.allCases {
                    let browser = try await Self.browser(app, world, who)
                    for route in routes where route.method != .GET {
                        let key = Self.key(route)
                        if Self.allowed[key]?.who.contains(who) == true { continue }
                        let audits = try await auditCount(app)
                        let tables = try await tableFingerprint(app)
                        let response = try await Self.call(browser, route, try world.path(route))
                        if !Self.refused(response, who) {
                            leaks.append("\(who) \(key): \(response.status.code) \(response.location ?? "")")
                        }
                        if try await auditCount(app) != audits { leaks.append("\(who) \(key): refused, but audited") }
                        let after = try await tableFingerprint(app)
                        for table in after.keys.sorted() where after[table] != tables[table] {
                            leaks.append("\(who) \(key): refused, but the table \(table) changed")
                        }
                    }
                }
                #expect(leaks.isEmpty, "\(leaks.count) answered:\n\(leaks.joined(separator: "\n"))")
                #expect(unusedAllowances.isEmpty, "allowed but refused:\n\(unusedAllowances.joined(separator: "\n"))")
            }
        }

        /// The ids above reach something: each GET route answers Aarhus's own people or the agency's with
        /// them. Without this the refusals could be 404s for ids that point nowhere.
        @Test func theMatrixIdsAreLive() async throws {
            try await withTestApp { app in
                let world = try await Self.world(app)
                let insiders = [
                    Demo.applicant, "chef@aarhus.demo", Demo.grantAdministrator, Demo.programmeManager, Demo.admin,
                    Demo.director, Demo.evaluator, "dpo@styrelsen.demo", world.assignedAssessor, Self.colleague,
                ]
                var browsers: [Browser] = []
                for email in insiders { browsers.append(try await Assess.signedIn(app, email)) }
                var dead: [String] = []
                for route in Self.routes(app) where route.method == .GET {
                    let path = try world.path(route)
                    var answered = false
                    for browser in browsers where !answered {
                        answered = try await Self.call(browser, route, path).status == .ok
                    }
                    if !answered { dead.append("\(Self.key(route)) → \(path)") }
                }
                #expect(dead.isEmpty, "no insider is answered:\n\(dead.joined(separator: "\n"))")
            }
        }
    }
}
