import Foundation

/// The agency's view across the grant cases of a call: each municipality's case, what is overdue, attendance
/// against the obligations, and spend against budget by year. One model for the page, the chart and the
/// CSV and XLSX downloads, so that they always show the same figures.
public struct GrantOverview: Hashable, Sendable {
    /// One grant case as the overview sees it.
    public struct Row: Hashable, Sendable {
        public var caseID: UUID
        public var organisation: String
        public var status: GrantCaseStatus
        public var award: Money
        /// The approved budget by project year.
        public var budgetByYear: [Int: Money]
        /// Actual expenses by project year, from approved accounts only.
        public var spentByYear: [Int: Money]
        /// Payments released to the municipality.
        public var released: Money
        /// What is past its due time and not delivered, by name.
        public var overdue: [String]
        public var obligations: AttendanceObligations

        public init(
            caseID: UUID, organisation: String, status: GrantCaseStatus, award: Money, budgetByYear: [Int: Money],
            spentByYear: [Int: Money], released: Money, overdue: [String], obligations: AttendanceObligations
        ) {
            self.caseID = caseID
            self.organisation = organisation
            self.status = status
            self.award = award
            self.budgetByYear = budgetByYear
            self.spentByYear = spentByYear
            self.released = released
            self.overdue = overdue
            self.obligations = obligations
        }

        public var spent: Money { spentByYear.values.sum() }

        /// Spent as a share of the award, in whole per cent (0 when there is no award).
        public var spentPercent: Int { GrantOverview.percent(spent, of: award) }

        /// Whether the case needs the agency's attention: something overdue or a mandatory activity missed.
        public var needsAttention: Bool { !overdue.isEmpty || !obligations.missed.isEmpty }
    }

    public var rows: [Row]

    /// Rows sorted by the municipality's name, the Danish way (æ, ø, å last).
    public init(rows: [Row]) {
        let danish = Locale(identifier: "da_DK")
        self.rows = rows.sorted {
            $0.organisation.compare($1.organisation, locale: danish) == .orderedAscending
        }
    }

    /// Every year any case has a budget or an expense in, in order.
    public var years: [Int] {
        Set(rows.flatMap { Array($0.budgetByYear.keys) + Array($0.spentByYear.keys) }).sorted()
    }

    public var award: Money { rows.map(\.award).sum() }
    public var released: Money { rows.map(\.released).sum() }
    public var spent: Money { rows.map(\.spent).sum() }
    public func budget(year: Int) -> Money { rows.map { $0.budgetByYear[year] ?? .zero }.sum() }
    public func spent(year: Int) -> Money { rows.map { $0.spentByYear[year] ?? .zero }.sum() }
    public var overdueCount: Int { rows.map(\.overdue.count).reduce(0, +) }
    public var casesNeedingAttention: Int { rows.filter(\.needsAttention).count }

    /// `part` as whole per cent of `whole`, rounded down, at most a million; 0 when `whole` is not positive.
    /// Never traps, whatever the amounts.
    public static func percent(_ part: Money, of whole: Money) -> Int {
        guard whole.ore > 0, part.ore > 0 else { return 0 }
        let share = (Double(part.ore) / Double(whole.ore) * 100).rounded(.down)
        return Int(min(share, 1_000_000))
    }

    /// The overview as a table for CSV and XLSX: a header, one row per case, and a total.
    public func table() -> [[BudgetTable.Cell]] {
        let years = years
        var header: [BudgetTable.Cell] = [
            .text("Modtager"), .text("Status"), .text("Tilsagn (kr.)"), .text("Udbetalt (kr.)"),
        ]
        for year in years {
            header.append(.text("Budget \(year) (kr.)"))
            header.append(.text("Forbrug \(year) (kr.)"))
        }
        header += [
            .text("Forbrug i alt (kr.)"), .text("Forbrug af tilsagn (%)"),
            .text("Obligatoriske aktiviteter afholdt"), .text("Deltaget i"), .text("Overskredne frister"),
        ]
        var table = [header]
        for row in rows {
            var cells: [BudgetTable.Cell] = [
                .text(row.organisation), .text(row.status.danishName), .amount(row.award), .amount(row.released),
            ]
            for year in years {
                cells.append(.amount(row.budgetByYear[year] ?? .zero))
                cells.append(.amount(row.spentByYear[year] ?? .zero))
            }
            cells += [
                .amount(row.spent), BudgetTable.whole(row.spentPercent), BudgetTable.whole(row.obligations.held),
                BudgetTable.whole(row.obligations.attended), .text(row.overdue.joined(separator: "; ")),
            ]
            table.append(cells)
        }
        var total: [BudgetTable.Cell] = [.text("I alt"), .empty, .amount(award), .amount(released)]
        for year in years {
            total.append(.amount(budget(year: year)))
            total.append(.amount(spent(year: year)))
        }
        total += [
            .amount(spent), BudgetTable.whole(Self.percent(spent, of: award)), .empty, .empty,
            BudgetTable.whole(overdueCount),
        ]
        table.append(total)
        return table
    }
}

/// An initiative's grant cases across its calls (its rounds): per round the cases, the award, what is released
/// and spent, and what needs attention, with totals. Each round's own overview holds its cases.
public struct InitiativeGrantOverview: Hashable, Sendable {
    public struct Round: Hashable, Sendable {
        public var callID: UUID
        public var title: String
        public var overview: GrantOverview

        public init(callID: UUID, title: String, overview: GrantOverview) {
            self.callID = callID
            self.title = title
            self.overview = overview
        }

        public var spentPercent: Int { GrantOverview.percent(overview.spent, of: overview.award) }
    }

    public var rounds: [Round]

    /// Rounds in the order of their titles, the Danish way; a round without cases is left out.
    public init(rounds: [Round]) {
        let danish = Locale(identifier: "da_DK")
        self.rounds = rounds.filter { !$0.overview.rows.isEmpty }.sorted {
            $0.title.compare($1.title, locale: danish) == .orderedAscending
        }
    }

    public var caseCount: Int { rounds.map(\.overview.rows.count).reduce(0, +) }
    public var award: Money { rounds.map(\.overview.award).sum() }
    public var released: Money { rounds.map(\.overview.released).sum() }
    public var spent: Money { rounds.map(\.overview.spent).sum() }
    public var spentPercent: Int { GrantOverview.percent(spent, of: award) }
    public var overdueCount: Int { rounds.map(\.overview.overdueCount).reduce(0, +) }
    public var casesNeedingAttention: Int { rounds.map(\.overview.casesNeedingAttention).reduce(0, +) }

    /// The overview as a table for CSV and XLSX: a header, one row per round, and a total.
    public func table() -> [[BudgetTable.Cell]] {
        var table: [[BudgetTable.Cell]] = [
            [
                .text("Pulje"), .text("Sager"), .text("Tilsagn (kr.)"), .text("Udbetalt (kr.)"),
                .text("Forbrug (kr.)"), .text("Forbrug af tilsagn (%)"), .text("Overskredne frister"),
                .text("Sager, der kræver opmærksomhed"),
            ]
        ]
        for round in rounds {
            table.append([
                .text(round.title), BudgetTable.whole(round.overview.rows.count), .amount(round.overview.award),
                .amount(round.overview.released), .amount(round.overview.spent), BudgetTable.whole(round.spentPercent),
                BudgetTable.whole(round.overview.overdueCount),
                BudgetTable.whole(round.overview.casesNeedingAttention),
            ])
        }
        table.append([
            .text("I alt"), BudgetTable.whole(caseCount), .amount(award), .amount(released), .amount(spent),
            BudgetTable.whole(spentPercent), BudgetTable.whole(overdueCount), BudgetTable.whole(casesNeedingAttention),
        ])
        return table
    }
}
