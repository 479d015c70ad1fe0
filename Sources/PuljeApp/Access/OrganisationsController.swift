import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// The organisations and their CVR numbers, which a sign-in through MitID Erhverv is matched on. Kept by the
/// agency's administrators.
enum OrganisationsController {
    @Sendable static func index(req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        let organisations = try await UserStore.sortedOrganisations(on: req.db)
        let search = (req.queryFields["soeg"] ?? "").trimmingCharacters(in: .whitespaces)
        let shown =
            search.isEmpty
            ? organisations
            : organisations.filter {
                $0.name.localizedCaseInsensitiveContains(search) || ($0.cvr ?? "").contains(search)
            }
        return OrganisationPages.list(shown, search: search, context: req.pageContext()).response(status: .ok)
    }

    static func find(_ req: Request) async throws -> OrganisationRecord {
        guard let id = req.parameters.get("organisationID", as: UUID.self),
            let organisation = try await UserStore.organisation(id, on: req.db)
        else { throw PuljeError(.notFound, "Organisationen findes ikke.") }
        return organisation
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        let organisation = try await find(req)
        let history = try await AuditLog.history(of: .organisation(try organisation.requireID()), on: req.db)
        return OrganisationPages.edit(
            organisation, cvr: organisation.cvr ?? "", errors: FormErrors(), history: history,
            context: req.pageContext()
        ).response(status: .ok)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let user = try req.authorize(.manageUsers)
        let organisation = try await find(req)
        let id = try organisation.requireID()
        let typed = (req.formFields["cvr"] ?? "").trimmingCharacters(in: .whitespaces)
        var errors = FormErrors()
        let cvr = CVRNumber.parse(typed)
        if !typed.isEmpty && cvr == nil {
            errors.add("cvr", "Et CVR-nummer er 8 cifre, fx 12 34 56 78; det første er ikke 0.")
        }
        if errors.isEmpty {
            let before = organisation.cvr
            let saved = try await req.writeTransaction { db -> Bool in
                guard try await ExternalSignInStore.setCVR(cvr, of: id, on: db) else { return false }
                try await AuditLog.record(
                    .organisationUpdate, subject: .organisation(id),
                    summary: "\(organisation.name): CVR-nummer \(before ?? "ingen") → \(cvr?.digits ?? "ingen").",
                    by: user, on: db, request: req)
                return true
            }
            if saved {
                req.flash("CVR-nummeret for \(organisation.name) er gemt.")
                return req.redirect(to: SiteURL.organisations.path)
            }
            errors.add("cvr", "CVR-nummeret er allerede knyttet til en anden organisation.")
        }
        let history = try await AuditLog.history(of: .organisation(id), on: req.db)
        return OrganisationPages.edit(
            organisation, cvr: typed, errors: errors, history: history, context: req.pageContext()
        ).response(status: .unprocessableEntity)
    }
}

enum OrganisationPages {
    static func list(_ organisations: [OrganisationRecord], search: String, context: PageContext) -> Node {
        Layout.page(title: "Organisationer", context: context) {
            tag("h1") { "Organisationer" }
            tag("p", .class("lead")) {
                "Når en medarbejder logger ind med MitID Erhverv, finder Pulje organisationen ud fra CVR-nummeret. Første log ind fra en kommune, region eller leverandør opretter en bruger med rollen ansøger; alle andre roller gives her i Pulje."
            }
            tag("form", .init("method", "get"), .init("action", SiteURL.organisations.path), .class("narrow")) {
                FormField.text("soeg", label: "Søg på navn eller CVR-nummer", value: search, errors: FormErrors())
                tag("button", .type("submit"), .class("button secondary")) { "Søg" }
            }
            tag("table", .class("data")) {
                tag("caption", .class("visually-hidden")) { "Organisationer" }
                tag("thead") {
                    tag("tr") {
                        for heading in ["Organisation", "Type", "CVR-nummer"] {
                            tag("th", .init("scope", "col")) { heading }
                        }
                    }
                }
                tag("tbody") {
                    for organisation in organisations {
                        tag("tr") {
                            tag("td") {
                                tag("a", .href(SiteURL.organisation(organisation.id!).path)) { organisation.name }
                            }
                            tag("td") { organisation.organisationKind.danishName }
                            tag("td") { organisation.cvr ?? "–" }
                        }
                    }
                }
            }
        }
    }

    static func edit(
        _ organisation: OrganisationRecord, cvr: String, errors: FormErrors, history: [AuditEntryRecord],
        context: PageContext
    ) -> Node {
        Layout.page(title: organisation.name, context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.organisations.path)) { "Organisationer" } }
            tag("h1") { organisation.name }
            FormField.errorSummary(errors)
            tag(
                "form", .init("method", "post"), .init("action", SiteURL.organisation(organisation.id!).path),
                .class("narrow"), .noValidate
            ) {
                Layout.csrfField(context)
                FormField.text(
                    "cvr", label: "CVR-nummer", value: cvr, errors: errors,
                    hint: "8 cifre. Tomt felt: ingen kan logge ind for organisationen med MitID Erhverv.",
                    inputMode: "numeric", width: "medium")
                tag("button", .type("submit"), .class("button")) { "Gem CVR-nummer" }
            }
            if !history.isEmpty {
                tag("h2") { "Historik" }
                tag("ul") {
                    for entry in history {
                        tag("li") { "\(DanishTime.dateTime(entry.at)): \(entry.summary) (\(entry.actorName))" }
                    }
                }
            }
        }
    }
}
