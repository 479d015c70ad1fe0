import Foundation
import PuljeDomain
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

    static func rows<T>(_ dictionary: [String: T]?) -> [T] {
        (dictionary ?? [:]).compactMap { key, value in Int(key).map { ($0, value) } }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The content the form describes, or the fields whose values cannot be read. Empty rows are dropped.
    func content() -> Result<ApplicationContent, FormErrors> {
        var errors = FormErrors()
        func text(_ value: String?) -> String {
            (value ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        }
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
            let field = "budget.\(lines.count)"
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
        guard errors.isEmpty else { return .failure(errors) }
        return .success(
            ApplicationContent(
                projectTitle: text(projectTitle), targetAreaCodes: targetAreas ?? [], services: services,
                contacts: contacts, answers: (answers ?? [:]).mapValues(text).filter { !$0.value.isEmpty },
                declarations: declarations ?? [], budget: lines))
    }
}
