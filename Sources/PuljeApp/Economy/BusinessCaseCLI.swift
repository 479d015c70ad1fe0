import Foundation
import PuljeDomain

/// `pulje business-case`: a business case as JSON on standard input, its computation as JSON on standard
/// output (the same model the page shows). The input is `BusinessCaseInput` (see the README) with an
/// optional `"priceIndex": {"2020": 100, "2024": 110.5}` for price-level conversion. An invalid input gives
/// `{"error": {"kind": "invalid", "problems": [{"path": …, "message": …}]}}` naming every problem, and exit
/// status 2.
public enum BusinessCaseCLI {
    struct IndexInput: Decodable {
        var priceIndex: [String: Decimal]?
    }

    struct Failure: Encodable {
        struct Body: Encodable {
            var kind: String
            var problems: [BusinessCaseProblem]
        }
        var error: Body
    }

    public static func run(_ data: Data) -> (output: Data, status: Int32) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        func fail(_ problems: [BusinessCaseProblem]) -> (Data, Int32) {
            let body = Failure(error: .init(kind: "invalid", problems: problems))
            return (((try? encoder.encode(body)) ?? Data()) + Data("\n".utf8), 2)
        }
        let input: BusinessCaseInput
        let index: IndexInput
        do {
            input = try JSONDecoder().decode(BusinessCaseInput.self, from: data)
            index = try JSONDecoder().decode(IndexInput.self, from: data)
        } catch {
            return fail([
                .init(path: "", message: "Input er ikke en gyldig business case: \(PortfolioCLI.describe(error))")
            ])
        }
        var values: [Int: Decimal] = [:]
        var problems: [BusinessCaseProblem] = []
        for (key, value) in index.priceIndex ?? [:] {
            guard let year = Int(key) else {
                problems.append(.init(path: "priceIndex.\(key)", message: "Året skal være et årstal, fx 2022."))
                continue
            }
            if let problem = NetPriceIndex.problem(year: year, value: value) {
                problems.append(.init(path: "priceIndex.\(key)", message: problem))
            }
            values[year] = value
        }
        if !problems.isEmpty { return fail(problems + input.problems()) }
        switch BusinessCaseCalculator.compute(input, index: NetPriceIndex(values)) {
        case .success(let result):
            return (((try? encoder.encode(result)) ?? Data()) + Data("\n".utf8), 0)
        case .failure(let failure):
            return fail(failure.problems)
        }
    }
}
