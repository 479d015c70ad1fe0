import Foundation

/// Who a candidate in the portfolio or the ranking is: the app's application id (a UUID, written in lower
/// case) or, from the command line, whatever the input names it. Typed so that a candidate's id is never
/// mixed up with a target area or a criterion, which are strings too.
public struct CandidateID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringInterpolation
{
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(_ uuid: UUID) { self.rawValue = uuid.uuidString.lowercased() }

    /// The application id this candidate stands for, when it is one.
    public var uuid: UUID? { UUID(uuidString: rawValue) }
    public var description: String { rawValue }

    public static func < (a: CandidateID, b: CandidateID) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// An application the portfolio may select: its weighted score, the amount it would be granted, and the
/// target areas it covers.
public struct PortfolioCandidate: Hashable, Sendable {
    public var id: CandidateID
    public var score: Double
    public var amount: Money
    public var areas: Set<String>

    public init(id: CandidateID, score: Double, amount: Money, areas: Set<String>) {
        self.id = id
        self.score = score
        self.amount = amount
        self.areas = areas
    }
}

/// What the selection must respect: the funds, how many are sought, and how many per target area.
public struct PortfolioInstance: Hashable, Sendable {
    public var funds: Money
    public var minCount: Int
    public var maxCount: Int
    /// For each target area of the call: at least this many selected applications cover it.
    public var coverage: [String: Int]
    public var candidates: [PortfolioCandidate]

    public init(funds: Money, minCount: Int, maxCount: Int, coverage: [String: Int], candidates: [PortfolioCandidate]) {
        self.funds = funds
        self.minCount = minCount
        self.maxCount = maxCount
        self.coverage = coverage
        self.candidates = candidates
    }
}

/// Why an instance cannot be solved, in Danish.
public struct PortfolioError: Error, Hashable, Sendable {
    public enum Kind: String, Sendable {
        case invalid
        case infeasible
        /// The search was stopped before it could prove its best set optimal (see `PortfolioSolver.nodeLimit`).
        case searchLimit
    }
    public var kind: Kind
    public var messages: [String]

    public var message: String { messages.joined(separator: " ") }
}

/// The chosen set.
public struct PortfolioSelection: Hashable, Sendable {
    /// In the order of the instance's candidates.
    public var selected: [CandidateID]
    public var totalScore: Double
    public var totalAmount: Money

    public init(selected: [CandidateID], totalScore: Double, totalAmount: Money) {
        self.selected = selected
        self.totalScore = totalScore
        self.totalAmount = totalAmount
    }
}

/// Exact portfolio selection: the set of candidates with the greatest total score such that the amounts fit
/// the funds, the count lies between the minimum and maximum sought, and every target area is covered by
/// at least its minimum number of selected candidates.
///
/// Depth-first branch and bound over the candidates sorted by score per krone. A branch is cut when its
/// bound (the smaller of the fractional-knapsack bound and the sum of the best scores that still fit the
/// count) cannot beat the best set found, or when the remaining candidates can no longer meet the count,
/// the coverage or the funds those need. Since only branches that cannot contain a better feasible set are
/// cut, the answer is optimal; the property tests compare it with brute force.
public enum PortfolioSolver {
    static let epsilon = 1e-9
    /// 100 mia. kr.: far above any programme, far below where sums of 10.000 amounts could overflow.
    public static let maximumAmount = Money(ore: 10_000_000_000_000)
    public static let maximumCandidates = 10_000

    /// Checks an instance for values that make no sense, naming every one.
    public static func validate(_ instance: PortfolioInstance) throws(PortfolioError) {
        var problems: [String] = []
        if instance.funds.ore < 0 { problems.append("Puljens midler kan ikke være negative.") }
        // Bounds that keep every sum of amounts far inside 64 bits.
        let limit = DanishAmount.kroner(maximumAmount)
        if instance.funds > maximumAmount { problems.append("Puljens midler må højst være \(limit).") }
        if instance.candidates.count > maximumCandidates {
            problems.append("Der kan højst vælges blandt \(DanishNumber.grouped(maximumCandidates)) ansøgninger.")
        }
        if instance.minCount < 0 { problems.append("Mindste antal kan ikke være negativt.") }
        if instance.maxCount < instance.minCount {
            problems.append("Største antal (\(instance.maxCount)) er mindre end mindste antal (\(instance.minCount)).")
        }
        for (area, minimum) in instance.coverage.sorted(by: { $0.key < $1.key }) where minimum < 0 {
            problems.append("Dækningskravet for målområdet \"\(area)\" kan ikke være negativt.")
        }
        var seen: Set<CandidateID> = []
        for candidate in instance.candidates {
            if !seen.insert(candidate.id).inserted {
                problems.append("Ansøgningen \"\(candidate.id)\" optræder mere end én gang.")
            }
            if candidate.amount.ore < 0 {
                problems.append("Ansøgningen \"\(candidate.id)\" har et negativt beløb.")
            } else if candidate.amount > maximumAmount {
                problems.append("Ansøgningen \"\(candidate.id)\" har et beløb over \(limit).")
            }
            if !candidate.score.isFinite || candidate.score < 0 {
                problems.append("Ansøgningen \"\(candidate.id)\" har en ugyldig score (skal være et tal ≥ 0).")
            }
            for area in candidate.areas.sorted() where instance.coverage[area] == nil {
                problems.append("Ansøgningen \"\(candidate.id)\" har et ukendt målområde: \"\(area)\".")
            }
        }
        if !problems.isEmpty { throw PortfolioError(kind: .invalid, messages: problems) }
    }

    /// Branches one search may visit before it gives up. Real instances need thousands; a search that needs
    /// more than this is stopped with an honest message rather than left to hang a page (the answer is
    /// exact or not given).
    public static let nodeLimit = 50_000_000

    /// The optimal selection, or an explanation of why none exists.
    public static func solve(
        _ instance: PortfolioInstance, nodeLimit: Int = nodeLimit
    ) throws(PortfolioError)
        -> PortfolioSelection
    {
        try validate(instance)
        if let selection = try solve(instance, forcedIn: [], forcedOut: [], nodeLimit: nodeLimit) { return selection }
        throw PortfolioError(kind: .infeasible, messages: infeasibilityReasons(instance))
    }

    /// Solves with some candidates forced in and some left out; nil when that is infeasible.
    public static func solve(
        _ instance: PortfolioInstance, forcedIn: Set<CandidateID>, forcedOut: Set<CandidateID>,
        nodeLimit: Int = nodeLimit
    ) throws(PortfolioError) -> PortfolioSelection? {
        switch Search(instance: instance, forcedIn: forcedIn, forcedOut: forcedOut).run(nodeLimit: nodeLimit) {
        case .found(let selection): return selection
        case .infeasible: return nil
        case .stopped:
            throw PortfolioError(
                kind: .searchLimit,
                messages: [
                    "Beregningen blev stoppet efter \(nodeLimit) trin uden at kunne bevise, hvilket udvalg der er bedst. Til- eller fravælg nogle ansøgninger (med begrundelse), så søgningen bliver mindre, og prøv igen."
                ])
        }
    }

    /// Plain reasons why no selection exists, as far as simple counting shows; always at least one.
    public static func infeasibilityReasons(_ instance: PortfolioInstance) -> [String] {
        var reasons: [String] = []
        let candidates = instance.candidates
        if candidates.count < instance.minCount {
            reasons.append(
                "Der er \(candidates.count) ansøgninger at vælge imellem, men mindst \(instance.minCount) skal vælges.")
        }
        for (area, minimum) in instance.coverage.sorted(by: { $0.key < $1.key }) where minimum > 0 {
            let covering = candidates.filter { $0.areas.contains(area) }
            if covering.count < minimum {
                reasons.append(
                    "Målområdet \"\(area)\" skal dækkes af mindst \(minimum), men kun \(covering.count) ansøgninger dækker det."
                )
            } else {
                let cheapest = covering.map(\.amount).sorted().prefix(minimum).sum()
                if cheapest > instance.funds {
                    reasons.append(
                        "De \(minimum) billigste ansøgninger, der dækker \"\(area)\", koster \(DanishAmount.kroner(cheapest)), mere end puljens \(DanishAmount.kroner(instance.funds))"
                    )
                }
            }
            if minimum > instance.maxCount {
                reasons.append(
                    "Målområdet \"\(area)\" kræver \(minimum) ansøgninger, men højst \(instance.maxCount) kan vælges.")
            }
        }
        if candidates.count >= instance.minCount {
            let cheapest = candidates.map(\.amount).sorted().prefix(instance.minCount).sum()
            if cheapest > instance.funds {
                reasons.append(
                    "Selv de \(instance.minCount) billigste ansøgninger koster \(DanishAmount.kroner(cheapest)), mere end puljens \(DanishAmount.kroner(instance.funds))"
                )
            }
        }
        if reasons.isEmpty {
            reasons.append(
                "Ingen kombination af ansøgningerne holder sig inden for midlerne og opfylder samtidig antallet og dækningen af målområderne."
            )
        }
        return reasons
    }
}

/// One depth-first branch-and-bound search.
struct Search {
    struct Item {
        var index: Int
        var score: Double
        var amount: Int64
        var areaMask: UInt64
    }

    let instance: PortfolioInstance
    let items: [Item]
    let areas: [String]
    let need: [Int]
    let base: (score: Double, amount: Int64, count: Int, cover: [Int], chosen: [Int])
    /// suffixTop[i][r]: the sum of the r best scores among items[i...].
    let suffixTop: [[Double]]
    /// suffixCheap[i][m]: the sum of the m smallest amounts among items[i...].
    let suffixCheap: [[Int64]]
    /// suffixAreaCheap[a][i][m]: the same among items[i...] that cover area a.
    let suffixAreaCheap: [[[Int64]]]
    /// Every amount is a multiple of this, so is every sum of them: capacity beyond the last multiple is useless.
    let amountStep: Int64

    init(instance: PortfolioInstance, forcedIn: Set<CandidateID> = [], forcedOut: Set<CandidateID> = []) {
        self.instance = instance
        let areas = instance.coverage.keys.sorted()
        self.areas = areas
        self.need = areas.map { instance.coverage[$0] ?? 0 }
        var cover = Array(repeating: 0, count: areas.count)
        var baseScore = 0.0
        var baseAmount: Int64 = 0
        var chosen: [Int] = []
        var free: [Item] = []
        for (index, candidate) in instance.candidates.enumerated() {
            var mask: UInt64 = 0
            for (a, area) in areas.enumerated() where candidate.areas.contains(area) && a < 64 {
                mask |= 1 << UInt64(a)
            }
            if forcedOut.contains(candidate.id) { continue }
            if forcedIn.contains(candidate.id) {
                baseScore += candidate.score
                baseAmount += candidate.amount.ore
                chosen.append(index)
                for a in areas.indices where mask & (1 << UInt64(a)) != 0 { cover[a] += 1 }
                continue
            }
            free.append(Item(index: index, score: candidate.score, amount: candidate.amount.ore, areaMask: mask))
        }
        // Best score per krone first (free candidates first of all), then higher score, then input order.
        free.sort { a, b in
            let left = a.score * Double(max(b.amount, 0))
            let right = b.score * Double(max(a.amount, 0))
            if a.amount == 0 || b.amount == 0 {
                if (a.amount == 0) != (b.amount == 0) { return a.amount == 0 }
                return a.score != b.score ? a.score > b.score : a.index < b.index
            }
            if abs(left - right) > 1e-9 * max(1, abs(left)) { return left > right }
            return a.score != b.score ? a.score > b.score : a.index < b.index
        }
        self.items = free
        var step: Int64 = 0
        for candidate in instance.candidates { step = Self.gcd(step, candidate.amount.ore) }
        self.amountStep = max(step, 1)
        self.base = (baseScore, baseAmount, chosen.count, cover, chosen)

        let n = free.count
        var top: [[Double]] = []
        var cheap: [[Int64]] = []
        var areaCheap: [[[Int64]]] = Array(repeating: [], count: areas.count)
        for i in 0...n {
            let suffix = free[i...]
            top.append(Self.prefixSums(suffix.map(\.score).sorted(by: >)))
            cheap.append(Self.prefixSums(suffix.map(\.amount).sorted()))
            for a in areas.indices {
                let covering = suffix.filter { $0.areaMask & (1 << UInt64(a)) != 0 }.map(\.amount).sorted()
                areaCheap[a].append(Self.prefixSums(covering))
            }
        }
        self.suffixTop = top
        self.suffixCheap = cheap
        self.suffixAreaCheap = areaCheap
    }

    static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (x, y) = (abs(a), abs(b))
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    /// How many more items can fit at most: the largest m whose m cheapest remaining amounts fit.
    func maximumMore(from i: Int, capacity: Int64) -> Int {
        let sums = suffixCheap[i]
        var (low, high) = (0, sums.count - 1)
        while low < high {
            let middle = (low + high + 1) / 2
            if sums[middle] <= capacity { low = middle } else { high = middle - 1 }
        }
        return low
    }

    static func prefixSums<T: AdditiveArithmetic>(_ values: [T]) -> [T] {
        var sums: [T] = [.zero]
        for value in values { sums.append(sums[sums.count - 1] + value) }
        return sums
    }

    enum Outcome {
        case found(PortfolioSelection)
        case infeasible
        case stopped
    }

    func run(nodeLimit: Int) -> Outcome {
        let funds = instance.funds.ore
        if base.amount > funds || base.count > instance.maxCount { return .infeasible }
        var nodes = 0
        var stopped = false
        var best: [Int]? = nil
        var bestScore = -Double.infinity
        var chosen: [Int] = []
        var cover = base.cover

        func feasibleNow(count: Int) -> Bool {
            count >= instance.minCount && cover.indices.allSatisfy { cover[$0] >= need[$0] }
        }

        func visit(_ i: Int, score: Double, amount: Int64, count: Int) {
            nodes += 1
            if nodes > nodeLimit { stopped = true }
            if stopped { return }
            if feasibleNow(count: count) && score > bestScore + PortfolioSolver.epsilon {
                bestScore = score
                best = chosen
            }
            if i == items.count || count == instance.maxCount { return }
            let capacity = funds - amount
            let slots = instance.maxCount - count
            // What the rest must still supply.
            var required = max(instance.minCount - count, 0)
            for a in cover.indices where need[a] > cover[a] {
                let deficit = need[a] - cover[a]
                let available = suffixAreaCheap[a][i].count - 1
                if deficit > available || deficit > slots { return }
                if suffixAreaCheap[a][i][deficit] > capacity { return }
                required = max(required, deficit)
            }
            let remaining = items.count - i
            if required > remaining || required > slots { return }
            if suffixCheap[i][required] > capacity { return }
            // Bound: can this branch still beat the best? The lesser of the fractional knapsack (over the capacity
            // that amounts can actually use) and the best scores of as many items as can still fit in count and money.
            let usable = capacity - capacity % amountStep
            let more = min(slots, remaining, maximumMore(from: i, capacity: usable))
            let bound = score + min(fractionalBound(from: i, capacity: usable), suffixTop[i][more])
            if bound <= bestScore + PortfolioSolver.epsilon { return }

            let item = items[i]
            if item.amount <= capacity {
                chosen.append(item.index)
                for a in cover.indices where item.areaMask & (1 << UInt64(a)) != 0 { cover[a] += 1 }
                visit(i + 1, score: score + item.score, amount: amount + item.amount, count: count + 1)
                for a in cover.indices where item.areaMask & (1 << UInt64(a)) != 0 { cover[a] -= 1 }
                chosen.removeLast()
            }
            visit(i + 1, score: score, amount: amount, count: count)
        }

        visit(0, score: base.score, amount: base.amount, count: base.count)
        if stopped { return .stopped }
        guard let best else { return .infeasible }
        let indices = Set(best + base.chosen)
        let selected = instance.candidates.enumerated().filter { indices.contains($0.offset) }.map(\.element)
        return .found(
            PortfolioSelection(
                selected: selected.map(\.id), totalScore: selected.map(\.score).reduce(0, +),
                totalAmount: selected.map(\.amount).sum()))
    }

    /// The greatest score the items from i on could add within the capacity if they could be taken in
    /// fractions (they are sorted by score per krone).
    func fractionalBound(from i: Int, capacity: Int64) -> Double {
        var room = capacity
        var total = 0.0
        for item in items[i...] {
            if item.amount <= room {
                total += item.score
                room -= item.amount
            } else {
                total += item.score * Double(room) / Double(item.amount)
                break
            }
        }
        return total
    }
}
