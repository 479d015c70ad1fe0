import Fluent
import Foundation
import PuljeDomain

/// A business case: its input as JSON (`BusinessCaseInput`), optionally under an initiative of the catalogue.
final class BusinessCaseRecord: Model, @unchecked Sendable {
    static let schema = "business_cases"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "initiative_year") var initiativeYear: Int?
    @OptionalField(key: "initiative_number") var initiativeNumber: String?
    @Field(key: "title") var title: String
    @Field(key: "input_json") var inputJSON: String
    /// Raised by every save; a save based on an older version is refused.
    @Field(key: "version") var version: Int
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    func input() throws -> BusinessCaseInput {
        try JSONDecoder().decode(BusinessCaseInput.self, from: Data(inputJSON.utf8))
    }

    var initiative: BusinessCaseInitiative? {
        guard let year = initiativeYear, let number = initiativeNumber else { return nil }
        return BusinessCaseInitiative(year: year, number: number)
    }
}

/// The initiative a business case is about, as its form and links name it ("2022/1.8").
struct BusinessCaseInitiative: Hashable, Sendable {
    var year: Int
    var number: String

    var formValue: String { "\(year)/\(number)" }

    init(year: Int, number: String) {
        self.year = year
        self.number = number
    }

    init?(formValue: String) {
        let parts = formValue.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let year = Int(parts[0]), InitiativeNumber(String(parts[1])) != nil else { return nil }
        self.init(year: year, number: String(parts[1]))
    }
}

/// One year's value of the net price index, kept as exact decimal text.
final class PriceIndexRecord: Model, @unchecked Sendable {
    static let schema = "net_price_index"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "value") var value: String
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}
