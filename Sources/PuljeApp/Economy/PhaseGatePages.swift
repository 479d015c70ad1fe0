import Foundation
import PuljeDomain
import PuljeHTML

/// The SUSI phase gate: the form where the criteria are rated and the verdict proposed and decided, the public
/// page of decided verdicts, and the pipeline of every initiative.
enum PhaseGatePages {
    /// A verdict as the pages show it.
    struct Verdict {
        var phase: SUSIPhase
        /// The criteria the verdict was rated against.
        var criteria: [PhaseCriterion]
        var status: VerdictStatus
        var assessments: [CriterionAssessment]
        var outcome: GateOutcome?
        var note: String
        var proposedBy: String?
        var proposedAt: Date?
        var decision: GateOutcome?
        var decisionNote: String?
        var decidedBy: String?
        var decidedAt: Date?
    }

    struct GateModel {
        var initiative: Initiative
        /// The verdict on the current phase, if one is begun.
        var current: Verdict?
        /// Decided verdicts of earlier phases, newest first.
        var decided: [Verdict]
        var evidence: PhaseGateActions.Evidence
        /// The criteria of the phase in force, which a draft is rated against.
        var criteria: [PhaseCriterion]
        var canPropose: Bool
        var canDecide: Bool
        /// The reader proposed the current verdict, and so may not decide it.
        var isProposer: Bool
    }

    static func title(_ initiative: Initiative) -> String { "\(initiative.number) \(initiative.title)" }

    static func gate(
        _ model: GateModel, errors: FormErrors, posted: [FormPair]?, context: PageContext
    ) -> Node {
        let initiative = model.initiative
        let year = initiative.programmeYear
        let number = initiative.number.description
        let phase = initiative.phase
        let criteria = model.criteria
        return Layout.page(title: "Fasevurdering: \(title(initiative))", context: context) {
            tag("p", .class("breadcrumb")) {
                tag("a", .href(SiteURL.pipeline.path)) { "Initiativernes faser" }
                " › "
                tag("a", .href(SiteURL.initiative(year: year, number: number).path)) { title(initiative) }
            }
            tag("h1") { "Fasevurdering" }
            tag("p", .class("lead")) {
                "\(title(initiative)) er i fasen \(phase.danishName.lowercased())."
                if let next = PhaseGate.next(after: phase) {
                    " Ved fasens afslutning vurderes initiativet på fasens kriterier; det går kun videre til \(next.danishName.lowercased()), når alle er opfyldt. Programansvarlig indstiller, en anden registrerer styregruppens afgørelse."
                }
            }
            if PhaseGate.next(after: phase) != nil {
                tag("p") {
                    tag("a", .href(SiteURL.phaseCriteria.path + "#\(phase.rawValue)")) {
                        "Kriterierne for \(phase.danishName.lowercased()) og deres udgaver"
                    }
                }
            }
            if PhaseGate.next(after: phase) == nil {
                tag("p") { "Udbredelse er den sidste fase; der er ingen fasevurdering." }
            } else if let current = model.current, current.status == .proposed {
                verdictSummary(current, evidence: model.evidence, heading: "Indstilling")
                if model.isProposer {
                    tag("p", .class("notice")) {
                        "Du har indstillet. En anden (direktør, programansvarlig eller administrator) skal registrere afgørelsen."
                    }
                } else if model.canDecide {
                    decisionForm(model, errors: errors, posted: posted, context: context)
                }
            } else if model.canPropose {
                if let current = model.current, current.criteria != criteria {
                    tag("p", .class("notice")) {
                        "Fasens kriterier er ændret, siden vurderingen sidst blev gemt. Vurderingen gemmes nu på de gældende kriterier; vurderinger af kriterier, der ikke længere findes, gemmes ikke."
                    }
                }
                proposalForm(model, criteria: criteria, errors: errors, posted: posted, context: context)
            } else if let current = model.current {
                verdictSummary(current, evidence: model.evidence, heading: "Under udarbejdelse")
            } else {
                tag("p") { "Fasevurderingen er ikke begyndt." }
            }
            if !model.decided.isEmpty {
                tag("h2") { "Afgjorte fasevurderinger" }
                tag("p") {
                    tag("a", .href(SiteURL.phaseVerdicts(year: year, number: number).path)) {
                        "Se de offentlige afgørelser"
                    }
                }
                tag("ul") {
                    for verdict in model.decided {
                        tag("li") { decisionLine(verdict) }
                    }
                }
            }
        }
    }

    static func decisionLine(_ verdict: Verdict) -> String {
        "\(verdict.phase.danishName): \(verdict.decision?.danishName(from: verdict.phase) ?? "–")"
            + (verdict.decidedAt.map { ", afgjort \(DanishTime.dateTime($0))" } ?? "")
            + (verdict.decidedBy.map { " af \($0)" } ?? "") + "."
    }

    static func proposalForm(
        _ model: GateModel, criteria: [PhaseCriterion], errors: FormErrors, posted: [FormPair]?,
        context: PageContext
    ) -> Node {
        let initiative = model.initiative
        let saved = Dictionary(
            (model.current?.assessments ?? []).map { ($0.criterionID, $0) }, uniquingKeysWith: { first, _ in first })
        func value(_ name: String, _ fallback: String?) -> String? {
            guard let posted else { return fallback }
            return posted.last { $0.key == name }?.value
        }
        let phase = initiative.phase
        return tag("div") {
            FormField.errorSummary(errors)
            if model.current == nil {
                tag("p") {
                    "Fasevurderingen er ikke begyndt. Gem undervejs; indstil, når alle kriterier er vurderet og begrundet."
                }
            }
            tag(
                "form", .init("method", "post"),
                .init(
                    "action",
                    SiteURL.phaseGate(year: initiative.programmeYear, number: initiative.number.description).path),
                .class("stacked"), .noValidate
            ) {
                Layout.csrfField(context)
                for criterion in criteria {
                    let assessment = saved[criterion.id]
                    tag("fieldset", .class("row-block")) {
                        tag("legend") { criterion.text }
                        tag("p", .class("hint")) { "SUSI-dimension: \(criterion.dimension)." }
                        FormField.radios(
                            "rating.\(criterion.id)", legend: "Vurdering",
                            options: CriterionRating.allCases.map { ($0.rawValue, $0.danishName) },
                            selected: value("rating.\(criterion.id)", assessment?.rating?.rawValue), errors: errors)
                        FormField.textArea(
                            "justification.\(criterion.id)", label: "Begrundelse",
                            value: value("justification.\(criterion.id)", assessment?.justification), errors: errors,
                            rows: 4, maxLength: PhaseGate.maximumJustification)
                        if !model.evidence.isEmpty {
                            let checked =
                                posted.map { pairs in
                                    Set(pairs.filter { $0.key == "evidence.\(criterion.id)[]" }.map(\.value))
                                } ?? Set(assessment?.evidence ?? [])
                            FormField.checkboxes(
                                "evidence.\(criterion.id)", legend: "Dokumentation i Pulje",
                                options: model.evidence.map { ($0.path, $0.label) }, checked: checked, errors: errors)
                        }
                    }
                }
                tag("fieldset", .class("row-block")) {
                    tag("legend") { "Samlet indstilling" }
                    FormField.radios(
                        "outcome", legend: "Indstilling",
                        options: GateOutcome.allCases.map { ($0.rawValue, $0.danishName(from: phase)) },
                        selected: value("outcome", model.current?.outcome?.rawValue), errors: errors)
                    FormField.textArea(
                        "note", label: "Begrundelse for indstillingen", value: value("note", model.current?.note),
                        errors: errors, rows: 4, maxLength: PhaseGate.maximumJustification)
                }
                tag("div", .class("form-actions")) {
                    tag("button", .type("submit"), .name("act"), .value("propose"), .class("button")) { "Indstil" }
                    tag("button", .type("submit"), .name("act"), .value("save"), .class("button secondary")) { "Gem" }
                }
            }
        }
    }

    static func decisionForm(
        _ model: GateModel, errors: FormErrors, posted: [FormPair]?, context: PageContext
    ) -> Node {
        let initiative = model.initiative
        let year = initiative.programmeYear
        let number = initiative.number.description
        let value = { (name: String, fallback: String?) in posted.map { $0.last { $0.key == name }?.value } ?? fallback
        }
        return tag("div") {
            tag("h2", .id("afgoerelse")) { "Styregruppens afgørelse" }
            FormField.errorSummary(errors)
            tag(
                "form", .init("method", "post"),
                .init("action", SiteURL.decidePhaseGate(year: year, number: number).path),
                .class("stacked"), .noValidate
            ) {
                Layout.csrfField(context)
                FormField.radios(
                    "decision", legend: "Afgørelse",
                    options: GateOutcome.allCases.map { ($0.rawValue, $0.danishName(from: initiative.phase)) },
                    selected: value("decision", model.current?.outcome?.rawValue), errors: errors)
                FormField.textArea(
                    "decisionNote", label: "Begrundelse eller henvisning til styregruppens referat",
                    value: value("decisionNote", nil), errors: errors, rows: 4,
                    maxLength: PhaseGate.maximumJustification)
                tag("button", .type("submit"), .class("button")) { "Registrér afgørelsen" }
            }
            tag(
                "form", .init("method", "post"),
                .init("action", SiteURL.returnPhaseGate(year: year, number: number).path)
            ) {
                Layout.csrfField(context)
                tag("button", .type("submit"), .class("button secondary")) { "Send tilbage til udarbejdelse" }
            }
        }
    }

    /// The criteria with their ratings, justifications and evidence, and the recommendation (and decision).
    static func verdictSummary(
        _ verdict: Verdict, evidence: PhaseGateActions.Evidence, heading: String, showEvidence: Bool = true
    ) -> Node {
        let labels = Dictionary(evidence.map { ($0.path, $0.label) }, uniquingKeysWith: { first, _ in first })
        let byID = Dictionary(verdict.assessments.map { ($0.criterionID, $0) }, uniquingKeysWith: { first, _ in first })
        return tag("section", .class("verdict")) {
            tag("h2") { "\(heading): \(verdict.phase.danishName.lowercased())" }
            tag("table", .class("data")) {
                tag("caption") { "Kriterier for \(verdict.phase.danishName.lowercased())" }
                tag("thead") {
                    tag("tr") {
                        tag("th", .init("scope", "col")) { "Kriterium" }
                        tag("th", .init("scope", "col")) { "Vurdering" }
                        tag("th", .init("scope", "col")) { "Begrundelse" }
                    }
                }
                tag("tbody") {
                    for criterion in verdict.criteria {
                        let assessment = byID[criterion.id]
                        tag("tr") {
                            tag("th", .init("scope", "row")) { criterion.text }
                            tag("td") { assessment?.rating?.danishName ?? "Ikke vurderet" }
                            tag("td") {
                                assessment?.justification ?? ""
                                if showEvidence, let paths = assessment?.evidence, !paths.isEmpty {
                                    tag("ul", .class("evidence")) {
                                        for path in paths {
                                            tag("li") { tag("a", .href(path)) { labels[path] ?? "Dokumentation" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            tag("dl", .class("facts")) {
                tag("dt") { "Indstilling" }
                tag("dd") { verdict.outcome?.danishName(from: verdict.phase) ?? "Ikke valgt" }
                tag("dt") { "Begrundelse" }
                tag("dd") { verdict.note.isEmpty ? "–" : verdict.note }
                if let by = verdict.proposedBy, let at = verdict.proposedAt {
                    tag("dt") { "Indstillet" }
                    tag("dd") { "\(DanishTime.dateTime(at)) af \(by)" }
                }
                if let decision = verdict.decision {
                    tag("dt") { "Afgørelse" }
                    tag("dd") { decision.danishName(from: verdict.phase) }
                    tag("dt") { "Styregruppens begrundelse" }
                    tag("dd") { verdict.decisionNote ?? "–" }
                    if let by = verdict.decidedBy, let at = verdict.decidedAt {
                        tag("dt") { "Registreret" }
                        tag("dd") { "\(DanishTime.dateTime(at)) af \(by)" }
                    }
                }
            }
        }
    }

    /// The decided verdicts of an initiative, for anyone.
    static func publicVerdicts(_ initiative: Initiative, decided: [Verdict], context: PageContext) -> Node {
        let year = initiative.programmeYear
        let number = initiative.number.description
        return Layout.page(title: "Fasevurderinger: \(title(initiative))", context: context) {
            tag("p", .class("breadcrumb")) {
                tag("a", .href(SiteURL.initiative(year: year, number: number).path)) { title(initiative) }
            }
            tag("h1") { "Fasevurderinger" }
            tag("p", .class("lead")) {
                "\(title(initiative)) er nu i fasen \(initiative.phase.danishName.lowercased())."
            }
            if decided.isEmpty {
                tag("p") { "Der er endnu ingen afgjorte fasevurderinger af initiativet." }
            }
            for verdict in decided {
                verdictSummary(verdict, evidence: [], heading: "Afgørelse", showEvidence: false)
            }
        }
    }

    struct PipelineRow {
        var initiative: Initiative
        var current: VerdictStatus?
        var lastDecision: String?
    }

    /// Every initiative of a programme year: its phase, its gate and where the verdict stands.
    static func pipeline(_ rows: [PipelineRow], year: Int, years: [Int], context: PageContext) -> Node {
        Layout.page(title: "Initiativernes faser", context: context) {
            tag("h1") { "Initiativernes faser \(year)" }
            tag("p") {
                tag("a", .href(SiteURL.phaseCriteria.path)) { "Fasernes kriterier" }
                ": hvad et initiativ vurderes på ved afslutningen af hver fase, og hvordan kriterierne er ændret."
            }
            if years.count > 1 {
                tag("p") {
                    "Programår: "
                    for (index, other) in years.enumerated() {
                        if index > 0 { " · " }
                        if other == year {
                            tag("strong") { String(other) }
                        } else {
                            tag("a", .href(SiteURL.pipeline.path + "?aar=\(other)")) { String(other) }
                        }
                    }
                }
            }
            for phase in SUSIPhase.allCases {
                let inPhase = rows.filter { $0.initiative.phase == phase }
                tag("h2") { "\(phase.danishName) (\(inPhase.count))" }
                if inPhase.isEmpty {
                    tag("p") { "Ingen initiativer i fasen." }
                } else {
                    tag("table", .class("data")) {
                        tag("caption") { "Initiativer i fasen \(phase.danishName.lowercased())" }
                        tag("thead") {
                            tag("tr") {
                                tag("th", .init("scope", "col")) { "Initiativ" }
                                tag("th", .init("scope", "col")) { "Næste fasevurdering" }
                                tag("th", .init("scope", "col")) { "Status" }
                                tag("th", .init("scope", "col")) { "Seneste afgørelse" }
                            }
                        }
                        tag("tbody") {
                            for row in inPhase {
                                let number = row.initiative.number.description
                                tag("tr") {
                                    tag("td") {
                                        tag(
                                            "a",
                                            .href(
                                                SiteURL.phaseGate(year: row.initiative.programmeYear, number: number)
                                                    .path)
                                        ) { title(row.initiative) }
                                    }
                                    tag("td") {
                                        PhaseGate.next(after: phase).map {
                                            "\(phase.danishName) → \($0.danishName.lowercased())"
                                        } ?? "Ingen (sidste fase)"
                                    }
                                    tag("td") { row.current?.danishName ?? "Ikke begyndt" }
                                    tag("td") { row.lastDecision ?? "–" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
