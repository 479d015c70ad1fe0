import Foundation
import NIOCore
import PuljeHTML
import Testing
import Vapor

@testable import PuljeApp

@Suite struct ConfigTests {
    @Test func developmentDefaultsToSQLiteInTheDataDirectoryWithDemoData() throws {
        let config = try AppConfig.load(environment: [:], mode: .development)
        #expect(config.database == .sqliteFile("./data/pulje.sqlite"))
        #expect(config.loadDemoData)
        #expect(!config.secureCookies)
        #expect(config.publicURL == "http://127.0.0.1:8080")
    }

    @Test func databaseURLSwitchesToPostgreSQL() throws {
        let config = try AppConfig.load(
            environment: ["DATABASE_URL": "postgres://pulje:pulje@127.0.0.1:5432/pulje", "PULJE_DATA_DIR": "/tmp/x"],
            mode: .development)
        #expect(config.database == .postgres(url: "postgres://pulje:pulje@127.0.0.1:5432/pulje"))
    }

    @Test func everyProblemIsNamedInOneMessage() {
        #expect {
            try AppConfig.load(
                environment: ["DATABASE_URL": "mysql://x", "PULJE_DEMO_DATA": "måske"], mode: .production)
        } throws: { error in
            guard let invalid = error as? AppConfig.Invalid else { return false }
            return invalid.problems.count == 5 && invalid.description.contains("PULJE_SENDMAIL mangler")
                && invalid.description.contains("PULJE_PSEUDONYM_KEY mangler")
                && invalid.description.contains("DATABASE_URL")
                && invalid.description.contains("PULJE_PUBLIC_URL mangler")
                && invalid.description.contains("PULJE_DEMO_DATA skal være true eller false")
        }
    }

    @Test func productionRefusesDemoSecretsAndPlainHTTP() {
        #expect {
            try AppConfig.load(
                environment: [
                    "DATABASE_URL": "postgres://pulje:pulje@db:5432/pulje",
                    "PULJE_PUBLIC_URL": "http://pulje.example.dk",
                    "PULJE_DEMO_DATA": "true",
                ], mode: .production)
        } throws: { error in
            let text = (error as? AppConfig.Invalid)?.description ?? ""
            return text.contains("standard- eller demoadgangskode") && text.contains("https")
                && text.contains("PULJE_DEMO_DATA kan ikke slås til i produktion")
        }
    }

    @Test func aGoodProductionConfigurationUsesSecureCookies() throws {
        let config = try AppConfig.load(
            environment: [
                "DATABASE_URL": "postgres://pulje:Xk9-long-secret@db:5432/pulje",
                "PULJE_PUBLIC_URL": "https://pulje.example.dk", "PULJE_SENDMAIL": "/bin/cat -t",
                "PULJE_PSEUDONYM_KEY": String(repeating: "7f", count: 32),
            ], mode: .production)
        #expect(config.sendmailCommand == ["/bin/cat", "-t"])
        #expect(config.pseudonymKey?.count == 64)
        #expect(config.secureCookies)
        #expect(!config.loadDemoData)
    }

    /// Production refuses to start without the pseudonym key, or with one too short to be a key.
    @Test func productionRequiresAPseudonymKey() {
        let base = [
            "DATABASE_URL": "postgres://pulje:Xk9-long-secret@db:5432/pulje",
            "PULJE_PUBLIC_URL": "https://pulje.example.dk", "PULJE_SENDMAIL": "/bin/cat -t",
        ]
        #expect {
            try AppConfig.load(environment: base, mode: .production)
        } throws: { error in
            ((error as? AppConfig.Invalid)?.description ?? "").contains("PULJE_PSEUDONYM_KEY mangler")
        }
        #expect {
            try AppConfig.load(environment: base.merging(["PULJE_PSEUDONYM_KEY": "kort"]) { $1 }, mode: .development)
        } throws: { error in
            ((error as? AppConfig.Invalid)?.description ?? "").contains("mindst 32 tegn")
        }
    }

    /// Instances that start at once on one shared data directory agree on one pseudonym key: the first
    /// written wins, and no one overwrites it.
    @Test func instancesStartingTogetherShareOnePseudonymKey() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = try AppConfig.load(environment: ["PULJE_DATA_DIR": directory], mode: .development)
        let keys = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<16 { group.addTask { try PseudonymKey.resolve(config) } }
            return try await group.reduce(into: [[UInt8]]()) { $0.append($1) }
        }
        #expect(keys.count == 16)
        #expect(Set(keys.map { String(decoding: $0, as: UTF8.self) }).count == 1)
        let file = try String(contentsOfFile: directory + "/" + PseudonymKey.fileName, encoding: .utf8)
        #expect(Array(file.utf8) == keys[0])
        #expect(DataDirectory.writeOnce(Data("other".utf8), to: directory + "/" + PseudonymKey.fileName) == false)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".new") }.isEmpty)
    }

    @Test func secretsCanBeReadFromFiles() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("db-url-\(UUID())")
        try "postgres://u:very-secret@db:5432/p\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let config = try AppConfig.load(environment: ["DATABASE_URL_FILE": file.path], mode: .development)
        #expect(config.database == .postgres(url: "postgres://u:very-secret@db:5432/p"))
    }
}

@Suite struct HTMLTests {
    @Test func aCountIsWrittenAsDanishWritesIt() {
        #expect(danishCount(1, "ansøgning", "ansøgninger") == "1 ansøgning")
        #expect(danishCount(0, "ansøgning", "ansøgninger") == "0 ansøgninger")
        #expect(danishCount(50, "ansøgning", "ansøgninger") == "50 ansøgninger")
        #expect(danishCount(12_345, "sag", "sager") == "12.345 sager")
        #expect(danishCount(1_234_567, "sag", "sager") == "1.234.567 sager")
        #expect(danishCount(Int.min, "sag", "sager") == "-9.223.372.036.854.775.808 sager")
    }

    @Test func textAndAttributesAreEscaped() {
        let node = tag("a", .href("/x?a=1&b=\"2\""), .class("<c>")) { "<script>alert('x')</script> & \"q\"" }
        #expect(
            node.html
                == "<a href=\"/x?a=1&amp;b=&quot;2&quot;\" class=\"&lt;c&gt;\">&lt;script&gt;alert('x')&lt;/script&gt; &amp; \"q\"</a>"
        )
    }

    @Test func entitiesTypedByUsersAreShownAsTyped() {
        #expect(Node.text("&lt;b&gt;").html == "&amp;lt;b&amp;gt;")
    }

    @Test func booleanAndMissingAttributes() {
        #expect(tag("input", .flag("required"), .flag("checked", false), .class(nil)).html == "<input required>")
        // A form the browser must not block (a half-written draft is always saved): the attribute is there.
        #expect(tag("form", .noValidate) {}.html == "<form novalidate></form>")
        // An attribute with no value is left out, so a boolean attribute must be a flag.
        #expect(tag("form", .init("novalidate", nil)) {}.html == "<form></form>")
    }

    @Test func proseMakesParagraphsAndLists() {
        let html = prose("Første <afsnit>.\n\nListe:\n• en\n• to\nfortsat").html
        #expect(html == "<p>Første &lt;afsnit&gt;.</p><p>Liste:</p><ul><li>en</li><li>to fortsat</li></ul>")
    }
}

@Suite struct URLEncodedFormTests {
    func token(_ body: String) -> String? {
        URLEncodedForm.parse(Array(body.utf8)).first { $0.key == CSRFMiddleware.field }?.value
    }

    @Test func theTokenIsReadFromTheRawForm() {
        #expect(token("a=1&_csrf=ab%2Dc_d&b=2") == "ab-c_d")
        #expect(token("_csrfx=1&x=2") == nil)
        #expect(token("") == nil)
        #expect(token("_csrf=") == "")
    }

    @Test func valuesAreDecodedLikeABrowserEncodesThem() {
        let pairs = URLEncodedForm.parse(Array("a=%C3%86bler+og+p%C3%A6rer&b=100%25&c=%zz&d&=e&f=1=2".utf8))
        #expect(
            pairs == [
                FormPair(key: "a", value: "Æbler og pærer"), FormPair(key: "b", value: "100%"),
                FormPair(key: "c", value: "%zz"), FormPair(key: "d", value: ""), FormPair(key: "", value: "e"),
                FormPair(key: "f", value: "1=2"),
            ])
    }

    @Test func valuesAreTrimmedLikeFoundationTrimsThem() {
        for value in ["", "  ", "a", " a ", "\r\na\r\nb\r\n", "\u{00A0}Æ ø\t", "\n\n", "x\u{2003}", "ab"] {
            let expected = value.replacingOccurrences(of: "\r\n", with: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(ApplicationForm.trimmed(value) == expected, "\(Array(value.unicodeScalars))")
        }
        #expect(ApplicationForm.trimmed(nil) == "")
    }

    /// The application form read from pairs is the form Vapor's decoder reads from the same body.
    @Test func theApplicationFormMatchesVaporsDecoder() throws {
        var fields = completeApplication(version: 4, title: "Sundhed & trivsel: 100% \"fokus\"")
        fields += [
            ("services[1][name]", "Bostedet Højen"), ("services[1][citizens]", "1.200"),
            ("contacts[0][phone]", "+45 12 34 56 78"), ("answers[parathed]", "Linje 1\r\nLinje 2"),
            ("budget[1][category]", "training"), ("budget[1][description]", "Kursus"), ("budget[1][units]", "2"),
            ("budget[1][unitPrice]", "1.000,50"), ("budget[1][year]", "2031"), ("budget[1][months][]", "12"),
            ("budget[1][note]", "Æøå"), ("declarations[]", "andet"), ("ukendt[0][felt]", "x"), ("_csrf", "t"),
        ]
        let body = fields.map { Browser.encode($0.0) + "=" + Browser.encode($0.1) }.joined(separator: "&")
        let ours = ApplicationForm(pairs: URLEncodedForm.parse(Array(body.utf8)))
        let vapors = try URLEncodedFormDecoder().decode(ApplicationForm.self, from: body)
        #expect(ours.version == vapors.version)
        #expect(try ours.content().get() == vapors.content().get())
    }
}

@Suite struct StartupCommandTests {
    /// `pulje --help` prints help; it must not migrate or seed the database first.
    @Test func onlyServingMigrates() {
        #expect(Startup.serves(["pulje"]))
        #expect(Startup.serves(["pulje", "serve", "--port", "8080"]))
        #expect(Startup.serves(["pulje", "--hostname", "127.0.0.1"]))
        #expect(!Startup.serves(["pulje", "--help"]))
        #expect(!Startup.serves(["pulje", "serve", "--help"]))
        #expect(!Startup.serves(["pulje", "-h"]))
        #expect(!Startup.serves(["pulje", "migrate"]))
        #expect(!Startup.serves(["pulje", "seed"]))
    }
}
