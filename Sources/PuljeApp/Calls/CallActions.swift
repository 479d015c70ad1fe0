import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// The call's use cases: create as a draft, change (as a new version once applications were submitted under
/// the current one) and publish. Each writes through the write path with its audit entry and returns the
/// message for the user; field errors are thrown as `FormErrors`, nothing saved.
enum CallActions {
    /// A new call as a draft; titles are unique. Returns the call's id and the message.
    static func create(_ valid: CallForm.Valid, by user: CurrentUser, req: Request) async throws -> (UUID, String) {
        if try await CallStore.titleTaken(valid.title, on: req.db) {
            throw FormErrors("title", "Der findes allerede en pulje med titlen \"\(valid.title)\".")
        }
        let call = CallRecord()
        call.title = valid.title
        call.summary = valid.summary
        call.targetGroup = valid.targetGroup
        call.initiativeNumber = valid.initiativeNumber
        call.status = CallStatus.draft.rawValue
        call.version = 1
        try call.setRules(valid.rules)
        try await req.writeTransaction { db in
            try await CallStore.create(call, on: db)
            try await AuditLog.record(
                .callCreate, subject: .call(try call.requireID()),
                summary: "Pulje \"\(valid.title)\" oprettet som kladde.", by: user, on: db, request: req)
        }
        return (try call.requireID(), "Puljen er gemt som kladde. Den kan offentliggøres, når den er fuldstændig.")
    }

    /// Saves the call. If an application has been submitted under the current version of its rules, the
    /// change becomes a new version, so what was submitted keeps the rules it was submitted under. A
    /// published call must stay complete, and the scoring scale cannot change under submitted applications.
    static func update(
        _ call: CallRecord, to typed: CallForm.Valid, by user: CurrentUser, req: Request
    ) async throws -> String {
        let oldRules = try call.rules()
        let callID = try call.requireID()
        // The grant terms change only while no grant case runs under them; a form without them keeps them.
        var kept = typed
        if !typed.termsTyped { kept.rules.grantTerms = oldRules.grantTerms }
        let valid = kept
        if valid.rules.terms != oldRules.terms, try await GrantStore.caseCount(ofCall: callID, on: req.db) > 0 {
            throw FormErrors(
                "teamRoles",
                "Puljen har tilskudssager, der løber under de nuværende vilkår; vilkårene kan ikke længere ændres.")
        }
        if call.callStatus == .published, !valid.rules.missingForPublication().isEmpty {
            var errors = FormErrors()
            for missing in valid.rules.missingForPublication() {
                errors.add("title", "En offentliggjort pulje skal være fuldstændig: \(missing) mangler.")
            }
            throw errors
        }
        let submitted = try await CallStore.submittedCount(of: callID, on: req.db)
        if let problem = ScoringScale.changeProblem(
            from: oldRules.scale, to: valid.rules.scale, submittedApplications: submitted)
        {
            throw FormErrors("scaleMinimum", problem)
        }
        let submittedUnderCurrent = try await CallStore.submittedCount(
            of: callID, underVersion: call.version, on: req.db)
        var changes: [String] = []
        if call.title != valid.title { changes.append("Titel: \"\(call.title)\" → \"\(valid.title)\"") }
        if call.summary != valid.summary { changes.append("Beskrivelse ændret") }
        if call.targetGroup != valid.targetGroup { changes.append("Målgruppe ændret") }
        if oldRules.deadline != valid.rules.deadline {
            changes.append(
                "Frist: \(oldRules.deadline?.danishText ?? "ingen") → \(valid.rules.deadline?.danishText ?? "ingen")")
        }
        if oldRules.terms != valid.rules.terms { changes.append("Vilkår for tilskudssagerne ændret") }
        var otherRules = oldRules
        otherRules.grantTerms = valid.rules.grantTerms
        if otherRules != valid.rules && oldRules.deadline == valid.rules.deadline { changes.append("Regler ændret") }
        guard !changes.isEmpty || call.initiativeNumber != valid.initiativeNumber else {
            return "Der var ingen ændringer at gemme."
        }
        let newVersion = submittedUnderCurrent > 0
        if newVersion {
            changes.append(
                "Ny version \(call.version + 1): \(submittedUnderCurrent) indsendte ansøgninger beholder reglerne fra version \(call.version)."
            )
        }
        let summary = changes.joined(separator: "\n")
        try await req.writeTransaction { db in
            call.title = valid.title
            call.summary = valid.summary
            call.targetGroup = valid.targetGroup
            call.initiativeNumber = valid.initiativeNumber
            try call.setRules(valid.rules)
            try await CallStore.save(call, asNewVersion: newVersion, on: db)
            try await AuditLog.record(
                .callUpdate, subject: .call(callID), summary: summary, by: user, on: db, request: req)
        }
        return newVersion ? "Ændringerne er gemt som version \(call.version) af puljen." : "Ændringerne er gemt."
    }

    /// What a call lacks before it can be published (`CallRules.missingForPublication`).
    struct Incomplete: Error {
        var missing: [String]
    }

    /// Publishes a complete draft; an incomplete one is refused with what is missing.
    static func publish(_ call: CallRecord, by user: CurrentUser, req: Request) async throws -> String {
        let rules = try call.rules()
        let missing = rules.missingForPublication()
        guard missing.isEmpty else { throw Incomplete(missing: missing) }
        guard call.callStatus == .draft else { return "Puljen er allerede offentliggjort." }
        let now = req.application.now()
        try await req.writeTransaction { db in
            try await CallStore.publish(call, at: now, on: db)
            try await AuditLog.record(
                .callPublish, subject: .call(try call.requireID()),
                summary: "Offentliggjort med frist \(rules.deadline?.danishText ?? "")", by: user, on: db, request: req)
        }
        return "Puljen er offentliggjort."
    }
}
