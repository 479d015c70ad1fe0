import Foundation
import Logging

/// Logs as one JSON object per line on standard error, for a log collector (`PULJE_LOG_FORMAT=json`): the
/// time in UTC (ISO 8601 with milliseconds), level, label, message, source location and the metadata, the
/// request id among it. Escaping is JSONSerialization's, so no message can break a line or forge a field.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let write: @Sendable (String) -> Void

    public init(
        label: String, level: Logger.Level,
        write: @escaping @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data(line.utf8)) }
    ) {
        self.label = label
        self.logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The line for one event, ending in a newline.
    static func line(
        time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata,
        file: String, line: UInt
    ) -> String {
        var fields: [String: String] = [:]
        for (key, value) in metadata { fields[key] = Self.text(value) }
        fields["time"] = time.formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
        fields["level"] = level.rawValue
        fields["label"] = label
        fields["message"] = message
        fields["source"] = "\(file.split(separator: "/").last ?? ""):\(line)"
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else {
            return "{\"level\":\"error\",\"message\":\"log line could not be encoded\"}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func text(_ value: Logger.Metadata.Value) -> String {
        if case .string(let text) = value { return text }
        return value.description
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        let merged = metadata.merging(explicit ?? [:]) { $1 }
        write(
            Self.line(
                time: Date(), level: level, label: label, message: message.description, metadata: merged, file: file,
                line: line))
    }
}
