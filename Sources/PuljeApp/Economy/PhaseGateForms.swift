import Foundation
import PuljeDomain
import PuljeHTML

/// The criteria form: rows "criteria.N.number", ".text", ".dimension" and the hidden ".id" of a criterion
/// already there. Blank rows are skipped; the page adds blank rows to fill in.
struct PhaseCriteriaForm {
    var values: [String: String]

    static let maximumRows = 60

    func value(_ name: String) -> String { (values[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The form filled in from a set of criteria.
    init(_ criteria: [PhaseCriterion], version: Int) {
        var values = ["version": String(version)]
        for (index, criterion) in criteria.enumerated() {
            values["criteria.\(index).number"] = String(index + 1)
            values["criteria.\(index).id"] = criterion.id
            values["criteria.\(index).text"] = criterion.text
            values["criteria.\(index).dimension"] = criterion.dimension
        }
        self.values = values
    }

    init(values: [String: String]) { self.values = values }

    /// The indices of the rows posted, filled in or not.
    var rowIndices: [Int] {
        Set(
            values.keys.compactMap { key -> Int? in
                let parts = key.split(separator: ".")
                guard parts.count == 3, parts[0] == "criteria", let index = Int(parts[1]),
                    (0..<Self.maximumRows).contains(index)
                else { return nil }
                return index
            }
        ).sorted()
    }

    /// The rows holding a text or a dimension, in the order of their numbers (a row without one keeps its
    /// place), each with the key it keeps or gets.
    func criteria(
        keeping current: [PhaseCriterion], errors: inout FormErrors
    ) -> [(index: Int, criterion: PhaseCriterion)] {
        let known = Set(current.map(\.id))
        var ordered: [(index: Int, number: Int, text: String, dimension: String, id: String?)] = []
        for index in rowIndices {
            let text = value("criteria.\(index).text")
            let dimension = value("criteria.\(index).dimension")
            guard !text.isEmpty || !dimension.isEmpty else { continue }
            let numberText = value("criteria.\(index).number")
            var number = index + 1
            if !numberText.isEmpty {
                if let typed = Int(numberText), (1...Self.maximumRows).contains(typed) {
                    number = typed
                } else {
                    errors.add("criteria.\(index).number", "Skriv et nummer fra 1 til \(Self.maximumRows).")
                }
            }
            let id = value("criteria.\(index).id")
            ordered.append((index, number, text, dimension, known.contains(id) ? id : nil))
        }
        ordered.sort { ($0.number, $0.index) < ($1.number, $1.index) }
        var taken = Set(ordered.compactMap(\.id))
        return ordered.map { row in
            let id = row.id ?? PhaseGate.criterionID(for: row.text, taken: taken)
            taken.insert(id)
            return (row.index, PhaseCriterion(id: id, text: row.text, dimension: row.dimension))
        }
    }

    /// What changed, for the audit log: criteria added, removed and reworded, and a new order.
    static func changeSummary(from old: [PhaseCriterion], to new: [PhaseCriterion]) -> String {
        let oldByID = Dictionary(old.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let newIDs = Set(new.map(\.id))
        var parts: [String] = []
        let added = new.filter { oldByID[$0.id] == nil }
        if !added.isEmpty { parts.append("tilføjet " + added.map { "\"\($0.text)\"" }.joined(separator: ", ")) }
        let removed = old.filter { !newIDs.contains($0.id) }
        if !removed.isEmpty { parts.append("fjernet " + removed.map { "\"\($0.text)\"" }.joined(separator: ", ")) }
        for criterion in new {
            guard let before = oldByID[criterion.id], before != criterion else { continue }
            parts.append("\"\(before.text)\" (\(before.dimension)) → \"\(criterion.text)\" (\(criterion.dimension))")
        }
        if new.map(\.id).filter({ oldByID[$0] != nil }) != old.map(\.id).filter(newIDs.contains) {
            parts.append("ny rækkefølge")
        }
        return parts.isEmpty ? "ingen ændringer." : parts.joined(separator: "; ") + "."
    }
}
