import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// The application form as posted. Rows (services, contacts, budget lines) are keyed by their index.
struct ApplicationForm: Content {
    struct ServiceRow: Content {
        var name: String?
        var legalBasis: String?
        var citizens: String?
    }
    struct ContactRow: Content {
        var name: String?
        var role: String?
        var email: String?
        var phone: String?
    }
    struct BudgetRow: Content {
        var category: String?
        var description: String?
        var units: String?
        var unitPrice: String?
        var year: String?
        var months: [String]?
        var note: String?
    }

    var version: Int?
    var projectTitle: String?
    var targetAreas: [String]?
    var services: [String: ServiceRow]?
    var contacts: [String: ContactRow]?
    var answers: [String: String]?
    var declarations: [String]?
    var budget: [String: BudgetRow]?
    /// The fields as posted, in order, when the form was read from them: kept with a draft whose fields
    /// could not all be read, so that nothing typed is lost.
    var posted: [[String]]?
    /// The content the page started from, as canonical JSON: what a save from an old version is merged against.
    var base: String?
    /// On a page after a conflict: for each field both people changed, "mine" or "saved".
    var keep: [String: String]?
    /// The section posted, when the form came from one step of the form in steps (`ApplicationSection`).
    var section: String?
    /// Where the user goes after saving a step: "next", "previous", or staying on the step.
    var go: String?

    /// The step the form was posted from; nil for the page with every section.
    var step: ApplicationSection? {
        section.flatMap(ApplicationSection.init(rawValue:)).flatMap { $0.isPartOfForm ? $0 : nil }
    }

    /// A form posted from one step made whole: the step's fields as posted, every other field as last saved
    /// (as typed, where the saved draft kept input that could not be read). Every save path reads, merges and
    /// keeps whole forms, so a step is saved by the same rules as the page with every section.
    func completed(from current: ApplicationRecord) throws -> ApplicationForm {
        guard let step else { return self }
        guard let posted else { throw PuljeError(.badRequest, "Afsnittet kunne ikke læses. Prøv igen.") }
        let mine = posted.compactMap { $0.count == 2 ? FormPair(key: $0[0], value: $0[1]) : nil }
        let saved = try current.unreadPairs() ?? Self.pairs(of: current.content())
        let control = mine.filter { ApplicationSection.of(field: $0.key) == nil }
        let others = saved.filter { pair in ApplicationSection.of(field: pair.key).map { $0 != step } ?? false }
        return ApplicationForm(pairs: control + others + mine.filter { ApplicationSection.of(field: $0.key) == step })
    }

    /// The fields a form showing this content posts, named as the page names them.
    static func pairs(of content: ApplicationContent) -> [FormPair] {
        var pairs = [FormPair(key: "projectTitle", value: content.projectTitle)]
        pairs += content.targetAreaCodes.map { FormPair(key: "targetAreas[]", value: $0) }
        for (i, service) in content.services.enumerated() {
            pairs += [
                FormPair(key: "services[\(i)][name]", value: service.name),
                FormPair(key: "services[\(i)][legalBasis]", value: service.legalBasis),
                FormPair(key: "services[\(i)][citizens]", value: String(service.citizens)),
            ]
        }
        for (i, contact) in content.contacts.enumerated() {
            pairs += [
                FormPair(key: "contacts[\(i)][name]", value: contact.name),
                FormPair(key: "contacts[\(i)][role]", value: contact.role),
                FormPair(key: "contacts[\(i)][email]", value: contact.email),
                FormPair(key: "contacts[\(i)][phone]", value: contact.phone),
            ]
        }
        pairs += content.answers.sorted { $0.key < $1.key }.map { FormPair(key: "answers[\($0.key)]", value: $0.value) }
        pairs += content.declarations.map { FormPair(key: "declarations[]", value: $0) }
        for (i, line) in content.budget.enumerated() {
            let prefix = "budget[\(i)]"
            pairs += [
                FormPair(key: prefix + "[category]", value: line.category.rawValue),
                FormPair(key: prefix + "[description]", value: line.description),
                FormPair(key: prefix + "[units]", value: DanishNumber.format(hundredths: line.unitsHundredths)),
                FormPair(key: prefix + "[unitPrice]", value: InitiativeForm.amountText(line.unitPrice)),
                FormPair(key: prefix + "[year]", value: String(line.year)),
            ]
            pairs += line.months.map { FormPair(key: prefix + "[months][]", value: String($0)) }
            pairs.append(FormPair(key: prefix + "[note]", value: line.note))
        }
        return pairs
    }

    /// The content the form started from (`base`), when it is there and readable.
    var baseContent: ApplicationContent? {
        base.flatMap { try? JSONDecoder().decode(ApplicationContent.self, from: Data($0.utf8)) }
    }

    /// The fields the user chose to keep as saved on a page after a conflict.
    var keepSaved: Set<ContentMerge.Field> {
        Set((keep ?? [:]).filter { $0.value == "saved" }.keys.compactMap(ContentMerge.Field.init))
    }

    /// Line breaks as "\n", without surrounding white space. Foundation's trimming bridges through NSString,
    /// which showed in profiles of the autosave; most values need no change at all.
    static func trimmed(_ value: String?) -> String {
        guard var text = value, !text.isEmpty else { return "" }
        if text.utf8.contains(13) { text = text.replacingOccurrences(of: "\r\n", with: "\n") }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return text }
        return String(scalars[first...last])
    }

    static func rows<T>(_ dictionary: [String: T]?) -> [T] {
        (dictionary ?? [:]).compactMap { key, value in Int(key).map { ($0, value) } }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The content the form describes, or the fields whose values cannot be read. Empty rows are dropped.
    func content() -> Result<ApplicationContent, FormErrors> {
        let (content, errors) = read()
        return errors.isEmpty ? .success(content) : .failure(errors)
    }

    /// The posted fields as stored with a draft (`ApplicationRecord.unreadInputJSON`).
    var postedJSON: String? {
        guard let posted else { return nil }
        return (try? JSONEncoder().encode(posted)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// What can be read, and what cannot: a line without a category or a year is left out of the content,
    /// an unreadable number counts as empty; each is named in the errors at its field.
    func read() -> (content: ApplicationContent, errors: FormErrors) {
        var errors = FormErrors()
        func text(_ value: String?) -> String { Self.trimmed(value) }
        var services: [ParticipatingService] = []
        for (index, row) in Self.rows(self.services).enumerated() {
            let name = text(row.name)
            let basis = text(row.legalBasis)
            let citizensText = text(row.citizens)
            if name.isEmpty && basis.isEmpty && citizensText.isEmpty { continue }
            let citizens = citizensText.isEmpty ? 0 : Int(citizensText.replacingOccurrences(of: ".", with: ""))
            if citizens == nil || citizens! < 0 {
                errors.add("services.\(index)", "Tilbud \(index + 1): Antal borgere skal være et helt tal.")
            }
            services.append(ParticipatingService(name: name, legalBasis: basis, citizens: citizens ?? 0))
        }
        let contacts = Self.rows(self.contacts).compactMap { row -> ContactPerson? in
            let contact = ContactPerson(
                name: text(row.name), role: text(row.role), email: text(row.email), phone: text(row.phone))
            return [contact.name, contact.role, contact.email, contact.phone].allSatisfy(\.isEmpty) ? nil : contact
        }
        for (index, contact) in contacts.enumerated()
        where !contact.email.isEmpty && !UserForm.isValidEmail(contact.email) {
            errors.add(
                "contacts.\(index)", "Kontaktperson \(index + 1): \"\(contact.email)\" er ikke en gyldig e-mailadresse."
            )
        }
        var lines: [BudgetLine] = []
        for (index, row) in Self.rows(budget).enumerated() {
            let description = text(row.description)
            let unitsText = text(row.units)
            let priceText = text(row.unitPrice)
            let months = (row.months ?? []).compactMap { Int($0) }
            if description.isEmpty && unitsText.isEmpty && priceText.isEmpty && months.isEmpty { continue }
            let field = "budget.\(index)"
            guard let category = ExpenseCategory(rawValue: row.category ?? "") else {
                errors.add(field, "Linje \(index + 1): Vælg en udgiftskategori.")
                continue
            }
            let units = unitsText.isEmpty ? nil : DanishNumber.hundredths(unitsText)
            let price = priceText.isEmpty ? nil : DanishAmount.parse(priceText)
            if units == nil { errors.add(field, "Linje \(index + 1): Antal skal være et tal, fx 1 eller 0,5.") }
            if price == nil {
                errors.add(field, "Linje \(index + 1): Enhedspris skal være et beløb i kroner, fx 450 eller 1.250,50.")
            }
            guard let year = Int(text(row.year)) else {
                errors.add(field, "Linje \(index + 1): Vælg et projektår.")
                continue
            }
            lines.append(
                BudgetLine(
                    category: category, description: description, unitsHundredths: units ?? 0,
                    unitPrice: price ?? .zero, year: year, months: Array(Set(months)).sorted(), note: text(row.note)))
        }
        return (
            ApplicationContent(
                projectTitle: text(projectTitle), targetAreaCodes: targetAreas ?? [], services: services,
                contacts: contacts, answers: (answers ?? [:]).mapValues(text).filter { !$0.value.isEmpty },
                declarations: declarations ?? [], budget: lines),
            errors
        )
    }
}

extension ApplicationForm {
    /// The form from its posted fields, as Vapor's decoder would read them (`services[0][name]`,
    /// `budget[2][months][]`, `answers[motivation]`, `targetAreas[]`); unknown fields are ignored.
    init(pairs: [FormPair]) {
        self.init()
        posted = pairs.filter { $0.key != CSRFMiddleware.field }.map { [$0.key, $0.value] }
        func parts(_ key: String) -> [Substring] {
            // "budget[0][months][]" → ["budget", "0", "months", ""]
            guard let open = key.firstIndex(of: "[") else { return [Substring(key)] }
            var result = [key[..<open]]
            var rest = key[open...]
            while rest.first == "[", let close = rest.firstIndex(of: "]") {
                result.append(rest[rest.index(after: rest.startIndex)..<close])
                rest = rest[rest.index(after: close)...]
            }
            return result
        }
        for pair in pairs {
            let path = parts(pair.key)
            let value = pair.value
            switch (path.first, path.count) {
            case ("version", 1): version = Int(value)
            case ("base", 1): base = value
            case ("section", 1): section = value
            case ("go", 1): go = value
            case ("keep", 2) where !path[1].isEmpty:
                keep = (keep ?? [:]).merging([String(path[1]): value]) { $1 }
            case ("projectTitle", 1): projectTitle = value
            case ("targetAreas", 2) where path[1].isEmpty: targetAreas = (targetAreas ?? []) + [value]
            case ("declarations", 2) where path[1].isEmpty: declarations = (declarations ?? []) + [value]
            case ("answers", 2) where !path[1].isEmpty:
                answers = (answers ?? [:]).merging([String(path[1]): value]) { $1 }
            case ("services", 3):
                var row = services?[String(path[1])] ?? ServiceRow()
                switch path[2] {
                case "name": row.name = value
                case "legalBasis": row.legalBasis = value
                case "citizens": row.citizens = value
                default: continue
                }
                services = (services ?? [:]).merging([String(path[1]): row]) { $1 }
            case ("contacts", 3):
                var row = contacts?[String(path[1])] ?? ContactRow()
                switch path[2] {
                case "name": row.name = value
                case "role": row.role = value
                case "email": row.email = value
                case "phone": row.phone = value
                default: continue
                }
                contacts = (contacts ?? [:]).merging([String(path[1]): row]) { $1 }
            case ("budget", 3), ("budget", 4):
                var row = budget?[String(path[1])] ?? BudgetRow()
                switch (path[2], path.count) {
                case ("category", 3): row.category = value
                case ("description", 3): row.description = value
                case ("units", 3): row.units = value
                case ("unitPrice", 3): row.unitPrice = value
                case ("year", 3): row.year = value
                case ("note", 3): row.note = value
                case ("months", 4) where path[3].isEmpty: row.months = (row.months ?? []) + [value]
                default: continue
                }
                budget = (budget ?? [:]).merging([String(path[1]): row]) { $1 }
            default:
                continue
            }
        }
    }
}
