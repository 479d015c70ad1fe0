import Fluent
import Foundation
import PuljeDomain
import Testing
import Vapor

@testable import PuljeApp

/// Where a guide says the application is approved by the director (001, 003), a municipal signatory approves
/// it in Pulje before it can be submitted, recorded with name and time; a change afterwards needs a new one.
extension AppTests {
    @Suite struct ApprovalTests {
        typealias Flow = ApplicationFlowTests

        @Test func aSignatoryApprovesTheSavedVersionBeforeSubmission() async throws {
            try await withTestApp { app in
                let clock = TestClock(Flow.winter.instant.addingTimeInterval(-3600))
                app.now = { clock.now }
                let call = try await makeCall(
                    app, deadline: Flow.winter,
                    requiredApproval: "ved direktørunderskrift (eller tilsvarende ledelsesniveau)")
                let amalie = Browser(app)
                let (id, path) = try await Flow.start(app, amalie, call: call)
                try await amalie.post(path, completeApplication(version: 1))
                // Complete, but not approved: refused with the reason, at the approval.
                let early = try await amalie.post(path + "/indsend", [("version", "2")])
                #expect(early.status == .unprocessableEntity)
                #expect(early.body.string.contains("skal godkendes af en tegningsberettiget"))
                // The writer cannot approve her own application (she is no signatory).
                let own = try await amalie.post(path + "/godkend", [("version", "2")])
                #expect(own.status == .forbidden)
                // The signatory of Aarhus sees the draft, read-only, with the button.
                let camilla = Browser(app)
                try await camilla.signIn("chef@aarhus.demo")
                let page = try await camilla.get(path).body.string
                #expect(page.contains("Godkend ansøgningen") && page.contains("ved direktørunderskrift"))
                // Approving an older version than the saved one is refused without recording anything.
                let stale = try await camilla.post(path + "/godkend", [("version", "1")])
                #expect(stale.status == .seeOther)
                #expect(try await ApplicationRecord.find(id, on: app.db)?.approval == nil)
                #expect(try await camilla.post(path + "/godkend", [("version", "2")]).status == .seeOther)
                let approval = try #require(try await ApplicationRecord.find(id, on: app.db)?.approval)
                #expect(approval.by == "Camilla Chef" && approval.version == 2)
                // A save after the approval needs a new approval.
                try await amalie.post(path, completeApplication(version: 2, title: "Ændret titel"))
                let changed = try await amalie.post(path + "/indsend", [("version", "3")])
                #expect(changed.status == .unprocessableEntity)
                #expect(changed.body.string.contains("ændret, efter at Camilla Chef godkendte den"))
                #expect(try await camilla.post(path + "/godkend", [("version", "3")]).status == .seeOther)
                let submitted = try await amalie.post(path + "/indsend", [("version", "3")])
                #expect(submitted.status == .seeOther)
                #expect(try await ApplicationRecord.find(id, on: app.db)?.applicationStatus == .submitted)
                // Audited with who approved.
                let entries = try await AuditEntryRecord.query(on: app.db)
                    .filter(\.$action == AuditAction.applicationApprove.rawValue).all()
                #expect(entries.count == 2 && entries.allSatisfy { $0.actorName.contains("Camilla Chef") })
            }
        }

        @Test func anotherMunicipalitysSignatoryCannotApprove() async throws {
            try await withTestApp { app in
                let clock = TestClock(Flow.winter.instant.addingTimeInterval(-3600))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: Flow.winter, requiredApproval: "ved direktørunderskrift")
                let amalie = Browser(app)
                let (id, path) = try await Flow.start(app, amalie, call: call)
                let ole = Browser(app)
                try await ole.signIn("ansoger@odense.demo")
                let foreign = try await ole.post(path + "/godkend", [("version", "1")])
                #expect(foreign.status == .notFound)
                #expect(try await ApplicationRecord.find(id, on: app.db)?.approval == nil)
            }
        }

        @Test func withoutARequirementThereIsNothingToApprove() async throws {
            try await withTestApp { app in
                let clock = TestClock(Flow.winter.instant.addingTimeInterval(-3600))
                app.now = { clock.now }
                let call = try await makeCall(app, deadline: Flow.winter)
                let amalie = Browser(app)
                let (_, path) = try await Flow.start(app, amalie, call: call)
                #expect(!(try await amalie.get(path).body.string.contains("Godkendelse før indsendelse")))
                let camilla = Browser(app)
                try await camilla.signIn("chef@aarhus.demo")
                #expect(try await camilla.post(path + "/godkend", [("version", "1")]).status == .notFound)
            }
        }

        @Test func theGuidesThatRequireApprovalSayWho() {
            #expect(CallSeeds.citizenAtTheHelm.rules.requiredApproval == "ved direktørunderskrift på ansøgningen")
            #expect(
                CallSeeds.familyModelsRoundOne.rules.requiredApproval
                    == "ved direktørunderskrift (eller tilsvarende ledelsesniveau)")
            #expect(CallSeeds.healthOnResidentialFacilities.rules.requiredApproval == nil)
            #expect(CallSeeds.citizenAtTheHelm.rules.minimumConditions.contains { $0.id == "betinget-stoette" })
            #expect(CallSeeds.familyModelsRoundOne.rules.minimumConditions.contains { $0.id == "betinget-stoette" })
            #expect(
                CallSeeds.healthOnResidentialFacilities.rules.minimumConditions.map(\.id).contains(
                    "faelles-beslutninger"))
        }
    }
}
