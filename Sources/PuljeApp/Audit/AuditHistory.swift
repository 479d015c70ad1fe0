import PuljeDomain

/// The history of one thing: who changed what, and when.
enum AuditHistory {
    static func view(
        title: String, backLink: (SiteURL, String), entries: [AuditEntryRecord], context: PageContext
    ) -> Node {
        Layout.page(title: title, context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(backLink.0.path)) { backLink.1 } }
            tag("h1") { title }
            if entries.isEmpty {
                tag("p") { "Der er endnu ingen registrerede ændringer." }
            } else {
                tag("table", .class("data")) {
                    tag("caption", .class("visually-hidden")) { title }
                    tag("thead") {
                        tag("tr") {
                            tag("th", .init("scope", "col")) { "Tidspunkt" }
                            tag("th", .init("scope", "col")) { "Hvem" }
                            tag("th", .init("scope", "col")) { "Handling" }
                            tag("th", .init("scope", "col")) { "Ændringer" }
                        }
                    }
                    tag("tbody") {
                        for entry in entries {
                            tag("tr") {
                                tag("td") { DanishTime.dateTimeWithSeconds(entry.at) }
                                tag("td") {
                                    entry.actorName
                                    if !entry.organisationName.isEmpty { tag("br"); entry.organisationName }
                                }
                                tag("td") { actionName(entry.action) }
                                tag("td") {
                                    tag("ul") {
                                        entry.summary.split(separator: "\n").map { line in tag("li") { String(line) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func actionName(_ action: String) -> String {
        switch action {
        case "initiative.create": "Oprettet"
        case "initiative.update": "Ændret"
        case "user.create": "Bruger oprettet"
        case "user.update": "Bruger ændret"
        case "user.profile": "Profil ændret"
        case "user.password": "Adgangskode skiftet"
        case "session.signIn": "Logget ind"
        case "session.signOut": "Logget ud"
        case "session.signOutEverywhere": "Logget ud overalt"
        case "session.signInFailed": "Mislykket log ind"
        case "user.invite": "Invitation sendt"
        case "user.invitation-accepted": "Adgangskode valgt via invitation"
        case "call.create": "Pulje oprettet"
        case "call.update": "Pulje ændret"
        case "call.publish": "Pulje offentliggjort"
        case "application.create": "Ansøgning oprettet"
        case "application.save": "Gemt"
        case "application.submit": "Indsendt"
        case "application.withdraw": "Trukket tilbage"
        case "application.contributor": "Bidragyder tilføjet"
        case "application.responsible": "Ansvar overdraget"
        case "application.attachment": "Bilag"
        case "application.message": "Besked"
        case "application.information-answer": "Svar på anmodning om oplysninger"
        case "assessment.screening": "Screening"
        case "assessment.assign": "Bedømmer tildelt"
        case "assessment.spread": "Bedømmere fordelt"
        case "assessment.declaration": "Habilitetserklæring"
        case "assessment.score": "Point givet"
        case "assessment.consensus": "Konsensus registreret"
        case "assessment.information-request": "Yderligere oplysninger ønsket"
        case "portfolio.override": "Udvælgelse justeret"
        case "decision.propose": "Afgørelse indstillet"
        case "decision.approve": "Afgørelse godkendt"
        case "decision.letter": "Brev sendt"
        case "letter-template.update": "Brevskabeloner ændret"
        default: action
        }
    }
}
