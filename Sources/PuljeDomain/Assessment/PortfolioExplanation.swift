import Foundation

/// Why each candidate is in or out of the optimal selection, what it would take to change that, and the
/// reserve list.
public struct PortfolioExplanation: Hashable, Sendable {
    public enum Reason: Hashable, Sendable {
        /// Selected; leaving it out would cost this much total score (nil: no selection works without it).
        case selected(lossWithout: Double?)
        /// Not selected but could be: the total score falls by `gap` if it is forced in, and forcing it in
        /// replaces these selected candidates.
        case outByScore(gap: Double, replaces: [CandidateID])
        /// Not selected and cannot be with the others under the constraints (for example: it alone exceeds the funds).
        case cannotFit
        /// Staff put it in or left it out, with a reason kept elsewhere.
        case forced(selected: Bool)
    }

    public struct Entry: Hashable, Sendable {
        public var id: CandidateID
        public var reason: Reason
        /// In Danish, for the page and the decision record.
        public var text: String
    }

    public var selection: PortfolioSelection
    public var entries: [Entry]
    /// Candidates not selected, the one that would cost least to bring in first.
    public var reserve: [CandidateID]

    /// Explains the optimal selection with some candidates forced in or out by staff.
    public static func explain(
        _ instance: PortfolioInstance, forcedIn: Set<CandidateID> = [], forcedOut: Set<CandidateID> = []
    ) throws(PortfolioError) -> PortfolioExplanation {
        try PortfolioSolver.validate(instance)
        guard let selection = try PortfolioSolver.solve(instance, forcedIn: forcedIn, forcedOut: forcedOut) else {
            var reasons = PortfolioSolver.infeasibilityReasons(instance)
            if !forcedIn.isEmpty || !forcedOut.isEmpty {
                reasons.append("Styrelsens til- og fravalg indgår; prøv at fjerne nogle af dem.")
            }
            throw PortfolioError(kind: .infeasible, messages: reasons)
        }
        let chosen = Set(selection.selected)
        let names = Dictionary(uniqueKeysWithValues: instance.candidates.map { ($0.id, $0) })
        var entries: [Entry] = []
        var reserve: [(id: CandidateID, gap: Double, score: Double)] = []
        for candidate in instance.candidates {
            if forcedIn.contains(candidate.id) || forcedOut.contains(candidate.id) {
                let selected = forcedIn.contains(candidate.id)
                entries.append(
                    Entry(
                        id: candidate.id, reason: .forced(selected: selected),
                        text: selected
                            ? "Valgt af styrelsen (tilvalg med begrundelse)."
                            : "Fravalgt af styrelsen (med begrundelse)."))
            } else if chosen.contains(candidate.id) {
                let without = try PortfolioSolver.solve(
                    instance, forcedIn: forcedIn, forcedOut: forcedOut.union([candidate.id]))
                let loss = without.map { selection.totalScore - $0.totalScore }
                let text: String
                if let loss {
                    text =
                        loss < PortfolioSolver.epsilon
                        ? "Valgt. Et lige så godt udvalg findes uden den."
                        : "Valgt. Uden den ville den samlede score være \(DanishScore.format(loss)) lavere."
                } else {
                    text = "Valgt. Uden den kan udvalget ikke opfylde antallet eller dækningen af målområderne."
                }
                entries.append(Entry(id: candidate.id, reason: .selected(lossWithout: loss), text: text))
            } else if let forced = try PortfolioSolver.solve(
                instance, forcedIn: forcedIn.union([candidate.id]), forcedOut: forcedOut)
            {
                let gap = max(0, selection.totalScore - forced.totalScore)
                let replaces = selection.selected.filter { !forced.selected.contains($0) }
                let replaced = replaces.map { (names[$0]?.id ?? $0).rawValue }.joined(separator: ", ")
                let text =
                    "Ikke valgt. Med den i udvalget ville den samlede score være \(DanishScore.format(gap)) lavere"
                    + (replaces.isEmpty ? "" : ", og den ville erstatte \(replaced)")
                    + ". Den kommer med, hvis dens score stiger med mere end \(DanishScore.format(gap)) point."
                entries.append(Entry(id: candidate.id, reason: .outByScore(gap: gap, replaces: replaces), text: text))
                reserve.append((candidate.id, gap, candidate.score))
            } else {
                let text =
                    candidate.amount > instance.funds
                    ? "Ikke valgt. Beløbet \(DanishAmount.kroner(candidate.amount)) er større end puljens midler."
                    : "Ikke valgt. Den kan ikke komme med, uden at midlerne, antallet eller dækningen brydes."
                entries.append(Entry(id: candidate.id, reason: .cannotFit, text: text))
            }
        }
        let ordered = reserve.sorted { a, b in
            abs(a.gap - b.gap) > PortfolioSolver.epsilon ? a.gap < b.gap : a.score > b.score
        }
        return PortfolioExplanation(selection: selection, entries: entries, reserve: ordered.map(\.id))
    }
}
