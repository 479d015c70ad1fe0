import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

/// Steps of the assessment of the seeded demo call (deadline a week ago; Aarhus and Vejle apply on the
/// handicap area, Aalborg and Esbjerg on social psychiatry), each done over HTTP as the user who does it.
enum Assess {
    static let grantAdministrator = "tilskud@styrelsen.demo"
    static let assessors = ["bedommer1@styrelsen.demo", "bedommer2@styrelsen.demo", "bedommer3@styrelsen.demo"]

    static func call(_ app: Application) async throws -> UUID {
        try #require(try await CallRecord.query(on: app.db).filter(\.$title == AssessmentDemo.title).first()?.id)
    }

    static func application(_ app: Application, _ organisation: String) async throws -> UUID {
        let org = try #require(
            try await OrganisationRecord.query(on: app.db).filter(\.$name == organisation).first()?.id)
        return try #require(
            try await ApplicationRecord.query(on: app.db).filter(\.$call.$id == call(app))
                .filter(\.$organisation.$id == org).first()?.id)
    }

    static func path(_ id: UUID) -> String { "/ansoegninger/\(id.uuidString.lowercased())" }
    static func callPath(_ id: UUID) -> String { "/puljer/\(id.uuidString.lowercased())" }

    static func signedIn(_ app: Application, _ email: String) async throws -> Browser {
        let browser = Browser(app)
        let signedIn = try await browser.signIn(email)
        try #require(signedIn.status == .seeOther, "\(email) signs in: \(signedIn.explained)")
        return browser
    }

    /// Screens every submitted application in; Vejle out with a reason.
    static func screen(_ app: Application, vejleOut: Bool = true) async throws {
        let browser = try await signedIn(app, grantAdministrator)
        for name in ["Aarhus Kommune", "Aalborg Kommune", "Vejle Kommune", "Esbjerg Kommune"] {
            let id = try await application(app, name)
            try await browser.get(path(id) + "/vurdering")
            let out = vejleOut && name == "Vejle Kommune"
            let response = try await browser.post(
                path(id) + "/screening",
                [("outcome", out ? "screenedOut" : "passed"), ("reason", out ? "Tilbuddet er ikke et botilbud." : "")])
            #expect(response.status == .seeOther, "\(name): \(response.explained)")
        }
    }

    static func spread(_ app: Application, per: Int = 2) async throws {
        let browser = try await signedIn(app, grantAdministrator)
        try await browser.get(callPath(try await call(app)) + "/vurdering")
        let response = try await browser.post(
            callPath(try await call(app)) + "/vurdering/fordel", [("perApplication", String(per))])
        #expect(response.status == .seeOther, "\(response.explained)")
    }

    static func assignments(_ app: Application, _ application: UUID) async throws -> [AssessorAssignmentRecord] {
        try await AssessorAssignmentRecord.query(on: app.db).filter(\.$application.$id == application)
            .with(\.$assessor).all()
    }

    /// Every assessor declares on every application assigned to them and scores it with the given points.
    static func declareAndScore(
        _ app: Application, points: [String: (Double, Double)], conflicts: Set<String> = []
    ) async throws {
        for email in assessors {
            let browser = try await signedIn(app, email)
            for (name, (motivation, readiness)) in points {
                let id = try await application(app, name)
                guard
                    let mine = try await assignments(app, id).first(where: { $0.assessor.email == email }),
                    mine.conflictDeclaration == nil
                else { continue }
                try await browser.get(path(id) + "/vurdering")
                let conflict = conflicts.contains("\(email) \(name)")
                let declared = try await browser.post(
                    path(id) + "/habilitet",
                    [
                        ("declaration", conflict ? "conflict" : "noConflict"),
                        ("note", conflict ? "Tidligere ansat." : ""),
                    ])
                #expect(declared.status == .seeOther, "\(email) \(name): \(declared.explained)")
                if conflict { continue }
                try await browser.get(path(id) + "/vurdering")
                let scored = try await browser.post(
                    path(id) + "/point",
                    [
                        ("score[motivation]", DanishScore.format(motivation)),
                        ("justification[motivation]", "Godt beskrevet."),
                        ("score[parathed]", DanishScore.format(readiness)),
                        ("justification[parathed]", "Klar ledelse."),
                    ])
                #expect(scored.status == .seeOther, "\(email) \(name): \(scored.explained)")
            }
        }
    }

    /// The lead of each application records the given consensus.
    static func consensus(_ app: Application, points: [String: (Double, Double)]) async throws {
        for (name, (motivation, readiness)) in points {
            let id = try await application(app, name)
            let call = try #require(try await CallRecord.find(try await Self.call(app), on: app.db))
            let assessment = try await CallAssessment.load(call, on: app.db)
            let lead = try #require(assessment.lead(id))
            let email = try #require(try await UserRecord.find(lead.$assessor.id, on: app.db)?.email)
            let browser = try await signedIn(app, email)
            try await browser.get(path(id) + "/vurdering")
            let response = try await browser.post(
                path(id) + "/konsensus",
                [
                    ("consensusScore[motivation]", DanishScore.format(motivation)),
                    ("consensusJustification[motivation]", "Enige efter drøftelse."),
                    ("consensusScore[parathed]", DanishScore.format(readiness)),
                    ("consensusJustification[parathed]", "Enige."),
                ])
            #expect(response.status == .seeOther, "\(name): \(response.explained)")
        }
    }

    static let points: [String: (Double, Double)] = [
        "Aarhus Kommune": (4, 4), "Aalborg Kommune": (1.5, 4), "Esbjerg Kommune": (3, 3),
    ]

    /// Screened, assessed and agreed: ready for the portfolio.
    static func readyForPortfolio(_ app: Application) async throws {
        try await screen(app)
        try await spread(app)
        try await declareAndScore(app, points: points)
        try await consensus(app, points: points)
    }

    static func propose(
        _ app: Application, as email: String = "fagkonsulent@styrelsen.demo"
    ) async throws
        -> TestingHTTPResponse
    {
        let browser = try await signedIn(app, email)
        let call = try await call(app)
        try await browser.get(callPath(call) + "/udvaelgelse")
        return try await browser.post(
            callPath(call) + "/afgoerelse/indstil", [("conditions", "Projektet følger styrelsens vejledning.")])
    }
}

extension AppTests {
    @Suite struct AssessmentAppTests {
        @Test func theWholePathFromScreeningToLetters() async throws {
            try await withTestApp { app in
                let call = try await Assess.call(app)
                // Only agency staff see the assessment; a municipality gets 404.
                let aarhus = try await Assess.signedIn(app, Demo.applicant)
                #expect(try await aarhus.get(Assess.callPath(call) + "/vurdering").status == .notFound)

                try await Assess.screen(app)
                let vejle = try await Assess.application(app, "Vejle Kommune")
                #expect(try await ScreeningRecord.query(on: app.db).count() == 4)
                #expect(try await ApplicationRecord.find(vejle, on: app.db)?.applicationStatus == .submitted)

                try await Assess.spread(app)
                // Three screened-in applications × two assessors, spread evenly over three assessors.
                let all = try await AssessorAssignmentRecord.query(on: app.db).with(\.$assessor).all()
                #expect(all.count == 6)
                let load = Dictionary(grouping: all, by: \.assessor.email).mapValues(\.count)
                #expect(load.values.allSatisfy { $0 == 2 })

                // One assessor declares a conflict on Aarhus: removed, and the spread gives Aarhus someone else.
                let aarhusID = try await Assess.application(app, "Aarhus Kommune")
                let conflicted = try #require(try await Assess.assignments(app, aarhusID).first?.assessor.email)
                try await Assess.declareAndScore(
                    app, points: Assess.points, conflicts: ["\(conflicted) Aarhus Kommune"])
                let removed = try await Assess.signedIn(app, conflicted)
                #expect(try await removed.get(Assess.path(aarhusID)).status == .forbidden)
                try await Assess.spread(app)
                let aarhusAssessors = try await Assess.assignments(app, aarhusID)
                #expect(aarhusAssessors.count == 3)
                #expect(aarhusAssessors.filter { $0.conflictDeclaration != .conflict }.count == 2)
                try await Assess.declareAndScore(app, points: Assess.points)

                try await Assess.consensus(app, points: Assess.points)
                #expect(try await ConsensusRecord.query(on: app.db).count() == 6)

                // The portfolio: Aalborg is below the minimum on motivation; Aarhus and Esbjerg cover both areas.
                let manager = try await Assess.signedIn(app, "fagkonsulent@styrelsen.demo")
                let page = try await manager.get(Assess.callPath(call) + "/udvaelgelse").body.string
                #expect(page.contains("Under minimum på: Kommunens motivation"))
                #expect(page.contains("2 ansøgninger, samlet score 7, i alt 1.700.000 kr. af 2.000.000 kr."))
                // Grant Esbjerg less than it asked for, with a reason.
                let esbjerg = try await Assess.application(app, "Esbjerg Kommune")
                let noReason = try await manager.post(
                    Assess.callPath(call) + "/udvaelgelse/justering",
                    [("applicationID", esbjerg.uuidString), ("choice", ""), ("granted", "750.000"), ("reason", "")])
                #expect(noReason.status == .unprocessableEntity)
                #expect(noReason.body.string.contains("Skriv begrundelsen"))
                let adjusted = try await manager.post(
                    Assess.callPath(call) + "/udvaelgelse/justering",
                    [
                        ("applicationID", esbjerg.uuidString), ("choice", ""), ("granted", "750.000"),
                        ("reason", "Transportudgifterne er sat for højt."),
                    ])
                #expect(adjusted.status == .seeOther)
                #expect(
                    try await manager.get(Assess.callPath(call) + "/udvaelgelse").body.string.contains(
                        "i alt 1.550.000 kr."))

                #expect(try await Assess.propose(app).status == .seeOther)
                let director = try await Assess.signedIn(app, Demo.director)
                try await director.get(Assess.callPath(call) + "/udvaelgelse")
                let approved = try await director.post(Assess.callPath(call) + "/afgoerelse/godkend")
                #expect(approved.status == .seeOther)

                // Outcomes, letters and mail.
                let statuses = try await ApplicationRecord.query(on: app.db).filter(\.$call.$id == call)
                    .with(\.$organisation).all()
                let byName = Dictionary(
                    uniqueKeysWithValues: statuses.map { ($0.organisation.name, $0.applicationStatus) })
                #expect(byName["Aarhus Kommune"] == .awarded)
                #expect(byName["Esbjerg Kommune"] == .awarded)
                #expect(byName["Aalborg Kommune"] == .rejected)
                #expect(byName["Vejle Kommune"] == .rejected)
                #expect(byName["Odense Kommune"] == .draft)
                let letters = try await LetterRecord.query(on: app.db).all()
                #expect(letters.count == 4)
                let vejleLetter = try #require(letters.first { $0.$application.id == vejle })
                #expect(vejleLetter.letterKind == .rejection)
                #expect(vejleLetter.body.contains("Tilbuddet er ikke et botilbud."))
                let esbjergLetter = try #require(letters.first { $0.$application.id == esbjerg })
                #expect(
                    esbjergLetter.body.contains("750.000 kr.") && esbjergLetter.body.contains("ansøgt: 900.000 kr."))
                #expect(
                    try await OutboxMessageRecord.query(on: app.db).filter(\.$kind == "decision-letter").count() == 4)

                // The public page names the recipients, not the rejected.
                let publicPage = try await Browser(app).get(Assess.callPath(call)).body.string
                #expect(publicPage.contains("Tilskudsmodtagere") && publicPage.contains("Aarhus Kommune"))
                #expect(publicPage.contains("Esbjerg Kommune") && !publicPage.contains("Aalborg Kommune"))

                // Aalborg reads its own letter and scores, and nobody else's.
                let aalborg = try await Assess.signedIn(app, "ansoger@aalborg.demo")
                let aalborgID = try await Assess.application(app, "Aalborg Kommune")
                let own = try await aalborg.get(Assess.path(aalborgID)).body.string
                #expect(own.contains("Vurderingen af jeres ansøgning") && own.contains("Afslag af"))
                // The answer comes first on the municipality's case page.
                let top = try #require(own.range(of: "Afgørelse: Afslag"))
                #expect(top.lowerBound < (own.range(of: "Beskeder")?.lowerBound ?? own.endIndex))
                #expect(!own.contains("Aarhus") && !own.contains("Esbjerg"))
                let letter = try #require(letters.first { $0.$application.id == aalborgID })
                let letterPage = try await aalborg.get(
                    Assess.path(aalborgID) + "/breve/\(letter.id!.uuidString.lowercased())")
                #expect(letterPage.status == .ok && letterPage.body.string.contains("Under minimum"))
                // Under the agency's letterhead: the date, the reference (the application's number where the call
                // has no journal number) and the application's number.
                let aalborgNumber = try #require(
                    try await ApplicationRecord.find(aalborgID, on: app.db)?.submissionNumber)
                #expect(letterPage.body.string.contains("class=\"letterhead\""))
                #expect(letterPage.body.string.contains("<dt>J.nr.</dt><dd>\(aalborgNumber)</dd>"))
                #expect(letter.body.contains("J.nr.: \(aalborgNumber)"))
                #expect(try await aalborg.get(Assess.path(aarhusID)).status == .notFound)
                #expect(
                    try await aalborg.get(Assess.path(aarhusID) + "/breve/\(letter.id!.uuidString.lowercased())")
                        .status == .notFound)
                #expect(try await aalborg.get(Assess.path(aalborgID) + "/vurdering").status == .notFound)

                // Every step is in the audit log.
                for action in [
                    "assessment.screening", "assessment.assign", "assessment.declaration", "assessment.score",
                    "assessment.consensus", "portfolio.override", "decision.propose", "decision.approve",
                    "decision.letter",
                ] {
                    #expect(
                        try await AuditEntryRecord.query(on: app.db).filter(\.$action == action).count() > 0,
                        "\(action)")
                }

                // Exports.
                let csv = try await manager.get(Assess.callPath(call) + "/vurdering.csv").body.string
                #expect(csv.hasPrefix("\u{FEFF}") && csv.contains("Kommunens motivation (vægt 2)"))
                #expect(csv.contains("Frasorteret;Tilbuddet er ikke et botilbud."))
                let selection = try await manager.get(Assess.callPath(call) + "/udvalg.csv").body.string
                #expect(selection.contains("I alt;2 ansøgninger"))
                let xlsx = try await manager.get(Assess.callPath(call) + "/udvalg.xlsx")
                #expect(Array(xlsx.body.readableBytesView.prefix(2)) == Array("PK".utf8))
            }
        }

        @Test func theConflictGateComesBeforeTheContent() async throws {
            try await withTestApp { app in
                try await Assess.screen(app)
                try await Assess.spread(app, per: 1)
                let aarhus = try await Assess.application(app, "Aarhus Kommune")
                let assignment = try #require(try await Assess.assignments(app, aarhus).first)
                let browser = try await Assess.signedIn(app, assignment.assessor.email)
                // Before declaring: the case page asks for the declaration and shows no answers.
                let page = try await browser.get(Assess.path(aarhus) + "/vurdering").body.string
                #expect(page.contains("Habilitetserklæring") && !page.contains("Din egen bedømmelse"))
                #expect(try await browser.get(Assess.path(aarhus)).status == .forbidden)
                let early = try await browser.post(
                    Assess.path(aarhus) + "/point", [("score[motivation]", "3"), ("justification[motivation]", "x")])
                #expect(early.status == .forbidden)
                // A conflict needs a note; the declaration is kept and cannot be changed.
                let noNote = try await browser.post(Assess.path(aarhus) + "/habilitet", [("declaration", "conflict")])
                #expect(noNote.status == .unprocessableEntity)
                #expect(
                    try await browser.post(
                        Assess.path(aarhus) + "/habilitet",
                        [("declaration", "conflict"), ("note", "Min søster er leder.")]
                    ).status == .seeOther)
                #expect(
                    try await browser.post(
                        Assess.path(aarhus) + "/habilitet", [("declaration", "noConflict")]
                    ).status == .conflict)
                let kept = try #require(try await Assess.assignments(app, aarhus).first)
                #expect(kept.conflictDeclaration == .conflict && kept.declarationNote == "Min søster er leder.")
                // An assessor not assigned to an application does not learn it exists.
                let other = try #require(Assess.assessors.first { $0 != assignment.assessor.email })
                let stranger = try await Assess.signedIn(app, other)
                let esbjerg = try await Assess.application(app, "Esbjerg Kommune")
                let assigned = try await Assess.assignments(app, esbjerg).map(\.assessor.email)
                if !assigned.contains(other) {
                    #expect(try await stranger.get(Assess.path(esbjerg) + "/vurdering").status == .notFound)
                }
                #expect(try await stranger.get(Assess.path(aarhus) + "/vurdering").status == .notFound)
            }
        }

        @Test func scoresMustBeOnTheScaleWithAReasonAndConsensusWaitsForEveryone() async throws {
            try await withTestApp { app in
                try await Assess.screen(app)
                try await Assess.spread(app)
                let aarhus = try await Assess.application(app, "Aarhus Kommune")
                let first = try #require(try await Assess.assignments(app, aarhus).first)
                let browser = try await Assess.signedIn(app, first.assessor.email)
                try await browser.get(Assess.path(aarhus) + "/vurdering")
                try await browser.post(Assess.path(aarhus) + "/habilitet", [("declaration", "noConflict")])
                let offScale = try await browser.post(
                    Assess.path(aarhus) + "/point",
                    [
                        ("score[motivation]", "3,3"), ("justification[motivation]", "Fin."), ("score[parathed]", "4"),
                        ("justification[parathed]", ""),
                    ])
                #expect(offScale.status == .unprocessableEntity)
                let body = offScale.body.string
                #expect(body.contains("skal ligge på skalaen 0–5 i halve point") && body.contains("Begrund pointene"))
                #expect(body.contains("Fin."))  // the user's input is kept
                #expect(try await ScoreRecord.query(on: app.db).count() == 0)
                // The lead cannot record consensus before every assessor has scored.
                let call = try #require(try await CallRecord.find(try await Assess.call(app), on: app.db))
                let lead = try #require(try await CallAssessment.load(call, on: app.db).lead(aarhus))
                let leadEmail = try #require(try await UserRecord.find(lead.$assessor.id, on: app.db)?.email)
                let leader = try await Assess.signedIn(app, leadEmail)
                try await leader.get(Assess.path(aarhus) + "/vurdering")
                if leadEmail != first.assessor.email {
                    try await leader.post(Assess.path(aarhus) + "/habilitet", [("declaration", "noConflict")])
                }
                let tooEarly = try await leader.post(
                    Assess.path(aarhus) + "/konsensus",
                    [
                        ("consensusScore[motivation]", "3"), ("consensusJustification[motivation]", "x"),
                        ("consensusScore[parathed]", "3"),
                        ("consensusJustification[parathed]", "x"),
                    ])
                #expect(tooEarly.status == .conflict)
            }
        }

        @Test func theProposerCannotApproveAndOnlyDirectorsApprove() async throws {
            try await withTestApp { app in
                try await Assess.readyForPortfolio(app)
                // A user who is both programme manager and director.
                let agency = try #require(
                    try await OrganisationRecord.query(on: app.db).filter(\.$kind == "agency").first()?.id)
                try await UserRecord(
                    email: "begge@styrelsen.demo", name: "Berit Begge",
                    passwordHash: try app.password.hash(DemoAccounts.password),
                    organisationID: agency, roles: [.programmeManager, .director]
                ).create(on: app.db)
                #expect(try await Assess.propose(app, as: "begge@styrelsen.demo").status == .seeOther)
                let call = try await Assess.call(app)
                let both = try await Assess.signedIn(app, "begge@styrelsen.demo")
                try await both.get(Assess.callPath(call) + "/udvaelgelse")
                let own = try await both.post(Assess.callPath(call) + "/afgoerelse/godkend")
                #expect(own.status == .forbidden)
                #expect(own.body.string.contains("kan ikke selv godkende"))
                let manager = try await Assess.signedIn(app, "fagkonsulent@styrelsen.demo")
                try await manager.get(Assess.callPath(call) + "/udvaelgelse")
                #expect(try await manager.post(Assess.callPath(call) + "/afgoerelse/godkend").status == .forbidden)
                #expect(try await DecisionRecord.query(on: app.db).first()?.decisionStatus == .proposed)
                #expect(try await LetterRecord.query(on: app.db).count() == 0)
                let director = try await Assess.signedIn(app, Demo.director)
                try await director.get(Assess.callPath(call) + "/udvaelgelse")
                #expect(try await director.post(Assess.callPath(call) + "/afgoerelse/godkend").status == .seeOther)
                // Approved is final: no second approval, no more changes.
                #expect(try await director.post(Assess.callPath(call) + "/afgoerelse/godkend").status == .conflict)
                #expect(try await Assess.propose(app).status == .conflict)
            }
        }

        @Test func moreInformationIsAnsweredInTheCaseAndTheApplicationStaysAsSubmitted() async throws {
            try await withTestApp { app in
                try await Assess.screen(app)
                let esbjerg = try await Assess.application(app, "Esbjerg Kommune")
                let before = try #require(try await ApplicationRecord.find(esbjerg, on: app.db))
                let staff = try await Assess.signedIn(app, Assess.grantAdministrator)
                try await staff.get(Assess.path(esbjerg) + "/vurdering")
                let past = try await staff.post(
                    Assess.path(esbjerg) + "/oplysninger",
                    [("question", "Hvor mange borgere?"), ("replyBy", "2020-01-01")])
                #expect(past.status == .unprocessableEntity)
                #expect(past.body.string.contains("Hvor mange borgere?"))  // the question typed is kept
                let replyBy = DanishTime.calendar.date(byAdding: .day, value: 10, to: app.now())!
                let c = DanishTime.calendar.dateComponents([.year, .month, .day], from: replyBy)
                let asked = try await staff.post(
                    Assess.path(esbjerg) + "/oplysninger",
                    [
                        ("question", "Hvor mange borgere bor på bostederne?"),
                        ("replyBy", String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)),
                    ])
                #expect(asked.status == .seeOther)
                #expect(
                    try await ApplicationRecord.find(esbjerg, on: app.db)?.applicationStatus
                        == .moreInformationRequested)
                #expect(
                    try await OutboxMessageRecord.query(on: app.db).filter(\.$kind == "information-request").count()
                        == 1)
                let applicant = try await Assess.signedIn(app, "ansoger@esbjerg.demo")
                let page = try await applicant.get(Assess.path(esbjerg)).body.string
                #expect(page.contains("Hvor mange borgere bor på bostederne?"))
                let request = try #require(try await InformationRequestRecord.query(on: app.db).first())
                let answered = try await applicant.post(
                    Assess.path(esbjerg) + "/oplysninger/\(request.id!.uuidString.lowercased())/svar",
                    [("answer", "Der bor 32 borgere.")])
                #expect(answered.status == .seeOther)
                let after = try #require(try await ApplicationRecord.find(esbjerg, on: app.db))
                #expect(after.applicationStatus == .underAssessment)
                #expect(after.digest == before.digest && after.submittedContentJSON == before.submittedContentJSON)
                #expect(
                    try await staff.get(Assess.path(esbjerg) + "/vurdering").body.string.contains("Der bor 32 borgere.")
                )
                // Another municipality cannot answer it.
                let aarhus = try await Assess.signedIn(app, Demo.applicant)
                #expect(
                    try await aarhus.post(
                        Assess.path(esbjerg) + "/oplysninger/\(request.id!.uuidString.lowercased())/svar",
                        [("answer", "Fremmed svar")]
                    ).status == .notFound)
            }
        }

        @Test func nothingIsAssessedBeforeTheDeadline() async throws {
            try await withTestApp { app in
                let clock = TestClock(ApplicationFlowTests.winter.instant.addingTimeInterval(-60))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: ApplicationFlowTests.winter)
                let staff = try await Assess.signedIn(app, Assess.grantAdministrator)
                let early = try await staff.get(Assess.callPath(call) + "/vurdering")
                #expect(early.status == .forbidden)
                #expect(early.body.string.contains("når ansøgningsfristen er udløbet"))
                clock.now = ApplicationFlowTests.winter.instant
                #expect(try await staff.get(Assess.callPath(call) + "/vurdering").status == .ok)
            }
        }

        @Test func staffSetTheScoringScaleAndTheCoverageOfTargetAreasOnTheCallForm() async throws {
            try await withTestApp { app in
                let clock = TestClock(ApplicationFlowTests.winter.instant.addingTimeInterval(-86_400))
                app.now = { clock.now }
                let id = try await makeCall(app, deadline: ApplicationFlowTests.winter)
                let call = try #require(try await CallRecord.find(id, on: app.db))
                let manager = try await Assess.signedIn(app, Demo.programmeManager)
                let path = Assess.callPath(id)
                try await manager.get(path + "/rediger")
                var form = CallForm(call: call, rules: try call.rules())
                #expect(form.scaleMinimum == "0" && form.scaleMaximum == "5" && form.scaleStep == "0,5")
                form.scaleStep = "0"
                let refused = try await manager.post(path, CallPageTests.fields(form))
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("Pointskalaens trin skal være større end 0."))
                form.scaleMinimum = "1"
                form.scaleMaximum = "10"
                form.scaleStep = "1"
                form.criteria = "motivation; Motivation; 2; 4; Hvorfor"
                form.targetAreas = "handicap; Handicapområdet; 1\npsykiatri; Socialpsykiatrien; 1"
                #expect(try await manager.post(path, CallPageTests.fields(form)).status == .seeOther)
                let rules = try #require(try await CallRecord.find(id, on: app.db)).rules()
                #expect(rules.scale == ScoringScale(minimum: 1, maximum: 10, step: 1))
                #expect(rules.targetAreas.map(\.minimumSelected) == [1, 1])
                #expect(try await Browser(app).get(path).body.string.contains("1–10 i hele point"))
            }
        }

        /// Staff set the grant cases' terms on the call form (roles, when a reallocation needs approval, when
        /// a second person must approve, when accounts need an auditor): the cases the decision opens follow
        /// them, and once there are cases the terms no longer change.
        @Test func staffSetTheGrantTermsOnTheCallFormUntilTheCasesOpen() async throws {
            try await withTestApp { app in
                let id = try await Assess.call(app)
                let call = try #require(try await CallRecord.find(id, on: app.db))
                let manager = try await Assess.signedIn(app, Demo.programmeManager)
                let path = Assess.callPath(id)
                let page = try await manager.get(path + "/rediger")
                #expect(page.body.string.contains("projektleder; Projektleder; ja"))
                var form = CallForm(call: call, rules: try call.rules())
                form.teamRoles =
                    "projektleder; Projektleder; ja\nsundhed; Sundhedsfaglig koordinator\nborger; Borgerrepræsentant; måske"
                form.reallocationNoticePercent = "150"
                form.secondApprovalAbove = "-1"
                form.auditorStatementFrom = "9223372036854775808"
                let refused = try await manager.post(path, CallPageTests.fields(form))
                #expect(refused.status == .unprocessableEntity)
                let text = refused.body.string
                #expect(text.contains("Linje 3: Skriv"))
                #expect(text.contains("mellem 0 og 100 %"))
                #expect(text.contains("Grænsen for to godkendere skal være et beløb"))
                #expect(text.contains("Grænsen for revisorerklæring skal være et beløb"))
                #expect(try #require(try await CallRecord.find(id, on: app.db)).rules().grantTerms == nil)

                form.teamRoles =
                    "projektleder; Projektleder; ja\nsundhed; Sundhedsfaglig koordinator\nborger; Borgerrepræsentant; nej"
                form.reallocationNoticePercent = "20"
                form.secondApprovalAbove = "50.000"
                form.auditorStatementFrom = ""
                let audits = try await auditCount(app)
                #expect(try await manager.post(path, CallPageTests.fields(form)).status == .seeOther)
                let terms = try #require(try await CallRecord.find(id, on: app.db)).rules().terms
                #expect(terms.teamRoles.map(\.id) == ["projektleder", "sundhed", "borger"])
                #expect(terms.teamRoles.map(\.required) == [true, true, false])
                #expect(terms.reallocationNoticePercent == 20 && terms.secondApprovalAbove == Money(kroner: 50_000))
                #expect(terms.auditorStatementFrom == nil)
                let entry = try #require(try await AuditEntryRecord.query(on: app.db).sort(\.$at, .descending).first())
                #expect(
                    try await auditCount(app) == audits + 1
                        && entry.summary.contains("Vilkår for tilskudssagerne ændret"))

                // The decision opens cases under these terms; they are fixed from then on.
                try await Grants.decided(app)
                let aarhus = try await Grants.grantCase(app, "Aarhus Kommune")
                let casePage = try await manager.get(Grants.path(aarhus)).body.string
                #expect(casePage.contains("Sundhedsfaglig koordinator"))
                #expect(!casePage.contains("Projektansvarlig leder"))
                try await manager.get(path + "/rediger")
                let record = try #require(try await CallRecord.find(id, on: app.db))
                let fixed = CallForm(call: record, rules: try record.rules())
                var changed = fixed
                changed.secondApprovalAbove = "75.000"
                let late = try await manager.post(path, CallPageTests.fields(changed))
                #expect(late.status == .unprocessableEntity)
                #expect(late.body.string.contains("vilkårene kan ikke længere ændres"))
                // The rest of the call can still be saved with the terms as they are.
                changed.secondApprovalAbove = fixed.secondApprovalAbove
                changed.startUpMeeting = "Opstartsmøde i Odense."
                #expect(try await manager.post(path, CallPageTests.fields(changed)).status == .seeOther)
            }
        }

        /// The call form sets the journal number the letters carry (checked like any text that ends up in a
        /// letter), and leaves the call's grant terms, which it does not edit, as they are.
        @Test func theCallFormSetsTheJournalNumberAndKeepsTheGrantTerms() async throws {
            try await withTestApp { app in
                let clock = TestClock(ApplicationFlowTests.winter.instant.addingTimeInterval(-86_400))
                app.now = { clock.now }
                let id = try await makeCall(app, deadline: ApplicationFlowTests.winter)
                let call = try #require(try await CallRecord.find(id, on: app.db))
                var rules = try call.rules()
                rules.grantTerms = .partnership000
                try call.setRules(rules)
                try await call.save(on: app.db)
                let manager = try await Assess.signedIn(app, Demo.programmeManager)
                let path = Assess.callPath(id)
                try await manager.get(path + "/rediger")
                var form = CallForm(call: call, rules: rules)
                for bad in ["25/04321\u{07}", String(repeating: "1", count: 41)] {
                    form.journalNumber = bad
                    let refused = try await manager.post(path, CallPageTests.fields(form))
                    #expect(refused.status == .unprocessableEntity)
                    #expect(refused.body.string.contains("Journalnummeret må"))
                }
                form.journalNumber = "25/04321"
                #expect(try await manager.post(path, CallPageTests.fields(form)).status == .seeOther)
                let saved = try #require(try await CallRecord.find(id, on: app.db)).rules()
                #expect(saved.journalNumber == "25/04321")
                #expect(saved.grantTerms == .partnership000)
                #expect(try await Browser(app).get(path).body.string.contains("25/04321"))
            }
        }

        @Test func letterTemplatesAreEditedWithKnownFieldsOnly() async throws {
            try await withTestApp { app in
                let manager = try await Assess.signedIn(app, "fagkonsulent@styrelsen.demo")
                try await manager.get("/admin/brevskabeloner")
                let bad = try await manager.post(
                    "/admin/brevskabeloner",
                    [
                        ("award", "Kære {{modtager}}, {{begrundelse}}"),
                        ("rejection", LetterKind.rejection.defaultTemplate),
                    ])
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.body.string.contains("Ukendt felt {{begrundelse}}"))
                let good = try await manager.post(
                    "/admin/brevskabeloner",
                    [
                        ("award", "Kære {{modtager}}. I får {{beloeb}}"),
                        ("rejection", LetterKind.rejection.defaultTemplate),
                    ])
                #expect(good.status == .seeOther)
                try await Assess.readyForPortfolio(app)
                #expect(try await Assess.propose(app).status == .seeOther)
                let director = try await Assess.signedIn(app, Demo.director)
                let call = try await Assess.call(app)
                try await director.get(Assess.callPath(call) + "/udvaelgelse")
                try await director.post(Assess.callPath(call) + "/afgoerelse/godkend")
                let aarhus = try await Assess.application(app, "Aarhus Kommune")
                let letter = try #require(
                    try await LetterRecord.query(on: app.db).filter(\.$application.$id == aarhus).first())
                #expect(letter.body == "Kære Aarhus Kommune. I får 800.000 kr.")
                let applicant = try await Assess.signedIn(app, "ansoger@esbjerg.demo")
                #expect(try await applicant.get("/admin/brevskabeloner").status == .forbidden)
            }
        }
    }
}
