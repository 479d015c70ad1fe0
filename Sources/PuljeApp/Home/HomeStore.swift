import Fluent
import Foundation
import PuljeDomain
import Vapor

/// What waits for the signed-in user, for the front page: the municipality's drafts and approvals, the
/// agency's screenings, assessments and decisions.
enum HomeStore {
    /// The organisation's drafts, with their calls, soonest deadline first.
    static func drafts(of organisation: UUID, on db: any Database) async throws -> [ApplicationRecord] {
        try await ApplicationRecord.query(on: db).filter(\.$organisation.$id == organisation)
            .filter(\.$status == ApplicationStatus.draft.rawValue).with(\.$call).with(\.$responsible).all()
            .sorted { ($0.call.deadlineAt ?? .distantFuture) < ($1.call.deadlineAt ?? .distantFuture) }
    }

    /// Submitted applications of calls past their deadline without an approved decision, with their calls.
    static func inAssessment(at now: Date, on db: any Database) async throws -> [ApplicationRecord] {
        let approved = try await DecisionRecord.query(on: db).filter(\.$status == DecisionStatus.approved.rawValue)
            .all().map { $0.$call.id }
        return try await ApplicationRecord.query(on: db)
            .filter(
                \.$status
                    ~~ CallAssessment.assessedStatuses.filter { $0 != .awarded && $0 != .rejected }
                    .map(\.rawValue)
            )
            .with(\.$call).all()
            .filter { !approved.contains($0.$call.id) && ($0.call.deadlineAt.map { $0 <= now } ?? false) }
    }

    /// The ids of applications that have a screening.
    static func screened(_ ids: [UUID], on db: any Database) async throws -> Set<UUID> {
        Set(try await ScreeningRecord.query(on: db).filter(\.$application.$id ~~ ids).all().map { $0.$application.id })
    }

    /// Proposed decisions waiting for a director, with their calls.
    static func proposedDecisions(on db: any Database) async throws -> [DecisionRecord] {
        try await DecisionRecord.query(on: db).filter(\.$status == DecisionStatus.proposed.rawValue)
            .with(\.$call).all()
    }

    /// The assessor's assignments, with their applications and calls.
    static func assignments(of assessor: UUID, on db: any Database) async throws -> [AssessorAssignmentRecord] {
        try await AssessorAssignmentRecord.query(on: db).filter(\.$assessor.$id == assessor)
            .with(\.$application) { $0.with(\.$call).with(\.$organisation) }.all()
    }

    /// The applications the assessor has scored.
    static func scored(by assessor: UUID, on db: any Database) async throws -> Set<UUID> {
        Set(try await ScoreRecord.query(on: db).filter(\.$assessor.$id == assessor).all().map { $0.$application.id })
    }
}
