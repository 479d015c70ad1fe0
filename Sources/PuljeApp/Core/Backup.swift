import Foundation
import SQLKit
import Vapor
import ZIPFoundation

/// A backup of everything Pulje keeps: the database and the attachments in one ZIP archive, with a manifest
/// that names every file with its size and SHA-256 sum. SQLite is copied with `VACUUM INTO` (a consistent
/// copy while the server runs), PostgreSQL with `pg_dump`. A restore checks every sum before it touches
/// anything and goes only into an empty data directory or database.
enum Backup {
    struct Manifest: Codable, Equatable {
        struct Entry: Codable, Equatable {
            var path: String
            var size: Int
            var sha256: String
        }

        static let currentFormat = 1
        var format: Int
        var createdAt: String
        /// "sqlite" or "postgresql": a backup restores onto the kind of database it came from.
        var database: String
        var files: [Entry]
    }

    static let manifestName = "manifest.json"
    static let sqliteName = "database/pulje.sqlite"
    static let postgresName = "database/pulje.sql"

    /// Why a backup or a restore cannot go on, every problem named.
    struct Refused: Error, CustomStringConvertible {
        var problems: [String]
        var description: String { problems.joined(separator: "\n") }
    }

    // MARK: Backup

    /// Writes the archive to `path` (which must not exist) and returns its manifest.
    @discardableResult
    static func write(to path: String, app: Application) async throws -> Manifest {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw Refused(problems: ["\(path) findes allerede; vælg et nyt filnavn."])
        }
        let work = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        var files: [(path: String, source: String)] = []
        switch app.config.database {
        case .sqliteMemory, .sqliteFile:
            let copy = work + "/pulje.sqlite"
            try await BackupStore.copySQLite(to: copy, on: app.db)
            files.append((sqliteName, copy))
        case .postgres(let url):
            let dump = work + "/pulje.sql"
            try run(
                "pg_dump", ["--no-owner", "--no-privileges", "--format=plain", "--file=" + dump, "--dbname=" + url])
            files.append((postgresName, dump))
        }
        let attachments = AttachmentFiles.folder(app)
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: attachments)) ?? []).sorted() {
            var isDirectory: ObjCBool = false
            let source = attachments + "/" + name
            if FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(("attachments/" + name, source))
            }
        }
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        var entries: [Manifest.Entry] = []
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: file.source))
            entries.append(.init(path: file.path, size: data.count, sha256: SHA256Hex.of(data)))
            try add(data, as: file.path, to: archive)
        }
        let manifest = Manifest(
            format: Manifest.currentFormat, createdAt: ISO8601DateFormatter().string(from: Date()),
            database: app.config.database.backupKind, files: entries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try add(try encoder.encode(manifest), as: manifestName, to: archive)
        try? FileManager.default.setAttributes(
            [.posixPermissions: DataDirectory.fileMode], ofItemAtPath: path)
        return manifest
    }

    static func add(_ data: Data, as path: String, to archive: Archive) throws {
        try archive.addEntry(
            with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
            provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }

    // MARK: Check

    /// Reads the archive and checks it: a manifest of a known format, every file it names present with
    /// its size and sum, and nothing else in it. Returns the files' contents by path.
    static func verify(_ path: String) throws -> (manifest: Manifest, files: [String: Data]) {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw Refused(problems: ["\(path) kan ikke læses som en sikkerhedskopi (ZIP)."])
        }
        func contents(_ entry: Entry) throws -> Data {
            var data = Data()
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
            return data
        }
        guard let manifestEntry = archive[manifestName],
            let manifest = try? JSONDecoder().decode(Manifest.self, from: contents(manifestEntry))
        else { throw Refused(problems: ["Sikkerhedskopien har intet læsbart indholdsregister (\(manifestName))."]) }
        guard manifest.format == Manifest.currentFormat else {
            throw Refused(problems: ["Sikkerhedskopiens format \(manifest.format) kendes ikke."])
        }
        var problems: [String] = []
        var files: [String: Data] = [:]
        let named = Set(manifest.files.map(\.path))
        for entry in archive where entry.path != manifestName && !named.contains(entry.path) {
            problems.append("\(entry.path) er ikke nævnt i indholdsregistret.")
        }
        for file in manifest.files {
            guard isSafe(file.path) else {
                problems.append("\(file.path) er ikke et tilladt filnavn.")
                continue
            }
            guard let entry = archive[file.path], let data = try? contents(entry) else {
                problems.append("\(file.path) mangler eller kan ikke læses.")
                continue
            }
            if data.count != file.size || SHA256Hex.of(data) != file.sha256 {
                problems.append("\(file.path) er beskadiget: størrelsen eller SHA-256-summen passer ikke.")
                continue
            }
            files[file.path] = data
        }
        let databaseFile = manifest.database == "postgresql" ? postgresName : sqliteName
        if files[databaseFile] == nil && !problems.contains(where: { $0.hasPrefix(databaseFile) }) {
            problems.append("Sikkerhedskopien indeholder ingen database (\(databaseFile)).")
        }
        guard problems.isEmpty else { throw Refused(problems: problems) }
        return (manifest, files)
    }

    /// Only "database/…" and "attachments/NAME": no absolute paths, no "..", no deeper folders.
    static func isSafe(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, ["database", "attachments"].contains(parts[0]) else { return false }
        let name = parts[1]
        return !name.isEmpty && name != "." && name != ".."
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    // MARK: Restore

    /// Restores the archive into the application's database and data directory, both of which must be empty.
    /// Nothing is written unless the whole archive checks out.
    @discardableResult
    static func restore(from path: String, app: Application) async throws -> Manifest {
        let (manifest, files) = try verify(path)
        let kind = app.config.database.backupKind
        guard manifest.database == kind else {
            throw Refused(problems: [
                "Sikkerhedskopien er af en \(manifest.database)-database; Pulje er sat op til \(kind)."
            ])
        }
        let attachments = AttachmentFiles.folder(app)
        var problems: [String] = []
        if !((try? FileManager.default.contentsOfDirectory(atPath: attachments)) ?? []).isEmpty {
            problems.append("Bilagsmappen \(attachments) er ikke tom.")
        }
        switch app.config.database {
        case .sqliteMemory:
            problems.append("En sikkerhedskopi kan ikke lægges tilbage i en database i hukommelsen.")
        case .sqliteFile(let file):
            if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int, size > 0 {
                problems.append("Databasen \(file) findes allerede; en sikkerhedskopi lægges kun i en tom datamappe.")
            }
        case .postgres:
            if try await BackupStore.postgresTableCount(on: app.db) > 0 {
                problems.append("PostgreSQL-databasen er ikke tom.")
            }
        }
        guard problems.isEmpty else { throw Refused(problems: problems) }

        try DataDirectory.prepare(app.config.dataDirectory)
        switch app.config.database {
        case .sqliteMemory: break
        case .sqliteFile(let file):
            guard let data = files[sqliteName], DataDirectory.write(data, to: file) else {
                throw Refused(problems: ["Databasen kunne ikke skrives til \(file)."])
            }
        case .postgres(let url):
            let work = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: work) }
            let dump = work + "/pulje.sql"
            try files[postgresName]?.write(to: URL(fileURLWithPath: dump))
            try run(
                "psql",
                ["--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1", "--file=" + dump, "--dbname=" + url])
        }
        for file in manifest.files where file.path.hasPrefix("attachments/") {
            let name = String(file.path.dropFirst("attachments/".count))
            guard let data = files[file.path], DataDirectory.write(data, to: attachments + "/" + name) else {
                throw Refused(problems: ["Bilaget \(name) kunne ikke skrives."])
            }
        }
        return manifest
    }

    // MARK: Helpers

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "pulje-backup-" + UUID().uuidString
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true,
            attributes: [.posixPermissions: DataDirectory.directoryMode])
        return path
    }

    /// Runs a PostgreSQL client program found on the PATH (or in Debian's versioned folders); its error
    /// output becomes the refusal.
    static func run(_ program: String, _ arguments: [String]) throws {
        let candidates =
            (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map {
                "\($0)/\(program)"
            }
            + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted().reversed()
            .map { "/usr/lib/postgresql/\($0)/bin/\(program)" }
        guard let executable = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Refused(problems: ["\(program) findes ikke; installér PostgreSQL's klientprogrammer."])
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Refused(problems: [
                "\(program) fejlede (\(process.terminationStatus)): "
                    + String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            ])
        }
    }
}

extension AppConfig.Database {
    var backupKind: String {
        switch self {
        case .sqliteMemory, .sqliteFile: "sqlite"
        case .postgres: "postgresql"
        }
    }
}

/// `pulje backup --to FILE`: the database and the attachments in one archive with SHA-256 sums.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "to", help: "The archive to write (must not exist).")
        var to: String?
    }

    var help: String { "Writes a backup of the database and the attachments to one archive." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let path = signature.to, !path.isEmpty else {
            throw Backup.Refused(problems: ["Angiv arkivet: pulje backup --to FIL"])
        }
        // A refusal ends the command with its Danish message (logged by Vapor) and exit status 1.
        let manifest = try await Backup.write(to: path, app: context.application)
        let bytes = manifest.files.map(\.size).reduce(0, +)
        context.console.print(
            "Sikkerhedskopi skrevet til \(path): \(manifest.files.count) filer, \(bytes) byte, \(manifest.database).")
    }
}

/// `pulje restore --from FILE`: into an empty data directory or database, after checking every sum.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "from", help: "The archive written by pulje backup.")
        var from: String?
    }

    var help: String { "Restores a backup into an empty data directory or database, after checking it." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let path = signature.from, !path.isEmpty else {
            throw Backup.Refused(problems: ["Angiv arkivet: pulje restore --from FIL"])
        }
        let manifest = try await Backup.restore(from: path, app: context.application)
        context.console.print(
            "Sikkerhedskopien fra \(manifest.createdAt) er lagt tilbage: \(manifest.files.count) filer.")
    }
}
