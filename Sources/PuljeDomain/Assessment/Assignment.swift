import Foundation

/// Spreads assessors evenly over applications. Generic over the identifier types, so the app spreads its
/// own typed ids and never turns them into strings and back.
public enum AssessorSpread {
    public struct Assignment<ApplicationID: Hashable & Sendable, AssessorID: Hashable & Sendable>: Hashable, Sendable {
        public var applicationID: ApplicationID
        public var assessorID: AssessorID
        public init(applicationID: ApplicationID, assessorID: AssessorID) {
            self.applicationID = applicationID
            self.assessorID = assessorID
        }
    }

    /// New assignments that give every application `perApplication` assessors who have not declared a
    /// conflict, each time choosing the assessor with the fewest applications (ties: the order given).
    /// Existing assignments stay; an assessor who declared a conflict on an application is never given it
    /// again. Applications are taken in the order given, so the result is the same every time.
    public static func spread<ApplicationID: Hashable & Sendable, AssessorID: Hashable & Sendable>(
        applications: [ApplicationID], assessors: [AssessorID], perApplication: Int,
        existing: [ApplicationID: Set<AssessorID>], conflicts: [ApplicationID: Set<AssessorID>]
    ) -> [Assignment<ApplicationID, AssessorID>] {
        guard perApplication > 0, !assessors.isEmpty else { return [] }
        var load: [AssessorID: Int] = Dictionary(assessors.map { ($0, 0) }, uniquingKeysWith: { first, _ in first })
        for (_, people) in existing {
            for person in people where load[person] != nil { load[person, default: 0] += 1 }
        }
        var result: [Assignment<ApplicationID, AssessorID>] = []
        for application in applications {
            let assigned = existing[application] ?? []
            let conflicted = conflicts[application] ?? []
            var active = assigned.subtracting(conflicted).count
            while active < perApplication {
                let candidate = assessors.enumerated()
                    .filter { !assigned.contains($0.element) && !conflicted.contains($0.element) }
                    .filter { entry in
                        !result.contains { $0.applicationID == application && $0.assessorID == entry.element }
                    }
                    .min { (load[$0.element] ?? 0, $0.offset) < (load[$1.element] ?? 0, $1.offset) }
                guard let chosen = candidate?.element else { break }
                result.append(Assignment(applicationID: application, assessorID: chosen))
                load[chosen, default: 0] += 1
                active += 1
            }
        }
        return result
    }
}

/// What an assessor declared about conflicts of interest before opening an application.
public enum ConflictDeclaration: String, Sendable, Codable, CaseIterable {
    case noConflict
    case conflict

    public var danishName: String {
        switch self {
        case .noConflict: "Ingen interessekonflikt"
        case .conflict: "Interessekonflikt (inhabil)"
        }
    }
}

/// Who may see an application's content and scores while it is assessed.
public enum ConflictGate {
    public enum Access: Equatable, Sendable {
        /// The assessor must declare first.
        case mustDeclare
        /// The assessor declared a conflict and is removed from the application.
        case removed
        case open
    }

    public static func access(declaration: ConflictDeclaration?) -> Access {
        switch declaration {
        case nil: .mustDeclare
        case .conflict?: .removed
        case .noConflict?: .open
        }
    }
}
