/// Who may read or write an application, at each stage of its life. The one rule the application pages,
/// the autosave, the API and the assessment pages all ask.
public enum CaseAccess: Equatable, Sendable {
    /// Not to be seen at all; answered as "not found", so nobody learns what exists.
    case none
    /// An assessor assigned to it who has not yet declared on conflicts of interest: nothing of it opens.
    case mustDeclare
    /// An assessor who declared a conflict: removed from it.
    case declaredConflict
    case read
    /// Read and change: a draft, by someone of its organisation who writes on it.
    case write

    public var mayRead: Bool { self == .read || self == .write }
    public var mayWrite: Bool { self == .write }

    /// Where an assessor stands on an application.
    public enum Assignment: Equatable, Sendable {
        case notAssigned
        /// Assigned; the declaration is nil until made.
        case assigned(ConflictDeclaration?)
    }

    /// The access of `actor` to an application of `status`.
    /// - ownOrganisation: the application belongs to the actor's organisation.
    /// - writesOnIt: the actor is its responsible person or a contributor.
    public static func of(
        _ actor: Actor, ownOrganisation: Bool, writesOnIt: Bool, status: ApplicationStatus, assignment: Assignment
    ) -> CaseAccess {
        if ownOrganisation {
            guard AccessPolicy.permits(actor, .readApplication, on: .own) else { return .none }
            let writes = writesOnIt && AccessPolicy.permits(actor, .writeApplication, on: .own) && status.isEditable
            return writes ? .write : .read
        }
        // Another organisation's: only the agency, and never a draft.
        guard AccessPolicy.permits(actor, .readApplication, on: .other), status != .draft else { return .none }
        if AccessPolicy.permits(actor, .readAllApplications, on: .other) { return .read }
        // An assessor reads only what is assigned to them, and only after declaring no conflict.
        guard case .assigned(let declaration) = assignment else { return .none }
        switch ConflictGate.access(declaration: declaration) {
        case .mustDeclare: return .mustDeclare
        case .removed: return .declaredConflict
        case .open: return .read
        }
    }

    /// Why the case does not open, in Danish, for the refusals that are not "not found".
    public var danishRefusal: String? {
        switch self {
        case .mustDeclare: "Afgiv habilitetserklæringen på vurderingssiden, før du åbner ansøgningen."
        case .declaredConflict: "Du har erklæret dig inhabil og kan ikke læse ansøgningen."
        case .none, .read, .write: nil
        }
    }
}
