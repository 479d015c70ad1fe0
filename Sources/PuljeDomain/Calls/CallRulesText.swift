import Foundation

/// The list-shaped parts of a call as staff write them in a form: one item a line, parts separated by ";".
/// Every parser returns the items or the first problem with its line number, in Danish.
public enum CallRulesText {
    public struct LineError: Error, Equatable, Sendable {
        public var line: Int
        public var message: String
        public var danishMessage: String { "Linje \(line): \(message)" }
    }

    static func lines(_ text: String) -> [(number: Int, parts: [String])] {
        text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().compactMap { index, raw in
                let line = raw.trimmingCharacters(in: .whitespaces)
                guard !line.isEmpty else { return nil }
                return (
                    index + 1,
                    line.split(separator: ";", omittingEmptySubsequences: false).map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }
                )
            }
    }

    static func code(_ text: String, line: Int) throws(LineError) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_"))
        guard !text.isEmpty, text.count <= 40, text.unicodeScalars.allSatisfy(allowed.contains) else {
            throw LineError(line: line, message: "Koden \"\(text)\" må kun indeholde bogstaver, tal, - og _.")
        }
        return text
    }

    // MARK: Target areas: "kode; Navn; mindst valgte"

    public static func targetAreas(_ text: String) throws(LineError) -> [TargetArea] {
        var result: [TargetArea] = []
        for (line, parts) in lines(text) {
            guard (2...3).contains(parts.count), !parts[1].isEmpty else {
                throw LineError(
                    line: line,
                    message:
                        "Skriv \"kode; navn; mindst valgte\", fx \"handicap; Handicapområdet; 1\" (det sidste kan udelades)."
                )
            }
            var minimum: Int?
            if parts.count == 3 && !parts[2].isEmpty {
                guard let value = Int(parts[2]), (0...1_000).contains(value) else {
                    throw LineError(line: line, message: "Mindst valgte skal være et helt tal fra 0 til 1.000, fx 1.")
                }
                minimum = value
            }
            result.append(TargetArea(code: try code(parts[0], line: line), name: parts[1], minimumSelected: minimum))
        }
        return result
    }

    public static func format(_ areas: [TargetArea]) -> String {
        areas.map { area in
            area.minimumSelected.map { "\(area.code); \(area.name); \($0)" } ?? "\(area.code); \(area.name)"
        }.joined(separator: "\n")
    }

    // MARK: Contacts: "Navn; rolle; e-mail; telefon"

    public static func contacts(_ text: String) throws(LineError) -> [ContactPerson] {
        var result: [ContactPerson] = []
        for (line, parts) in lines(text) {
            guard (1...4).contains(parts.count), !parts[0].isEmpty else {
                throw LineError(
                    line: line, message: "Skriv \"navn; rolle; e-mail; telefon\" (de sidste tre kan udelades).")
            }
            let email = parts.count > 2 ? parts[2] : ""
            if !email.isEmpty && (!email.contains("@") || email.contains(" ")) {
                throw LineError(line: line, message: "\"\(email)\" er ikke en e-mailadresse.")
            }
            result.append(
                ContactPerson(
                    name: parts[0], role: parts.count > 1 ? parts[1] : "", email: email,
                    phone: parts.count > 3 ? parts[3] : ""))
        }
        return result
    }

    public static func format(_ contacts: [ContactPerson]) -> String {
        contacts.map { [$0.name, $0.role, $0.email, $0.phone].joined(separator: "; ") }.joined(separator: "\n")
    }

    // MARK: Documents: "Titel; adresse"

    public static func documents(_ text: String) throws(LineError) -> [CallDocument] {
        var result: [CallDocument] = []
        for (line, parts) in lines(text) {
            guard (1...2).contains(parts.count), !parts[0].isEmpty else {
                throw LineError(line: line, message: "Skriv \"titel; adresse\" (adressen kan udelades).")
            }
            let url = parts.count > 1 ? parts[1] : ""
            if !url.isEmpty && !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                throw LineError(line: line, message: "Adressen skal begynde med https://.")
            }
            result.append(CallDocument(title: parts[0], url: url))
        }
        return result
    }

    public static func format(_ documents: [CallDocument]) -> String {
        documents.map { $0.url.isEmpty ? $0.title : "\($0.title); \($0.url)" }.joined(separator: "\n")
    }

    // MARK: Minimum conditions: "kode; tekst"

    public static func minimumConditions(_ text: String) throws(LineError) -> [MinimumCondition] {
        var result: [MinimumCondition] = []
        for (line, parts) in lines(text) {
            guard parts.count >= 2, !parts[1...].joined(separator: ";").isEmpty else {
                throw LineError(line: line, message: "Skriv \"kode; betingelse\".")
            }
            result.append(
                MinimumCondition(id: try code(parts[0], line: line), text: parts[1...].joined(separator: "; ")))
        }
        return result
    }

    public static func format(_ conditions: [MinimumCondition]) -> String {
        conditions.map { "\($0.id); \($0.text)" }.joined(separator: "\n")
    }

    // MARK: Criteria: "kode; navn; vægt; minimum; beskrivelse"

    public static func criteria(_ text: String) throws(LineError) -> [AwardCriterion] {
        var result: [AwardCriterion] = []
        for (line, parts) in lines(text) {
            guard parts.count >= 3 else {
                throw LineError(
                    line: line,
                    message: "Skriv \"kode; navn; vægt; minimum; beskrivelse\" (minimum og beskrivelse kan udelades).")
            }
            guard let weight = Int(parts[2]), (1...AwardCriterion.maximumWeight).contains(weight) else {
                throw LineError(line: line, message: "Vægten skal være et helt tal fra 1 til 1.000.")
            }
            var minimum: Double?
            if parts.count > 3 && !parts[3].isEmpty {
                guard let value = Double(parts[3].replacingOccurrences(of: ",", with: ".")), value.isFinite,
                    (0...ScoringScale.maximumMagnitude).contains(value)
                else {
                    throw LineError(line: line, message: "Minimum skal være et tal, fx 2 eller 2,5.")
                }
                minimum = value
            }
            guard !parts[1].isEmpty else { throw LineError(line: line, message: "Kriteriet skal have et navn.") }
            result.append(
                AwardCriterion(
                    id: try code(parts[0], line: line), name: parts[1],
                    description: parts.count > 4 ? parts[4...].joined(separator: "; ") : "", weight: weight,
                    minimumScore: minimum))
        }
        return result
    }

    public static func format(_ criteria: [AwardCriterion]) -> String {
        criteria.map { c in
            let minimum =
                c.minimumScore.map {
                    String($0).replacingOccurrences(of: ".0", with: "").replacingOccurrences(of: ".", with: ",")
                } ?? ""
            return [c.id, c.name, String(c.weight), minimum, c.description].joined(separator: "; ")
        }.joined(separator: "\n")
    }

    // MARK: Questions: "kode; spørgsmål; maks tegn; påkrævet (ja/nej); kriterium; vejledning"

    public static func questions(_ text: String) throws(LineError) -> [FormQuestion] {
        var result: [FormQuestion] = []
        for (line, parts) in lines(text) {
            guard parts.count >= 4 else {
                throw LineError(
                    line: line, message: "Skriv \"kode; spørgsmål; maks tegn; ja/nej; kriterium; vejledning\".")
            }
            guard let maxLength = Int(parts[2].replacingOccurrences(of: ".", with: "")),
                (1...100_000).contains(maxLength)
            else {
                throw LineError(line: line, message: "Maks tegn skal være et helt tal mellem 1 og 100.000.")
            }
            let required: Bool
            switch parts[3].lowercased() {
            case "ja": required = true
            case "nej": required = false
            default: throw LineError(line: line, message: "Påkrævet skal være ja eller nej.")
            }
            guard !parts[1].isEmpty else { throw LineError(line: line, message: "Spørgsmålet mangler.") }
            let criterion = parts.count > 4 && !parts[4].isEmpty ? parts[4] : nil
            result.append(
                FormQuestion(
                    id: try code(parts[0], line: line), text: parts[1],
                    guidance: parts.count > 5 ? parts[5...].joined(separator: "; ") : "", required: required,
                    maxLength: maxLength, criterionID: criterion))
        }
        return result
    }

    public static func format(_ questions: [FormQuestion]) -> String {
        questions.map {
            [$0.id, $0.text, String($0.maxLength), $0.required ? "ja" : "nej", $0.criterionID ?? "", $0.guidance]
                .joined(separator: "; ")
        }.joined(separator: "\n")
    }

    // MARK: Attachment kinds: "kode; navn; maks MB; påkrævet (ja/nej)"

    public static func attachmentKinds(_ text: String) throws(LineError) -> [AttachmentKind] {
        var result: [AttachmentKind] = []
        for (line, parts) in lines(text) {
            guard parts.count == 4, !parts[1].isEmpty, let megabytes = Int(parts[2]), (1...100).contains(megabytes),
                ["ja", "nej"].contains(parts[3].lowercased())
            else {
                throw LineError(line: line, message: "Skriv \"kode; navn; maks MB (1-100); ja/nej\".")
            }
            result.append(
                AttachmentKind(
                    id: try code(parts[0], line: line), name: parts[1], maximumBytes: megabytes * 1_000_000,
                    required: parts[3].lowercased() == "ja"))
        }
        return result
    }

    public static func format(_ kinds: [AttachmentKind]) -> String {
        kinds.map { "\($0.id); \($0.name); \($0.maximumBytes / 1_000_000); \($0.required ? "ja" : "nej")" }
            .joined(separator: "\n")
    }

    // MARK: The grant cases' team roles: "kode; navn; påkrævet (ja/nej)"

    /// The roles the municipality must (or may) fill in its organisation of the project; the third part may be
    /// left out (required).
    public static func teamRoles(_ text: String) throws(LineError) -> [TeamRole] {
        var result: [TeamRole] = []
        for (line, parts) in lines(text) {
            guard (2...3).contains(parts.count), !parts[1].isEmpty, parts[1].count <= 200,
                parts.count == 2 || ["ja", "nej"].contains(parts[2].lowercased())
            else {
                throw LineError(
                    line: line,
                    message: "Skriv \"kode; navn; ja/nej (påkrævet)\", fx \"projektleder; Projektleder; ja\".")
            }
            result.append(
                TeamRole(
                    id: try code(parts[0], line: line), name: parts[1],
                    required: parts.count == 2 || parts[2].lowercased() == "ja"))
        }
        return result
    }

    public static func format(_ roles: [TeamRole]) -> String {
        roles.map { "\($0.id); \($0.name); \($0.required ? "ja" : "nej")" }.joined(separator: "\n")
    }

    // MARK: Answer expectation: "uge 51 2023", "15.11.2022", "december 2019"

    public static func answerExpectation(_ text: String) -> AnswerExpectation? {
        let t = text.lowercased().trimmingCharacters(in: .whitespaces)
        let words = t.split(separator: " ").map(String.init)
        if words.count == 3, words[0] == "uge", let week = Int(words[1]), let year = Int(words[2]) {
            return ISOWeek(year: year, week: week).map(AnswerExpectation.week)
        }
        if words.count == 2, let month = DanishTime.monthNames.firstIndex(of: words[0]), let year = Int(words[1]),
            (2000...2100).contains(year)
        {
            return .month(year: year, month: month + 1)
        }
        let numbers = t.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == "/" }).compactMap { Int($0) }
        if numbers.count == 3 {
            let (d, m, y) =
                numbers[0] > 31 ? (numbers[2], numbers[1], numbers[0]) : (numbers[0], numbers[1], numbers[2])
            if DanishTime.instant(year: y, month: m, day: d, hour: 12, minute: 0) != nil {
                return .date(year: y, month: m, day: d)
            }
        }
        return nil
    }

    public static func format(_ answer: AnswerExpectation?) -> String {
        switch answer {
        case .none: ""
        case .week(let w): "uge \(w.week) \(w.year)"
        case .date(let y, let m, let d): "\(d).\(m).\(y)"
        case .month(let y, let m): "\(DanishTime.monthNames[m - 1]) \(y)"
        }
    }
}
