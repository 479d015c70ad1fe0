import Fluent
import Foundation
import PuljeDomain
import Vapor

/// The assessment's reads and writes that are not the whole call's state (`CallAssessment.load`).
enum AssessmentStore {
    static func applicationWithCall(_ id: UUID, on db: any Database) async throws -> ApplicationRecord? {
        try await ApplicationRecord.query(on: db).filter(\.$id == id).with(\.$call).first()
    }

    /// Active agency users with the assessor role, by name.
    static func assessors(on db: any Database) async throws -> [UserRecord] {
        let agency = try await OrganisationRecord.query(on: db).filter(\.$kind == OrganisationKind.agency.rawValue)
            .all()
            .compactMap(\.id)
        return try await UserRecord.query(on: db).filter(\.$organisation.$id ~~ agency).filter(\.$isActive == true)
            .sort(\.$name).all()
            .filter { $0.roleSet.contains(.assessor) }
    }

    static func requests(of id: UUID, on db: any Database) async throws -> [InformationRequestRecord] {
        try await InformationRequestRecord.query(on: db).filter(\.$application.$id == id).sort(\.$requestedAt).all()
    }

    static func saveScreening(
        of id: UUID, outcome: ScreeningOutcome, reason: String, checksJSON: String, by name: String, at now: Date,
        on db: any Database
    ) async throws {
        let record =
            try await ScreeningRecord.query(on: db).filter(\.$application.$id == id).first() ?? ScreeningRecord()
        record.$application.id = id
        record.outcome = outcome.rawValue
        record.reason = reason
        record.checksJSON = checksJSON
        record.decidedBy = name
        record.decidedAt = now
        try await record.save(on: db)
    }

    /// Assigns an assessor; a new lead assessor takes the lead from any other.
    static func assign(
        _ assessor: UUID, to application: UUID, lead: Bool, by name: String, at now: Date, on db: any Database
    ) async throws {
        if lead {
            try await AssessorAssignmentRecord.query(on: db).filter(\.$application.$id == application)
                .set(\.$isLead, to: false).update()
        }
        try await AssessorAssignmentRecord(application: application, assessor: assessor, lead: lead, by: name, at: now)
            .create(on: db)
    }

    /// Records an assessor's declaration, once: an assignment already declared is left as it is.
    static func declare(
        _ declaration: ConflictDeclaration, note: String, on assignment: UUID, keepLead: Bool, at now: Date,
        on db: any Database
    ) async throws {
        try await AssessorAssignmentRecord.query(on: db).filter(\.$id == assignment)
            .filter(\.$declaration == nil)
            .set(\.$declaration, to: declaration.rawValue).set(\.$declarationNote, to: note)
            .set(\.$declaredAt, to: now).set(\.$isLead, to: keepLead)
            .update()
    }

    /// An assessor's scores replace their earlier ones.
    static func replaceScores(
        of application: UUID, by assessor: UUID, with scores: [CriterionScore], at now: Date, on db: any Database
    ) async throws {
        try await ScoreRecord.query(on: db).filter(\.$application.$id == application)
            .filter(\.$assessor.$id == assessor).delete()
        for score in scores {
            let record = ScoreRecord()
            record.$application.id = application
            record.$assessor.id = assessor
            record.criterionID = score.criterionID
            record.score = score.score
            record.justification = score.justification
            record.scoredAt = now
            try await record.create(on: db)
        }
    }

    /// The consensus replaces any earlier one.
    static func replaceConsensus(
        of application: UUID, with scores: [CriterionScore], by name: String, at now: Date, on db: any Database
    ) async throws {
        try await ConsensusRecord.query(on: db).filter(\.$application.$id == application).delete()
        for score in scores {
            let record = ConsensusRecord()
            record.$application.id = application
            record.criterionID = score.criterionID
            record.score = score.score
            record.justification = score.justification
            record.recordedBy = name
            record.recordedAt = now
            try await record.create(on: db)
        }
    }

    static func requestInformation(
        _ question: String, replyBy: String, of application: UUID, by name: String, at now: Date, on db: any Database
    ) async throws {
        let record = InformationRequestRecord()
        record.$application.id = application
        record.question = question
        record.replyBy = replyBy
        record.requestedBy = name
        record.requestedAt = now
        try await record.create(on: db)
    }

    static func request(
        _ id: UUID, of application: UUID, on db: any Database
    ) async throws
        -> InformationRequestRecord?
    {
        try await InformationRequestRecord.query(on: db).filter(\.$id == id).filter(\.$application.$id == application)
            .first()
    }

    /// Records the answer to a request not yet answered; how many of the application's requests stay open.
    static func answer(
        _ id: UUID, of application: UUID, with answer: String, by name: String, at now: Date, on db: any Database
    ) async throws -> Int {
        try await InformationRequestRecord.query(on: db).filter(\.$id == id).filter(\.$answer == nil)
            .set(\.$answer, to: answer).set(\.$answeredBy, to: name).set(\.$answeredAt, to: now).update()
        return try await InformationRequestRecord.query(on: db).filter(\.$application.$id == application)
            .filter(\.$answer == nil).count()
    }
}

extension CallAssessment {
    /// Everything about the assessment of one call, in eight queries.
    static func load(_ call: CallRecord, on db: any Database) async throws -> CallAssessment {
        let callID = try call.requireID()
        let applications = try await ApplicationRecord.query(on: db)
            .filter(\.$call.$id == callID)
            .filter(\.$status ~~ assessedStatuses.map(\.rawValue))
            .with(\.$organisation).with(\.$responsible)
            .all()
            .sorted { ($0.submittedAt ?? .distantPast) < ($1.submittedAt ?? .distantPast) }
        let ids = applications.compactMap(\.id)
        func grouped<T>(_ items: [T], _ key: (T) -> UUID) -> [UUID: [T]] { Dictionary(grouping: items, by: key) }
        let screenings = try await ScreeningRecord.query(on: db).filter(\.$application.$id ~~ ids).all()
        let assignments = try await AssessorAssignmentRecord.query(on: db).filter(\.$application.$id ~~ ids)
            .with(\.$assessor).sort(\.$assignedAt).all()
        let scores = try await ScoreRecord.query(on: db).filter(\.$application.$id ~~ ids).all()
        let consensus = try await ConsensusRecord.query(on: db).filter(\.$application.$id ~~ ids).all()
        let overrides = try await PortfolioOverrideRecord.query(on: db).filter(\.$call.$id == callID).all()
        return CallAssessment(
            call: call, rules: try call.rules(), applications: applications,
            screenings: Dictionary(screenings.map { ($0.$application.id, $0) }, uniquingKeysWith: { a, _ in a }),
            assignments: grouped(assignments) { $0.$application.id },
            scores: grouped(scores) { $0.$application.id },
            consensus: grouped(consensus) { $0.$application.id }.mapValues { records in
                Dictionary(records.map { ($0.criterionID, $0) }, uniquingKeysWith: { a, _ in a })
            },
            overrides: Dictionary(overrides.map { ($0.$application.id, $0) }, uniquingKeysWith: { a, _ in a }),
            decision: try await DecisionRecord.query(on: db).filter(\.$call.$id == callID).first())
    }
}
