import Foundation
import PuljeDomain

/// `pulje portfolio`: an instance as JSON on standard input, the optimal selection as JSON on standard output.
///
/// Input: `{"funds": 13000000, "minCount": 3, "maxCount": 4, "coverage": {"handicap": 1},
/// "candidates": [{"id": "751", "score": 4.2, "amount": 2500000, "areas": ["handicap"]}]}` with amounts
/// in kroner (at most two decimals). Output: `{"selected": [...], "totalScore": …, "totalAmount": …}`.
/// An invalid or infeasible instance gives `{"error": {"kind": …, "messages": [...]}}` and exit status 2.
public enum PortfolioCLI {
    struct Input: Decodable {
        var funds: Decimal
        var minCount: Int?
        var maxCount: Int?
        var coverage: [String: Int]?
        var candidates: [Candidate]
        struct Candidate: Decodable {
            var id: String
            var score: Double
            var amount: Decimal
            var areas: [String]?
        }
    }

    struct Output: Encodable {
        var selected: [CandidateID]
        var totalScore: Double
        var totalAmount: Decimal
    }

    struct Failure: Encodable {
        struct Body: Encodable {
            var kind: String
            var messages: [String]
        }
        var error: Body
    }

    public static func run(_ input: Data) -> (output: Data, status: Int32) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func fail(_ kind: String, _ messages: [String]) -> (Data, Int32) {
            let data = (try? encoder.encode(Failure(error: .init(kind: kind, messages: messages)))) ?? Data()
            return (data + Data("\n".utf8), 2)
        }
        let parsed: Input
        do {
            parsed = try JSONDecoder().decode(Input.self, from: input)
        } catch {
            return fail("invalid", ["Input is not a valid instance: \(describe(error))"])
        }
        var problems: [String] = []
        func ore(_ kroner: Decimal, _ what: String) -> Money {
            var scaled = kroner * 100
            var rounded = Decimal()
            NSDecimalRound(&rounded, &scaled, 0, .plain)
            if rounded != scaled { problems.append("\(what) has more than two decimals (øre).") }
            // Out of range before conversion: int64Value does not report an overflow.
            guard rounded.magnitude <= Decimal(PortfolioSolver.maximumAmount.ore) else {
                problems.append("\(what) is above \(PortfolioSolver.maximumAmount.kroner) kroner.")
                return .zero
            }
            return Money(ore: NSDecimalNumber(decimal: rounded).int64Value)
        }
        let candidates = parsed.candidates.map { c in
            PortfolioCandidate(
                id: CandidateID(c.id), score: c.score, amount: ore(c.amount, "The amount of \"\(c.id)\""),
                areas: Set(c.areas ?? []))
        }
        let instance = PortfolioInstance(
            funds: ore(parsed.funds, "funds"), minCount: parsed.minCount ?? 0,
            maxCount: parsed.maxCount ?? parsed.candidates.count, coverage: parsed.coverage ?? [:],
            candidates: candidates)
        if !problems.isEmpty { return fail("invalid", problems) }
        do throws(PortfolioError) {
            let selection = try PortfolioSolver.solve(instance)
            let output = Output(
                selected: selection.selected, totalScore: (selection.totalScore * 1e9).rounded() / 1e9,
                totalAmount: Decimal(selection.totalAmount.ore) / 100)
            return (((try? encoder.encode(output)) ?? Data()) + Data("\n".utf8), 0)
        } catch {
            return fail(error.kind.rawValue, error.messages)
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "missing \"\(key.stringValue)\"" + path(context)
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type" + path(context)
        case DecodingError.dataCorrupted(let context):
            "not JSON" + path(context)
        default:
            "\(error)"
        }
    }

    static func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "" : " at \(path)"
    }
}
