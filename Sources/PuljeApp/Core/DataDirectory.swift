import Foundation
import PuljeHTML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The data directory holds the database and the uploaded files: personal data, readable by Pulje's own
/// user only. Directories are 0700, files 0600, and the process creates new files that way (SQLite's
/// database, its `-wal` and `-shm` files are created by SQLite itself, so the file mode mask decides them).
enum DataDirectory {
    static let directoryMode: Int16 = 0o700
    static let fileMode: Int16 = 0o600

    /// Creates the directory (and `attachments/`) if needed, and tightens what an earlier version left
    /// readable to others. Throws a Danish message when the directory cannot be made.
    static func prepare(_ path: String) throws {
        restrictNewFiles()
        let manager = FileManager.default
        for directory in [path, path + "/attachments"] {
            do {
                try manager.createDirectory(
                    atPath: directory, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: directoryMode])
                try manager.setAttributes([.posixPermissions: directoryMode], ofItemAtPath: directory)
            } catch {
                throw AppConfig.Invalid(problems: [
                    "Datamappen \(directory) kan ikke oprettes eller beskyttes: \(error.localizedDescription)"
                ])
            }
            for name in (try? manager.contentsOfDirectory(atPath: directory)) ?? [] {
                let item = directory + "/" + name
                var isDirectory: ObjCBool = false
                if manager.fileExists(atPath: item, isDirectory: &isDirectory), !isDirectory.boolValue {
                    try? manager.setAttributes([.posixPermissions: fileMode], ofItemAtPath: item)
                }
            }
        }
    }

    /// New files and directories of this process get no permissions for group and others.
    static func restrictNewFiles() {
        umask(0o077)
    }

    /// Writes a file readable by Pulje only; false when it could not be written.
    static func write(_ data: Data, to path: String) -> Bool {
        FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: fileMode])
    }

    /// Writes a file only if none is there, whole or not at all: the bytes go to a file of their own first,
    /// which is then linked to `path` (a link never replaces a file). Several instances starting at once on
    /// one shared directory thus agree on the first file written. Nil when the file could not be written;
    /// false when another process wrote it first.
    static func writeOnce(_ data: Data, to path: String) -> Bool? {
        let scratch = path + ".\(UUID().uuidString).new"
        guard write(data, to: scratch) else { return nil }
        defer { unlink(scratch) }
        if link(scratch, path) == 0 { return true }
        return errno == EEXIST ? false : nil
    }
}
