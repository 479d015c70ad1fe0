import Fluent
import Foundation
import PuljeDomain
import SQLKit

/// Every query and write of the OpenID Connect sign-in: pending requests, linked identities, CVR numbers.
enum ExternalSignInStore {
    /// How long a sign-in begun at the provider may take before its return is refused.
    static let requestLifetime: TimeInterval = 10 * 60

    /// Sign-ins begun and not yet returned from, above which a new one waits: each costs a row, and anyone
    /// can begin one.
    static let maximumPending = 20_000

    static func pendingRequests(since now: Date, on db: any Database) async throws -> Int {
        try await SignInRequestRecord.query(on: db).filter(\.$createdAt >= now.addingTimeInterval(-requestLifetime))
            .count()
    }

    static func saveRequest(
        stateHash: String, browserHash: String, nonce: String, verifier: String, next: String?, at now: Date,
        on db: any Database
    ) async throws {
        // Requests never returned from are swept by the next one.
        try await SignInRequestRecord.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-requestLifetime))
            .delete()
        let record = SignInRequestRecord()
        record.stateHash = stateHash
        record.browserHash = browserHash
        record.nonce = nonce
        record.codeVerifier = verifier
        record.next = next
        record.createdAt = now
        try await record.create(on: db)
    }

    /// Takes the request with the state, once: the row is deleted in the same statement, so a second return
    /// with the same state (a replay) finds nothing, on any instance.
    static func takeRequest(stateHash: String, on db: any Database) async throws -> SignInRequestRecord? {
        guard
            let row = try await db.sql.raw(
                """
                DELETE FROM \(ident: SignInRequestRecord.schema) WHERE \(ident: "state_hash") = \(bind: stateHash)
                RETURNING \(ident: "browser_hash"), \(ident: "nonce"), \(ident: "code_verifier"), \(ident: "next"),
                \(ident: "created_at")
                """
            ).first()
        else { return nil }
        let record = SignInRequestRecord()
        record.stateHash = stateHash
        record.browserHash = try row.decode(column: "browser_hash", as: String.self)
        record.nonce = try row.decode(column: "nonce", as: String.self)
        record.codeVerifier = try row.decode(column: "code_verifier", as: String.self)
        record.next = try row.decode(column: "next", as: String?.self)
        record.createdAt = try row.decode(column: "created_at", as: Date.self)
        return record
    }

    static func linkedUser(issuer: String, subject: String, on db: any Database) async throws -> UserRecord? {
        try await UserRecord.query(on: db).filter(\.$externalIssuer == issuer).filter(\.$externalSubject == subject)
            .with(\.$organisation).first()
    }

    static func user(email: String, on db: any Database) async throws -> UserRecord? {
        try await UserRecord.query(on: db).filter(\.$email == email).with(\.$organisation).first()
    }

    static func organisation(cvr: CVRNumber, on db: any Database) async throws -> OrganisationRecord? {
        try await OrganisationRecord.query(on: db).filter(\.$cvr == cvr.digits).first()
    }

    /// Links a user to an identity; false when the user is already linked to another one.
    static func link(_ user: UUID, issuer: String, subject: String, on db: any Database) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: UserRecord.schema) SET \(ident: "external_issuer") = \(bind: issuer),
            \(ident: "external_subject") = \(bind: subject)
            WHERE \(ident: "id") = \(bind: user) AND \(ident: "external_issuer") IS NULL RETURNING \(ident: "id")
            """)
    }

    /// Sets (or clears) an organisation's CVR number; false when another organisation has it.
    static func setCVR(_ cvr: CVRNumber?, of organisation: UUID, on db: any Database) async throws -> Bool {
        if let cvr,
            try await OrganisationRecord.query(on: db).filter(\.$cvr == cvr.digits).filter(\.$id != organisation)
                .count() > 0
        {
            return false
        }
        try await db.sql.raw(
            """
            UPDATE \(ident: OrganisationRecord.schema) SET \(ident: "cvr") = \(bind: cvr?.digits)
            WHERE \(ident: "id") = \(bind: organisation)
            """
        ).run()
        return true
    }
}
