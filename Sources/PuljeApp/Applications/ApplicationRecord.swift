import Fluent
import Foundation
import PuljeDomain
import SQLKit
import Vapor

/// An application of one organisation to one call. Saves are optimistic: each carries the version it
/// started from, and a save from an older version is refused as a conflict, never applied.
final class ApplicationRecord: Model, @unchecked Sendable {
    static let schema = "applications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "call_id") var call: CallRecord
    @Parent(key: "organisation_id") var organisation: OrganisationRecord
    @Parent(key: "responsible_id") var responsible: UserRecord
    @Field(key: "status") var status: String
    @Field(key: "version") var version: Int
    /// Set when the application is created; no longer read (saves say who won by `RETURNING`).
    @Field(key: "save_token") var saveToken: UUID
    @Field(key: "content_json") var contentJSON: String
    @Field(key: "last_saved_at") var lastSavedAt: Date
    @Field(key: "last_saved_by") var lastSavedBy: String
    @OptionalField(key: "submission_number") var submissionNumber: String?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "submitted_by") var submittedBy: String?
    @OptionalField(key: "digest") var digest: String?
    @OptionalField(key: "submitted_content_json") var submittedContentJSON: String?
    @OptionalField(key: "call_version") var callVersion: Int?
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?
    /// The form's fields as last posted, when some of them could not be read (`ApplicationForm.pairs`);
    /// nil when everything typed is in the content.
    @OptionalField(key: "unread_input_json") var unreadInputJSON: String?
    @OptionalField(key: "approved_by") var approvedBy: String?
    @OptionalField(key: "approved_at") var approvedAt: Date?
    @OptionalField(key: "approved_version") var approvedVersion: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var applicationStatus: ApplicationStatus { ApplicationStatus(rawValue: status) ?? .draft }

    /// The signatory's approval, if given.
    var approval: ApplicationApproval? {
        guard let approvedBy, let approvedAt, let approvedVersion else { return nil }
        return ApplicationApproval(by: approvedBy, at: approvedAt, version: approvedVersion)
    }

    func content() throws -> ApplicationContent {
        try JSONDecoder().decode(ApplicationContent.self, from: Data(contentJSON.utf8))
    }

    /// The form as the user last typed it, where part of it could not be read; nil when all of it could.
    func unreadInput() -> ApplicationForm? {
        unreadPairs().map(ApplicationForm.init(pairs:))
    }

    /// The fields as last posted, where part of them could not be read; nil when all of them could.
    func unreadPairs() -> [FormPair]? {
        guard let json = unreadInputJSON, let pairs = try? JSONDecoder().decode([[String]].self, from: Data(json.utf8))
        else { return nil }
        return pairs.compactMap { $0.count == 2 ? FormPair(key: $0[0], value: $0[1]) : nil }
    }

    /// What was submitted, frozen; nil for a draft.
    func submittedContent() throws -> ApplicationContent? {
        guard let json = submittedContentJSON else { return nil }
        return try JSONDecoder().decode(ApplicationContent.self, from: Data(json.utf8))
    }
}

final class ApplicationContributorRecord: Model, @unchecked Sendable {
    static let schema = "application_contributors"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: ApplicationRecord
    @Parent(key: "user_id") var user: UserRecord

    init() {}
    init(applicationID: UUID, userID: UUID) {
        self.$application.id = applicationID
        self.$user.id = userID
    }
}
