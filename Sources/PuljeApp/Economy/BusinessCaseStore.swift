import Fluent
import Foundation
import PuljeDomain
import SQLKit

/// Every query and write of the business cases and the net price index.
enum BusinessCaseStore {
    static func all(on db: any Database) async throws -> [BusinessCaseRecord] {
        try await BusinessCaseRecord.query(on: db).sort(\.$title).sort(\.$createdAt).all()
    }

    /// The business cases under an initiative, by title.
    static func of(year: Int, number: String, on db: any Database) async throws -> [(id: UUID, title: String)] {
        try await BusinessCaseRecord.query(on: db).filter(\.$initiativeYear == year)
            .filter(\.$initiativeNumber == number).sort(\.$title).all()
            .map { (try $0.requireID(), $0.title) }
    }

    static func find(_ id: UUID, on db: any Database) async throws -> BusinessCaseRecord? {
        try await BusinessCaseRecord.find(id, on: db)
    }

    static func encode(_ input: BusinessCaseInput) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(input), as: UTF8.self)
    }

    static func create(
        _ input: BusinessCaseInput, initiative: BusinessCaseInitiative?, by name: String, at now: Date,
        on db: any Database
    ) async throws -> UUID {
        let record = BusinessCaseRecord()
        record.initiativeYear = initiative?.year
        record.initiativeNumber = initiative?.number
        record.title = input.title
        record.inputJSON = try encode(input)
        record.version = 1
        record.createdBy = name
        record.createdAt = now
        record.updatedBy = name
        record.updatedAt = now
        try await record.create(on: db)
        return try record.requireID()
    }

    /// Saves the input over `version`; false when someone saved a newer version first.
    static func save(
        _ input: BusinessCaseInput, initiative: BusinessCaseInitiative?, of id: UUID, over version: Int,
        by name: String, at now: Date, on db: any Database
    ) async throws -> Bool {
        try await db.changedRow(
            """
            UPDATE \(ident: BusinessCaseRecord.schema) SET \(ident: "input_json") = \(bind: try encode(input)),
            \(ident: "title") = \(bind: input.title), \(ident: "initiative_year") = \(bind: initiative?.year),
            \(ident: "initiative_number") = \(bind: initiative?.number),
            \(ident: "version") = \(ident: "version") + 1, \(ident: "updated_by") = \(bind: name),
            \(ident: "updated_at") = \(bind: now)
            WHERE \(ident: "id") = \(bind: id) AND \(ident: "version") = \(bind: version) RETURNING \(ident: "id")
            """)
    }

    static func indexRecords(on db: any Database) async throws -> [PriceIndexRecord] {
        try await PriceIndexRecord.query(on: db).sort(\.$year).all()
    }

    static func index(on db: any Database) async throws -> NetPriceIndex {
        var values: [Int: Decimal] = [:]
        for record in try await indexRecords(on: db) {
            if let value = Decimal(string: record.value) { values[record.year] = value }
        }
        return NetPriceIndex(values)
    }

    /// Sets a year's value, or removes the year when `value` is nil; returns the value it had. The same value
    /// again writes nothing (so nothing changes without the audit entry the caller writes for a change).
    static func setIndex(
        year: Int, to value: Decimal?, by name: String, at now: Date, on db: any Database
    ) async throws -> String? {
        let existing = try await PriceIndexRecord.query(on: db).filter(\.$year == year).first()
        let before = existing?.value
        if let value, before.flatMap({ Decimal(string: $0) }) == value { return before }
        if let value {
            let record = existing ?? PriceIndexRecord()
            record.year = year
            record.value = "\(value)"
            record.updatedBy = name
            record.updatedAt = now
            try await record.save(on: db)
        } else if let existing {
            try await existing.delete(on: db)
        }
        return before
    }
}
