/// Two people saved the same application from the same version. A field only one of them changed takes that
/// change by itself; a field both changed differently is the user's to choose (keep mine, or keep the saved).
public enum ContentMerge {
    /// A part of an application that is merged as a whole.
    public enum Field: Hashable, Sendable, Comparable, CustomStringConvertible {
        case projectTitle
        case targetAreas
        case services
        case contacts
        case answer(String)
        case declarations
        case budget

        /// The form's name for the choice between the two versions of this field.
        public var description: String {
            switch self {
            case .projectTitle: "projectTitle"
            case .targetAreas: "targetAreas"
            case .services: "services"
            case .contacts: "contacts"
            case .answer(let id): "answers.\(id)"
            case .declarations: "declarations"
            case .budget: "budget"
            }
        }

        public init?(_ text: String) {
            switch text {
            case "projectTitle": self = .projectTitle
            case "targetAreas": self = .targetAreas
            case "services": self = .services
            case "contacts": self = .contacts
            case "declarations": self = .declarations
            case "budget": self = .budget
            default:
                guard text.hasPrefix("answers."), text.count > 8 else { return nil }
                self = .answer(String(text.dropFirst(8)))
            }
        }

        public static func < (lhs: Field, rhs: Field) -> Bool { lhs.description < rhs.description }
    }

    public struct Result: Equatable, Sendable {
        /// Mine, with every change only the other made taken in; a conflicting field holds mine.
        public var merged: ApplicationContent
        /// The fields both changed, differently.
        public var conflicts: Set<Field>
    }

    /// Merges `mine` and `saved`, both changed from `base`.
    public static func merge(base: ApplicationContent, mine: ApplicationContent, saved: ApplicationContent) -> Result {
        var merged = mine
        var conflicts: Set<Field> = []
        func take<T: Equatable>(_ field: Field, _ keyPath: WritableKeyPath<ApplicationContent, T>) {
            let (b, m, s) = (base[keyPath: keyPath], mine[keyPath: keyPath], saved[keyPath: keyPath])
            if m == s || s == b { return }
            if m == b {
                merged[keyPath: keyPath] = s
            } else {
                conflicts.insert(field)
            }
        }
        take(.projectTitle, \.projectTitle)
        take(.targetAreas, \.targetAreaCodes)
        take(.services, \.services)
        take(.contacts, \.contacts)
        take(.declarations, \.declarations)
        take(.budget, \.budget)
        let questions = Set(base.answers.keys).union(mine.answers.keys).union(saved.answers.keys)
        for id in questions.sorted() {
            let (b, m, s) = (base.answers[id], mine.answers[id], saved.answers[id])
            if m == s || s == b { continue }
            if m == b {
                merged.answers[id] = s
            } else {
                conflicts.insert(.answer(id))
            }
        }
        return Result(merged: merged, conflicts: conflicts)
    }

    /// Mine with the saved version taken for each field the user chose to keep as saved.
    public static func resolve(
        _ mine: ApplicationContent, saved: ApplicationContent, keepSaved fields: Set<Field>
    ) -> ApplicationContent {
        var result = mine
        for field in fields {
            switch field {
            case .projectTitle: result.projectTitle = saved.projectTitle
            case .targetAreas: result.targetAreaCodes = saved.targetAreaCodes
            case .services: result.services = saved.services
            case .contacts: result.contacts = saved.contacts
            case .answer(let id): result.answers[id] = saved.answers[id]
            case .declarations: result.declarations = saved.declarations
            case .budget: result.budget = saved.budget
            }
        }
        return result
    }
}
