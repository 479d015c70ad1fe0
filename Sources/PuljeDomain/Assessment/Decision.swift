import Foundation

/// Where a call's decision is: proposed by a programme manager, approved by a director.
public enum DecisionStatus: String, Sendable, Codable, CaseIterable {
    case proposed
    case approved

    public var danishName: String {
        switch self {
        case .proposed: "Indstillet"
        case .approved: "Godkendt"
        }
    }
}

/// The four-eyes rule: the person who proposed a decision cannot approve it.
public enum FourEyes {
    public static let message =
        "Den, der har indstillet afgørelsen, kan ikke selv godkende den. En anden med direktørrollen skal godkende."

    /// Why this approver may not approve what this person proposed; nil when they may.
    public static func problem<PersonID: Equatable>(proposedBy: PersonID, approver: PersonID) -> String? {
        proposedBy == approver ? message : nil
    }
}

/// The kinds of letter a decision produces. A call with a budget grants money ("tilsagn om tilskud"); a call
/// of support or partnership (000, 001, 003) pays nothing to the municipality and grants participation.
public enum LetterKind: String, Sendable, Codable, CaseIterable {
    case award
    case supportAward
    case rejection

    /// The award letter that fits the call: money where it has a budget, participation where it has none.
    public static func award(grantsMoney: Bool) -> LetterKind { grantsMoney ? .award : .supportAward }

    public var isAward: Bool { self != .rejection }

    public var danishName: String {
        switch self {
        case .award: "Tilsagn"
        case .supportAward: "Tilsagn om deltagelse"
        case .rejection: "Afslag"
        }
    }

    /// The default statement of whether and where the decision can be appealed. The agency edits it in the
    /// templates; its legal wording is the agency's to confirm.
    public static let appealStatement = """
        Klagevejledning
        Styrelsens afgørelse kan ikke indbringes for anden administrativ myndighed. Har I spørgsmål til afgørelsen, er I velkomne til at kontakte styrelsen.
        """

    /// The placeholders a template of this kind may use, with what they stand for.
    public var placeholders: [(name: String, meaning: String)] {
        let common: [(String, String)] = [
            ("modtager", "Ansøgerens navn (kommunen)"),
            ("pulje", "Puljens titel"),
            ("projekt", "Projektets titel"),
            ("ansoegningsnummer", "Ansøgningens nummer"),
            ("journalnummer", "Styrelsens journalnummer for puljen (ansøgningens nummer, hvis puljen ikke har et)"),
            ("dato", "Afgørelsens dato"),
            ("point", "Score pr. kriterium"),
            ("afsender", "Den, der har godkendt afgørelsen"),
        ]
        switch self {
        case .award:
            return common + [
                ("beloeb", "Bevilget beløb"), ("soegt", "Ansøgt beløb"), ("vilkaar", "Vilkår for tilsagnet"),
            ]
        case .supportAward:
            return common + [("vilkaar", "Vilkår for deltagelsen")]
        case .rejection:
            return common + [("begrundelse", "Begrundelsen for afslaget")]
        }
    }

    public var defaultTemplate: String {
        switch self {
        case .award:
            """
            Tilsagn om tilskud

            {{modtager}}
            J.nr.: {{journalnummer}}
            Ansøgningsnummer: {{ansoegningsnummer}}
            Dato: {{dato}}

            Styrelsen har behandlet jeres ansøgning "{{projekt}}" til puljen "{{pulje}}" og giver hermed tilsagn om et tilskud på {{beloeb}} (ansøgt: {{soegt}}).

            Vilkår for tilsagnet:
            {{vilkaar}}

            Vurdering pr. kriterium:
            {{point}}

            \(Self.appealStatement)

            Med venlig hilsen
            {{afsender}}
            """
        case .supportAward:
            """
            Tilsagn om deltagelse

            {{modtager}}
            J.nr.: {{journalnummer}}
            Ansøgningsnummer: {{ansoegningsnummer}}
            Dato: {{dato}}

            Styrelsen har behandlet jeres ansøgning "{{projekt}}" til "{{pulje}}" og giver hermed tilsagn om, at I deltager. Der udbetales ikke tilskud til kommunen; I modtager styrelsens støtte og kompetenceudvikling som beskrevet i vejledningen.

            Vilkår for deltagelsen:
            {{vilkaar}}

            Vurdering pr. kriterium:
            {{point}}

            \(Self.appealStatement)

            Med venlig hilsen
            {{afsender}}
            """
        case .rejection:
            """
            Afslag på ansøgning om tilskud

            {{modtager}}
            J.nr.: {{journalnummer}}
            Ansøgningsnummer: {{ansoegningsnummer}}
            Dato: {{dato}}

            Styrelsen har behandlet jeres ansøgning "{{projekt}}" til puljen "{{pulje}}". Vi må desværre give afslag.

            Begrundelse:
            {{begrundelse}}

            Vurdering pr. kriterium:
            {{point}}

            \(Self.appealStatement)

            Med venlig hilsen
            {{afsender}}
            """
        }
    }
}

/// A letter template with {{placeholders}}.
public enum LetterTemplate {
    /// Placeholders the template uses that the kind does not know, and unclosed braces, in Danish.
    public static func problems(_ template: String, kind: LetterKind) -> [String] {
        var problems: [String] = []
        if template.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append("Skabelonen må ikke være tom.")
        }
        let known = Set(kind.placeholders.map(\.name))
        for name in placeholders(in: template) where !known.contains(name) {
            problems.append(
                "Ukendt felt {{\(name)}}. Brug kun: \(kind.placeholders.map { "{{\($0.name)}}" }.joined(separator: ", "))."
            )
        }
        let opens = template.components(separatedBy: "{{").count - 1
        let closes = template.components(separatedBy: "}}").count - 1
        if opens != closes { problems.append("Et felt mangler sine afsluttende }} eller indledende {{.") }
        return problems
    }

    /// The names used between {{ and }}, in order of first use.
    public static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else { break }
            let name = after[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !names.contains(name) { names.append(name) }
            rest = after[close.upperBound...]
        }
        return names
    }

    /// Fills in the placeholders; one without a value is left empty.
    public static func render(_ template: String, values: [String: String]) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            result += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else {
                result += rest[open.lowerBound...]
                return result
            }
            let name = after[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let value = values[name] ?? ""
            result += value
            rest = after[close.upperBound...]
            // "{{beloeb}}." with "1.000 kr.": the abbreviation's full stop ends the sentence too, never "kr..".
            if value.hasSuffix("."), rest.hasPrefix(".") { rest = rest.dropFirst() }
        }
        result += rest
        return result
    }
}

/// Why an assessed application was not selected, for its rejection letter: its score and place against the
/// lowest score among those selected. It names no other applicant.
public enum RejectionReason {
    public static func notSelected(
        score: Double, rank: Int, of count: Int, lowestSelected: Double?, grantsMoney: Bool
    ) -> String {
        var text =
            "Ansøgningen fik en samlet vægtet vurdering på \(DanishScore.format(score)) point og blev nr. \(rank) af \(count) bedømte ansøgninger."
        let limits =
            grantsMoney
            ? "holde sig inden for puljens midler" : "holde sig inden for det antal kommuner, puljen søger"
        guard let lowestSelected else {
            return text + " Ingen ansøgning blev udvalgt."
        }
        text += " Den lavest placerede af de udvalgte ansøgninger fik \(DanishScore.format(lowestSelected)) point."
        if score >= lowestSelected {
            text +=
                " Ansøgningen kom ikke med, fordi udvalget samlet skal dække puljens målområder og \(limits)."
        } else {
            text +=
                " Udvalget består af de ansøgninger, der samlet fik den højeste vurdering, når udvalget skal dække puljens målområder og \(limits)."
        }
        return text
    }
}
