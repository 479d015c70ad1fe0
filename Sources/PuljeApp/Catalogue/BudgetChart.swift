import PuljeDomain
import PuljeHTML

/// Server-rendered SVG charts. The tables beside them carry the same figures for screen readers,
/// so each chart has a short text alternative only.
enum BudgetChart {
    static func byYear(_ budget: InitiativeBudget) -> Node {
        let years = budget.years
        guard !years.isEmpty else { return .empty }
        let width = 640, height = 260, left = 70, bottom = 40, top = 30
        let plotHeight = height - bottom - top
        let maxOre = max(budget.byYear.values.map(\.ore).max() ?? 1, 1)
        let slot = (width - left - 10) / years.count
        let barWidth = min(80, slot * 6 / 10)
        let summary = years.map { "\($0): \(DanishAmount.millions(budget.byYear[$0] ?? .zero))" }.joined(
            separator: ", ")
        return tag(
            "svg", .class("chart"), .init("viewBox", "0 0 \(width) \(height)"), .init("role", "img"),
            .aria(
                "label",
                "Søjlediagram over budgettet fordelt på år: \(summary.hasSuffix(".") ? summary : summary + ".")"),
            .init("xmlns", "http://www.w3.org/2000/svg")
        ) {
            tag(
                "line", .init("x1", "\(left)"), .init("y1", "\(height - bottom)"), .init("x2", "\(width - 5)"),
                .init("y2", "\(height - bottom)"), .class("axis"))
            for (index, year) in years.enumerated() {
                let amount = budget.byYear[year] ?? .zero
                let barHeight = Int((Double(amount.ore) / Double(maxOre)) * Double(plotHeight))
                let x = left + index * slot + (slot - barWidth) / 2
                let y = height - bottom - barHeight
                tag(
                    "rect", .init("x", "\(x)"), .init("y", "\(y)"), .init("width", "\(barWidth)"),
                    .init("height", "\(barHeight)"), .class("bar"))
                tag(
                    "text", .init("x", "\(x + barWidth / 2)"), .init("y", "\(y - 8)"), .init("text-anchor", "middle"),
                    .class("value")
                ) { DanishAmount.millions(amount) }
                tag(
                    "text", .init("x", "\(x + barWidth / 2)"), .init("y", "\(height - bottom + 22)"),
                    .init("text-anchor", "middle"), .class("label")
                ) { String(year) }
            }
        }
    }

    /// The timeline as bars over quarters.
    static func timeline(_ entries: [TimelineEntry]) -> Node {
        guard let first = entries.map(\.from).min(), let last = entries.map(\.to).max() else { return .empty }
        let quarterCount = last.index - first.index + 1
        let rowHeight = 26, left = 10, top = 30
        let width = 640
        let step = Double(width - left - 10) / Double(quarterCount)
        let height = top + entries.count * rowHeight + 10
        return tag(
            "svg", .class("chart timeline-chart"), .init("viewBox", "0 0 \(width) \(height)"), .init("role", "img"),
            .aria(
                "label",
                "Tidslinje fra \(first.danishName) til \(last.danishName) med \(entries.count) aktivitetsperioder."),
            .init("xmlns", "http://www.w3.org/2000/svg")
        ) {
            for year in first.year...last.year {
                let startIndex = max(year * 4, first.index) - first.index
                let x = Double(left) + Double(startIndex) * step
                tag(
                    "line", .init("x1", format(x)), .init("y1", "18"), .init("x2", format(x)),
                    .init("y2", "\(height - 5)"),
                    .class("grid"))
                tag("text", .init("x", format(x + 4)), .init("y", "14"), .class("label")) { String(year) }
            }
            for (row, entry) in entries.enumerated() {
                let x = Double(left) + Double(entry.from.index - first.index) * step
                let w = Double(entry.to.index - entry.from.index + 1) * step
                tag(
                    "rect", .init("x", format(x)), .init("y", "\(top + row * rowHeight)"), .init("width", format(w)),
                    .init("height", "\(rowHeight - 8)"), .init("rx", "3"), .class("bar")
                ) {
                    tag("title") { entry.label + ": " + entry.activities.joined(separator: "; ") }
                }
            }
        }
    }

    static func format(_ value: Double) -> String { String(Int(value.rounded())) }
}
