import Foundation

extension EvaluationExport {
    /// The export's file formats: CSV for any size, XLSX up to a spreadsheet's rows.
    public enum Format: String, CaseIterable, Sendable {
        case csv
        case xlsx

        public var danishName: String {
            switch self {
            case .csv: "CSV (semikolon, decimalkomma)"
            case .xlsx: "regneark (XLSX)"
            }
        }

        public var contentType: String {
            switch self {
            case .csv: "text/csv; charset=utf-8"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }

    /// One file of the export, named as in its address: "lang.csv", "bred.xlsx".
    public struct File: Hashable, Sendable {
        public var form: Form
        public var format: Format

        public init(form: Form, format: Format) {
            self.form = form
            self.format = format
        }

        /// Nil for any other name.
        public init?(name: String) {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, let form = Form(rawValue: String(parts[0])),
                let format = Format(rawValue: String(parts[1]))
            else { return nil }
            self.init(form: form, format: format)
        }

        public var name: String { form.rawValue + "." + format.rawValue }
        /// The name the browser saves it under.
        public var downloadName: String { "evaluering-" + name }
        /// "Lang form, regneark (XLSX)"
        public var danishName: String { (form == .long ? "Lang form" : "Bred form") + ", " + format.danishName }
        /// "lang form, regneark (XLSX)", inside a sentence.
        public var danishPhrase: String { (form == .long ? "lang form" : "bred form") + ", " + format.danishName }
    }

    /// A sheet holds at most 1.048.576 rows, the header included (Excel's limit).
    public static let maximumSheetRows = 1_048_576

    /// Whether an export of this many rows (the header not counted) fits the format; CSV fits any size.
    public static func fits(rows: Int, in format: Format) -> Bool {
        format == .csv || rows < maximumSheetRows
    }
}

/// Where an export made in the background stands.
public enum ExportJobStatus: String, CaseIterable, Sendable {
    case waiting = "venter"
    case running = "i-gang"
    case ready = "klar"
    case failed = "fejlet"
    /// The file was downloaded or its time ran out, and is gone.
    case removed = "fjernet"

    public var danishName: String {
        switch self {
        case .waiting: "Venter på at komme i gang"
        case .running: "I gang"
        case .ready: "Klar til at hente"
        case .failed: "Fejlet"
        case .removed: "Hentet eller udløbet – filen er slettet"
        }
    }

    /// Nothing more happens to it but removal.
    public var isFinished: Bool { self == .ready || self == .failed || self == .removed }
}

/// How far an export has come, in citizens (the unit the export reads in).
public struct ExportJobProgress: Equatable, Sendable {
    public var done: Int
    public var total: Int

    public init(done: Int, total: Int) {
        self.done = max(0, done)
        self.total = max(0, total)
    }

    /// Whole per cent, 0–100 (0 while the total is not known; the job's status tells when it is done).
    public var percent: Int {
        guard total > 0 else { return 0 }
        return Int((Double(min(done, total)) * 100 / Double(total)).rounded(.down))
    }

    /// "1.234 af 43.479 borgere (2 %)"
    public var danishText: String {
        "\(DanishNumber.grouped(min(done, total))) af \(DanishNumber.grouped(total)) \(total == 1 ? "borger" : "borgere") (\(percent) %)"
    }
}

/// The rules of exports made in the background: a file lives until it is downloaded, and at most
/// `lifetime`; a job whose worker stops reporting is taken up again by another.
public enum ExportJobRules {
    /// How long a finished file waits to be downloaded before it is removed.
    public static let lifetime: TimeInterval = 24 * 3600
    /// A running job whose worker has not reported for this long has lost its instance and starts again.
    public static let staleAfter: TimeInterval = 120

    /// When the file of a job finished at `finished` is removed if no one downloads it.
    public static func expiry(finishedAt finished: Date) -> Date { finished.addingTimeInterval(lifetime) }

    public static func isExpired(_ expiresAt: Date, at now: Date) -> Bool { now >= expiresAt }

    /// A running job whose last report is at or before this time has lost its worker.
    public static func staleBefore(_ now: Date) -> Date { now.addingTimeInterval(-staleAfter) }

    /// Whether a running job's last report is so old that its worker is gone.
    public static func isStale(heartbeat: Date, at now: Date) -> Bool { heartbeat <= staleBefore(now) }
}
