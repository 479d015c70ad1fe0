import Fluent
import Foundation
import PuljeDomain

/// Every query and write of the activities and their participants.
enum ActivityStore {
    static func activities(of call: UUID, on db: any Database) async throws -> [GrantActivityRecord] {
        try await activities(ofCalls: [call], on: db)
    }

    static func activities(ofCalls calls: [UUID], on db: any Database) async throws -> [GrantActivityRecord] {
        if calls.isEmpty { return [] }
        return try await GrantActivityRecord.query(on: db).filter(\.$call.$id ~~ calls).sort(\.$startsAt).all()
    }

    static func activity(_ id: UUID, on db: any Database) async throws -> GrantActivityRecord? {
        try await GrantActivityRecord.query(on: db).filter(\.$id == id).with(\.$call).first()
    }

    static func schedule(
        _ plan: ActivityPlan, for call: UUID, by name: String, at now: Date, on db: any Database
    ) async throws -> UUID {
        let record = GrantActivityRecord()
        record.$call.id = call
        record.kind = plan.kind.rawValue
        record.title = plan.title
        record.startsAt = plan.startsAt
        record.endsAt = plan.endsAt
        record.place = plan.place
        record.mandatory = plan.mandatory
        record.requiredRolesJSON = GrantStore.encode(plan.requiredRoleIDs)
        record.createdBy = name
        record.createdAt = now
        try await record.create(on: db)
        return try record.requireID()
    }

    /// The case's registrations for the call's activities.
    static func participants(of grantCase: UUID, on db: any Database) async throws -> [ActivityParticipantRecord] {
        try await participants(ofCases: [grantCase], on: db)
    }

    static func participants(ofCases ids: [UUID], on db: any Database) async throws -> [ActivityParticipantRecord] {
        if ids.isEmpty { return [] }
        return try await ActivityParticipantRecord.query(on: db).filter(\.$grantCase.$id ~~ ids)
            .sort(\.$registeredAt).all()
    }

    /// Everyone registered for an activity, with their cases' municipalities.
    static func participants(
        ofActivity activity: UUID, on db: any Database
    ) async throws
        -> [ActivityParticipantRecord]
    {
        try await ActivityParticipantRecord.query(on: db).filter(\.$activity.$id == activity)
            .with(\.$grantCase) { $0.with(\.$organisation) }.sort(\.$registeredAt).all()
    }

    /// Registers a team member; false when they were already registered for the activity (the unique key
    /// decides, so two registrations at the same moment give one row and one "already registered").
    static func register(
        _ member: GrantTeamMemberRecord, for activity: UUID, in grantCase: UUID, by name: String, at now: Date,
        on db: any Database
    ) async throws -> Bool {
        try await db.changedRow(
            """
            INSERT INTO \(ident: ActivityParticipantRecord.schema) (\(ident: "id"), \(ident: "activity_id"),
            \(ident: "case_id"), \(ident: "member_id"), \(ident: "name"), \(ident: "role_id"),
            \(ident: "registered_by"), \(ident: "registered_at"))
            VALUES (\(bind: UUID()), \(bind: activity), \(bind: grantCase), \(bind: try member.requireID()),
            \(bind: member.name), \(bind: member.roleID), \(bind: name), \(bind: now))
            ON CONFLICT DO NOTHING RETURNING \(ident: "id")
            """)
    }

    /// Withdraws a registration of the case; the one withdrawn, or nil when the case has no such registration.
    static func unregister(
        _ participant: UUID, of grantCase: UUID, on db: any Database
    ) async throws -> ActivityParticipantRecord? {
        guard
            let record = try await ActivityParticipantRecord.query(on: db).filter(\.$id == participant)
                .filter(\.$grantCase.$id == grantCase).with(\.$activity).first()
        else { return nil }
        try await record.delete(on: db)
        return record
    }

    /// Records who attended: every participant of the activity is marked present or absent.
    static func recordAttendance(
        of activity: UUID, present: Set<UUID>, by name: String, on db: any Database
    ) async throws {
        for participant in try await ActivityParticipantRecord.query(on: db).filter(\.$activity.$id == activity).all() {
            participant.attended = present.contains(try participant.requireID())
            participant.attendanceBy = name
            try await participant.update(on: db)
        }
    }
}
