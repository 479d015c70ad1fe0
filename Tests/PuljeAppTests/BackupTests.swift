import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import ZIPFoundation

@testable import PuljeApp
@testable import PuljeDomain

extension AppTests {
    /// `pulje backup` and `pulje restore`: every table and every attachment comes back identical, and a
    /// damaged archive or a database that is not empty is refused before anything is written.
    @Suite struct BackupTests {
        static func temporary() throws -> String {
            let path = NSTemporaryDirectory() + "pulje-backup-test-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return path
        }

        /// Every table's rows, each row as text, sorted: the same on both sides means the same data.
        static func snapshot(_ db: any SQLDatabase, sqlite: Bool) async throws -> [String: [String]] {
            struct Name: Decodable { var name: String }
            let tables = try await db.raw(
                sqlite
                    ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                    : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
            ).all(decoding: Name.self).map(\.name)
            var result: [String: [String]] = [:]
            for table in tables {
                let rows = try await db.raw("SELECT * FROM \(ident: table)").all()
                result[table] = rows.map { row in
                    row.allColumns.sorted().map { column in "\(column)=\(cell(row, column))" }.joined(separator: "|")
                }.sorted()
            }
            return result
        }

        static func cell(_ row: any SQLRow, _ column: String) -> String {
            if (try? row.decodeNil(column: column)) == true { return "NULL" }
            if let value = try? row.decode(column: column, as: UUID.self) { return value.uuidString }
            if let value = try? row.decode(column: column, as: Int64.self) { return String(value) }
            if let value = try? row.decode(column: column, as: Double.self) { return String(value) }
            if let value = try? row.decode(column: column, as: Bool.self) { return String(value) }
            if let value = try? row.decode(column: column, as: Date.self) { return String(value.timeIntervalSince1970) }
            if let value = try? row.decode(column: column, as: String.self) { return value }
            if let value = try? row.decode(column: column, as: Data.self) { return value.base64EncodedString() }
            return "(unreadable)"
        }

        @Test func aBackupRestoresElsewhereWithEveryTableAndFileIdentical() async throws {
            try await withTestApp { app in
                try await Grants.decided(app)
                let fileID = UUID()
                try AttachmentFiles.store(Array("Bilag til sikkerhedskopien".utf8), id: fileID, in: app)
                defer { AttachmentFiles.remove(fileID, in: app) }
                let work = try Self.temporary()
                defer { try? FileManager.default.removeItem(atPath: work) }
                let archive = work + "/pulje-backup.zip"
                let manifest = try await Backup.write(to: archive, app: app)
                #expect(manifest.files.contains { $0.path == "attachments/" + fileID.pathValue })
                // A second backup to the same file is refused rather than overwriting it.
                await #expect(throws: Backup.Refused.self) { try await Backup.write(to: archive, app: app) }

                var config = app.config
                config.dataDirectory = work + "/data"
                let sqlite: Bool
                switch app.config.database {
                case .postgres(let url):
                    sqlite = false
                    try await app.db.sql.raw("DROP DATABASE IF EXISTS pulje_restore").run()
                    try await app.db.sql.raw("CREATE DATABASE pulje_restore").run()
                    var components = try #require(URLComponents(string: url))
                    components.path = "/pulje_restore"
                    config.database = .postgres(url: try #require(components.string))
                default:
                    sqlite = true
                    config.database = .sqliteFile(config.dataDirectory + "/pulje.sqlite")
                }
                let target = try await Application.make(.testing)
                target.logger.logLevel = .error
                do {
                    try await configure(target, config: config)
                    try await Backup.restore(from: archive, app: target)
                    let before = try await Self.snapshot(app.db.sql, sqlite: sqlite)
                    let after = try await Self.snapshot(target.db.sql, sqlite: sqlite)
                    #expect(before.keys.sorted() == after.keys.sorted())
                    #expect(before["grant_cases"]?.count == 2)
                    // The rows are compared by their values, not by a placeholder.
                    #expect(before["grant_cases"]?.joined().contains("award_ore=80000000") == true)
                    let unreadable = before.filter { $0.value.joined().contains("(unreadable)") }.keys.sorted()
                    #expect(unreadable.isEmpty, "\(unreadable)")
                    for table in before.keys.sorted() {
                        #expect(before[table] == after[table], "\(table)")
                    }
                    for file in manifest.files where file.path.hasPrefix("attachments/") {
                        let name = String(file.path.dropFirst("attachments/".count))
                        let restored = FileManager.default.contents(atPath: AttachmentFiles.folder(target) + "/" + name)
                        #expect(restored.map(SHA256Hex.of) == file.sha256, "\(name)")
                    }
                    // The restored Pulje opens its cases.
                    #expect(try await GrantCaseRecord.query(on: target.db).count() == 2)
                    // Restoring again over the restored data is refused: it is not empty.
                    await #expect(throws: Backup.Refused.self) { try await Backup.restore(from: archive, app: target) }
                } catch {
                    try? await target.asyncShutdown()
                    throw error
                }
                try await target.asyncShutdown()
                if !sqlite { try await app.db.sql.raw("DROP DATABASE IF EXISTS pulje_restore").run() }
            }
        }

        @Test func aDamagedArchiveIsRefusedWithWhatIsWrong() async throws {
            try await withTestApp { app in
                let work = try Self.temporary()
                defer { try? FileManager.default.removeItem(atPath: work) }
                let archive = work + "/backup.zip"
                let manifest = try await Backup.write(to: archive, app: app)
                let (checked, files) = try Backup.verify(archive)
                #expect(checked == manifest && files.count == manifest.files.count)

                // A file whose bytes no longer match its sum.
                let tampered = work + "/tampered.zip"
                do {
                    let copy = try #require(Archive(url: URL(fileURLWithPath: tampered), accessMode: .create))
                    for (path, data) in files {
                        var bytes = data
                        if path.hasPrefix("database/") { bytes[bytes.count / 2] ^= 0xFF }
                        try Backup.add(bytes, as: path, to: copy)
                    }
                    try Backup.add(try JSONEncoder().encode(manifest), as: Backup.manifestName, to: copy)
                }
                #expect {
                    try Backup.verify(tampered)
                } throws: { error in
                    (error as? Backup.Refused)?.description.contains("er beskadiget") == true
                }
                // Not a ZIP at all, and a path that would leave the data directory.
                let garbage = work + "/garbage.zip"
                FileManager.default.createFile(atPath: garbage, contents: Data("ikke en zip".utf8))
                #expect(throws: Backup.Refused.self) { try Backup.verify(garbage) }
                #expect(!Backup.isSafe("attachments/../../etc/passwd") && !Backup.isSafe("/etc/passwd"))
                #expect(!Backup.isSafe("attachments/..") && Backup.isSafe("attachments/" + UUID().pathValue))
            }
        }
    }
}
