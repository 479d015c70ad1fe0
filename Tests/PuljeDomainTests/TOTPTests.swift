import Foundation
import Testing

@testable import PuljeDomain

@Suite struct TOTPTests {
    static let secret = Array("12345678901234567890".utf8)

    @Test func theCodesAreRFC6238s() {
        // RFC 6238, appendix B (SHA-1, 8 digits).
        let vectors: [(TimeInterval, String)] = [
            (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"), (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ]
        for (seconds, expected) in vectors {
            let step = TOTP.timeStep(at: Date(timeIntervalSince1970: seconds))
            #expect(TOTP.code(secret: Self.secret, step: step, digits: 8) == expected)
        }
        #expect(TOTP.code(secret: Self.secret, step: 1) == "287082")
    }

    @Test func aCodeMatchesWithinOneStepAndOnlyOnce() {
        let at = Date(timeIntervalSince1970: 1_234_567_890)
        let now = TOTP.timeStep(at: at)
        let current = TOTP.code(secret: Self.secret, step: now)
        #expect(TOTP.matchingStep(current, secret: Self.secret, at: at, after: nil) == now)
        #expect(
            TOTP.matchingStep(
                String(current.prefix(3)) + " " + current.dropFirst(3), secret: Self.secret, at: at, after: nil) == now)
        // The previous and next step are accepted; two steps away is not.
        #expect(
            TOTP.matchingStep(TOTP.code(secret: Self.secret, step: now - 1), secret: Self.secret, at: at, after: nil)
                == now - 1)
        #expect(
            TOTP.matchingStep(TOTP.code(secret: Self.secret, step: now + 1), secret: Self.secret, at: at, after: nil)
                == now + 1)
        #expect(
            TOTP.matchingStep(TOTP.code(secret: Self.secret, step: now - 2), secret: Self.secret, at: at, after: nil)
                == nil)
        // Used once: the same code, or an earlier one, is refused.
        #expect(TOTP.matchingStep(current, secret: Self.secret, at: at, after: now) == nil)
        #expect(
            TOTP.matchingStep(TOTP.code(secret: Self.secret, step: now - 1), secret: Self.secret, at: at, after: now)
                == nil)
        for bad in ["", "12345", "1234567", "abcdef", "１２３４５６", "-12345", "123456\u{0}"] {
            #expect(TOTP.matchingStep(bad, secret: Self.secret, at: at, after: nil) == nil, "\(bad)")
        }
        #expect(TOTP.matchingStep(current, secret: [], at: at, after: nil) == nil)
    }

    @Test func base32IsRFC4648s() {
        let vectors = [
            ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ]
        for (plain, encoded) in vectors {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base32.decode("mzxw 6ytb oi==") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW1") == nil)
        #expect(Base32.grouped(Array("foobar".utf8)) == "MZXW 6YTB OI")
        let secret = TOTP.newSecret()
        #expect(secret.count == 20 && Base32.decode(Base32.encode(secret)) == secret)
    }

    @Test func theProvisioningAddressNamesIssuerAndAccount() {
        let uri = TOTP.provisioningURI(secret: Array("foobar".utf8), account: "anne@styrelsen.dk", issuer: "Pulje")
        #expect(
            uri
                == "otpauth://totp/Pulje%3Aanne@styrelsen.dk?secret=MZXW6YTBOI&issuer=Pulje&algorithm=SHA1&digits=6&period=30"
        )
        #expect(SecondFactor.required(for: .agency, staffMustUseIt: true))
        #expect(!SecondFactor.required(for: .agency, staffMustUseIt: false))
        #expect(!SecondFactor.required(for: .municipality, staffMustUseIt: true))
    }
}
