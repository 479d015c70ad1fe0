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
