import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

/// Every route that changes something: each must refuse a request without a valid CSRF token,
/// and each must write an audit entry when it succeeds. A new route without a recipe here fails the test.
extension AppTests {
    @Suite struct StateChangingRouteTests {
        typealias Recipe = @Sendable (Application, Browser) async throws -> Void

        /// For each state-changing route: a valid request by a user who may make it.
        static let recipes: [String: Recipe] = baseRecipes.merging(grantRecipes) { first, _ in first }
            .merging(businessCaseRecipes) { first, _ in first }
            .merging(evaluationRecipes) { first, _ in first }

        typealias Evaluations = AppTests.EvaluationAppTests

        static let evaluationRecipes: [String: Recipe] = [
            "POST /evalueringer": { app, browser in
                try await Grants.decided(app)
                let call = try await Assess.call(app)
                try await browser.signIn(Demo.evaluator)
                try await browser.get(SiteURL.evaluations.path)
                try await expectAudited(app) {
                    try await browser.post(
                        SiteURL.evaluations.path,
                        [("title", "Evaluering"), ("call", call.uuidString), ("endDate", "31.12.2099")])
                }
            },
            "POST /evalueringer/:evaluationID/design": { app, browser in
                let id = try await Evaluations.evaluation(app)
                try await browser.signIn(Demo.evaluator)
                try await browser.get(SiteURL.evaluationDesign(id).path)
                try await expectAudited(app) {
                    try await browser.post(
                        SiteURL.evaluationDesign(id).path, Evaluations.design(version: 2, retention: "anonymise"))
                }
            },
            "POST /evalueringer/:evaluationID/borgere": { app, browser in
                let id = try await Evaluations.evaluation(app)
                try await browser.signIn(Demo.applicant)
                try await browser.get(SiteURL.evaluationCitizens(id).path)
                try await expectAudited(app) {
                    try await browser.post(
                        SiteURL.evaluationCitizens(id).path, [("cpr", Evaluations.aarhusCPR), ("consent", "1")])
                }
            },
            "POST /evalueringer/:evaluationID/borgere/:citizenID/:point": { app, browser in
                let id = try await Evaluations.evaluation(app)
                let citizen = try await Evaluations.enrolled(app, id)
                let path = SiteURL.evaluationEntry(id, citizen, point: "baseline").path
                try await browser.signIn(Demo.applicant)
                try await browser.get(path)
                try await expectAudited(app) { try await browser.post(path, Evaluations.who5([3, 3, 3, 3, 3])) }
            },
            "POST /evalueringer/:evaluationID/eksporter": { app, browser in
                let id = try await Evaluations.evaluation(app)
                try await browser.signIn(Demo.evaluator)
                try await browser.get(SiteURL.evaluation(id).path)
                try await expectAudited(app) {
                    try await browser.post(SiteURL.evaluationExports(id).path, [("file", "bred.xlsx")])
                }
            },
            "POST /evalueringer/:evaluationID/eksporter/:exportID/fil": { app, browser in
                let id = try await Evaluations.evaluation(app)
                try await browser.signIn(Demo.evaluator)
                try await browser.get(SiteURL.evaluation(id).path)
                try await browser.post(SiteURL.evaluationExports(id).path, [("file", "lang.csv")])
                let job = try #require(try await EvaluationExportRecord.query(on: app.db).first()?.requireID())
                try await ExportJobs.runNext(app)
                try await browser.get(SiteURL.evaluationExportJob(id, job).path)
                try await expectAudited(app) {
                    try await browser.post(SiteURL.evaluationExportJobFile(id, job).path)
                }
            },
            "POST /evalueringer/:evaluationID/indlaes": { app, browser in
                let id = try await Evaluations.evaluation(app)
                try await browser.signIn(Demo.applicant)
                try await browser.get(SiteURL.evaluationCitizens(id).path)
                try await expectAudited(app) {
                    try await browser.upload(
                        SiteURL.evaluationImport(id).path, fields: [],
                        file: ("b.csv", "text/csv", Array("cpr;samtykke\r\n0101901234;ja\r\n".utf8)))
                }
            },
            "POST /business-cases/:businessCaseID/succesrate": { app, browser in
                let evaluation = try await Evaluations.measuredFive(app)
                try await browser.signIn(Demo.programmeManager)
                let id = try await AppTests.BusinessCaseAppTests.created(app, browser)
                try await browser.get(SiteURL.businessCase(id).path)
                try await expectAudited(app) {
                    try await browser.post(
                        SiteURL.businessCaseSuccessRate(id).path, [("evaluation", evaluation.uuidString)])
                }
            },
            "POST /instrumenter": { app, browser in
                try await browser.signIn(Demo.evaluator)
                try await browser.get(SiteURL.instruments.path)
                try await expectAudited(app) {
                    try await browser.post(SiteURL.instruments.path, Evaluations.instrument)
                }
            },
            "POST /instrumenter/:instrumentKey": { app, browser in
                try await browser.signIn(Demo.evaluator)
                try await browser.get(SiteURL.instruments.path)
                try await browser.post(SiteURL.instruments.path, Evaluations.instrument)
                try await browser.get(SiteURL.instrument("mestring").path)
                try await expectAudited(app) {
                    try await browser.post(
                        SiteURL.instrument("mestring").path,
                        Evaluations.instrument.map { $0.0 == "name" ? ("name", "Mestring 2") : $0 } + [("version", "1")]
                    )
                }
            },
        ]

        static let businessCaseRecipes: [String: Recipe] = [
            "POST /business-cases": { app, browser in
                try await browser.signIn(Demo.programmeManager)
                try await browser.get(SiteURL.businessCases.path)
                try await expectAudited(app) {
                    try await browser.post(SiteURL.businessCases.path, [("title", "Job og trivsel")])
                }
            },
            "POST /business-cases/:businessCaseID/rediger": { app, browser in
                try await browser.signIn(Demo.programmeManager)
                let id = try await AppTests.BusinessCaseAppTests.created(app, browser)
                try await browser.get(SiteURL.editBusinessCase(id).path)
                try await expectAudited(app) {
                    try await browser.post(
                        SiteURL.editBusinessCase(id).path,
                        AppTests.BusinessCaseAppTests.form.filter {
                            !$0.0.hasSuffix("priceLevel") || $0.0 == "priceLevel"
                        }
                            + [("version", "1")])
                }
            },
            "POST /initiativer/:year/:number/fasevurdering": { app, browser in
                try await browser.signIn(Demo.programmeManager)
                try await browser.get(AppTests.PhaseGateAppTests.gate)
                try await expectAudited(app) {
                    try await browser.post(AppTests.PhaseGateAppTests.gate, AppTests.PhaseGateAppTests.proposal())
                }
            },
            "POST /admin/organisationer/:organisationID": { app, browser in
                try await browser.signIn(Demo.admin)
                let vejle = try #require(
                    try await OrganisationRecord.query(on: app.db).filter(\.$name == "Vejle Kommune").first())
                let path = SiteURL.organisation(try vejle.requireID()).path
                try await browser.get(path)
                try await expectAudited(app) { try await browser.post(path, [("cvr", "29189838")]) }
            },
            "POST /fasekriterier/:phase": { app, browser in
                try await browser.signIn(Demo.programmeManager)
                let path = SiteURL.editPhaseCriteria(.maturation).path
                try await browser.get(path)
                try await expectAudited(app) {
                    try await browser.post(path, AppTests.PhaseGateAppTests.criteriaChange)
                }
            },
            "POST /initiativer/:year/:number/fasevurdering/afgoer": { app, browser in
                let manager = Browser(app)
                try await manager.signIn(Demo.programmeManager)
                try await manager.get(AppTests.PhaseGateAppTests.gate)
                try await manager.post(
                    AppTests.PhaseGateAppTests.gate, AppTests.PhaseGateAppTests.proposal("met", outcome: "stop"))
                try await browser.signIn(Demo.director)
                try await browser.get(AppTests.PhaseGateAppTests.gate)
                try await expectAudited(app) {
                    try await browser.post(
                        SiteURL.decidePhaseGate(year: 2022, number: "1.6").path,
                        [("decision", "stop"), ("decisionNote", "Styregruppen.")])
                }
            },
            "POST /initiativer/:year/:number/fasevurdering/send-tilbage": { app, browser in
                let manager = Browser(app)
                try await manager.signIn(Demo.programmeManager)
                try await manager.get(AppTests.PhaseGateAppTests.gate)
                try await manager.post(AppTests.PhaseGateAppTests.gate, AppTests.PhaseGateAppTests.proposal())
                try await browser.signIn(Demo.director)
                try await browser.get(AppTests.PhaseGateAppTests.gate)
                try await expectAudited(app) {
                    try await browser.post(SiteURL.returnPhaseGate(year: 2022, number: "1.6").path)
                }
            },
            "POST /business-cases/:businessCaseID/regnskaber": { app, browser in
                try await browser.signIn(Demo.programmeManager)
                let id = try await AppTests.BusinessCaseAppTests.created(app, browser)
                try await browser.get(SiteURL.businessCase(id).path)
                try await expectAudited(app) { try await browser.post(SiteURL.businessCaseAccounts(id).path) }
            },
            "POST /nettoprisindeks": { app, browser in
                try await browser.signIn(Demo.programmeManager)
                try await browser.get(SiteURL.priceIndex.path)
                try await expectAudited(app) {
                    try await browser.post(SiteURL.priceIndex.path, [("year", "2024"), ("value", "104,3")])
                }
            },
        ]

        static let baseRecipes: [String: Recipe] = [
            "POST /log-ind": { app, browser in
                try await browser.signIn(Demo.director)
            },
            "POST /profil/totrin": { app, browser in
                try await browser.signIn(Demo.applicant)
                let page = try await browser.get(SiteURL.profileTwoFactor.path).body.string
                let secret = try AppTests.TwoFactorTests.shownKey(page)
                try await expectAudited(app) {
                    try await browser.post(
                        SiteURL.profileTwoFactor.path, [("code", AppTests.TwoFactorTests.code(secret, Date()))])
                }
            },
            "POST /log-ind/kode": { app, browser in
                let secret = TOTP.newSecret()
                let user = try #require(try await UserStore.user(email: Demo.applicant, on: app.db))
                try await UserStore.setTwoFactor(
                    try user.requireID(), secret: Base32.encode(secret), step: nil, on: app.db)
                try await AppTests.TwoFactorTests.password(browser, Demo.applicant)
                try await browser.get(SiteURL.signInCode.path)
                try await expectAudited(app) {
                    try await browser.post(
                        SiteURL.signInCode.path, [("code", AppTests.TwoFactorTests.code(secret, Date()))])
                }
            },
            "POST /log-ud": { app, browser in
                try await browser.signIn(Demo.director)
                try await browser.get("/")
                try await expectAudited(app) { try await browser.post("/log-ud") }
            },
            "POST /log-ud-overalt": { app, browser in
                try await browser.signIn(Demo.director)
                try await browser.get("/profil")
                try await expectAudited(app) { try await browser.post("/log-ud-overalt") }
            },
            "POST /profil": { app, browser in
                try await browser.signIn(Demo.director)
                try await browser.get("/profil")
                try await expectAudited(app) { try await browser.post("/profil", [("name", "Dorte D. Direktør")]) }
            },
            "POST /profil/adgangskode": { app, browser in
                try await browser.signIn(Demo.director)
                try await browser.get("/profil")
                try await expectAudited(app) {
                    try await browser.post(
                        "/profil/adgangskode",
                        [
                            ("currentPassword", DemoAccounts.password), ("newPassword", "en helt ny adgangskode"),
                            ("repeatPassword", "en helt ny adgangskode"),
                        ])
                }
            },
            "POST /admin/brugere": { app, browser in
                try await browser.signIn(Demo.admin)
                try await browser.get("/admin/brugere/ny")
                let org = try await OrganisationRecord.query(on: app.db).filter(\.$name == "Aalborg Kommune").first()!
                try await expectAudited(app) {
                    try await browser.post(
                        "/admin/brugere",
                        [
                            ("name", "Ny Bruger"), ("email", "ny@aalborg.dk"), ("organisationID", org.id!.uuidString),
                            ("roles[]", "municipalApplicant"), ("password", "lang og god adgangskode"),
                        ])
                }
            },
            "POST /admin/brugere/:userID": { app, browser in
                try await browser.signIn(Demo.admin)
                let user = try await UserRecord.query(on: app.db).filter(\.$email == Demo.applicant).first()!
                try await browser.get("/admin/brugere/\(user.id!)")
                try await expectAudited(app) {
                    try await browser.post(
                        "/admin/brugere/\(user.id!)",
                        [
                            ("name", "Amalie A. Ansøger"), ("organisationID", user.$organisation.id.uuidString),
                            ("roles[]", "municipalApplicant"), ("isActive", "true"),
                        ])
                }
            },
            "POST /initiativer": { app, browser in
                try await browser.signIn(Demo.programmeManager)
                try await browser.get("/initiativer/ny")
                try await expectAudited(app) { try await browser.post("/initiativer", newInitiativeForm) }
            },
            "POST /initiativer/:year/:number": { app, browser in
                try await browser.signIn(Demo.programmeManager)
                try await browser.get("/initiativer/2022/1.2/rediger")
                var form = InitiativeForm(try await CatalogueStore.find(year: 2022, number: "1.2", on: app.db)!)
                form.title = "Modning af model for tidlig opsporing"
                try await expectAudited(app) {
                    try await browser.post("/initiativer/2022/1.2", InitiativeEditingTests.fields(form))
                }
            },
            "POST /puljer": { app, browser in
                try await browser.signIn(Demo.programmeManager)
                try await browser.get("/puljer/ny")
                try await expectAudited(app) {
                    try await browser.post(
                        "/puljer", [("title", "Pulje til revision"), ("applicantKinds[]", "municipality")])
                }
            },
            "POST /puljer/:callID": { app, browser in
                let call = try await openCall(app)
                try await browser.signIn(Demo.programmeManager)
                let record = try await CallRecord.find(UUID(uuidString: call)!, on: app.db)!
                try await browser.get("/puljer/\(call)/rediger")
                var form = CallForm(call: record, rules: try record.rules())
                form.summary = "Ny beskrivelse"
                try await expectAudited(app) { try await browser.post("/puljer/\(call)", CallPageTests.fields(form)) }
            },
            "POST /puljer/:callID/offentliggoer": { app, browser in
                try await browser.signIn(Demo.programmeManager)
                let call = try await openCall(app)
                try await CallRecord.query(on: app.db).filter(\.$id == UUID(uuidString: call)!).set(
                    \.$status, to: "draft"
                ).update()
                try await browser.get("/puljer/\(call)")
                try await expectAudited(app) { try await browser.post("/puljer/\(call)/offentliggoer") }
            },
            "POST /puljer/:callID/ansoeg": { app, browser in
                let call = try await openCall(app)
                try await browser.signIn(Demo.applicant)
                try await browser.get("/puljer/\(call)")
                try await expectAudited(app) { try await browser.post("/puljer/\(call)/ansoeg") }
            },
            "POST /ansoegninger/:applicationID": { app, browser in
                let path = try await startedApplication(app, browser)
                try await expectAudited(app) { try await browser.post(path, completeApplication(version: 1)) }
            },
            "POST /ansoegninger/:applicationID/indsend": { app, browser in
                let path = try await startedApplication(app, browser)
                try await browser.post(path, completeApplication(version: 1))
                try await expectAudited(app) { try await browser.post(path + "/indsend", [("version", "2")]) }
            },
            "POST /ansoegninger/:applicationID/godkend": { app, browser in
                let clock = TestClock(ApplicationFlowTests.winter.instant.addingTimeInterval(-86_400))
                app.now = { clock.now }
                let call = try await makeCall(
                    app, deadline: ApplicationFlowTests.winter, requiredApproval: "ved direktørunderskrift")
                let (_, path) = try await ApplicationFlowTests.start(app, Browser(app), call: call)
                try await browser.signIn("chef@aarhus.demo")
                try await browser.get(path)
                try await expectAudited(app) { try await browser.post(path + "/godkend", [("version", "1")]) }
            },
            "POST /ansoegninger/:applicationID/traek-tilbage": { app, browser in
                let path = try await startedApplication(app, browser)
                try await expectAudited(app) { try await browser.post(path + "/traek-tilbage") }
            },
            "POST /ansoegninger/:applicationID/slet": { app, browser in
                let path = try await startedApplication(app, browser)
                try await expectAudited(app) { try await browser.post(path + "/slet") }
            },
            "POST /ansoegninger/:applicationID/bidragydere": { app, browser in
                let path = try await startedApplication(app, browser)
                try await expectAudited(app) {
                    try await browser.post(path + "/bidragydere", [("email", "kollega@aarhus.demo")])
                }
            },
            "POST /ansoegninger/:applicationID/ansvarlig": { app, browser in
                let path = try await startedApplication(app, browser)
                try await browser.post(path + "/bidragydere", [("email", "kollega@aarhus.demo")])
                let karl = try await UserRecord.query(on: app.db).filter(\.$email == "kollega@aarhus.demo").first()!
                try await expectAudited(app) {
                    try await browser.post(path + "/ansvarlig", [("userID", karl.id!.uuidString)])
                }
            },
            "POST /ansoegninger/:applicationID/beskeder": { app, browser in
                let path = try await startedApplication(app, browser)
                try await browser.post(path, completeApplication(version: 1))
                try await browser.post(path + "/indsend", [("version", "2")])
                try await browser.get(path)
                try await expectAudited(app) { try await browser.post(path + "/beskeder", [("body", "Et spørgsmål.")]) }
            },
            "POST /ansoegninger/:applicationID/bilag": { app, browser in
                let path = try await startedApplication(app, browser, attachments: true)
                try await expectAudited(app) {
                    try await browser.upload(
                        path + "/bilag", fields: [("kind", "bilag")],
                        file: ("a.pdf", "application/pdf", AttachmentTests.pdf))
                }
            },
            "POST /ansoegninger/:applicationID/bilag/:attachmentID/fjern": { app, browser in
                let path = try await startedApplication(app, browser, attachments: true)
                try await browser.upload(
                    path + "/bilag", fields: [("kind", "bilag")],
                    file: ("a.pdf", "application/pdf", AttachmentTests.pdf))
                let attachment = try await ApplicationAttachmentRecord.query(on: app.db).first()!
                try await browser.get(path)
                try await expectAudited(app) {
                    try await browser.post(path + "/bilag/\(attachment.id!.uuidString.lowercased())/fjern")
                }
            },
            "POST /api/v1/applications": { app, browser in
                let call = try await openCall(app)
                try await browser.signIn(Demo.applicant)
                try await expectAudited(app) {
                    try await browser.json(.POST, "/api/v1/applications", "{\"callId\": \"\(call)\"}")
                }
            },
            "PUT /api/v1/applications/:applicationID": { app, browser in
                let path = try await startedApplication(app, browser)
                let id = path.split(separator: "/").last!
                try await expectAudited(app) {
                    try await browser.json(
                        .PUT, "/api/v1/applications/\(id)",
                        "{\"version\": 1, \"content\": {\"projectTitle\": \"T\", \"targetAreas\": [], \"services\": [], \"contacts\": [], \"answers\": {}, \"declarations\": [], \"budget\": []}}"
                    )
                }
            },
            "POST /api/v1/applications/:applicationID/submit": { app, browser in
                let path = try await startedApplication(app, browser)
                try await browser.post(path, completeApplication(version: 1))
                let id = path.split(separator: "/").last!
                try await expectAudited(app) {
                    try await browser.json(.POST, "/api/v1/applications/\(id)/submit", "{\"version\": 2}")
                }
            },
            "POST /api/v1/applications/:applicationID/withdraw": { app, browser in
                let path = try await startedApplication(app, browser)
                let id = path.split(separator: "/").last!
                try await expectAudited(app) { try await browser.json(.POST, "/api/v1/applications/\(id)/withdraw") }
            },
            "POST /api/v1/applications/:applicationID/assessment/screening": { app, browser in
                let aarhus = try await Assess.application(app, "Aarhus Kommune")
                try await browser.signIn(Assess.grantAdministrator)
                try await expectAudited(app) {
                    try await browser.json(.POST, SiteURL.api(.screening(aarhus)).path, #"{"outcome": "passed"}"#)
                }
            },
            "POST /api/v1/applications/:applicationID/assessment/declaration": { app, browser in
                try await Assess.screen(app)
                try await Assess.spread(app, per: 1)
                let aarhus = try await Assess.application(app, "Aarhus Kommune")
                try await browser.signIn(try #require(try await Assess.assignments(app, aarhus).first).assessor.email)
                try await expectAudited(app) {
                    try await browser.json(
                        .POST, SiteURL.api(.declaration(aarhus)).path, #"{"declaration": "noConflict"}"#)
                }
            },
            "POST /api/v1/applications/:applicationID/assessment/scores": { app, browser in
                try await Assess.screen(app)
                try await Assess.spread(app, per: 1)
                let aarhus = try await Assess.application(app, "Aarhus Kommune")
                try await browser.signIn(try #require(try await Assess.assignments(app, aarhus).first).assessor.email)
                try await browser.json(.POST, SiteURL.api(.declaration(aarhus)).path, #"{"declaration": "noConflict"}"#)
                try await expectAudited(app) {
                    try await browser.json(
                        .POST, SiteURL.api(.scores(aarhus)).path, AppTests.OpenAPITests.scores(4, 3.5))
                }
            },
            "POST /api/v1/applications/:applicationID/assessment/consensus": { app, browser in
                try await Assess.screen(app)
                try await Assess.spread(app, per: 1)
                try await Assess.declareAndScore(app, points: Assess.points)
                let aarhus = try await Assess.application(app, "Aarhus Kommune")
                try await browser.signIn(try #require(try await Assess.assignments(app, aarhus).first).assessor.email)
                try await expectAudited(app) {
                    try await browser.json(
                        .POST, SiteURL.api(.consensus(aarhus)).path, AppTests.OpenAPITests.scores(4, 4))
                }
            },
            "POST /api/v1/calls/:callID/decision/propose": { app, browser in
                try await Assess.readyForPortfolio(app)
                try await browser.signIn(Demo.programmeManager)
                try await expectAudited(app) {
                    try await browser.json(
                        .POST, SiteURL.api(.proposeDecision(try await Assess.call(app))).path,
                        #"{"conditions": "Tilskuddet anvendes efter det godkendte budget."}"#)
                }
            },
            "POST /api/v1/calls/:callID/decision/approve": { app, browser in
                try await Assess.readyForPortfolio(app)
                #expect(try await Assess.propose(app).status == .seeOther)
                try await browser.signIn(Demo.director)
                // One entry per letter (four), one per grant case opened (two) and one for the approval.
                let before = try await auditCount(app)
                let approved = try await browser.json(
                    .POST, SiteURL.api(.approveDecision(try await Assess.call(app))).path)
                #expect(approved.status == .ok)
                #expect(try await auditCount(app) == before + 7)
            },
            "POST /puljer/:callID/vurdering/fordel": { app, browser in
                try await Assess.screen(app)
                let browser = try await Assess.signedIn(app, Assess.grantAdministrator)
                let call = Assess.callPath(try await Assess.call(app))
                try await browser.get(call + "/vurdering")
                // One entry per assignment and one for the spread.
                let before = try await auditCount(app)
                let response = try await browser.post(call + "/vurdering/fordel", [("perApplication", "1")])
                #expect(response.status == .seeOther)
                #expect(try await auditCount(app) == before + 4)
            },
            "POST /puljer/:callID/udvaelgelse/justering": { app, browser in
                try await Assess.readyForPortfolio(app)
                let browser = try await Assess.signedIn(app, Demo.programmeManager)
                let call = Assess.callPath(try await Assess.call(app))
                let aarhus = try await Assess.application(app, "Aarhus Kommune")
                try await browser.get(call + "/udvaelgelse")
                try await expectAudited(app) {
                    try await browser.post(
                        call + "/udvaelgelse/justering",
                        [("applicationID", aarhus.uuidString), ("choice", "include"), ("reason", "Dækker området.")])
                }
            },
            "POST /puljer/:callID/afgoerelse/indstil": { app, browser in
                try await Assess.readyForPortfolio(app)
                let browser = try await Assess.signedIn(app, Demo.programmeManager)
                let call = Assess.callPath(try await Assess.call(app))
                try await browser.get(call + "/udvaelgelse")
                try await expectAudited(app) {
                    try await browser.post(call + "/afgoerelse/indstil", [("conditions", "Vejledningen følges.")])
                }
            },
            "POST /puljer/:callID/afgoerelse/godkend": { app, browser in
                try await Assess.readyForPortfolio(app)
                try await Assess.propose(app)
                let browser = try await Assess.signedIn(app, Demo.director)
                let call = Assess.callPath(try await Assess.call(app))
                try await browser.get(call + "/udvaelgelse")
                // One entry per letter (four), one per grant case opened (two) and one for the approval.
                let before = try await auditCount(app)
                #expect(try await browser.post(call + "/afgoerelse/godkend").status == .seeOther)
                #expect(try await auditCount(app) == before + 7)
            },
            "POST /ansoegninger/:applicationID/screening": { app, browser in
                let browser = try await Assess.signedIn(app, Assess.grantAdministrator)
                let aarhus = Assess.path(try await Assess.application(app, "Aarhus Kommune"))
                try await browser.get(aarhus + "/vurdering")
                try await expectAudited(app) { try await browser.post(aarhus + "/screening", [("outcome", "passed")]) }
            },
            "POST /ansoegninger/:applicationID/bedoemmere": { app, browser in
                try await Assess.screen(app)
                let browser = try await Assess.signedIn(app, Assess.grantAdministrator)
                let aarhus = Assess.path(try await Assess.application(app, "Aarhus Kommune"))
                let assessor = try await UserRecord.query(on: app.db).filter(\.$email == Assess.assessors[0]).first()!
                try await browser.get(aarhus + "/vurdering")
                try await expectAudited(app) {
                    try await browser.post(
                        aarhus + "/bedoemmere", [("assessorID", assessor.id!.uuidString), ("lead", "true")])
                }
            },
            "POST /ansoegninger/:applicationID/habilitet": { app, browser in
                try await Assess.screen(app)
                try await Assess.spread(app, per: 1)
                let aarhus = try await Assess.application(app, "Aarhus Kommune")
                let assignment = try await Assess.assignments(app, aarhus).first!
                let browser = try await Assess.signedIn(app, assignment.assessor.email)
                try await browser.get(Assess.path(aarhus) + "/vurdering")
                try await expectAudited(app) {
                    try await browser.post(Assess.path(aarhus) + "/habilitet", [("declaration", "noConflict")])
                }
            },
            "POST /ansoegninger/:applicationID/point": { app, browser in
                try await Assess.screen(app)
                try await Assess.spread(app, per: 1)
                let aarhus = try await Assess.application(app, "Aarhus Kommune")
                let assignment = try await Assess.assignments(app, aarhus).first!
                let browser = try await Assess.signedIn(app, assignment.assessor.email)
                try await browser.get(Assess.path(aarhus) + "/vurdering")
                try await browser.post(Assess.path(aarhus) + "/habilitet", [("declaration", "noConflict")])
                try await expectAudited(app) {
                    try await browser.post(
                        Assess.path(aarhus) + "/point",
                        [
                            ("score[motivation]", "4"), ("justification[motivation]", "God."),
                            ("score[parathed]", "3,5"),
                            ("justification[parathed]", "Klar."),
                        ])
                }
            },
            "POST /ansoegninger/:applicationID/konsensus": { app, browser in
                try await Assess.screen(app)
                try await Assess.spread(app, per: 1)
                try await Assess.declareAndScore(app, points: Assess.points)
                let aarhus = try await Assess.application(app, "Aarhus Kommune")
                let assignment = try await Assess.assignments(app, aarhus).first!
                let browser = try await Assess.signedIn(app, assignment.assessor.email)
                try await browser.get(Assess.path(aarhus) + "/vurdering")
                try await expectAudited(app) {
                    try await browser.post(
                        Assess.path(aarhus) + "/konsensus",
                        [
                            ("consensusScore[motivation]", "4"), ("consensusJustification[motivation]", "Enige."),
                            ("consensusScore[parathed]", "4"),
                            ("consensusJustification[parathed]", "Enige."),
                        ])
                }
            },
            "POST /ansoegninger/:applicationID/oplysninger": { app, browser in
                try await Assess.screen(app)
                let browser = try await Assess.signedIn(app, Assess.grantAdministrator)
                let aarhus = Assess.path(try await Assess.application(app, "Aarhus Kommune"))
                try await browser.get(aarhus + "/vurdering")
                try await expectAudited(app) {
                    try await browser.post(
                        aarhus + "/oplysninger", [("question", "Hvor mange borgere?"), ("replyBy", "2099-12-31")])
                }
            },
            "POST /ansoegninger/:applicationID/oplysninger/:requestID/svar": { app, browser in
                try await Assess.screen(app)
                let staff = try await Assess.signedIn(app, Assess.grantAdministrator)
                let aarhus = Assess.path(try await Assess.application(app, "Aarhus Kommune"))
                try await staff.get(aarhus + "/vurdering")
                try await staff.post(aarhus + "/oplysninger", [("question", "Hvor mange?"), ("replyBy", "2099-12-31")])
                let request = try await InformationRequestRecord.query(on: app.db).first()!
                let browser = try await Assess.signedIn(app, Demo.applicant)
                try await browser.get(aarhus)
                try await expectAudited(app) {
                    try await browser.post(
                        aarhus + "/oplysninger/\(request.id!.uuidString.lowercased())/svar", [("answer", "Tyve.")])
                }
            },
            "POST /admin/brugere/:userID/invitation": { app, browser in
                try await browser.signIn(Demo.admin)
                let user = try await UserRecord.query(on: app.db).filter(\.$email == Demo.applicant).first()!
                try await browser.get("/admin/brugere/\(user.id!)")
                try await expectAudited(app) { try await browser.post("/admin/brugere/\(user.id!)/invitation") }
            },
            "POST /invitation/:token": { app, browser in
                let (_, path) = try await InvitationTests.invite(app)
                try await browser.get(path)
                try await expectAudited(app) {
                    try await browser.post(
                        path, [("newPassword", "en lang og god sætning"), ("repeatPassword", "en lang og god sætning")])
                }
            },
            "POST /admin/brevskabeloner": { app, browser in
                try await browser.signIn(Demo.programmeManager)
                try await browser.get("/admin/brevskabeloner")
                try await expectAudited(app) {
                    try await browser.post(
                        "/admin/brevskabeloner",
                        [("award", "Kære {{modtager}}."), ("rejection", LetterKind.rejection.defaultTemplate)])
                }
            },
        ]

        /// A call open now (by a test clock set a day before its deadline).
        static func openCall(_ app: Application, attachments: Bool = false) async throws -> String {
            let clock = TestClock(ApplicationFlowTests.winter.instant.addingTimeInterval(-86_400))
            app.now = { clock.now }
            return try await makeCall(
                app, deadline: ApplicationFlowTests.winter,
                attachmentKinds: attachments ? [AttachmentKind(id: "bilag", name: "Bilag")] : []
            ).uuidString.lowercased()
        }

        /// The Aarhus applicant's freshly started application to an open call; returns its path.
        static func startedApplication(
            _ app: Application, _ browser: Browser, attachments: Bool = false
        ) async throws -> String {
            let call = try await openCall(app, attachments: attachments)
            try await browser.signIn(Demo.applicant)
            let started = try await browser.post("/puljer/\(call)/ansoeg")
            let path = try applicationPath(startedAt: started.location)
            try await browser.get(path)
            return path
        }

        /// The route whose recipe runs, for the messages of a failure.
        @TaskLocal static var currentRecipe = ""

        /// Set by the hostile-input test: `expectAudited` then sends the recipe's request once per attack
        /// instead of once as written.
        @TaskLocal static var underAttack = false

        static func expectAudited(_ app: Application, _ request: () async throws -> TestingHTTPResponse) async throws {
            if underAttack { return try await expectHarmless(app, request) }
            let before = try await auditCount(app)
            let response = try await request()
            #expect(
                response.status.code < 400,
                "\(currentRecipe): request failed with \(response.status): \(response.body.string.prefix(1500))")
            #expect(try await auditCount(app) == before + 1, "\(currentRecipe)")
        }

        /// Refusals that rightly leave a trace: a wrong second-factor code is a failed sign-in, audited.
        static let auditedRefusals: Set<String> = ["POST /log-ind/kode"]

        /// The recipe's request under every attack: never a server error; a refusal is a Danish page (JSON in
        /// the API) and leaves every table as it was (but the log of reads, where the refused form shows
        /// citizen data again); and nothing changes without an audit entry.
        static func expectHarmless(_ app: Application, _ request: () async throws -> TestingHTTPResponse) async throws {
            for attack in Hostile.allCases {
                let audits = try await auditCount(app)
                let tables = try await tableFingerprint(app)
                let response = try await Hostile.$current.withValue(attack) { try await request() }
                let what = "\(currentRecipe) under \(attack): \(response.status.code)"
                #expect(response.status.code < 500, "\(what) \(response.body.string.prefix(500))")
                let audited = try await auditCount(app) > audits
                let after = try await tableFingerprint(app)
                let changed = after.keys.filter { after[$0] != tables[$0] && $0 != DataAccessRecord.schema }
                if response.status.code >= 400 {
                    #expect(!audited || auditedRefusals.contains(currentRecipe), "\(what): refused, but audited")
                    #expect(
                        changed.filter { $0 != AuditEntryRecord.schema }.isEmpty,
                        "\(what): refused, but \(changed.sorted()) changed")
                    let type = response.headers.contentType?.description ?? ""
                    if currentRecipe.contains(" /api/") {
                        #expect(type.hasPrefix("application/json"), "\(what): \(type)")
                    } else {
                        #expect(response.body.string.contains("<html lang=\"da\""), "\(what): not a Danish page")
                    }
                } else if !audited {
                    #expect(changed.isEmpty, "\(what): \(changed.sorted()) changed without an audit entry")
                }
            }
        }

        static func stateChangingRoutes(_ app: Application) -> [(key: String, path: String)] {
            app.routes.all.filter { ![.GET, .HEAD, .OPTIONS].contains($0.method) }.map { route in
                let pattern = "/" + route.path.map(\.description).joined(separator: "/")
                let concrete = route.path.map { component -> String in
                    switch component.description {
                    case ":year": "2022"
                    case ":number": "1.1"
                    case ":userID", ":callID", ":applicationID", ":attachmentID", ":requestID", ":token":
                        UUID().uuidString
                    default: component.description
                    }
                }
                return ("\(route.method.rawValue) \(pattern)", "/" + concrete.joined(separator: "/"))
            }
        }

        @Test func everyStateChangingRouteHasARecipe() async throws {
            try await withTestApp { app in
                let routes = Set(Self.stateChangingRoutes(app).map(\.key))
                #expect(
                    routes == Set(Self.recipes.keys),
                    "routes without a recipe: \(routes.subtracting(Self.recipes.keys))")
            }
        }

        @Test func everyStateChangingRouteRefusesAMissingOrWrongCSRFToken() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.signIn(Demo.admin)
                try await browser.get("/profil")
                let audits = try await auditCount(app)
                for route in Self.stateChangingRoutes(app) {
                    let missing = try await browser.post(route.path, [("name", "x")], csrf: false)
                    #expect(missing.status == .forbidden, "\(route.key) without a token")
                    #expect(missing.body.string.contains("Formularen er udløbet"), "\(route.key)")
                    let wrong = try await browser.post(route.path, [("name", "x"), ("_csrf", "forkert")], csrf: false)
                    #expect(wrong.status == .forbidden, "\(route.key) with a wrong token")
                }
                // A token from another session is not valid either.
                let other = Browser(app)
                try await other.get("/log-ind")
                let stolen = try #require(other.csrfToken)
                let response = try await browser.post("/profil", [("name", "x"), ("_csrf", stolen)], csrf: false)
                #expect(response.status == .forbidden)
                // Refused requests changed nothing.
                #expect(try await auditCount(app) == audits)
            }
        }

        /// Bad input on every form and API body (`Hostile`): long text, NUL bytes, invalid UTF-8, right-to-left
        /// and combining characters, negative, huge and non-numeric numbers, impossible dates, empty fields,
        /// duplicate keys, file names with path parts and malformed multipart, each on every field at once.
        @Test func everyStateChangingRouteTakesHostileInputWithoutHarm() async throws {
            for (key, recipe) in Self.recipes.sorted(by: { $0.key < $1.key }) {
                try await withTestApp { app in
                    try await Self.$currentRecipe.withValue(key) {
                        try await Self.$underAttack.withValue(true) { try await recipe(app, Browser(app)) }
                    }
                }
            }
        }

        @Test func everyStateChangingRouteWritesAnAuditEntry() async throws {
            for (key, recipe) in Self.recipes.sorted(by: { $0.key < $1.key }) {
                try await withTestApp { app in
                    let before = try await auditCount(app)
                    try await Self.$currentRecipe.withValue(key) { try await recipe(app, Browser(app)) }
                    let entries = try await AuditEntryRecord.query(on: app.db).sort(\.$at).all()
                    #expect(entries.count > before, "\(key) wrote no audit entry")
                    let last = try #require(entries.last)
                    #expect(!last.actorName.isEmpty && !last.action.isEmpty && !last.summary.isEmpty, "\(key)")
                    #expect(last.actorID != nil, "\(key): the entry names who")
                }
            }
        }
    }
}
