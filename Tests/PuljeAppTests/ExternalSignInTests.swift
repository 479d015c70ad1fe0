import Fluent
import Foundation
import JWTKit
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp
@testable import PuljeDomain

/// An OpenID Connect provider inside the test: its discovery document, its published keys (ES256), and the
/// token endpoint, which hands out the ID token the test made for the next exchange.
final class TestOpenIDProvider: OpenIDTransport, @unchecked Sendable {
    static let issuer = "https://mitid.test"
    static let clientID = "pulje-test"
    private let lock = NIOLock()
    private var published: [String: ES256PrivateKey] = [:]
    private var nextToken: String?
    private(set) var keyFetches = 0
    private(set) var tokenRequests: [[String: String]] = []

    func publish(_ kid: String, _ key: ES256PrivateKey = ES256PrivateKey()) -> ES256PrivateKey {
        lock.withLock { published[kid] = key }
        return key
    }

    func answer(_ token: String) { lock.withLock { nextToken = token } }

    func get(_ url: String) async throws -> (status: UInt, body: Data) {
        if url == Self.issuer + "/.well-known/openid-configuration" {
            let document: [String: Any] = [
                "issuer": Self.issuer, "authorization_endpoint": Self.issuer + "/authorize",
                "token_endpoint": Self.issuer + "/token", "jwks_uri": Self.issuer + "/jwks",
                "end_session_endpoint": Self.issuer + "/logout",
            ]
            return (200, try JSONSerialization.data(withJSONObject: document))
        }
        if url == Self.issuer + "/jwks" {
            let keys = lock.withLock {
                keyFetches += 1
                return published.map { kid, key -> [String: String] in
                    let parameters = key.publicKey.parameters!
                    return [
                        "kty": "EC", "crv": "P-256", "kid": kid, "alg": "ES256", "x": parameters.x, "y": parameters.y,
                    ]
                }
            }
            return (200, try JSONSerialization.data(withJSONObject: ["keys": keys]))
        }
        return (404, Data())
    }

    func postForm(
        _ url: String, form: [(String, String)], basicAuthorization: (user: String, password: String)?
    ) async throws -> (status: UInt, body: Data) {
        guard url == Self.issuer + "/token" else { return (404, Data()) }
        let token = lock.withLock {
            tokenRequests.append(Dictionary(form, uniquingKeysWith: { _, last in last }))
            return nextToken
        }
        guard let token else { return (400, Data(#"{"error":"invalid_grant"}"#.utf8)) }
        return (200, try JSONSerialization.data(withJSONObject: ["id_token": token, "token_type": "Bearer"]))
    }

    /// Signs claims with a key (published or not) under a key id.
    static func sign(_ claims: [String: ClaimValue], key: ES256PrivateKey, kid: String?) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key, kid: kid.map { JWKIdentifier(string: $0) })
        return try await keys.sign(IDTokenPayload(claims: claims), kid: kid.map { JWKIdentifier(string: $0) })
    }

    /// A token with `alg: none` and no signature.
    static func unsigned(_ claims: [String: ClaimValue], kid: String) throws -> String {
        let header = try JSONSerialization.data(withJSONObject: ["alg": "none", "typ": "JWT", "kid": kid])
        let payload = try JSONEncoder().encode(IDTokenPayload(claims: claims))
        return PKCE.base64URL(Array(header)) + "." + PKCE.base64URL(Array(payload)) + "."
    }
}

extension AppTests {
    @Suite struct ExternalSignInTests {
        static let environment = [
            "PULJE_OIDC_ISSUER": TestOpenIDProvider.issuer, "PULJE_OIDC_CLIENT_ID": TestOpenIDProvider.clientID,
            "PULJE_OIDC_CLIENT_SECRET": "hemmelig-klient", "PULJE_OIDC_CLAIM_CVR": "cvr",
        ]
        static let aarhusCVR = "55133018"

        /// The app with the test provider, and Aarhus Kommune carrying a CVR number set on the admin page.
        static func prepared(_ app: Application) async throws -> (TestOpenIDProvider, ES256PrivateKey) {
            let provider = TestOpenIDProvider()
            let key = provider.publish("k1")
            app.configureOpenIDConnect(transport: provider)
            let admin = try await Assess.signedIn(app, Demo.admin)
            let aarhus = try #require(
                try await OrganisationRecord.query(on: app.db).filter(\.$name == "Aarhus Kommune").first())
            let path = SiteURL.organisation(try aarhus.requireID()).path
            #expect(try await admin.get(path).status == .ok)
            let bad = try await admin.post(path, [("cvr", "0123 4567")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Et CVR-nummer er 8 cifre"))
            #expect(try await admin.post(path, [("cvr", "5513 3018")]).status == .seeOther)
            #expect(try await OrganisationRecord.find(aarhus.id, on: app.db)?.cvr == aarhusCVR)
            // No two organisations share one.
            let vejle = try #require(
                try await OrganisationRecord.query(on: app.db).filter(\.$name == "Vejle Kommune").first())
            let taken = try await admin.post(SiteURL.organisation(try vejle.requireID()).path, [("cvr", aarhusCVR)])
            #expect(taken.body.string.contains("allerede knyttet til en anden organisation"))
            return (provider, key)
        }

        /// Begins a sign-in in the browser: the state and nonce of the provider's address it is sent to.
        static func begin(_ browser: Browser) async throws -> (state: String, nonce: String) {
            let response = try await browser.get(SiteURL.externalSignIn.path + "?naeste=%2Fmine-sager")
            #expect(response.status == .seeOther)
            let location = try #require(response.headers.first(name: .location))
            #expect(location.hasPrefix(TestOpenIDProvider.issuer + "/authorize?"))
            let items = URLComponents(string: location)?.queryItems ?? []
            let value = { (name: String) in items.first { $0.name == name }?.value ?? "" }
            #expect(value("code_challenge_method") == "S256")
            #expect(value("client_id") == TestOpenIDProvider.clientID)
            return (value("state"), value("nonce"))
        }

        static func claims(
            nonce: String, subject: String = "aarhus-medarbejder-1", cvr: ClaimValue? = .string(aarhusCVR),
            email: String = "mette@aarhus.dk", issuer: String = TestOpenIDProvider.issuer,
            audience: ClaimValue = .string(TestOpenIDProvider.clientID), issued: Date = Date(),
            expires: TimeInterval = 300
        ) -> [String: ClaimValue] {
            var claims: [String: ClaimValue] = [
                "iss": .string(issuer), "sub": .string(subject), "aud": audience, "nonce": .string(nonce),
                "iat": .number(issued.timeIntervalSince1970.rounded()),
                "exp": .number(issued.timeIntervalSince1970.rounded() + expires), "email": .string(email),
                "name": .string("Mette Mikkelsen"),
            ]
            if let cvr { claims["cvr"] = cvr }
            return claims
        }

        static func finish(
            _ browser: Browser, state: String, code: String = "kode-1"
        ) async throws
            -> TestingHTTPResponse
        {
            try await browser.get(SiteURL.externalSignInReturn.path + "?code=\(code)&state=\(state)")
        }

        static func isSignedIn(_ browser: Browser) async throws -> Bool {
            try await browser.get(SiteURL.home.path).body.string.contains(SiteURL.signOut.path)
        }

        @Test func aMunicipalEmployeeSignsInAndBecomesAnApplicantOfTheMunicipality() async throws {
            try await withTestApp(environment: Self.environment) { app in
                let (provider, key) = try await Self.prepared(app)
                let browser = Browser(app)
                let signInPage = try await browser.get(SiteURL.signIn.path).body.string
                #expect(signInPage.contains("Log ind med MitID Erhverv"))
                let (state, nonce) = try await Self.begin(browser)
                provider.answer(try await TestOpenIDProvider.sign(Self.claims(nonce: nonce), key: key, kid: "k1"))
                let back = try await Self.finish(browser, state: state)
                #expect(back.status == .seeOther)
                #expect(back.headers.first(name: .location) == "/mine-sager")
                // The code was exchanged with the verifier whose challenge went out, and the client's secret.
                let exchange = try #require(provider.tokenRequests.last)
                #expect(exchange["grant_type"] == "authorization_code" && exchange["code"] == "kode-1")
                #expect((exchange["code_verifier"] ?? "").count == 43)
                let homeResponse = try await browser.get(SiteURL.home.path)
                #expect(homeResponse.body.string.contains("Mette Mikkelsen, Aarhus Kommune"))
                // The pages' forms may end at the provider: sign-out continues there.
                #expect(
                    homeResponse.headers.first(name: "Content-Security-Policy")?
                        .contains("form-action 'self' https://mitid.test;") == true)
                let user = try #require(
                    try await UserRecord.query(on: app.db).filter(\.$email == "mette@aarhus.dk").first())
                #expect(user.roleSet == [.municipalApplicant])
                #expect(user.externalIssuer == TestOpenIDProvider.issuer)
                #expect(user.externalSubject == "aarhus-medarbejder-1")
                let audit = try await AuditLog.history(of: .user(try user.requireID()), on: app.db)
                #expect(audit.first?.summary.contains("Oprettet ved første log ind med MitID Erhverv") == true)
                // Sign-out ends the provider's session too (RP-initiated logout).
                try await browser.get(SiteURL.myCases.path)
                let out = try await browser.post(SiteURL.signOut.path)
                let logout = try #require(out.headers.first(name: .location))
                #expect(logout.hasPrefix(TestOpenIDProvider.issuer + "/logout?"))
                #expect(logout.contains("id_token_hint=") && logout.contains("post_logout_redirect_uri="))
                #expect(try await !Self.isSignedIn(browser))

                // Again: the same user, not a new one.
                let users = try await UserRecord.query(on: app.db).count()
                let (again, nonce2) = try await Self.begin(browser)
                provider.answer(try await TestOpenIDProvider.sign(Self.claims(nonce: nonce2), key: key, kid: "k1"))
                #expect(try await Self.finish(browser, state: again).status == .seeOther)
                #expect(try await UserRecord.query(on: app.db).count() == users)

                // A signatory an administrator created is linked on their first sign-in, keeping their role.
                let aarhus = user.$organisation.id
                let signatory = UserRecord(
                    email: "chef@aarhus.dk", name: "Charlotte Chef", passwordHash: "x", organisationID: aarhus,
                    roles: [.municipalSignatory])
                try await signatory.create(on: app.db)
                let other = Browser(app)
                let (third, nonce3) = try await Self.begin(other)
                provider.answer(
                    try await TestOpenIDProvider.sign(
                        Self.claims(nonce: nonce3, subject: "aarhus-chef", email: "CHEF@aarhus.dk"), key: key, kid: "k1"
                    ))
                #expect(try await Self.finish(other, state: third).status == .seeOther)
                let linked = try #require(try await UserRecord.find(signatory.id, on: app.db))
                #expect(linked.externalSubject == "aarhus-chef" && linked.roleSet == [.municipalSignatory])
                #expect(try await other.get(SiteURL.home.path).body.string.contains("Charlotte Chef"))
            }
        }

        @Test func everyWayATokenCanBeWrongIsRefused() async throws {
            try await withTestApp(environment: Self.environment) { app in
                let (provider, key) = try await Self.prepared(app)
                let stranger = ES256PrivateKey()
                let cases: [(String, (String) async throws -> String)] = [
                    (
                        "signature",
                        { try await TestOpenIDProvider.sign(Self.claims(nonce: $0), key: stranger, kid: "k1") }
                    ),
                    (
                        "issuer",
                        {
                            try await TestOpenIDProvider.sign(
                                Self.claims(nonce: $0, issuer: "https://evil.test"), key: key, kid: "k1")
                        }
                    ),
                    (
                        "audience",
                        {
                            try await TestOpenIDProvider.sign(
                                Self.claims(nonce: $0, audience: .string("another-client")), key: key, kid: "k1")
                        }
                    ),
                    (
                        "audiences without azp",
                        {
                            try await TestOpenIDProvider.sign(
                                Self.claims(
                                    nonce: $0,
                                    audience: .array([.string(TestOpenIDProvider.clientID), .string("another")])),
                                key: key, kid: "k1")
                        }
                    ),
                    (
                        "expired",
                        {
                            try await TestOpenIDProvider.sign(
                                Self.claims(nonce: $0, issued: Date().addingTimeInterval(-400), expires: 200), key: key,
                                kid: "k1")
                        }
                    ),
                    (
                        "issued long ago",
                        {
                            try await TestOpenIDProvider.sign(
                                Self.claims(nonce: $0, issued: Date().addingTimeInterval(-3_600), expires: 7_200),
                                key: key, kid: "k1")
                        }
                    ),
                    (
                        "nonce",
                        { _ in try await TestOpenIDProvider.sign(Self.claims(nonce: "another"), key: key, kid: "k1") }
                    ),
                    ("alg none", { try TestOpenIDProvider.unsigned(Self.claims(nonce: $0), kid: "k1") }),
                    (
                        "unknown key id",
                        { try await TestOpenIDProvider.sign(Self.claims(nonce: $0), key: stranger, kid: "k-unknown") }
                    ),
                    ("garbage", { _ in "not.a.token" }),
                ]
                for (name, make) in cases {
                    let browser = Browser(app)
                    let (state, nonce) = try await Self.begin(browser)
                    provider.answer(try await make(nonce))
                    let refused = try await Self.finish(browser, state: state)
                    #expect(refused.status == .unauthorized, "\(name)")
                    #expect(refused.body.string.contains("Log ind gennem identitetsudbyderen mislykkedes"), "\(name)")
                    #expect(try await !Self.isSignedIn(browser), "\(name)")
                }
                #expect(try await UserRecord.query(on: app.db).filter(\.$externalSubject != nil).count() == 0)

                // The state: unknown, returned to another browser, or used twice.
                let browser = Browser(app)
                let (state, nonce) = try await Self.begin(browser)
                provider.answer(try await TestOpenIDProvider.sign(Self.claims(nonce: nonce), key: key, kid: "k1"))
                #expect(try await Self.finish(browser, state: "ukendt").status == .badRequest)
                let thief = Browser(app)
                let stolen = try await Self.finish(thief, state: state)
                #expect(stolen.status == .badRequest)
                #expect(stolen.body.string.contains("begyndt i en anden browser"))
                // The stolen try used the state up: the rightful browser begins again.
                #expect(try await Self.finish(browser, state: state).status == .badRequest)
                let (fresh, freshNonce) = try await Self.begin(browser)
                provider.answer(try await TestOpenIDProvider.sign(Self.claims(nonce: freshNonce), key: key, kid: "k1"))
                #expect(try await Self.finish(browser, state: fresh).status == .seeOther)
                // The same return once more (a replay, with its nonce): the state is used.
                browser.cookies["pulje_oidc"] = "x"
                #expect(try await Self.finish(Browser(app), state: fresh).status == .badRequest)
                // The provider's own refusal, and a return without a code.
                let (cancel, _) = try await Self.begin(thief)
                let cancelled = try await thief.get(
                    SiteURL.externalSignInReturn.path + "?error=access_denied&state=\(cancel)")
                #expect(cancelled.body.string.contains("Du afbrød log ind"))
                let (codeless, _) = try await Self.begin(thief)
                #expect(
                    try await thief.get(SiteURL.externalSignInReturn.path + "?state=\(codeless)").status == .badRequest)
            }
        }

        @Test func aKeyIDTheCacheLacksFetchesTheKeysAgain() async throws {
            try await withTestApp(environment: Self.environment) { app in
                let (provider, key) = try await Self.prepared(app)
                let browser = Browser(app)
                let (state, nonce) = try await Self.begin(browser)
                provider.answer(try await TestOpenIDProvider.sign(Self.claims(nonce: nonce), key: key, kid: "k1"))
                #expect(try await Self.finish(browser, state: state).status == .seeOther)
                #expect(provider.keyFetches == 1)
                // The provider rolls its key over; half a minute later a token signed with the new one arrives.
                let rolled = provider.publish("k2")
                let later = Date().addingTimeInterval(31)
                app.sessionClock = { later }
                let next = Browser(app)
                let (state2, nonce2) = try await Self.begin(next)
                provider.answer(
                    try await TestOpenIDProvider.sign(Self.claims(nonce: nonce2, issued: later), key: rolled, kid: "k2")
                )
                #expect(try await Self.finish(next, state: state2).status == .seeOther)
                #expect(provider.keyFetches == 2)
            }
        }

        @Test func anUnknownCVRTheAgencyAndAClosedUserAreRefusedWithAReason() async throws {
            try await withTestApp(environment: Self.environment) { app in
                let (provider, key) = try await Self.prepared(app)
                func attempt(_ claims: @escaping (String) -> [String: ClaimValue]) async throws -> TestingHTTPResponse {
                    let browser = Browser(app)
                    let (state, nonce) = try await Self.begin(browser)
                    provider.answer(try await TestOpenIDProvider.sign(claims(nonce), key: key, kid: "k1"))
                    return try await Self.finish(browser, state: state)
                }
                let unknown = try await attempt { Self.claims(nonce: $0, cvr: .string("29189897")) }
                #expect(unknown.status == .forbidden)
                #expect(unknown.body.string.contains("CVR-nummer 29189897 er ikke knyttet til en organisation i Pulje"))
                let missing = try await attempt { Self.claims(nonce: $0, cvr: nil) }
                #expect(missing.body.string.contains("ikke et gyldigt CVR-nummer"))
                // A CVR sent as a number is read as its digits.
                let number = try await attempt {
                    Self.claims(nonce: $0, subject: "tal", cvr: .number(55_133_018), email: "tal@aarhus.dk")
                }
                #expect(number.status == .seeOther)

                let agency = try #require(
                    try await OrganisationRecord.query(on: app.db).filter(\.$kind == "agency").first())
                agency.cvr = "12345678"
                try await agency.save(on: app.db)
                let staff = try await attempt {
                    Self.claims(nonce: $0, subject: "styrelse-1", cvr: .string("12345678"), email: "ny@styrelsen.dk")
                }
                #expect(staff.status == .forbidden)
                #expect(staff.body.string.contains("oprettes af en administrator i Pulje"))

                let first = try await attempt { Self.claims(nonce: $0) }
                #expect(first.status == .seeOther)
                let user = try #require(
                    try await UserRecord.query(on: app.db).filter(\.$email == "mette@aarhus.dk").first())
                user.isActive = false
                try await user.save(on: app.db)
                let closed = try await attempt { Self.claims(nonce: $0) }
                #expect(closed.status == .forbidden)
                #expect(closed.body.string.contains("Din bruger i Pulje er lukket"))
                let failures = try await AuditEntryRecord.query(on: app.db).filter(\.$action == "session.signInFailed")
                    .count()
                #expect(failures >= 4)
            }
        }

        @Test func passwordSignInCanBeSwitchedOffForMunicipalUsersOnly() async throws {
            var environment = Self.environment
            environment["PULJE_MUNICIPAL_PASSWORD_SIGNIN"] = "false"
            try await withTestApp(environment: environment) { app in
                app.configureOpenIDConnect(transport: TestOpenIDProvider())
                let applicant = Browser(app)
                let page = try await applicant.get(SiteURL.signIn.path).body.string
                #expect(page.contains("For styrelsens medarbejdere, evaluator og administratorer."))
                // The right password is refused exactly like a wrong one: the answer tells nothing.
                let refused = try await applicant.signIn(Demo.applicant)
                let wrong = try await applicant.signIn(Demo.applicant, password: "ikke den rigtige kode")
                #expect(refused.status == .unauthorized && wrong.status == .unauthorized)
                #expect(refused.body.string.contains("logger ind med MitID Erhverv ovenfor"))
                #expect(
                    refused.body.string.replacingOccurrences(
                        of: #"value="[^"]*""#, with: "", options: .regularExpression)
                        == wrong.body.string.replacingOccurrences(
                            of: #"value="[^"]*""#, with: "", options: .regularExpression))
                #expect(try await !Self.isSignedIn(applicant))
                // The agency's staff and the local administrator keep their passwords.
                let admin = Browser(app)
                #expect(try await admin.signIn(Demo.admin).status == .seeOther)
                #expect(try await Self.isSignedIn(admin))
            }
            #expect(throws: AppConfig.Invalid.self) {
                try AppConfig.load(environment: ["PULJE_MUNICIPAL_PASSWORD_SIGNIN": "false"], mode: .development)
            }
        }
    }
}

@Suite struct OpenIDConnectConfigTests {
    @Test func theProviderMustBeHTTPSOrLoopbackOutsideProduction() throws {
        let local = try AppConfig.load(
            environment: ["PULJE_OIDC_ISSUER": "http://127.0.0.1:9400", "PULJE_OIDC_CLIENT_ID": "pulje"],
            mode: .development)
        #expect(local.openIDConnect?.cvrClaim == OpenIDConnectSettings.defaultCVRClaim)
        #expect(local.openIDConnect?.clientSecret == nil)
        #expect {
            try AppConfig.load(
                environment: ["PULJE_OIDC_ISSUER": "http://idp.example.dk", "PULJE_OIDC_CLIENT_ID": "pulje"],
                mode: .development)
        } throws: { error in
            (error as? AppConfig.Invalid)?.description.contains("PULJE_OIDC_ISSUER skal være en https-adresse") == true
        }
        #expect {
            try AppConfig.load(environment: ["PULJE_OIDC_ISSUER": "https://idp.example.dk"], mode: .development)
        } throws: { error in
            (error as? AppConfig.Invalid)?.description.contains("PULJE_OIDC_CLIENT_ID mangler") == true
        }
        #expect {
            try AppConfig.load(
                environment: [
                    "PULJE_OIDC_ISSUER": "https://idp.example.dk", "PULJE_OIDC_CLIENT_ID": "pulje",
                    "PULJE_OIDC_SCOPES": "profile email",
                ], mode: .development)
        } throws: { error in
            (error as? AppConfig.Invalid)?.description.contains("openid") == true
        }
    }
}
