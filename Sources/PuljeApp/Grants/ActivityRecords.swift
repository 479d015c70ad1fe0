import Fluent
import Foundation
import PuljeDomain

/// An activity staff schedule for the municipalities of a call: start-up, competence day, network meeting …
final class GrantActivityRecord: Model, @unchecked Sendable {
    static let schema = "grant_activities"

    @ID(key: .id) var id: UUID?
    @Parent(key: "call_id") var call: CallRecord
    @Field(key: "kind") var kind: String
    @Field(key: "title") var title: String
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    @Field(key: "place") var place: String
    @Field(key: "mandatory") var mandatory: Bool
    /// The team roles that must attend, as `[String]` JSON.
    @Field(key: "required_roles_json") var requiredRolesJSON: String
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var activityKind: ActivityKind { ActivityKind(rawValue: kind) ?? .networkMeeting }
    var requiredRoleIDs: [String] {
        (try? JSONDecoder().decode([String].self, from: Data(requiredRolesJSON.utf8))) ?? []
    }
}

/// Someone a municipality registered for an activity, and (once it has begun) whether they attended.
final class ActivityParticipantRecord: Model, @unchecked Sendable {
    static let schema = "activity_participants"

    @ID(key: .id) var id: UUID?
    @Parent(key: "activity_id") var activity: GrantActivityRecord
    @Parent(key: "case_id") var grantCase: GrantCaseRecord
    /// The team member registered; name and role are copied, so the record stands if the member leaves.
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "name") var name: String
    @Field(key: "role_id") var roleID: String
    @Field(key: "registered_by") var registeredBy: String
    @Field(key: "registered_at") var registeredAt: Date
    /// nil until staff record attendance.
    @OptionalField(key: "attended") var attended: Bool?
    @OptionalField(key: "attendance_by") var attendanceBy: String?

    init() {}
}
