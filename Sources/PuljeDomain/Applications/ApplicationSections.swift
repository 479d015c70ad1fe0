import Foundation

/// The parts of an application form, in the order the form shows them, so the page can show a menu of
/// sections with what is still missing in each and how far the application has come.
public enum ApplicationSection: String, CaseIterable, Sendable {
    case project = "projekt"
    case services = "tilbud"
    case contacts = "kontakter"
    case questions = "spoergsmaal"
    case declarations = "erklaeringer"
    case budget = "budget"
    case attachments = "bilag"
    case approval = "godkendelse"

    public var danishName: String {
        switch self {
        case .project: "Projektet"
        case .services: "Deltagende tilbud"
        case .contacts: "Kontaktpersoner"
        case .questions: "Spørgsmål"
        case .declarations: "Erklæringer"
        case .budget: "Budget"
        case .attachments: "Bilag"
        case .approval: "Godkendelse"
        }
    }

    /// The sections a call's form has: questions, declarations, budget, attachments and approval only where
    /// the call asks for them.
    public static func of(_ rules: CallRules) -> [ApplicationSection] {
        allCases.filter { section in
            switch section {
            case .project, .services, .contacts: true
            case .attachments: !rules.attachmentKinds.isEmpty
            case .questions: !rules.questions.isEmpty
            case .declarations: !rules.minimumConditions.isEmpty
            case .budget: rules.budget.hasBudget
            case .approval: rules.requiredApproval != nil
            }
        }
    }

    /// Whether the section's fields belong to the form that saves the draft; attachments and the approval
    /// have forms of their own.
    public var isPartOfForm: Bool { self != .attachments && self != .approval }

    /// The steps before and after this one among a call's sections, nil at either end: the form in steps
    /// goes through the sections in the order the form shows them, and ends at "Tjek og indsend".
    public func neighbours(
        in sections: [ApplicationSection]
    ) -> (
        previous: ApplicationSection?, next: ApplicationSection?
    ) {
        guard let index = sections.firstIndex(of: self) else { return (nil, nil) }
        return (
            index > sections.startIndex ? sections[index - 1] : nil,
            index + 1 < sections.endIndex ? sections[index + 1] : nil
        )
    }

    /// The section a problem's field belongs to ("budget.2" → budget, "answers.motivation" → questions);
    /// nil for a problem of the whole application (the deadline, the version).
    public static func of(field: String) -> ApplicationSection? {
        let head = field.prefix { $0 != "." && $0 != "[" }
        switch head {
        case "projectTitle", "targetAreas": return .project
        case "services": return .services
        case "contacts": return .contacts
        case "answers": return .questions
        case "declarations": return .declarations
        case "budget": return .budget
        case "attachments": return .attachments
        case "approval": return .approval
        default: return nil
        }
    }
}

/// How far an application has come: for each of its sections, what still stands in the way of submission.
public struct ApplicationProgress: Sendable {
    public struct Item: Sendable {
        public var section: ApplicationSection
        public var problems: [ApplicationProblem]
        public var isDone: Bool { problems.isEmpty }
    }

    public var items: [Item]
    /// Problems of the whole application, tied to no section.
    public var general: [ApplicationProblem]

    public init(sections: [ApplicationSection], problems: [ApplicationProblem]) {
        items = sections.map { section in
            Item(section: section, problems: problems.filter { ApplicationSection.of(field: $0.field) == section })
        }
        let shown = Set(sections)
        general = problems.filter { problem in
            ApplicationSection.of(field: problem.field).map { !shown.contains($0) } ?? true
        }
    }

    public var doneCount: Int { items.filter(\.isDone).count }
    public var isComplete: Bool { doneCount == items.count && general.isEmpty }

    /// "4 af 7 afsnit er klar til indsendelse."
    public var danishSummary: String {
        "\(doneCount) af \(items.count) afsnit er klar til indsendelse."
    }

    /// The number of problems per section, keyed by the section's name in the page ("budget": 2), for the
    /// page's script after an autosave.
    public var counts: [String: Int] {
        Dictionary(uniqueKeysWithValues: items.map { ($0.section.rawValue, $0.problems.count) })
    }
}

extension ApplicationProgress {
    /// The form's sections after a save, for the page's script: attachments are not part of the form (so they
    /// are left out), and a save voids an earlier approval.
    public static func afterSave(
        _ content: ApplicationContent, unreadable: [ApplicationProblem], rules: CallRules
    ) -> ApplicationProgress {
        let problems =
            unreadable
            + SubmissionCheck.problems(content, rules: rules).filter {
                ApplicationSection.of(field: $0.field) != .attachments
            }
            + [ApplicationApproval.problem(rules: rules, approval: nil, currentVersion: 0)].compactMap { $0 }
        return ApplicationProgress(
            sections: ApplicationSection.of(rules).filter { $0 != .attachments }, problems: problems)
    }
}
