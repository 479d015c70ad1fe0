import Foundation
import PuljeDomain
import PuljeHTML

/// The activities on the grant pages: the case's section (registrations, attendance, obligations), the
/// staff's panel per call on the list (schedule an activity), and the staff's page of one activity.
extension GrantPages {
    /// A call on the staff's list: its activities and the forms that act on all its cases.
    struct CallPanel {
        var callID: UUID
        var title: String
        var roles: [TeamRole]
        var activities: [GrantActivityRecord]
    }

    /// "tirsdag den 2. marts 2027 kl. 9.30–15.00"
    static func when(_ activity: GrantActivityRecord) -> String {
        DanishTime.dateTime(activity.startsAt) + "–" + DanishTime.time(activity.endsAt)
    }

    static func roleNames(_ ids: [String], roles: [TeamRole]) -> String {
        ids.map { id in roles.first { $0.id == id }?.name ?? id }.joined(separator: ", ")
    }

    /// The case's activities: what the municipality must attend, who it registered, who attended.
    static func activitiesSection(
        _ found: GrantCase, errors: FormErrors, posted: Posted, context: PageContext
    ) -> Node {
        tag("section", .aria("labelledby", "aktiviteter")) {
            tag("h2", .id("aktiviteter")) { "Aktiviteter" }
            if found.activities.isEmpty {
                tag("p") { "Styrelsen har ikke planlagt aktiviteter for puljen endnu." }
            } else {
                let obligations = found.obligations
                if obligations.held > 0 {
                    tag("p", .class(obligations.missed.isEmpty ? "ok" : "warning")) {
                        obligations.danishSummary
                            + (obligations.missed.isEmpty
                                ? ""
                                : " Ikke deltaget: " + obligations.missed.map(\.title).joined(separator: ", ") + ".")
                    }
                }
                tag("ul", .class("task-list activity-list")) {
                    for activity in found.activities {
                        activityItem(activity, found: found, errors: errors, posted: posted, context: context)
                    }
                }
            }
        }
    }

    static func activityItem(
        _ activity: GrantActivityRecord, found: GrantCase, errors: FormErrors, posted: Posted, context: PageContext
    ) -> Node {
        let people = found.participants(of: activity)
        let open = ActivityRules.registrationProblem(startsAt: activity.startsAt, at: found.now) == nil
        let required = found.terms.teamRoles.filter { activity.requiredRoleIDs.contains($0.id) }
        let missing = ActivityRules.missingRoles(required, registered: people.map(\.roleID))
        let field = "participant.\(activity.id!.pathValue)"
        return tag("li") {
            tag("h3") { activity.title }
            tag("p") {
                activity.activityKind.danishName + ". " + when(activity) + ". " + activity.place + "."
                    + (activity.mandatory ? " Obligatorisk." : "")
            }
            if !required.isEmpty { tag("p") { "Skal deltage: " + required.map(\.name).joined(separator: ", ") + "." } }
            if people.isEmpty {
                tag("p") { "Ingen tilmeldte." }
            } else {
                tag("ul") {
                    for person in people {
                        tag("li") {
                            person.name + " (" + roleNames([person.roleID], roles: found.terms.teamRoles) + ")"
                            switch person.attended {
                            case .some(true): " – deltog"
                            case .some(false): " – deltog ikke"
                            case .none: ""
                            }
                            if open && found.access.mayWrite {
                                " "
                                Document.postButton(
                                    action: SiteURL.removeParticipant(found.id, person.id!).path,
                                    label: "Afmeld \(person.name)", csrfField: Layout.csrfField(context))
                            }
                        }
                    }
                }
            }
            if open && !missing.isEmpty {
                tag("p", .class("warning")) {
                    "Mangler tilmelding af: " + missing.map(\.name).joined(separator: ", ") + "."
                }
            }
            if open && found.access.mayWrite && !found.members.isEmpty {
                tag(
                    "form", .init("method", "post"),
                    .init("action", SiteURL.activityRegistration(found.id, activity.id!).path), .class("compact-form")
                ) {
                    Layout.csrfField(context)
                    FormField.select(
                        field, label: "Tilmeld en person fra organiseringen",
                        options: [("", "Vælg person")]
                            + found.members.filter { member in !people.contains { $0.memberID == member.id } }.map {
                                (
                                    $0.id!.pathValue,
                                    $0.name + " (" + roleNames([$0.roleID], roles: found.terms.teamRoles) + ")"
                                )
                            },
                        selected: posted[field], errors: errors)
                    tag("button", .type("submit"), .class("button secondary")) { "Tilmeld" }
                }
            }
            tag("p") {
                tag("a", .href(SiteURL.activityCalendar(activity.id!).path)) {
                    "Hent \(activity.title) som kalenderfil (.ics)"
                }
            }
        }
    }

    /// The staff's panel of a call on the list: its activities, a status report round, a new activity. Its
    /// fields' ids carry the call's id ("felt-<call>-activity-title"): a page of the list has several panels.
    static func callPanel(
        _ panel: CallPanel, errors: FormErrors, posted: Posted, context: PageContext
    ) -> Node {
        tag("section", .class("call-panel"), .aria("label", panel.title)) {
            tag("h3") { panel.title }
            if panel.activities.isEmpty {
                tag("p") { "Ingen aktiviteter planlagt." }
            } else {
                tag("ul") {
                    for activity in panel.activities {
                        tag("li") {
                            tag("a", .href(SiteURL.activity(activity.id!).path)) { activity.title }
                            ", " + when(activity) + (activity.mandatory ? " (obligatorisk)" : "")
                        }
                    }
                }
            }
            // The list shows a panel per call on the page: each panel's fields get ids of their own.
            FormField.scoped(panel.callID.pathValue) {
                roundForm(
                    callID: panel.callID, title: "Bed om en statusrapport", errors: errors.only(prefix: "round."),
                    posted: posted, context: context)
                activityForm(panel, errors: errors.only(prefix: "activity."), posted: posted, context: context)
            }
        }
    }

    static func activityForm(_ panel: CallPanel, errors: FormErrors, posted: Posted, context: PageContext) -> Node {
        tag("details", .class("round-form"), .flag("open", !errors.isEmpty)) {
            tag("summary") { "Planlæg en aktivitet" }
            FormField.errorSummary(errors)
            tag("form", .init("method", "post"), .init("action", SiteURL.callActivities(panel.callID).path)) {
                Layout.csrfField(context)
                FormField.select(
                    "activity.kind", label: "Slags",
                    options: [("", "Vælg slags")] + ActivityKind.allCases.map { ($0.rawValue, $0.danishName) },
                    selected: posted["activity.kind"], errors: errors)
                FormField.text("activity.title", label: "Titel", value: posted["activity.title"], errors: errors)
                FormField.text(
                    "activity.date", label: "Dato", value: posted["activity.date"], errors: errors, type: "date")
                FormField.text(
                    "activity.start", label: "Begynder kl.", value: posted["activity.start"] ?? "9.30",
                    errors: errors, hint: "Dansk tid.", width: "short")
                FormField.text(
                    "activity.end", label: "Slutter kl.", value: posted["activity.end"] ?? "15.00", errors: errors,
                    width: "short")
                FormField.text(
                    "activity.place", label: "Sted eller link", value: posted["activity.place"], errors: errors)
                FormField.checkboxes(
                    "activity.mandatory", legend: "Deltagelse", options: [("true", "Obligatorisk")],
                    checked: posted["activity.mandatory[]"] == "true" ? ["true"] : [], errors: errors)
                if !panel.roles.isEmpty {
                    FormField.checkboxes(
                        "activity.roles", legend: "Roller, der skal deltage",
                        options: panel.roles.map { ($0.id, $0.name) }, checked: [], errors: errors)
                }
                tag("button", .type("submit"), .class("button")) { "Planlæg aktiviteten" }
            }
        }
    }

    /// One activity for staff: every municipality of the call with its registered people, the required roles
    /// each lacks, and (once it has begun) the attendance form.
    struct ActivityModel {
        struct Municipality {
            var caseID: UUID
            var name: String
            var participants: [ActivityParticipantRecord]
        }

        var activity: GrantActivityRecord
        var callTitle: String
        var roles: [TeamRole]
        var municipalities: [Municipality]
        var now: Date
    }

    static func activityPage(_ model: ActivityModel, context: PageContext) -> Node {
        let activity = model.activity
        let started = ActivityRules.attendanceProblem(startsAt: activity.startsAt, at: model.now) == nil
        let required = model.roles.filter { activity.requiredRoleIDs.contains($0.id) }
        let everyone = model.municipalities.flatMap(\.participants)
        return Layout.page(title: activity.title, context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.grantCases.path)) { "Tilskudssager" } }
            tag("h1") { activity.title }
            tag("dl", .class("facts")) {
                Document.fact("Pulje", model.callTitle)
                Document.fact("Slags", activity.activityKind.danishName)
                Document.fact("Tidspunkt", when(activity))
                Document.fact("Sted", activity.place)
                Document.fact("Deltagelse", activity.mandatory ? "Obligatorisk" : "Frivillig")
                if !required.isEmpty { Document.fact("Skal deltage", required.map(\.name).joined(separator: ", ")) }
                Document.fact("Tilmeldte", String(everyone.count))
            }
            tag("p") {
                tag("a", .href(SiteURL.activityCalendar(activity.id!).path)) { "Hent kalenderfil (.ics)" }
            }
            tag("h2") { "Tilmeldte pr. kommune" }
            if !started {
                tag("p") { "Fremmøde registreres her, når aktiviteten er begyndt." }
            }
            let rows = tag("div", .class("table-scroll")) {
                tag("table", .class("data")) {
                    tag("caption", .class("visually-hidden")) { "Tilmeldte pr. kommune" }
                    tag("thead") {
                        tag("tr") {
                            for heading in ["Kommune", "Tilmeldte", "Mangler af krævede roller"] {
                                tag("th", .init("scope", "col")) { heading }
                            }
                        }
                    }
                    tag("tbody") {
                        for municipality in model.municipalities {
                            tag("tr") {
                                tag("th", .init("scope", "row")) {
                                    tag("a", .href(SiteURL.grantCase(municipality.caseID).path + "#aktiviteter")) {
                                        municipality.name
                                    }
                                }
                                tag("td") {
                                    if municipality.participants.isEmpty { "Ingen" }
                                    for person in municipality.participants {
                                        tag("div", .class(started ? "checkbox" : "")) {
                                            if started {
                                                tag(
                                                    "input", .type("checkbox"), .id("til-\(person.id!.pathValue)"),
                                                    .name("present[]"), .value(person.id!.pathValue),
                                                    .flag("checked", person.attended == true))
                                                tag("label", .init("for", "til-\(person.id!.pathValue)")) {
                                                    person.name + " (" + roleNames([person.roleID], roles: model.roles)
                                                        + ")"
                                                }
                                            } else {
                                                person.name + " (" + roleNames([person.roleID], roles: model.roles)
                                                    + ")"
                                            }
                                        }
                                    }
                                }
                                tag("td") {
                                    ActivityRules.missingRoles(
                                        required, registered: municipality.participants.map(\.roleID)
                                    ).map(\.name).joined(separator: ", ")
                                }
                            }
                        }
                    }
                }
            }
            if started && !everyone.isEmpty {
                tag("form", .init("method", "post"), .init("action", SiteURL.activityAttendance(activity.id!).path)) {
                    Layout.csrfField(context)
                    tag("p") { "Sæt kryds ved dem, der deltog, og gem fremmødet." }
                    rows
                    tag("button", .type("submit"), .class("button")) { "Gem fremmødet" }
                }
            } else {
                rows
            }
        }
    }
}

extension FormErrors {
    /// The errors of the fields whose names begin with the prefix (one form of several on a page).
    func only(prefix: String) -> FormErrors {
        var kept = FormErrors()
        for message in messages where message.field.hasPrefix(prefix) { kept.add(message.field, message.message) }
        return kept
    }
}
