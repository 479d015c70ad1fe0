import Fluent
import Foundation
import PuljeDomain

/// Every query and write of the activities and their participants.
enum ActivityStore {
    static func activities(of call: UUID, on db: any Database) async throws -> [GrantActivityRecord] {
        try await GrantActivityRecord.query(on: db).filter(\.$call.$id == call).sort(\.$startsAt).all()
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
        try await ActivityParticipantRecord.query(on: db).filter(\.$grantCase.$id == grantCase)
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

    /// Registers a team member; false when they were already registered for the activity.
    static func register(
        _ member: GrantTeamMemberRecord, for activity: UUID, in grantCase: UUID, by name: String, at now: Date,
        on db: any Database
    ) async throws -> Bool {
        let memberID = try member.requireID()
        let existing = try await ActivityParticipantRecord.query(on: db).filter(\.$activity.$id == activity)
            .filter(\.$memberID == memberID).count()
        guard existing == 0 else { return false }
        let record = ActivityParticipantRecord()
        record.$activity.id = activity
        record.$grantCase.id = grantCase
        record.memberID = memberID
        record.name = member.name
        record.roleID = member.roleID
        record.registeredBy = name
        record.registeredAt = now
        try await record.create(on: db)
        return true
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
