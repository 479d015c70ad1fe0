import PuljeDomain
import PuljeHTML

enum HomePage {
    static func view(initiativeCount: Int, context: PageContext) -> Node {
        Layout.page(title: "Forside", context: context) {
            tag("h1") { "Udviklings- og Investeringsprogrammerne" }
            tag("p", .class("lead")) {
                "Pulje samler programmets initiativer, ansøgningspuljer, ansøgninger, bedømmelse og afgørelser ét sted – for styrelsen og kommunerne. Opfølgningen på implementeringen og evaluators data er endnu ikke en del af Pulje."
            }
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
}
