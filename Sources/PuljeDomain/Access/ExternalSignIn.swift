import Crypto
import Foundation

/// A Danish CVR number (the business register's number of a company or public authority): eight digits, the
/// first not 0. MitID Erhverv names the organisation a person signs in for by it.
public struct CVRNumber: Hashable, Sendable, CustomStringConvertible {
    public let digits: String

    /// Eight digits, spaces allowed between them ("29 18 98 97"); anything else is nil.
    public static func parse(_ text: String) -> CVRNumber? {
        let compact = text.filter { $0 != " " }
        guard compact.count == 8, compact.utf8.allSatisfy({ (48...57).contains($0) }), compact.first != "0" else {
            return nil
        }
        return CVRNumber(digits: compact)
    }

    private init(digits: String) { self.digits = digits }

    public var description: String { digits }
}

/// Who the identity provider says signed in: its issuer and subject (the stable key of the person there),
/// with the name, e-mail address and organisation's CVR number it states. Pulje decides the rights.
public struct ExternalIdentity: Hashable, Sendable {
    public var issuer: String
    public var subject: String
    public var name: String?
    public var email: String?
    /// The CVR claim as sent (checked by `ExternalSignIn.decide`).
    public var cvr: String?

    public init(issuer: String, subject: String, name: String?, email: String?, cvr: String?) {
        self.issuer = issuer
        self.subject = subject
        self.name = name
        self.email = email
        self.cvr = cvr
    }
}

/// The rule of a sign-in through the national e-ID: the provider says who someone is, Pulje what they may do.
public enum ExternalSignIn {
    /// A user of Pulje, as far as the rule needs to know it.
    public struct KnownUser: Hashable, Sendable {
        public var id: UUID
        public var organisationID: UUID
        public var isActive: Bool

        public init(id: UUID, organisationID: UUID, isActive: Bool) {
            self.id = id
            self.organisationID = organisationID
            self.isActive = isActive
        }
    }

    public struct KnownOrganisation: Hashable, Sendable {
        public var id: UUID
        public var name: String
        public var kind: OrganisationKind

        public init(id: UUID, name: String, kind: OrganisationKind) {
            self.id = id
            self.name = name
            self.kind = kind
        }
    }

    public enum Outcome: Hashable, Sendable {
        /// The user linked to this identity signs in.
        case signIn(UUID)
        /// The organisation's existing user with the same e-mail address is linked to the identity, and signs in
        /// (a signatory or staff member an administrator created before their first sign-in).
        case link(UUID)
        /// A new user of the organisation, with these roles only.
        case create(organisation: UUID, roles: Set<Role>)
        /// No sign-in, and why, in Danish.
        case refused(String)
    }

    /// Who a first sign-in from an organisation becomes: an applicant of a municipality (or a region or a
    /// provider, who apply like municipalities). Signatory and every agency role are granted in Pulje only.
    public static func firstSignInRoles(for kind: OrganisationKind) -> Set<Role>? {
        Role.municipalApplicant.organisationKinds.contains(kind) ? [.municipalApplicant] : nil
    }

    /// Decides a sign-in. `linked` is the user already linked to the identity's issuer and subject;
    /// `organisation` the one that carries the identity's CVR number; `sameEmail` the user with the identity's
    /// e-mail address, wherever they belong.
    public static func decide(
        _ identity: ExternalIdentity, linked: KnownUser?, organisation: KnownOrganisation?, sameEmail: KnownUser?
    ) -> Outcome {
        guard !identity.subject.isEmpty else {
            return .refused("Identitetsudbyderen oplyste ikke, hvem du er. Prøv igen, eller kontakt styrelsen.")
        }
        guard let cvrText = identity.cvr, let cvr = CVRNumber.parse(cvrText) else {
            return .refused(
                "Identitetsudbyderen oplyste ikke et gyldigt CVR-nummer for din organisation, så Pulje kan ikke se, hvem du logger ind for."
            )
        }
        guard let organisation else {
            return .refused(
                "CVR-nummer \(cvr) er ikke knyttet til en organisation i Pulje, så du kan ikke logge ind med det. Hvis din organisation skal søge puljer, så kontakt Social- og Boligstyrelsen, som registrerer CVR-nummeret."
            )
        }
        if let linked {
            guard linked.isActive else {
                return .refused(
                    "Din bruger i Pulje er lukket. Kontakt en administrator i din organisation eller styrelsen.")
            }
            guard linked.organisationID == organisation.id else {
                return .refused(
                    "Du logger ind for \(organisation.name) (CVR-nummer \(cvr)), men din bruger i Pulje hører til en anden organisation. Kontakt styrelsen, så brugeren kan flyttes."
                )
            }
            return .signIn(linked.id)
        }
        if let sameEmail {
            guard sameEmail.organisationID == organisation.id else {
                return .refused(
                    "E-mailadressen bruges allerede af en bruger i en anden organisation i Pulje. Kontakt styrelsen.")
            }
            guard sameEmail.isActive else {
                return .refused(
                    "Din bruger i Pulje er lukket. Kontakt en administrator i din organisation eller styrelsen.")
            }
            return .link(sameEmail.id)
        }
        guard let roles = firstSignInRoles(for: organisation.kind) else {
            return .refused(
                "Brugere hos \(organisation.name) oprettes af en administrator i Pulje. Bed en administrator om at oprette dig med din e-mailadresse; så kan du derefter logge ind her."
            )
        }
        guard identity.email.map(isPlausibleEmail) == true else {
            return .refused(
                "Identitetsudbyderen oplyste ikke en e-mailadresse, og Pulje skal bruge den til at give dig besked om dine sager. Kontakt din organisations administrator af MitID Erhverv."
            )
        }
        return .create(organisation: organisation.id, roles: roles)
    }

    /// Whether a user of an organisation of this kind may sign in with a password: always, unless password
    /// sign-in is switched off for municipal users, who then sign in with MitID Erhverv (municipalities,
    /// regions and providers). Agency staff and the evaluator keep their passwords, so a local administrator
    /// can always sign in.
    public static func passwordSignInAllowed(for kind: OrganisationKind, municipalPasswordSignIn: Bool) -> Bool {
        municipalPasswordSignIn || ![.municipality, .region, .provider].contains(kind)
    }

    static func isPlausibleEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && text.count <= 254
            && !text.unicodeScalars.contains { $0.value < 33 || $0.value == 127 }
    }
}

/// The checks of an OpenID Connect ID token's claims (OpenID Connect Core 1.0 § 3.1.3.7), after its signature
/// has been verified: who issued it, for whom, when, and for which sign-in.
public enum IDTokenCheck {
    /// The signature algorithms Pulje accepts; `none` and the shared-secret HMAC family never (an HMAC token
    /// would be signed with the client secret, which Pulje does not use for ID tokens).
    public static let acceptedAlgorithms: Set<String> = [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    ]
    /// Clocks differ: a token is accepted this long after `exp` and this long before `iat`.
    public static let leeway: TimeInterval = 60
    /// A token issued longer ago than this is refused even if it has not expired.
    public static let maximumAge: TimeInterval = 10 * 60

    public struct Claims: Sendable {
        public var issuer: String?
        public var audiences: [String]
        public var authorizedParty: String?
        public var expires: Date?
        public var issuedAt: Date?
        public var nonce: String?

        public init(
            issuer: String?, audiences: [String], authorizedParty: String?, expires: Date?, issuedAt: Date?,
            nonce: String?
        ) {
            self.issuer = issuer
            self.audiences = audiences
            self.authorizedParty = authorizedParty
            self.expires = expires
            self.issuedAt = issuedAt
            self.nonce = nonce
        }
    }

    /// Why the header's algorithm is refused, or nil.
    public static func algorithmProblem(_ algorithm: String?) -> String? {
        guard let algorithm, acceptedAlgorithms.contains(algorithm) else {
            return "ID-tokenet er signeret med en algoritme, Pulje ikke accepterer (\(algorithm ?? "ingen"))."
        }
        return nil
    }

    /// Every problem of the claims, in English for the log (the user sees one Danish sentence).
    public static func problems(
        _ claims: Claims, issuer: String, clientID: String, nonce: String, now: Date
    ) -> [String] {
        var problems: [String] = []
        if claims.issuer != issuer { problems.append("iss is \(claims.issuer ?? "missing"), expected \(issuer)") }
        if !claims.audiences.contains(clientID) { problems.append("aud does not name the client") }
        if claims.audiences.count > 1 && claims.authorizedParty != clientID {
            problems.append("several audiences and azp is not the client")
        }
        if let azp = claims.authorizedParty, azp != clientID { problems.append("azp is another client") }
        if let expires = claims.expires {
            if now.timeIntervalSince(expires) > leeway { problems.append("expired") }
        } else {
            problems.append("exp missing")
        }
        if let issuedAt = claims.issuedAt {
            if issuedAt.timeIntervalSince(now) > leeway { problems.append("iat in the future") }
            if now.timeIntervalSince(issuedAt) > maximumAge { problems.append("iat too old") }
        } else {
            problems.append("iat missing")
        }
        if claims.nonce == nil || !constantTimeEqual(claims.nonce ?? "", nonce) { problems.append("nonce mismatch") }
        return problems
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Proof Key for Code Exchange (RFC 7636) with S256, and the random values of an authorisation request.
public enum PKCE {
    /// A random value of 32 bytes as base64url without padding (43 characters): the verifier, the state and
    /// the nonce are each one.
    public static func randomValue() -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The S256 challenge of a verifier: base64url(SHA-256(verifier)).
    public static func challenge(for verifier: String) -> String {
        base64URL(Array(SHA256.hash(data: Array(verifier.utf8))))
    }

    public static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
