import Foundation
import PuljeDomain
import PuljeHTML

/// The criteria each phase is judged on: every phase's set in force with its earlier versions, and the form
/// that makes a new version of one phase's set.
enum PhaseCriteriaPages {
    struct PhaseModel {
        var current: PhaseGateStore.CriteriaSet
        /// Saved versions before the current one, newest first; the standard set is version 0.
        var earlier: [PhaseGateStore.CriteriaSet]
    }

    static func setLine(_ set: PhaseGateStore.CriteriaSet) -> String {
        guard set.version > 0 else { return "Udgave 0: standardkriterierne fra puljeudmeldingen 2022." }
        var line = "Udgave \(set.version)"
        if let at = set.changedAt { line += ", \(DanishTime.dateTime(at))" }
        if let by = set.changedBy { line += " af \(by)" }
        return line + "."
    }

    static func criteriaTable(_ set: PhaseGateStore.CriteriaSet, caption: String) -> Node {
        tag("table", .class("data")) {
            tag("caption") { caption }
            tag("thead") {
                tag("tr") {
                    tag("th", .init("scope", "col")) { "Nr." }
                    tag("th", .init("scope", "col")) { "Kriterium" }
                    tag("th", .init("scope", "col")) { "SUSI-dimension" }
                }
            }
            tag("tbody") {
                for (index, criterion) in set.criteria.enumerated() {
                    tag("tr") {
                        tag("td") { String(index + 1) }
                        tag("th", .init("scope", "row")) { criterion.text }
                        tag("td") { criterion.dimension }
                    }
                }
            }
        }
    }

    static func list(_ phases: [PhaseModel], canEdit: Bool, context: PageContext) -> Node {
        Layout.page(title: "Fasernes kriterier", context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.pipeline.path)) { "Initiativernes faser" } }
            tag("h1") { "Fasernes kriterier" }
            tag("p", .class("lead")) {
                "Ved afslutningen af hver fase vurderes et initiativ på fasens kriterier. Kriterierne er styrelsens data: en ændring gemmes som en ny udgave med begrundelse, og en fasevurdering, der er indstillet eller afgjort, beholder de kriterier, den blev vurderet på."
            }
            for model in phases {
                let phase = model.current.phase
                tag("section", .id(phase.rawValue)) {
                    tag("h2") { phase.danishName }
                    tag("p") { setLine(model.current) }
                    if let note = model.current.note, model.current.version > 0 {
                        tag("p") { "Begrundelse: \(note)" }
                    }
                    criteriaTable(model.current, caption: "Kriterier for \(phase.danishName.lowercased()) nu")
                    if canEdit {
                        tag("p") {
                            tag("a", .href(SiteURL.editPhaseCriteria(phase).path), .class("button secondary")) {
                                "Ret kriterierne for \(phase.danishName.lowercased())"
                            }
                        }
                    }
                    if !model.earlier.isEmpty {
                        tag("details") {
                            tag("summary") { "Tidligere udgaver (\(model.earlier.count))" }
                            for set in model.earlier {
                                tag("p") { setLine(set) }
                                if let note = set.note, set.version > 0 { tag("p") { "Begrundelse: \(note)" } }
                                criteriaTable(
                                    set,
                                    caption: "Kriterier for \(phase.danishName.lowercased()), udgave \(set.version)")
                            }
                        }
                    }
                }
            }
        }
    }

    struct EditModel {
        var phase: SUSIPhase
        /// The version the form is made from (the one in force when it was opened, or after a conflict).
        var version: Int
        var form: PhaseCriteriaForm
        var conflict: String?
    }

    static let blankRows = 2

    static func edit(_ model: EditModel, errors: FormErrors, context: PageContext) -> Node {
        let phase = model.phase
        let form = model.form
        let filled = form.rowIndices.filter { index in
            ["text", "dimension"].contains { !form.value("criteria.\(index).\($0)").isEmpty }
        }
        let rows = filled + (0..<blankRows).map { (filled.last ?? -1) + 1 + $0 }
        return Layout.page(title: "Ret kriterierne for \(phase.danishName.lowercased())", context: context) {
            tag("p", .class("breadcrumb")) {
                tag("a", .href(SiteURL.pipeline.path)) { "Initiativernes faser" }
                " › "
                tag("a", .href(SiteURL.phaseCriteria.path)) { "Fasernes kriterier" }
            }
            tag("h1") { "Ret kriterierne for \(phase.danishName.lowercased())" }
            tag("p", .class("lead")) {
                "Gemmes som en ny udgave. Fasevurderinger under udarbejdelse vurderes derefter på de nye kriterier; indstillede og afgjorte beholder de kriterier, de blev vurderet på."
            }
            if let conflict = model.conflict {
                tag("div", .class("notice"), .init("role", "alert")) { conflict }
            }
            FormField.errorSummary(errors)
            tag(
                "form", .init("method", "post"), .init("action", SiteURL.editPhaseCriteria(phase).path),
                .class("stacked"), .noValidate
            ) {
                Layout.csrfField(context)
                tag("input", .type("hidden"), .name("version"), .value(String(model.version)))
                tag("div", .id(FormField.fieldID("criteria"))) {
                    if let message = errors.message(for: "criteria") {
                        tag("p", .class("error-message")) { message }
                    }
                    tag("p", .class("hint")) {
                        "Ryd teksten og vælg ingen dimension for at fjerne et kriterium. Nummeret bestemmer rækkefølgen."
                    }
                    for (position, index) in rows.enumerated() {
                        let prefix = "criteria.\(index)"
                        tag("fieldset", .class("row-block")) {
                            tag("legend") {
                                position < filled.count ? "Kriterium \(position + 1)" : "Nyt kriterium"
                            }
                            let id = form.value("\(prefix).id")
                            if !id.isEmpty { tag("input", .type("hidden"), .name("\(prefix).id"), .value(id)) }
                            FormField.text(
                                "\(prefix).number", label: "Nr.",
                                value: position < filled.count ? form.value("\(prefix).number") : "",
                                errors: errors, inputMode: "numeric", width: "short")
                            FormField.textArea(
                                "\(prefix).text", label: "Kriterium", value: form.value("\(prefix).text"),
                                errors: errors, rows: 2, maxLength: PhaseGate.maximumCriterionText)
                            FormField.select(
                                "\(prefix).dimension", label: "SUSI-dimension",
                                options: [("", "Vælg")] + PhaseGate.dimensions.map { ($0, $0) },
                                selected: form.value("\(prefix).dimension"), errors: errors)
                        }
                    }
                }
                FormField.textArea(
                    "note", label: "Hvorfor ændres kriterierne?", value: form.value("note"), errors: errors,
                    hint: "Fx styregruppens beslutning og mødets dato. Begrundelsen står ved udgaven.", rows: 3,
                    required: true, maxLength: PhaseGateActions.maximumCriteriaNote)
                tag("div", .class("form-actions")) {
                    tag("button", .type("submit"), .class("button")) { "Gem kriterierne" }
                    tag("a", .href(SiteURL.phaseCriteria.path), .class("button secondary")) { "Annullér" }
                }
            }
        }
    }
}
