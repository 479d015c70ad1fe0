import Fluent
import Foundation
import PuljeDomain

/// An instrument the evaluator defined, one row per version (WHO-5 is built in and not stored).
final class InstrumentRecord: Model, @unchecked Sendable {
    static let schema = "instruments"

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "version") var version: Int
    @Field(key: "definition_json") var definitionJSON: String
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    func instrument() throws -> Instrument {
        try JSONDecoder().decode(Instrument.self, from: Data(definitionJSON.utf8))
    }
}

/// How citizen-level data ends when the evaluation does.
enum RetentionRule: String, CaseIterable, Sendable {
    /// Every citizen and record is deleted.
    case delete
    /// The link to the municipality's enrolment is cut: pseudonyms are replaced by sequence numbers, birth
    /// year and sex removed, so the records can no longer be tied to a person even with the key.
    case anonymise

    var danishName: String {
        switch self {
        case .delete: "Slet data om borgerne"
        case .anonymise: "Anonymisér data om borgerne"
        }
    }
}

/// An evaluation of a call: its design (as `EvaluationDesign` JSON, versioned), its end date and what then
/// happens to citizen-level data.
final class EvaluationRecord: Model, @unchecked Sendable {
    static let schema = "evaluations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "call_id") var call: CallRecord
    @Field(key: "title") var title: String
    @Field(key: "design_json") var designJSON: String
    @Field(key: "version") var version: Int
    /// ISO date: the last day of the evaluation; the day after, citizen-level data is deleted or anonymised.
    @Field(key: "end_date") var endDate: String
    @Field(key: "retention") var retention: String
    @OptionalField(key: "purged_at") var purgedAt: Date?
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    func design() throws -> EvaluationDesign {
        try JSONDecoder().decode(EvaluationDesign.self, from: Data(designJSON.utf8))
    }
    var end: CalendarDate? { CalendarDate(parsing: endDate) }
    var retentionRule: RetentionRule { RetentionRule(rawValue: retention) ?? .delete }
}

/// A citizen in an evaluation, known only by a pseudonym.
final class EvaluationCitizenRecord: Model, @unchecked Sendable {
    static let schema = "evaluation_citizens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "evaluation_id") var evaluation: EvaluationRecord
    @Parent(key: "organisation_id") var organisation: OrganisationRecord
    @Field(key: "pseudonym") var pseudonymValue: String
    @Field(key: "baseline_date") var baselineDate: String
    @OptionalField(key: "birth_year") var birthYear: Int?
    @OptionalField(key: "sex") var sex: String?
    @OptionalField(key: "consent_at") var consentAt: Date?
    @Field(key: "enrolled_by") var enrolledBy: String
    @Field(key: "enrolled_at") var enrolledAt: Date

    init() {}

    var baseline: CalendarDate? { CalendarDate(parsing: baselineDate) }
    /// The pseudonym as pages show it (an anonymised citizen carries a sequence number instead).
    var shownPseudonym: String { Pseudonym(stored: pseudonymValue)?.short ?? pseudonymValue }
}

/// What was recorded about a citizen at one measurement point: the answers per instrument (key → item →
/// value, with the instrument's version) and the numbers of the design's fields (key → decimal text).
final class EvaluationEntryRecord: Model, @unchecked Sendable {
    static let schema = "evaluation_records"

    @ID(key: .id) var id: UUID?
    @Parent(key: "citizen_id") var citizen: EvaluationCitizenRecord
    @Field(key: "point_key") var pointKey: String
    @Field(key: "answers_json") var answersJSON: String
    @Field(key: "fields_json") var fieldsJSON: String
    @Field(key: "version") var version: Int
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    func answers() -> [String: InstrumentAnswers] { InstrumentAnswers.read(answersJSON) }
    func fields() -> [String: String] { InstrumentAnswers.readFields(fieldsJSON) }
}

/// The answers to one instrument at one measurement point, with the version they were given under.
struct InstrumentAnswers: Codable, Hashable, Sendable {
    var version: Int
    var values: [String: Int]

    /// The stored answers (instrument key → answers), read with JSONSerialization: about three times faster
    /// than JSONDecoder here, and a million-row export reads one per measurement. Anything unreadable is
    /// left out.
    static func read(_ json: String) -> [String: InstrumentAnswers] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return [:]
        }
        var out: [String: InstrumentAnswers] = [:]
        for (key, value) in object {
            guard let entry = value as? [String: Any], let version = (entry["version"] as? NSNumber)?.intValue,
                let raw = entry["values"] as? [String: Any]
            else { continue }
            var values: [String: Int] = [:]
            for (item, number) in raw {
                if let number = number as? NSNumber { values[item] = number.intValue }
            }
            out[key] = InstrumentAnswers(version: version, values: values)
        }
        return out
    }

    /// The stored fields (field key → decimal text).
    static func readFields(_ json: String) -> [String: String] {
        guard json != "{}", let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        else { return [:] }
        return object.compactMapValues { $0 as? String }
    }
}

/// One read, import, export, enrolment or deletion of citizen data: who, when, which records.
final class DataAccessRecord: Model, @unchecked Sendable {
    static let schema = "data_access_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "organisation_name") var organisationName: String
    @Field(key: "action") var action: String
    @OptionalField(key: "evaluation_id") var evaluationID: UUID?
    @Field(key: "record_count") var recordCount: Int
    /// The pseudonyms read (short form), or a description of the records.
    @Field(key: "records") var records: String
    @Field(key: "address") var address: String

    init() {}
}
