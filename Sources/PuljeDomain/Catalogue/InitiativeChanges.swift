/// What changed between two versions of an initiative, in Danish, for the audit log.
public enum InitiativeChanges {
    public static func describe(from old: Initiative, to new: Initiative) -> [String] {
        var changes: [String] = []
        func text(_ name: String, _ a: String, _ b: String) {
            guard a != b else { return }
            if a.count + b.count <= 160 {
                changes.append("\(name): \"\(a)\" → \"\(b)\"")
            } else {
                changes.append("\(name) ændret (\(a.count) → \(b.count) tegn)")
            }
        }
        text("Titel", old.title, new.title)
        text("Område", old.area.danishName, new.area.danishName)
        text("SUSI-fase", old.phase.danishName, new.phase.danishName)
        text("Spor", old.track.map(String.init) ?? "intet", new.track.map(String.init) ?? "intet")
        text("Tilskudsmodtagere", old.grantRecipients, new.grantRecipients)
        text("Formål", old.purpose, new.purpose)
        text("Baggrund", old.background, new.background)
        text("Målgruppe", old.targetGroup, new.targetGroup)
        text("Forventede resultater", old.expectedResults, new.expectedResults)
        text("Aktiviteter", old.activities, new.activities)
        text("Succeskriterier", old.successCriteria, new.successCriteria)
        text("Udmøntning", old.implementationNote, new.implementationNote)
        text("Kriterier for ansøgningspulje", old.applicationPoolCriteria, new.applicationPoolCriteria)
        text("Prisniveau", String(old.budget.priceLevel), String(new.budget.priceLevel))
        text("Samlet budget", DanishAmount.kroner(old.budget.total), DanishAmount.kroner(new.budget.total))
        for year in Set(old.budget.byYear.keys).union(new.budget.byYear.keys).sorted() {
            text(
                "Budget \(year)", DanishAmount.kroner(old.budget.byYear[year] ?? .zero),
                DanishAmount.kroner(new.budget.byYear[year] ?? .zero))
        }
        for category in BudgetCategory.allCases {
            text(
                category.danishName, DanishAmount.kroner(old.budget.byCategory[category] ?? .zero),
                DanishAmount.kroner(new.budget.byCategory[category] ?? .zero))
        }
        if old.timeline != new.timeline {
            changes.append("Tidsplan ændret (\(old.timeline.count) → \(new.timeline.count) punkter)")
        }
        return changes
    }
}
