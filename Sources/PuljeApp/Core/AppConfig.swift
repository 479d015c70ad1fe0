import Foundation
import PuljeDomain
import Vapor

/// Configuration, read once from the environment and checked before anything starts.
public struct AppConfig: Sendable {
    public enum Database: Sendable, Equatable {
        case sqliteFile(String)
        case sqliteMemory
        case postgres(url: String)
    }

    public var database: Database
    public var dataDirectory: String
    public var publicURL: String
    /// Demo accounts and demo data are loaded (development and demo only).
    public var loadDemoData: Bool
    public var secureCookies: Bool
    /// The sendmail-compatible command that delivers mail, split into arguments; nil keeps mail in the outbox.
    public var sendmailCommand: [String]?
    public var mailFrom: String
    public var mailPollSeconds: Double
    /// How often the reminders of status reports due soon or overdue are looked for.
    public var reminderPollSeconds: Double
    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed; from anyone else it is ignored.
    public var trustedProxies: Set<String>
    /// The bearer token `/metrics` asks for (`PULJE_METRICS_TOKEN` or `_FILE`); nil: open outside production,
    /// and not served in production.
    public var metricsToken: String?
    /// The key the citizens' pseudonyms are made with (`PULJE_PSEUDONYM_KEY` or `_FILE`, at least 32 bytes),
    /// kept outside the database and outside backups. Production refuses to start without it; elsewhere
    /// nil means a key made once and kept in the data directory (`pseudonym.key`).
    public var pseudonymKey: [UInt8]?
    /// Sign-in through an OpenID Connect provider (a MitID Erhverv broker); nil: passwords only.
    public var openIDConnect: OpenIDConnectSettings?
    /// Whether users of municipalities, regions and providers may sign in with a password. Off needs OpenID
    /// Connect; agency staff, the evaluator and the local administrator keep their passwords.
    public var municipalPasswordSignIn: Bool = true
    /// Agency staff who sign in with a password must give a code from an authenticator app (TOTP).
    public var staffTwoFactor: Bool = false

    public init(
        database: Database, dataDirectory: String, publicURL: String, loadDemoData: Bool, secureCookies: Bool,
        sendmailCommand: [String]? = nil, mailFrom: String = "pulje@localhost", mailPollSeconds: Double = 5,
        reminderPollSeconds: Double = 300, trustedProxies: Set<String> = [], metricsToken: String? = nil,
        pseudonymKey: [UInt8]? = nil
    ) {
        self.database = database
        self.dataDirectory = dataDirectory
        self.publicURL = publicURL
        self.loadDemoData = loadDemoData
        self.secureCookies = secureCookies
        self.sendmailCommand = sendmailCommand
        self.mailFrom = mailFrom
        self.mailPollSeconds = mailPollSeconds
        self.reminderPollSeconds = reminderPollSeconds
        self.trustedProxies = trustedProxies
        self.metricsToken = metricsToken
        self.pseudonymKey = pseudonymKey
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var problems: [String]
        public var description: String {
            "Pulje kan ikke starte, fordi konfigurationen er ufuldstændig eller ugyldig:\n"
                + problems.map { "  - " + $0 }.joined(separator: "\n")
                + "\nSe README.md og .env.example."
        }
    }

    /// Passwords that must never reach production in a database URL.
    static let defaultDatabasePasswords: Set<String> = [
        "", "pulje", "postgres", "password", "vapor_password", "secret",
    ]

    /// Reads the configuration; `VAR_FILE` may name a file holding the value of `VAR`.
    /// Every problem is collected so that one start reports all of them.
    public static func load(environment env: [String: String], mode: Environment) throws -> AppConfig {
        var problems: [String] = []
        func value(_ name: String) -> String? {
            if let file = env[name + "_FILE"], !file.isEmpty {
                guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else {
                    problems.append("\(name)_FILE peger på en fil, der ikke kan læses: \(file)")
                    return nil
                }
                return contents.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return env[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        func flag(_ name: String, default fallback: Bool) -> Bool {
            guard let raw = value(name) else { return fallback }
            switch raw.lowercased() {
            case "1", "true", "yes", "ja": return true
            case "0", "false", "no", "nej": return false
            default:
                problems.append("\(name) skal være true eller false, ikke \"\(raw)\".")
                return fallback
            }
        }

        let isProduction = mode == .production
        let dataDirectory = value("PULJE_DATA_DIR") ?? "./data"

        var database: Database = .sqliteFile(dataDirectory + "/pulje.sqlite")
        if mode == .testing && value("DATABASE_URL") == nil { database = .sqliteMemory }
        if let url = value("DATABASE_URL") {
            if let components = URLComponents(string: url),
                ["postgres", "postgresql"].contains(components.scheme ?? ""),
                components.host?.isEmpty == false
            {
                database = .postgres(url: url)
                if isProduction, defaultDatabasePasswords.contains(components.password ?? "") {
                    problems.append("DATABASE_URL bruger en standard- eller demoadgangskode; det afvises i produktion.")
                }
            } else {
                problems.append(
                    "DATABASE_URL skal være en PostgreSQL-adresse som postgres://bruger:kode@vært:5432/database.")
            }
        }

        let publicURL = value("PULJE_PUBLIC_URL") ?? (isProduction ? "" : "http://127.0.0.1:8080")
        if publicURL.isEmpty {
            problems.append("PULJE_PUBLIC_URL mangler: den offentlige adresse, fx https://pulje.example.dk.")
        } else if let url = URLComponents(string: publicURL), ["http", "https"].contains(url.scheme ?? ""),
            url.host != nil
        {
            if isProduction && url.scheme != "https" {
                problems.append("PULJE_PUBLIC_URL skal bruge https i produktion.")
            }
        } else {
            problems.append("PULJE_PUBLIC_URL er ikke en gyldig http- eller https-adresse: \(publicURL)")
        }

        let loadDemoData = flag("PULJE_DEMO_DATA", default: mode == .development)
        if isProduction && loadDemoData {
            problems.append("PULJE_DEMO_DATA kan ikke slås til i produktion: demokontoerne har kendte adgangskoder.")
        }
        let secureCookies = publicURL.hasPrefix("https://")

        var sendmail: [String]?
        if let command = value("PULJE_SENDMAIL") {
            let parts = command.split(separator: " ").map(String.init)
            if let executable = parts.first, FileManager.default.isExecutableFile(atPath: executable) {
                sendmail = parts
            } else {
                problems.append(
                    "PULJE_SENDMAIL skal begynde med den fulde sti til et program, fx /usr/bin/msmtp -t; \"\(command)\" kan ikke køres."
                )
            }
        } else if isProduction {
            problems.append("PULJE_SENDMAIL mangler: kommandoen, der afleverer e-mail, fx /usr/sbin/sendmail -t -i.")
        }
        let mailFrom = value("PULJE_MAIL_FROM") ?? "pulje@localhost"
        if !UserForm.isValidEmail(mailFrom) && !mailFrom.hasSuffix("@localhost") {
            problems.append("PULJE_MAIL_FROM skal være en e-mailadresse.")
        }
        var pollSeconds = 5.0
        if let raw = value("PULJE_MAIL_POLL_SECONDS") {
            if let seconds = Double(raw), seconds >= 0.2, seconds <= 3600 {
                pollSeconds = seconds
            } else {
                problems.append("PULJE_MAIL_POLL_SECONDS skal være et tal mellem 0,2 og 3600.")
            }
        }

        var reminderSeconds = 300.0
        if let raw = value("PULJE_REMINDER_POLL_SECONDS") {
            if let seconds = Double(raw), seconds >= 1, seconds <= 86_400 {
                reminderSeconds = seconds
            } else {
                problems.append("PULJE_REMINDER_POLL_SECONDS skal være et tal mellem 1 og 86400.")
            }
        }

        var trustedProxies: Set<String> = []
        for entry in (value("PULJE_TRUSTED_PROXIES") ?? "").split(separator: ",") {
            let address = entry.trimmingCharacters(in: .whitespaces)
            if let normalised = ClientAddress.normalised(address) {
                trustedProxies.insert(normalised)
            } else {
                problems.append(
                    "PULJE_TRUSTED_PROXIES skal være IP-adresser adskilt af komma; \"\(address)\" er ikke en.")
            }
        }

        let metricsToken = value("PULJE_METRICS_TOKEN")
        if let metricsToken, metricsToken.utf8.count < 16 || !metricsToken.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) {
            problems.append("PULJE_METRICS_TOKEN skal være mindst 16 tegn uden mellemrum og styretegn.")
        }

        let pseudonymKey = value("PULJE_PSEUDONYM_KEY").map { Array($0.utf8) }
        if let pseudonymKey, pseudonymKey.count < Pseudonym.minimumKeyBytes {
            problems.append(
                "PULJE_PSEUDONYM_KEY skal være mindst \(Pseudonym.minimumKeyBytes) tegn, fx 64 hex-cifre fra openssl rand -hex 32."
            )
        } else if pseudonymKey == nil && isProduction {
            problems.append(
                "PULJE_PSEUDONYM_KEY mangler: nøglen til borgernes pseudonymer (mindst 32 tegn, fx openssl rand -hex 32), opbevaret uden for databasen og sikkerhedskopierne."
            )
        }

        let openIDConnect = OpenIDConnectSettings.load(value, isProduction: isProduction, problems: &problems)
        let municipalPasswordSignIn = flag("PULJE_MUNICIPAL_PASSWORD_SIGNIN", default: true)
        let staffTwoFactor = flag("PULJE_STAFF_TWO_FACTOR", default: isProduction)
        if !municipalPasswordSignIn && openIDConnect == nil {
            problems.append(
                "PULJE_MUNICIPAL_PASSWORD_SIGNIN=false kræver log ind med OpenID Connect (PULJE_OIDC_ISSUER og PULJE_OIDC_CLIENT_ID); ellers kan kommunerne ikke logge ind."
            )
        }

        guard problems.isEmpty else { throw Invalid(problems: problems) }
        var config = AppConfig(
            database: database, dataDirectory: dataDirectory, publicURL: publicURL, loadDemoData: loadDemoData,
            secureCookies: secureCookies, sendmailCommand: sendmail, mailFrom: mailFrom, mailPollSeconds: pollSeconds,
            reminderPollSeconds: reminderSeconds, trustedProxies: trustedProxies, metricsToken: metricsToken,
            pseudonymKey: pseudonymKey)
        config.openIDConnect = openIDConnect
        config.municipalPasswordSignIn = municipalPasswordSignIn
        config.staffTwoFactor = staffTwoFactor
        return config
    }
}

/// The OpenID Connect provider Pulje signs users in through, and the claims that carry who they are.
public struct OpenIDConnectSettings: Sendable, Equatable {
    public var issuer: String
    public var clientID: String
    /// Sent with HTTP Basic authentication to the token endpoint; nil: a public client (PKCE only).
    public var clientSecret: String?
    public var scopes: String
    public var subjectClaim: String
    public var nameClaim: String
    public var emailClaim: String
    public var cvrClaim: String
    /// What the sign-in button says: "Log ind med …".
    public var label: String

    /// The CVR claim of the OIOIDC profile that the MitID Erhverv brokers follow.
    public static let defaultCVRClaim = "https://data.gov.dk/model/core/eid/professional/cvr"

    public init(
        issuer: String, clientID: String, clientSecret: String? = nil, scopes: String = "openid profile email",
        subjectClaim: String = "sub", nameClaim: String = "name", emailClaim: String = "email",
        cvrClaim: String = OpenIDConnectSettings.defaultCVRClaim, label: String = "MitID Erhverv"
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scopes = scopes
        self.subjectClaim = subjectClaim
        self.nameClaim = nameClaim
        self.emailClaim = emailClaim
        self.cvrClaim = cvrClaim
        self.label = label
    }

    /// Reads `PULJE_OIDC_*`; nil when no issuer is set. An issuer must be https, or http on the loopback
    /// interface outside production (a test provider).
    static func load(
        _ value: (String) -> String?, isProduction: Bool, problems: inout [String]
    ) -> OpenIDConnectSettings? {
        guard let issuer = value("PULJE_OIDC_ISSUER") else {
            if value("PULJE_OIDC_CLIENT_ID") != nil {
                problems.append("PULJE_OIDC_CLIENT_ID er sat, men PULJE_OIDC_ISSUER mangler.")
            }
            return nil
        }
        let trimmed = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        if let url = URLComponents(string: trimmed), let host = url.host, !host.isEmpty {
            let loopback = ["127.0.0.1", "localhost", "::1"].contains(host)
            if url.scheme != "https" && !(url.scheme == "http" && loopback && !isProduction) {
                problems.append(
                    "PULJE_OIDC_ISSUER skal være en https-adresse (http kun på 127.0.0.1 uden for produktion).")
            }
        } else {
            problems.append("PULJE_OIDC_ISSUER er ikke en gyldig adresse: \(issuer)")
        }
        guard let clientID = value("PULJE_OIDC_CLIENT_ID") else {
            problems.append("PULJE_OIDC_CLIENT_ID mangler: Puljes klient-id hos identitetsudbyderen.")
            return nil
        }
        var settings = OpenIDConnectSettings(
            issuer: issuer, clientID: clientID, clientSecret: value("PULJE_OIDC_CLIENT_SECRET"))
        if let scopes = value("PULJE_OIDC_SCOPES") {
            if scopes.split(separator: " ").contains("openid") {
                settings.scopes = scopes
            } else {
                problems.append("PULJE_OIDC_SCOPES skal indeholde openid.")
            }
        }
        settings.subjectClaim = value("PULJE_OIDC_CLAIM_SUBJECT") ?? settings.subjectClaim
        settings.nameClaim = value("PULJE_OIDC_CLAIM_NAME") ?? settings.nameClaim
        settings.emailClaim = value("PULJE_OIDC_CLAIM_EMAIL") ?? settings.emailClaim
        settings.cvrClaim = value("PULJE_OIDC_CLAIM_CVR") ?? settings.cvrClaim
        settings.label = value("PULJE_OIDC_LABEL") ?? settings.label
        return settings
    }
}
