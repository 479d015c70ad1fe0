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
}
