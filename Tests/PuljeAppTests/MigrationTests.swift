import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import PuljeApp

extension AppTests {
    @Suite struct MigrationTests {
        /// Tables, columns and indexes as the database describes them, sorted.
        static func schema(_ app: Application) async throws -> [String] {
            let sql = try app.db.sql
            if case .postgres = app.config.database {
                return try await sql.raw(
                    """
                    SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
                    WHERE table_schema = 'public' AND table_name NOT LIKE '_fluent%'
                    ORDER BY table_name, column_name
                    """
                ).all().map {
                    [
                        try $0.decode(column: "table_name", as: String.self),
                        try $0.decode(column: "column_name", as: String.self),
                        try $0.decode(column: "data_type", as: String.self),
                        try $0.decode(column: "is_nullable", as: String.self),
                    ].joined(separator: " ")
                }
            }
            return try await sql.raw(
                """
                SELECT name, sql FROM sqlite_master
                WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_fluent%' ORDER BY name
                """
            ).all().map {
                (try $0.decode(column: "name", as: String.self)) + ": "
                    + ((try? $0.decode(column: "sql", as: String.self)) ?? "")
            }
        }
        /// Every migration has a real revert: reverting all leaves no table of Pulje's, and migrating again
        /// gives the same schema.
        @Test func revertingEveryMigrationAndMigratingAgainGivesTheSameSchema() async throws {
            try await withTestApp { app in
                let before = try await Self.schema(app)
                #expect(before.count > 20)
                try await app.autoRevert()
                #expect(try await Self.schema(app).isEmpty)
                try await app.autoMigrate()
                #expect(try await Self.schema(app) == before)
            }
        }
    }
}

extension AppTests.MigrationTests {
    /// A column as the previous release knew it: whether it may be NULL and whether it has a default.
    struct Column: Hashable, Comparable {
        var table: String
        var name: String
        var nullable: Bool
        var hasDefault: Bool

        var line: String { "\(table) \(name) \(nullable ? "null" : "not-null") \(hasDefault ? "default" : "-")" }
        init(table: String, name: String, nullable: Bool, hasDefault: Bool) {
            self.table = table
            self.name = name
            self.nullable = nullable
            self.hasDefault = hasDefault
        }
        init?(line: Substring) {
            let parts = line.split(separator: " ").map(String.init)
            guard parts.count == 4 else { return nil }
            self.init(table: parts[0], name: parts[1], nullable: parts[2] == "null", hasDefault: parts[3] == "default")
        }
        static func < (a: Column, b: Column) -> Bool { (a.table, a.name) < (b.table, b.name) }
    }

    /// Every column of Pulje's tables, with its nullability and whether it has a default.
    static func columns(_ app: Application) async throws -> [Column] {
        let sql = try app.db.sql
        if case .postgres = app.config.database {
            return try await sql.raw(
                """
                SELECT table_name, column_name, is_nullable, column_default FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name NOT LIKE '_fluent%'
                """
            ).all().map {
                Column(
                    table: try $0.decode(column: "table_name", as: String.self),
                    name: try $0.decode(column: "column_name", as: String.self),
                    nullable: try $0.decode(column: "is_nullable", as: String.self) == "YES",
                    hasDefault: try $0.decode(column: "column_default", as: String?.self) != nil)
            }.sorted()
        }
        let tables = try await sql.raw(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_fluent%'"
        ).all().map { try $0.decode(column: "name", as: String.self) }
        var columns: [Column] = []
        for table in tables {
            for row in try await sql.raw(
                "SELECT name, \"notnull\", pk, dflt_value FROM pragma_table_info(\(bind: table))"
            )
            .all() {
                columns.append(
                    Column(
                        table: table, name: try row.decode(column: "name", as: String.self),
                        // A primary key is never NULL, though SQLite does not say so.
                        nullable: try row.decode(column: "notnull", as: Int.self) == 0
                            && row.decode(column: "pk", as: Int.self) == 0,
                        hasDefault: try row.decode(column: "dflt_value", as: String?.self) != nil))
            }
        }
        return columns.sorted()
    }

    /// The rule for migrations (README, "Migrations while the previous version serves"): the previous
    /// release's statements still work on the new schema. Every table and column it knew is still there, none
    /// it could leave empty has become required, and every column added since may be left out of an INSERT
    /// (it may be NULL or has a default). Each breach named.
    static func breaches(previous: [Column], current: [Column]) -> [String] {
        let now = Dictionary(current.map { ("\($0.table).\($0.name)", $0) }, uniquingKeysWith: { a, _ in a })
        let before = Set(previous.map { "\($0.table).\($0.name)" })
        var problems: [String] = []
        for column in previous {
            guard let found = now["\(column.table).\(column.name)"] else {
                problems.append(
                    "\(column.table).\(column.name) is gone: the previous release still reads and writes it")
                continue
            }
            if column.nullable && !found.nullable && !found.hasDefault {
                problems.append("\(column.table).\(column.name) became required: the previous release may leave it out")
            }
        }
        // A table the previous release does not know it never reads or writes: its columns are free.
        let knownTables = Set(previous.map(\.table))
        for column in current
        where !before.contains("\(column.table).\(column.name)") && knownTables.contains(column.table) {
            if !column.nullable && !column.hasDefault {
                problems.append(
                    "\(column.table).\(column.name) is new and required without a default: the previous release's INSERTs leave it out"
                )
            }
        }
        return problems
    }

    static let releaseSchemaFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots/schema-previous-release.txt")

    /// The schema now, against the previous release's (recorded at each release with
    /// PULJE_RECORD_SNAPSHOTS=1): the next migration added must keep the running version working.
    @Test func thePreviousReleaseStillWorksOnTheNewSchema() async throws {
        try await withTestApp { app in
            let current = try await Self.columns(app)
            #expect(current.count > 100)
            if ProcessInfo.processInfo.environment["PULJE_RECORD_SNAPSHOTS"] == "1",
                case .sqliteMemory = app.config.database
            {
                try (current.map(\.line).joined(separator: "\n") + "\n").write(
                    to: Self.releaseSchemaFile, atomically: true, encoding: .utf8)
            }
            let previous = try String(contentsOf: Self.releaseSchemaFile, encoding: .utf8)
                .split(separator: "\n").compactMap(Column.init(line:))
            #expect(previous.count > 100)
            #expect(Self.breaches(previous: previous, current: current) == [])
        }
    }

    /// The check catches each way a migration breaks the running version.
    @Test func theRuleNamesEveryBreach() {
        let previous = [
            Column(table: "calls", name: "title", nullable: false, hasDefault: false),
            Column(table: "calls", name: "summary", nullable: true, hasDefault: false),
            Column(table: "calls", name: "old", nullable: true, hasDefault: false),
        ]
        let current = [
            Column(table: "calls", name: "title", nullable: false, hasDefault: false),
            Column(table: "calls", name: "summary", nullable: false, hasDefault: false),
            Column(table: "calls", name: "added_optional", nullable: true, hasDefault: false),
            Column(table: "calls", name: "added_with_default", nullable: false, hasDefault: true),
            Column(table: "calls", name: "added_required", nullable: false, hasDefault: false),
            // A new table: the previous release never touches it, so its required columns break nothing.
            Column(table: "business_cases", name: "title", nullable: false, hasDefault: false),
        ]
        #expect(
            Self.breaches(previous: previous, current: current) == [
                "calls.summary became required: the previous release may leave it out",
                "calls.old is gone: the previous release still reads and writes it",
                "calls.added_required is new and required without a default: the previous release's INSERTs leave it out",
            ])
    }
}
