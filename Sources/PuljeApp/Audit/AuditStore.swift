import Fluent
import PuljeDomain
import SQLKit
import Vapor

/// One change a user made: who, their organisation, when, what and to which thing.
/// Entries are only ever appended.
final class AuditEntryRecord: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @Field(key: "organisation_name") var organisationName: String
    @Field(key: "action") var action: String
    @Field(key: "entity_type") var entityType: String
    @Field(key: "entity_id") var entityID: String
    @Field(key: "summary") var summary: String
    @Field(key: "address") var address: String

    init() {}
}

/// What an audit entry is about, such as ("initiative", "2022/1.8").
struct AuditSubject: Sendable {
    var type: String
    var id: String

    static func initiative(year: Int, number: String) -> AuditSubject {
        .init(type: "initiative", id: "\(year)/\(number)")
    }
    static func call(_ id: UUID) -> AuditSubject { .init(type: "call", id: id.pathValue) }
    static func application(_ id: UUID) -> AuditSubject { .init(type: "application", id: id.pathValue) }
    static func grantCase(_ id: UUID) -> AuditSubject { .init(type: "grant-case", id: id.pathValue) }
    static func user(_ id: UUID) -> AuditSubject { .init(type: "user", id: id.pathValue) }
    static func organisation(_ id: UUID) -> AuditSubject { .init(type: "organisation", id: id.pathValue) }
    static func session(email: String) -> AuditSubject { .init(type: "session", id: email) }
    static func businessCase(_ id: UUID) -> AuditSubject { .init(type: "business-case", id: id.pathValue) }
    static let priceIndex = AuditSubject(type: "price-index", id: "nettoprisindeks")
    static func instrument(_ key: String) -> AuditSubject { .init(type: "instrument", id: key) }
    static func evaluation(_ id: UUID) -> AuditSubject { .init(type: "evaluation", id: id.pathValue) }
    static func phaseCriteria(_ phase: SUSIPhase) -> AuditSubject { .init(type: "phase-criteria", id: phase.rawValue) }
}

/// Who made a change, from where and when, as the audit log records it.
struct AuditActor: Sendable {
    var id: UUID?
    var name: String
    var organisationID: UUID?
    var organisationName: String
    var address: String
    var at: Date

    init(user: CurrentUser?, request: Request) {
        id = user?.id
        name = user.map { "\($0.name) <\($0.email)>" } ?? "Ikke logget ind"
        organisationID = user?.organisationID
        organisationName = user?.organisationName ?? ""
        address = request.clientAddress
        at = request.application.now()
    }

    /// A change made from the command line on the server itself.
    static func command(_ name: String, at: Date) -> AuditActor {
        AuditActor(id: nil, name: name, organisationID: nil, organisationName: "", address: "lokal", at: at)
    }

    private init(id: UUID?, name: String, organisationID: UUID?, organisationName: String, address: String, at: Date) {
        self.id = id
        self.name = name
        self.organisationID = organisationID
        self.organisationName = organisationName
        self.address = address
        self.at = at
    }
}

/// The one way to write an audit entry. Call it on the same database (transaction) as the change.
enum AuditLog {
    static func record(
        _ action: AuditAction, subject: AuditSubject, summary: String, actor: AuditActor, on db: any Database
    ) async throws {
        // SQL text: an entry is written with every save, and model reflection showed in profiles there.
        try await db.sql.raw(insert(action, subject: subject, summary: summary, actor: actor)).run()
    }

    /// The entry's INSERT: with its VALUES, or, given `forEachRowOf`, one entry for each row of that
    /// statement's result (a WITH of the same statement), returning the entries' ids. This is how a change
    /// and its entry become one statement (`ApplicationStore.quickSave` on PostgreSQL).
    static func insert(
        _ action: AuditAction, subject: AuditSubject, summary: String, actor: AuditActor,
        forEachRowOf source: String? = nil
    ) -> SQLQueryString {
        let head: SQLQueryString = """
            INSERT INTO \(ident: AuditEntryRecord.schema) (\(ident: "id"), \(ident: "at"), \(ident: "actor_id"),
            \(ident: "actor_name"), \(ident: "organisation_id"), \(ident: "organisation_name"), \(ident: "action"),
            \(ident: "entity_type"), \(ident: "entity_id"), \(ident: "summary"), \(ident: "address"))
            """
        let values: SQLQueryString = """
            \(bind: UUID()), \(bind: actor.at), \(bind: actor.id), \(bind: actor.name),
            \(bind: actor.organisationID), \(bind: actor.organisationName), \(bind: action.rawValue),
            \(bind: subject.type), \(bind: subject.id), \(bind: summary), \(bind: actor.address)
            """
        guard let source else { return head + " VALUES (" + values + ")" }
        return head + " SELECT " + values + " FROM \(ident: source) RETURNING \(ident: "id")"
    }

    static func record(
        _ action: AuditAction, subject: AuditSubject, summary: String, by user: CurrentUser?, on db: any Database,
        request: Request
    ) async throws {
        try await record(
            action, subject: subject, summary: summary, actor: AuditActor(user: user, request: request), on: db)
    }

    static func history(of subject: AuditSubject, on db: any Database) async throws -> [AuditEntryRecord] {
        try await AuditEntryRecord.query(on: db)
            .filter(\.$entityType == subject.type)
            .filter(\.$entityID == subject.id)
            .sort(\.$at, .descending)
            .all()
    }
}
