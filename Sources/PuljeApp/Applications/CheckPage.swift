import Foundation
import PuljeDomain
import PuljeHTML

/// "Tjek og indsend": the application as it is saved, what still stands in the way section by section (each
/// a link to its place in the form), the attachments, the approval, and — only when nothing is missing —
/// the button that submits exactly the version shown.
enum CheckPage {
    static func view(
        _ loaded: ApplicationCase, content: ApplicationContent, problems: [ApplicationProblem], now: Date,
        context: PageContext
    ) -> Node {
        let application = loaded.application
        let id = application.id!
        let rules = loaded.rules
        let progress = ApplicationProgress(sections: ApplicationSection.of(rules), problems: problems)
        let edit = SiteURL.application(id).path
        let deadlineOpen = rules.deadline?.isOpen(at: now) ?? false
        return Layout.page(title: "Tjek og indsend: \(loaded.call.title)", context: context) {
            tag("p", .class("breadcrumb")) {
                tag("a", .href(SiteURL.call(loaded.call.id!).path)) { loaded.call.title }
                " › "
                tag("a", .href(edit)) { "Ansøgningen" }
            }
            tag("h1") { "Tjek ansøgningen, før du indsender den" }
            tag("dl", .class("facts")) {
                Layout.fact(
                    "Frist",
                    rules.deadline.map {
                        $0.danishText + ($0.danishTimeLeft(at: now).map { " (\($0) tilbage)" } ?? " – udløbet")
                    } ?? "")
                Layout.fact(
                    "Senest gemt",
                    DanishTime.dateTimeWithSeconds(application.lastSavedAt) + " af " + application.lastSavedBy)
                Layout.fact("Ansvarlig", loaded.responsible.name)
            }
            if progress.isComplete {
                tag("div", .class("ok-summary"), .id("klar")) {
                    tag("h2") { "Intet mangler" }
                    tag("p") { progress.danishSummary + " Læs svarene igennem herunder, og indsend." }
                }
            } else {
                tag("div", .class("error-summary"), .id("problemer"), .init("tabindex", "-1")) {
                    tag("h2") { "Ansøgningen kan ikke indsendes endnu" }
                    tag("p") { progress.danishSummary }
                    tag("ul") {
                        for problem in progress.general { tag("li") { problem.message } }
                        for item in progress.items where !item.isDone {
                            tag("li") {
                                tag("a", .href(SiteURL.applicationStep(id, item.section).path)) {
                                    item.section.danishName
                                }
                                tag("ul") { item.problems.map { p in tag("li") { p.message } } }
                            }
                        }
                    }
                }
            }
            tag("section", .class("check-answers"), .aria("labelledby", "svar-overskrift")) {
                tag("h2", .id("svar-overskrift"), .class("visually-hidden")) { "Ansøgningens indhold" }
                ApplicationPage.readOnly(content: content, rules: rules)
                tag("h3") { "Bilag" }
                if loaded.attachments.isEmpty {
                    tag("p") { "Ingen bilag." }
                } else {
                    tag("ul") {
                        loaded.attachments.map { a in
                            tag("li") {
                                (rules.attachmentKinds.first { $0.id == a.kind }?.name ?? a.kind) + ": " + a.fileName
                            }
                        }
                    }
                }
                if rules.requiredApproval != nil {
                    tag("h3") { "Godkendelse" }
                    tag("p") {
                        if let approval = application.approval, approval.version == application.version {
                            "Godkendt af \(approval.by) \(DanishTime.dateTime(approval.at))."
                        } else {
                            "Ikke godkendt i den gemte udgave."
                        }
                    }
                }
                // Back to any step to put something right, or to the whole form on one page.
                tag("h3") { "Ret ansøgningen" }
                tag("ul", .class("step-list")) {
                    for item in progress.items {
                        tag("li") {
                            tag("a", .href(SiteURL.applicationStep(id, item.section).path)) {
                                "Ret " + item.section.danishName.lowercased()
                            }
                        }
                    }
                    tag("li") { tag("a", .href(edit)) { "Hele ansøgningen på én side" } }
                }
            }
            tag("section", .class("submit-box"), .id("indsend")) {
                tag("h2") { "Indsend" }
                if !deadlineOpen {
                    tag("p") { "Fristen er udløbet. Efter fristen er det ikke muligt at indsende ansøgninger." }
                } else if !loaded.isResponsible || !loaded.canWrite {
                    tag("p") { "Kun den ansvarlige, \(loaded.responsible.name), kan indsende ansøgningen." }
                } else if !progress.isComplete {
                    tag("p") { "Knappen til at indsende kommer frem her, når intet mangler." }
                } else {
                    tag("p") {
                        "Det, du ser på denne side, indsendes. Efter indsendelse kan ansøgningen ikke ændres, men den kan trækkes tilbage indtil fristen."
                    }
                    tag("form", .init("method", "post"), .init("action", SiteURL.submitApplication(id).path)) {
                        Layout.csrfField(context)
                        tag("input", .type("hidden"), .name("version"), .value(String(application.version)))
                        tag("button", .type("submit"), .class("button")) { "Indsend ansøgningen" }
                    }
                }
            }
        }
    }
}
