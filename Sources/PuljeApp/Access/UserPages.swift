import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

enum UserPages {
    static func list(users: [UserRecord], context: PageContext) -> Node {
        Layout.page(title: "Brugere", context: context) {
            tag("h1") { "Brugere" }
            tag("p") { tag("a", .class("button"), .href(SiteURL.newUser.path)) { "Opret bruger" } }
            tag("table", .class("data")) {
                tag("caption", .class("visually-hidden")) { "Brugere" }
                tag("thead") {
                    tag("tr") {
                        for heading in ["Navn", "E-mail", "Organisation", "Roller", "Status"] {
                            tag("th", .init("scope", "col")) { heading }
                        }
                    }
                }
                tag("tbody") {
                    for user in users {
                        tag("tr") {
                            tag("td") { tag("a", .href(SiteURL.user(user.id!).path)) { user.name } }
                            tag("td") { user.email }
                            tag("td") { user.organisation.name }
                            tag("td") { user.roleSet.map(\.danishName).sorted().joined(separator: ", ") }
                            tag("td") { user.isActive ? "Aktiv" : "Deaktiveret" }
                        }
                    }
                }
            }
        }
    }

    static func form(
        form: UserForm, errors: FormErrors, organisations: [OrganisationRecord], existing: UserRecord?,
        history: [AuditEntryRecord] = [], context: PageContext
    ) -> Node {
        let title = existing.map { "Redigér \($0.name)" } ?? "Opret bruger"
        let action = existing.map { SiteURL.user($0.id!).path } ?? SiteURL.users.path
        return Layout.page(title: title, context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.users.path)) { "Brugere" } }
            tag("h1") { title }
            FormField.errorSummary(errors)
            tag("form", .init("method", "post"), .init("action", action), .class("narrow"), .noValidate) {
                Layout.csrfField(context)
                FormField.text("name", label: "Navn", value: form.name, errors: errors, required: true)
                if existing == nil {
                    FormField.text(
                        "email", label: "E-mailadresse", value: form.email, errors: errors, type: "email",
                        required: true)
                } else {
                    tag("p") { "E-mailadresse: " + (form.email ?? "") }
                }
                FormField.select(
                    "organisationID", label: "Organisation",
                    options: [("", "Vælg organisation")]
                        + organisations.map {
                            ($0.id!.uuidString, $0.name + " (" + $0.organisationKind.danishName.lowercased() + ")")
                        },
                    selected: form.organisationID, errors: errors, required: true)
                FormField.checkboxes(
                    "roles", legend: "Roller", options: Role.allCases.map { ($0.rawValue, $0.danishName) },
                    checked: Set(form.roles ?? []), errors: errors,
                    hint:
                        "Styrelsens roller kræver en bruger i styrelsen, kommunale roller en kommune, region eller leverandør, og evaluatorrollen en evaluator."
                )
                FormField.text(
                    "password", label: existing == nil ? "Midlertidig adgangskode" : "Ny midlertidig adgangskode",
                    value: nil, errors: errors,
                    hint: existing == nil
                        ? "Lad feltet stå tomt for at sende brugeren en invitation pr. e-mail, så brugeren selv vælger sin adgangskode. Ellers mindst \(PasswordPolicy.minimumLength) tegn; brugeren skifter den under Min profil."
                        : "Udfyld kun for at nulstille adgangskoden. Brugerens sessioner afsluttes.",
                    type: "password", autocomplete: "new-password")
                if existing != nil {
                    tag("div", .class("checkbox")) {
                        tag(
                            "input", .type("checkbox"), .id("felt-isActive"), .name("isActive"), .value("true"),
                            .flag("checked", form.isActive == "true"))
                        tag("label", .for("felt-isActive")) { "Aktiv (kan logge ind)" }
                    }
                }
                tag("button", .type("submit"), .class("button")) { existing == nil ? "Opret bruger" : "Gem ændringer" }
            }
            if let existing, existing.isActive {
                tag("h2") { "Invitation" }
                tag("p") {
                    "Send brugeren et nyt link pr. e-mail, så brugeren selv kan vælge en adgangskode. Tidligere links holder op med at virke."
                }
                Layout.postButton(
                    .inviteUser(existing.id!), label: "Send ny invitation", context: context, style: "button secondary")
            }
            if existing != nil {
                tag("h2") { "Historik" }
                if history.isEmpty {
                    tag("p") { "Ingen registrerede ændringer." }
                } else {
                    tag("ul") {
                        for entry in history {
                            tag("li") {
                                DanishTime.dateTimeWithSeconds(entry.at) + " – " + AuditHistory.actionName(entry.action)
                                    + " af " + entry.actorName + ": " + entry.summary
                            }
                        }
                    }
                }
            }
        }
    }
}
