/// Rules for a new password: at least 12 characters, not one of the commonest passwords and not
/// a trivial variation of one (a common word followed by digits, a keyboard run, one repeated character).
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 200

    public enum Problem: Hashable, Sendable {
        case tooShort
        case tooLong
        case common
        case containsEmail

        public var danishMessage: String {
            switch self {
            case .tooShort: "Adgangskoden skal være på mindst \(PasswordPolicy.minimumLength) tegn."
            case .tooLong: "Adgangskoden må højst være på \(PasswordPolicy.maximumLength) tegn."
            case .common: "Adgangskoden er for almindelig og let at gætte. Vælg en anden, fx en sætning på flere ord."
            case .containsEmail: "Adgangskoden må ikke indeholde din e-mailadresse."
            }
        }
    }

    /// Returns the first problem with the password, or nil when it may be used.
    public static func problem(with password: String, email: String = "") -> Problem? {
        if password.count < minimumLength { return .tooShort }
        if password.count > maximumLength { return .tooLong }
        let lowered = password.lowercased()
        let localPart = email.lowercased().split(separator: "@").first.map(String.init) ?? ""
        if localPart.count >= 4 && lowered.contains(localPart) { return .containsEmail }
        if isCommon(lowered) { return .common }
        return nil
    }

    static func isCommon(_ lowered: String) -> Bool {
        if commonPasswords.contains(lowered) { return true }
        if Set(lowered).count <= 2 { return true }
        if keyboardRuns.contains(where: { $0.contains(lowered) }) { return true }
        // A common word padded with digits and symbols to reach the length ("password1234!").
        let core = String(lowered.drop(while: { !$0.isLetter }).reversed().drop(while: { !$0.isLetter }).reversed())
        if commonWords.contains(core) { return true }
        return false
    }

    static let keyboardRuns = [
        "1234567890123456789012345678901234567890", "0987654321098765432109876543210987654321",
        "qwertyuiopåasdfghjklæøzxcvbnm", "qwertyuiopasdfghjklzxcvbnm", "abcdefghijklmnopqrstuvwxyzæøå",
        "1qaz2wsx3edc4rfv5tgb6yhn", "qazwsxedcrfvtgbyhnujm",
    ]

    /// Words that, with a few digits or symbols around them, make most of the leaked-password lists.
    static let commonWords: Set<String> = [
        "password", "passw0rd", "qwerty", "qwertyuiop", "letmein", "welcome", "admin", "administrator", "iloveyou",
        "monkey", "dragon", "football", "baseball", "sunshine", "princess", "master", "shadow", "superman",
        "trustno", "starwars", "whatever", "computer", "michelle", "jessica", "liverpool", "arsenal", "chelsea",
        "velkommen", "kodeord", "adgangskode", "sommer", "vinter", "foraar", "efteraar", "danmark", "kobenhavn",
        "københavn", "hejmeddig", "hemmelig", "hemmeligt", "login", "changeme", "secret", "test", "demo", "pulje",
        "kommune", "socialstyrelsen", "abc", "qwe", "asd", "zxc", "aaa",
    ]

    /// The commonest passwords of twelve characters or more in public leak lists.
    static let commonPasswords: Set<String> = [
        "123456789012", "1234567890123", "12345678901234", "123456123456", "111111111111", "000000000000",
        "123123123123", "qwertyuiop12", "qwerty123456", "password1234", "password12345", "password123456",
        "passwordpassword", "iloveyou1234", "abcdefghijkl", "abc123abc123", "1q2w3e4r5t6y", "1qaz2wsx3edc",
        "qazwsxedcrfv", "zaq12wsxcde3", "q1w2e3r4t5y6", "asdfghjkl123", "qwertyuiopasdf", "letmein12345",
        "welcome12345", "sommer123456", "velkommen123", "kodeord12345", "adgangskode1", "adgangskode12",
        "adgangskode123", "danmark12345", "changemenow!", "administrator", "administrator1",
        "correcthorsebatterystaple",
        "trustno1trustno1", "1234qwerasdf", "qwer1234asdf", "football1234", "baseball1234", "superman1234",
        "princess1234", "sunshine1234", "starwars1234", "monkey123456", "dragon123456", "master123456",
    ]
}
