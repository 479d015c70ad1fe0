/// What a reader asks of the catalogue: an area, a phase and free text.
public struct CatalogueQuery: Hashable, Sendable {
    public var area: ProgrammeArea?
    public var phase: SUSIPhase?
    public var text: String

    public init(area: ProgrammeArea? = nil, phase: SUSIPhase? = nil, text: String = "") {
        self.area = area
        self.phase = phase
        self.text = text
    }

    /// Every word of the text must occur in the initiative's number, title or texts; case does not matter.
    public func matches(_ initiative: Initiative) -> Bool {
        if let area, initiative.area != area { return false }
        if let phase, initiative.phase != phase { return false }
        let words = Self.fold(text).split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return true }
        let haystack = Self.fold(
            [
                initiative.number.description, initiative.title, initiative.grantRecipients, initiative.purpose,
                initiative.background, initiative.targetGroup, initiative.expectedResults, initiative.activities,
                initiative.successCriteria, initiative.applicationPoolCriteria,
            ].joined(separator: "\n"))
        return words.allSatisfy { haystack.contains($0) }
    }

    public func filter(_ initiatives: [Initiative]) -> [Initiative] {
        initiatives.filter(matches).sorted { ($0.programmeYear, $0.number) < ($1.programmeYear, $1.number) }
    }

    static func fold(_ text: String) -> String { text.lowercased() }
}
