import Fluent
import Foundation
import PuljeDomain
import Vapor

/// The calls' queries and writes.
enum CallStore {
    /// The call of the request's path that the user may see: a published call, or a draft for staff who
    /// manage calls; anything else is "not found".
    static func visible(_ req: Request) async throws -> CallRecord {
        guard let id = req.parameters.get("callID", as: UUID.self),
            let call = try await CallRecord.find(id, on: req.db),
            call.callStatus == .published || req.currentUser?.may(.manageCalls) == true
        else { throw PuljeError(.notFound, "Puljen findes ikke.") }
        return call
    }

    /// Every call, latest deadline first; drafts only for staff.
    static func all(includingDrafts: Bool, on db: any Database) async throws -> [CallRecord] {
        var query = CallRecord.query(on: db).sort(\.$deadlineAt, .descending)
        if !includingDrafts { query = query.filter(\.$status == CallStatus.published.rawValue) }
        return try await query.all()
    }

    /// The organisation's application to the call that is not withdrawn, if any.
    static func application(
        to call: UUID, from organisation: UUID, on db: any Database
    ) async throws -> ApplicationRecord? {
        try await ApplicationRecord.query(on: db)
            .filter(\.$call.$id == call).filter(\.$organisation.$id == organisation)
            .filter(\.$status != ApplicationStatus.withdrawn.rawValue).first()
    }

    /// Every call under an initiative ("1.8"), drafts included (only decided calls have grant cases).
    static func calls(ofInitiative number: String, on db: any Database) async throws -> [CallRecord] {
        try await CallRecord.query(on: db).filter(\.$initiativeNumber == number).all()
    }

    /// The calls with these ids (none for none).
    static func records(_ ids: [UUID], on db: any Database) async throws -> [CallRecord] {
        if ids.isEmpty { return [] }
        return try await CallRecord.query(on: db).filter(\.$id ~~ ids).all()
    }

    static func title(of id: UUID, on db: any Database) async throws -> String? {
        try await CallRecord.find(id, on: db)?.title
    }

    static func titleTaken(_ title: String, on db: any Database) async throws -> Bool {
        try await CallRecord.query(on: db).filter(\.$title == title).first() != nil
    }

    /// Applications submitted to the call and not withdrawn.
    static func submittedCount(of call: UUID, on db: any Database) async throws -> Int {
        try await ApplicationRecord.query(on: db).filter(\.$call.$id == call)
            .filter(\.$submittedAt != nil).filter(\.$status != ApplicationStatus.withdrawn.rawValue).count()
    }

    /// Applications submitted under a version of the call's rules.
    static func submittedCount(of call: UUID, underVersion version: Int, on db: any Database) async throws -> Int {
        try await ApplicationRecord.query(on: db).filter(\.$call.$id == call).filter(\.$callVersion == version)
            .count()
    }

    /// Creates the call with its first version of rules.
    static func create(_ call: CallRecord, on db: any Database) async throws {
        try await call.create(on: db)
        try await CallVersionRecord(call: call).create(on: db)
    }

    /// Saves the call's changes: as a new version (what was submitted keeps the old rules) or into the
    /// current one.
    static func save(_ call: CallRecord, asNewVersion newVersion: Bool, on db: any Database) async throws {
        let callID = try call.requireID()
        if newVersion {
            call.version += 1
            try await call.save(on: db)
            try await CallVersionRecord(call: call).create(on: db)
        } else {
            try await call.save(on: db)
            try await CallVersionRecord.query(on: db).filter(\.$call.$id == callID)
                .filter(\.$version == call.version)
                .set(\.$rulesJSON, to: call.rulesJSON).set(\.$title, to: call.title).update()
        }
    }

    static func publish(_ call: CallRecord, at now: Date, on db: any Database) async throws {
        call.status = CallStatus.published.rawValue
        call.publishedAt = now
        try await call.save(on: db)
    }

    /// A published call by id; nil for a draft or an unknown id.
    static func published(_ id: UUID, on db: any Database) async throws -> CallRecord? {
        guard let call = try await CallRecord.find(id, on: db), call.callStatus == .published else { return nil }
        return call
    }
}
