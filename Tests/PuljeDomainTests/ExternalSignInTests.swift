import Foundation
import Testing

@testable import PuljeDomain

/// Sign-in through the national e-ID: the provider says who, Pulje decides what.
@Suite struct ExternalSignInRuleTests {
    static let aarhus = ExternalSignIn.KnownOrganisation(id: UUID(), name: "Aarhus Kommune", kind: .municipality)
    static let agency = ExternalSignIn.KnownOrganisation(id: UUID(), name: "Social- og Boligstyrelsen", kind: .agency)

    static func identity(
        cvr: String? = "55133018", email: String? = "mette@aarhus.dk", subject: String = "s-1"
    )
        -> ExternalIdentity
    {
        ExternalIdentity(issuer: "https://idp", subject: subject, name: "Mette", email: email, cvr: cvr)
    }

    @Test func cvrNumbersAreEightDigitsNotStartingWithZero() {
        #expect(CVRNumber.parse("55133018")?.digits == "55133018")
        #expect(CVRNumber.parse("5513 3018")?.digits == "55133018")
        for bad in ["", "5513301", "551330189", "05133018", "5513301A", "５５１３３０１８", "55133018\u{0}", "-5133018"] {
            #expect(CVRNumber.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func aFirstSignInFromAMunicipalityMakesAnApplicantAndNothingMore() {
        #expect(
            ExternalSignIn.decide(Self.identity(), linked: nil, organisation: Self.aarhus, sameEmail: nil)
                == .create(organisation: Self.aarhus.id, roles: [.municipalApplicant]))
        #expect(ExternalSignIn.firstSignInRoles(for: .region) == [.municipalApplicant])
        #expect(ExternalSignIn.firstSignInRoles(for: .agency) == nil)
        #expect(ExternalSignIn.firstSignInRoles(for: .evaluator) == nil)
    }

    @Test func aLinkedUserSignsInOnlyForTheirOwnOrganisationAndWhileOpen() {
        let user = ExternalSignIn.KnownUser(id: UUID(), organisationID: Self.aarhus.id, isActive: true)
        #expect(
            ExternalSignIn.decide(Self.identity(), linked: user, organisation: Self.aarhus, sameEmail: nil)
                == .signIn(user.id))
        var closed = user
        closed.isActive = false
        guard
            case .refused = ExternalSignIn.decide(
                Self.identity(), linked: closed, organisation: Self.aarhus, sameEmail: nil)
        else { Issue.record("a closed user signed in"); return }
        let moved = ExternalSignIn.decide(
            Self.identity(cvr: "12345678"), linked: user, organisation: Self.agency, sameEmail: nil)
        guard case .refused(let message) = moved else { Issue.record("signed in for another organisation"); return }
        #expect(message.contains("hører til en anden organisation"))
    }

    @Test func anExistingUserIsLinkedByEmailOnlyWithinTheSameOrganisation() {
        let signatory = ExternalSignIn.KnownUser(id: UUID(), organisationID: Self.aarhus.id, isActive: true)
        #expect(
            ExternalSignIn.decide(Self.identity(), linked: nil, organisation: Self.aarhus, sameEmail: signatory)
                == .link(signatory.id))
        let elsewhere = ExternalSignIn.KnownUser(id: UUID(), organisationID: UUID(), isActive: true)
        guard
            case .refused = ExternalSignIn.decide(
                Self.identity(), linked: nil, organisation: Self.aarhus, sameEmail: elsewhere)
        else { Issue.record("linked across organisations"); return }
    }

    @Test func everyMissingPieceIsRefusedWithADanishReason() {
        let cases: [(ExternalIdentity, ExternalSignIn.KnownOrganisation?, String)] = [
            (Self.identity(subject: ""), Self.aarhus, "hvem du er"),
            (Self.identity(cvr: nil), Self.aarhus, "gyldigt CVR-nummer"),
            (Self.identity(cvr: "1234"), Self.aarhus, "gyldigt CVR-nummer"),
            (Self.identity(), nil, "CVR-nummer 55133018 er ikke knyttet"),
            (Self.identity(cvr: "12345678"), Self.agency, "oprettes af en administrator"),
            (Self.identity(email: nil), Self.aarhus, "e-mailadresse"),
            (Self.identity(email: "mette@\u{7}aarhus.dk"), Self.aarhus, "e-mailadresse"),
        ]
        for (identity, organisation, expected) in cases {
            let outcome = ExternalSignIn.decide(identity, linked: nil, organisation: organisation, sameEmail: nil)
            guard case .refused(let message) = outcome else {
                Issue.record("not refused: \(expected)")
                continue
            }
            #expect(message.contains(expected), "\(message)")
        }
    }

    @Test func passwordsCanBeSwitchedOffForMunicipalUsersOnly() {
        #expect(ExternalSignIn.passwordSignInAllowed(for: .municipality, municipalPasswordSignIn: true))
        #expect(!ExternalSignIn.passwordSignInAllowed(for: .municipality, municipalPasswordSignIn: false))
        #expect(!ExternalSignIn.passwordSignInAllowed(for: .provider, municipalPasswordSignIn: false))
        #expect(ExternalSignIn.passwordSignInAllowed(for: .agency, municipalPasswordSignIn: false))
        #expect(ExternalSignIn.passwordSignInAllowed(for: .evaluator, municipalPasswordSignIn: false))
    }
}

@Suite struct IDTokenCheckTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func claims(
        issuer: String? = "https://idp", audiences: [String] = ["pulje"], azp: String? = nil,
        expires: TimeInterval = 300, issued: TimeInterval = 0, nonce: String? = "n-1"
    ) -> IDTokenCheck.Claims {
        .init(
            issuer: issuer, audiences: audiences, authorizedParty: azp, expires: now.addingTimeInterval(expires),
            issuedAt: now.addingTimeInterval(issued), nonce: nonce)
    }

    static func problems(_ claims: IDTokenCheck.Claims) -> [String] {
        IDTokenCheck.problems(claims, issuer: "https://idp", clientID: "pulje", nonce: "n-1", now: now)
    }

    @Test func aGoodTokenHasNoProblems() {
        #expect(Self.problems(Self.claims()).isEmpty)
        #expect(Self.problems(Self.claims(audiences: ["pulje", "other"], azp: "pulje")).isEmpty)
        // Within the leeway on both sides.
        #expect(Self.problems(Self.claims(expires: -59, issued: -400)).isEmpty)
        #expect(Self.problems(Self.claims(issued: 59)).isEmpty)
    }

    @Test func eachWrongClaimIsNamed() {
        #expect(Self.problems(Self.claims(issuer: "https://idp/")) == ["iss is https://idp/, expected https://idp"])
        #expect(Self.problems(Self.claims(issuer: nil)).count == 1)
        #expect(Self.problems(Self.claims(audiences: ["other"])) == ["aud does not name the client"])
        #expect(
            Self.problems(Self.claims(audiences: ["pulje", "other"])) == ["several audiences and azp is not the client"]
        )
        #expect(Self.problems(Self.claims(azp: "other")) == ["azp is another client"])
        #expect(Self.problems(Self.claims(expires: -61)) == ["expired"])
        #expect(Self.problems(Self.claims(issued: 61)) == ["iat in the future"])
        #expect(Self.problems(Self.claims(expires: 3_600, issued: -601)) == ["iat too old"])
        #expect(Self.problems(Self.claims(nonce: "n-2")) == ["nonce mismatch"])
        #expect(Self.problems(Self.claims(nonce: nil)) == ["nonce mismatch"])
    }

    @Test func onlyAsymmetricAlgorithmsAreAccepted() {
        #expect(IDTokenCheck.algorithmProblem("RS256") == nil)
        #expect(IDTokenCheck.algorithmProblem("ES256") == nil)
        for bad in ["none", "None", "HS256", "", "RS256 ", nil] as [String?] {
            #expect(IDTokenCheck.algorithmProblem(bad) != nil, "\(bad ?? "nil")")
        }
    }

    @Test func thePKCEChallengeIsRFC7636s() {
        // RFC 7636, appendix B.
        #expect(
            PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
                == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        let values = Set((0..<100).map { _ in PKCE.randomValue() })
        #expect(values.count == 100 && values.allSatisfy { $0.count == 43 })
    }
}
