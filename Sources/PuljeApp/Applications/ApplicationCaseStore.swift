import Fluent
import Foundation
import PuljeDomain
import Vapor

/// The reads that build an `ApplicationCase`: the application with its call and people, the colleagues on
/// it, an assessor's declaration, the rules it is measured against, its messages, files and outcome.
enum ApplicationCaseStore {
    static func application(_ id: UUID, on db: any Database) async throws -> ApplicationRecord? {
        try await ApplicationRecord.query(on: db).filter(\.$id == id)
            .with(\.$call).with(\.$responsible).with(\.$organisation).first()
    }

    /// The colleagues invited to write on an application (besides the responsible person).
    static func contributors(of id: UUID, on db: any Database) async throws -> [UserRecord] {
        try await ApplicationContributorRecord.query(on: db).filter(\.$application.$id == id).with(\.$user).all()
            .map(\.user)
    }

    /// Whether the user is assigned to assess the application, and with which declaration (none yet, or
    /// their declaration of conflicts of interest).
    static func assignment(
        of user: UUID, on application: UUID, on db: any Database
    ) async throws -> CaseAccess.Assignment {
        guard
            let record = try await AssessorAssignmentRecord.query(on: db)
                .filter(\.$application.$id == application).filter(\.$assessor.$id == user).first()
        else { return .notAssigned }
        return .assigned(record.conflictDeclaration)
    }

    /// The rules an application is measured against: the version it was submitted under, else the current ones.
    static func rules(
        of application: ApplicationRecord, call: CallRecord, on db: any Database
    ) async throws -> CallRules {
        if let version = application.callVersion, version != call.version,
            let snapshot = try await CallVersionRecord.query(on: db).filter(\.$call.$id == call.requireID())
                .filter(\.$version == version).first()
        {
            return try CallJSON.decoder.decode(CallRules.self, from: Data(snapshot.rulesJSON.utf8))
        }
        return try call.rules()
    }

    static func messages(of id: UUID, on db: any Database) async throws -> [ApplicationMessageRecord] {
        try await ApplicationMessageRecord.query(on: db).filter(\.$application.$id == id)
            .with(\.$files).sort(\.$createdAt).all()
    }

    static func attachments(of id: UUID, on db: any Database) async throws -> [ApplicationAttachmentRecord] {
        try await ApplicationAttachmentRecord.query(on: db).filter(\.$application.$id == id)
            .sort(\.$uploadedAt).all()
    }

    /// The letters and, once decided, the assessment summary of an application, for its case page.
    static func outcome(of id: UUID, on db: any Database) async throws -> CaseOutcome? {
        let letters = try await LetterRecord.query(on: db).filter(\.$application.$id == id).sort(\.$createdAt).all()
        let requests = try await InformationRequestRecord.query(on: db).filter(\.$application.$id == id)
            .sort(\.$requestedAt).all()
        guard !letters.isEmpty || !requests.isEmpty else { return nil }
        let consensus = try await ConsensusRecord.query(on: db).filter(\.$application.$id == id).all()
        return CaseOutcome(letters: letters, requests: requests, consensus: letters.isEmpty ? [] : consensus)
    }

    /// The e-mail addresses of everyone on an application (its responsible person is loaded with it).
    static func recipients(of application: ApplicationRecord, on db: any Database) async throws -> [String] {
        let contributors = try await contributors(of: application.requireID(), on: db)
        return ([application.responsible] + contributors).map(\.email)
    }

    static func attachment(
        _ id: UUID, of application: UUID, on db: any Database
    ) async throws -> ApplicationAttachmentRecord? {
        try await ApplicationAttachmentRecord.query(on: db).filter(\.$id == id)
            .filter(\.$application.$id == application).first()
    }

    static func add(_ attachment: ApplicationAttachmentRecord, on db: any Database) async throws {
        try await attachment.create(on: db)
    }

    static func remove(_ attachment: ApplicationAttachmentRecord, on db: any Database) async throws {
        try await attachment.delete(on: db)
    }

    /// Writes a message and the row of its file; the new file's id (its bytes are stored under it), if any.
    static func add(
        _ message: ApplicationMessageRecord, file: AttachmentFiles.CheckedFile?, on db: any Database
    ) async throws -> UUID? {
        try await message.create(on: db)
        guard let file else { return nil }
        let record = MessageAttachmentRecord()
        let fileID = UUID()
        record.id = fileID
        record.$message.id = try message.requireID()
        record.fileName = file.name
        record.contentType = file.type.contentType
        record.bytes = file.bytes.count
        record.sha256 = SHA256Hex.of(file.bytes)
        try await record.create(on: db)
        return fileID
    }

    /// The e-mail addresses of agency staff who have written in the case.
    static func agencyWriters(of application: UUID, on db: any Database) async throws -> [String] {
        try await ApplicationMessageRecord.query(on: db).filter(\.$application.$id == application)
            .filter(\.$fromAgency == true).with(\.$author).all().map(\.author.email)
    }
}
