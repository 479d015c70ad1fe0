import Foundation

/// One automatic check of formal screening, with what it found.
public struct ScreeningCheck: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case applicantCircle
        case targetAreas
        case minimumConditions
        case budget

        public var danishName: String {
            switch self {
            case .applicantCircle: "Ansøger er inden for ansøgerkredsen"
            case .targetAreas: "Valgte målområder hører til puljen"
            case .minimumConditions: "Alle minimumsbetingelser er erklæret"
            case .budget: "Budgettet overholder puljens regler"
            }
        }
    }

    public var kind: Kind
    public var passed: Bool
    /// What the check found, in Danish; names every problem when it failed.
    public var findings: [String]

    public init(kind: Kind, passed: Bool, findings: [String]) {
        self.kind = kind
        self.passed = passed
        self.findings = findings
    }
}

/// The automatic part of formal screening. A person decides; these checks tell them what to look at.
public enum FormalScreening {
    public static func checks(
        _ content: ApplicationContent, applicantKind: OrganisationKind, rules: CallRules
    ) -> [ScreeningCheck] {
        var circle: [String] = []
        if !rules.applicantKinds.contains(applicantKind) {
            let allowed = rules.applicantKinds.map(\.danishName).sorted().joined(separator: ", ")
            circle.append("Ansøgeren er \(applicantKind.danishName.lowercased()); puljen er for: \(allowed).")
        }
        if !rules.legalBases.isEmpty {
            let allowed = Set(rules.legalBases.map(normalisedLegalBasis))
            for service in content.services
            where !service.legalBasis.isEmpty && !allowed.contains(normalisedLegalBasis(service.legalBasis)) {
                circle.append(
                    "Tilbuddet \"\(service.name)\" drives efter \(service.legalBasis), som ikke er blandt puljens lovgrundlag (\(rules.legalBases.joined(separator: ", ")))."
                )
            }
            if content.services.allSatisfy({ $0.legalBasis.isEmpty }) {
                circle.append("Ingen deltagende tilbud med lovgrundlag er angivet.")
            }
        }

        var areas: [String] = []
        if !rules.targetAreas.isEmpty {
            let allowed = Set(rules.targetAreas.map(\.code))
            if content.targetAreaCodes.isEmpty { areas.append("Der er ikke valgt noget målområde.") }
            for code in content.targetAreaCodes where !allowed.contains(code) {
                areas.append("Målområdet \"\(code)\" hører ikke til puljen.")
            }
        }

        let declared = Set(content.declarations)
        let conditions = rules.minimumConditions.filter { !declared.contains($0.id) }
            .map { "Ikke erklæret: \($0.text)" }

        var budget: [String] = []
        if rules.budget.hasBudget {
            if content.budget.isEmpty { budget.append("Budgettet er tomt.") }
            budget += BudgetCheck.problems(content.budget, rules: rules.budget, projectYears: rules.projectYears)
                .map(\.message)
        }

        return [
            ScreeningCheck(kind: .applicantCircle, passed: circle.isEmpty, findings: circle),
            ScreeningCheck(kind: .targetAreas, passed: areas.isEmpty, findings: areas),
            ScreeningCheck(kind: .minimumConditions, passed: conditions.isEmpty, findings: conditions),
            ScreeningCheck(kind: .budget, passed: budget.isEmpty, findings: budget),
        ]
    }

    /// "SEL §108", "sel § 108" and "SEL § 108" are the same legal basis.
    static func normalisedLegalBasis(_ text: String) -> String {
        text.lowercased().filter { !$0.isWhitespace }
    }
}

/// A person's screening decision.
public enum ScreeningOutcome: String, Sendable, Codable, CaseIterable {
    case passed
    case screenedOut

    public var danishName: String {
        switch self {
        case .passed: "Går videre til vurdering"
        case .screenedOut: "Frasorteret"
        }
    }
}

public enum ScreeningDecisionCheck {
    /// A decision needs a reason when it screens out, or when it lets through an application that failed a check.
    public static func problem(outcome: ScreeningOutcome, reason: String, checks: [ScreeningCheck]) -> String? {
        let hasReason = !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        switch outcome {
        case .screenedOut where !hasReason:
            return "Skriv begrundelsen for at frasortere ansøgningen; den står i afslaget."
        case .passed where !hasReason && checks.contains(where: { !$0.passed }):
            return "En automatisk kontrol fejlede. Skriv, hvorfor ansøgningen alligevel går videre."
        default:
            return nil
        }
    }
}
