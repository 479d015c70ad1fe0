import PuljeDomain
import PuljeHTML

enum HomePage {
    static func view(initiativeCount: Int, context: PageContext) -> Node {
        view(HomeModel(initiativeCount: initiativeCount), context: context)
    }

    static func view(_ model: HomeModel, context: PageContext) -> Node {
        let initiativeCount = model.initiativeCount
        return Layout.page(title: "Forside", context: context) {
            tag("h1") { "Udviklings- og Investeringsprogrammerne" }
            tag("p", .class("lead")) {
                "Pulje samler programmets initiativer, ansøgningspuljer, ansøgninger, bedømmelse og afgørelser, tilskudssagerne i årene med implementeringsstøtte, evaluators data om borgerne under pseudonym og fasevurderingerne ét sted – for styrelsen, kommunerne og evaluator."
            }
            personal(model, context: context)
            tag("section", .class("cards")) {
                tag("div", .class("card")) {
                    tag("h2") { tag("a", .href(SiteURL.initiatives.path)) { "Initiativkataloget" } }
                    tag("p") {
                        "\(initiativeCount) initiativer med SUSI-fase, budget fordelt på år og kategorier og tidsplan."
                    }
                }
                if let user = context.user {
                    tag("div", .class("card")) {
                        tag("h2") { "Du er logget ind" }
                        tag("p") {
                            user.name + " – " + user.roles.map(\.danishName).sorted().joined(separator: ", ") + ", "
                                + user.organisationName + "."
                        }
                        tag("p") { tag("a", .href(SiteURL.profile.path)) { "Min profil" } }
                    }
                } else {
                    tag("div", .class("card")) {
                        tag("h2") { tag("a", .href(SiteURL.signIn.path)) { "Log ind" } }
                        tag("p") {
                            "Medarbejdere i styrelsen, kommuner og evaluatorer logger ind for at arbejde i Pulje."
                        }
                    }
                }
            }
        }
    }

    /// What waits for the signed-in user, first on the page.
    static func personal(_ model: HomeModel, context: PageContext) -> Node {
        guard context.user != nil else { return .empty }
        return group {
            if !model.approvals.isEmpty {
                tag("section", .aria("labelledby", "til-godkendelse")) {
                    tag("h2", .id("til-godkendelse")) { "Venter på din godkendelse" }
                    tag("ul", .class("task-list")) {
                        for row in model.approvals {
                            tag("li") {
                                tag("a", .href(SiteURL.application(row.id).path + "#godkendelse")) { row.project }
                                " – \(row.call). \(row.when)"
                            }
                        }
                    }
                }
            }
            if context.user?.may(.writeApplication) == true {
                tag("section", .aria("labelledby", "kladder")) {
                    tag("h2", .id("kladder")) { "Jeres kladder" }
                    if model.drafts.isEmpty {
                        tag("p") {
                            "I har ingen kladder. Find en åben pulje under "
                            tag("a", .href(SiteURL.calls.path)) { "Puljer" }
                            "."
                        }
                    } else {
                        tag("ul", .class("task-list")) {
                            for row in model.drafts {
                                tag("li") {
                                    tag("a", .href(SiteURL.application(row.id).path)) { row.project }
                                    " – \(row.call). \(row.when)"
                                }
                            }
                        }
                    }
                    tag("p") { tag("a", .href(SiteURL.myCases.path)) { "Alle jeres sager" } }
                }
            }
            if !model.tasks.isEmpty {
                tag("section", .aria("labelledby", "opgaver")) {
                    tag("h2", .id("opgaver")) { "Dine opgaver" }
                    tag("ul", .class("task-list")) {
                        for task in model.tasks { tag("li") { tag("a", .href(task.url)) { task.text } } }
                    }
                }
            }
        }
    }
}
