import Fluent
import Foundation
import NIOConcurrencyHelpers
import PuljeDomain
import Vapor

/// A call (ansøgningspulje). Its rules are stored as one JSON document and versioned as a whole:
/// once an application has been submitted under a version, a change makes a new version.
final class CallRecord: Model, @unchecked Sendable {
    static let schema = "calls"

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Field(key: "summary") var summary: String
    @Field(key: "target_group") var targetGroup: String
    @OptionalField(key: "initiative_number") var initiativeNumber: String?
    @Field(key: "status") var status: String
    @Field(key: "version") var version: Int
    @Field(key: "rules_json") var rulesJSON: String
    /// Copies of the rules' times, for listing open, upcoming and closed calls.
    @OptionalField(key: "opens_at") var opensAt: Date?
    @OptionalField(key: "deadline_at") var deadlineAt: Date?
    @OptionalField(key: "published_at") var publishedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var callStatus: CallStatus { CallStatus(rawValue: status) ?? .draft }

    func rules() throws -> CallRules {
        try CallJSON.rules(rulesJSON)
    }

    func setRules(_ rules: CallRules) throws {
        rulesJSON = String(decoding: try CallJSON.encoder.encode(rules), as: UTF8.self)
        opensAt = rules.opensAt
        deadlineAt = rules.deadline?.instant
    }
}

/// Every version of a call's rules that applications may have been submitted under.
final class CallVersionRecord: Model, @unchecked Sendable {
    static let schema = "call_versions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "call_id") var call: CallRecord
    @Field(key: "version") var version: Int
    @Field(key: "title") var title: String
    @Field(key: "rules_json") var rulesJSON: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(call: CallRecord) throws {
        self.$call.id = try call.requireID()
        self.version = call.version
        self.title = call.title
        self.rulesJSON = call.rulesJSON
    }
}

enum CallJSON {
    /// Decoded rules by their JSON text: every save checks against its call's rules, and at the deadline
    /// surge most saves are to a handful of calls. A changed call has other text, so it is never stale.
    private static let cache = NIOLockedValueBox<[String: CallRules]>([:])

    static func rules(_ json: String) throws -> CallRules {
        if let rules = cache.withLockedValue({ $0[json] }) { return rules }
        let rules = try decoder.decode(CallRules.self, from: Data(json.utf8))
        cache.withLockedValue { cache in
            if cache.count >= 64 { cache.removeAll() }
            cache[json] = rules
        }
        return rules
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
