import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// What has happened to a submitted application since: the agency's requests, the letters and, once decided,
/// its own consensus scores.
struct CaseOutcome {
    var letters: [LetterRecord]
    var requests: [InformationRequestRecord]
    /// Only after the decision, and only the application's own.
    var consensus: [ConsensusRecord]
}

/// The part of an application's case page that follows its submission: requests for more information,
/// letters, and the application's own scores once decided.
enum CaseOutcomeSection {
    /// On the application's case page: the agency's requests with the answer form, the letters, and once
    /// decided the application's own consensus scores. Never anyone else's.
    static func view(
        _ outcome: CaseOutcome, loaded: ApplicationCase, context: PageContext
    ) -> Node {
        let id = loaded.application.id!
        let ownApplicant =
            context.user.map {
                $0.organisationID == loaded.application.$organisation.id && $0.may(.writeApplication)
            } ?? false
        let rules = loaded.rules
        return .fragment([
            outcome.letters.isEmpty
                ? .empty
                : tag("section", .id("breve")) {
                    tag("h2") { "Afgørelse" }
                    tag("ul") {
                        for letter in outcome.letters {
                            tag("li") {
                                tag("a", .href(SiteURL.letter(id, letter.id!).path)) {
                                    "\(letter.letterKind.danishName) af \(DanishTime.dateTime(letter.createdAt))"
                                }
                            }
                        }
                    }
                    if !outcome.consensus.isEmpty {
                        let scores = Dictionary(
                            outcome.consensus.map { ($0.criterionID, $0) }, uniquingKeysWith: { a, _ in a })
                        let weighted = WeightedScore(scores: scores.mapValues(\.score), criteria: rules.criteria)
                        tag("table", .class("data"), .id("vurdering")) {
                            tag("caption") { "Vurderingen af jeres ansøgning (\(rules.scale.danishText))" }
                            tag("thead") {
                                tag("tr") {
                                    tag("th", .init("scope", "col")) { "Kriterium" }
                                    tag("th", .init("scope", "col"), .class("amount")) { "Vægt" }
                                    tag("th", .init("scope", "col"), .class("amount")) { "Point" }
                                    tag("th", .init("scope", "col")) { "Begrundelse" }
                                }
                            }
                            tag("tbody") {
                                for criterion in rules.criteria {
                                    tag("tr") {
                                        tag("th", .init("scope", "row")) { criterion.name }
                                        tag("td", .class("amount")) { String(criterion.weight) }
                                        tag("td", .class("amount")) {
                                            scores[criterion.id].map { DanishScore.format($0.score) } ?? "–"
                                        }
                                        tag("td") { scores[criterion.id]?.justification ?? "" }
                                    }
                                }
                            }
                        }
                        tag("p") { "Vægtet score: \(DanishScore.format(weighted.value))." }
                    }
                },
            outcome.requests.isEmpty
                ? .empty
                : tag("section", .id("oplysninger")) {
                    tag("h2") { "Styrelsen beder om yderligere oplysninger" }
                    tag("p") {
                        "Ansøgningen forbliver, som den blev indsendt. Jeres svar gemmes som et særskilt dokument i sagen."
                    }
                    for request in outcome.requests {
                        AssessmentPages.informationRequest(
                            request,
                            unanswered: ownApplicant
                                ? tag(
                                    "form", .init("method", "post"),
                                    .init("action", SiteURL.informationAnswer(id, request.id!).path)
                                ) {
                                    Layout.csrfField(context)
                                    FormField.textArea(
                                        "answer", label: "Jeres svar", value: nil, errors: FormErrors(), rows: 5,
                                        required: true, maxLength: InformationRequestRules.answerLimit)
                                    tag("button", .type("submit"), .class("button")) { "Send svar" }
                                } : .empty)
                    }
                },
        ])
    }
}
