import Foundation
import PuljeDomain
import PuljeHTML

/// The evaluation pages: the list, an evaluation's overview and design, its citizens and their measurements,
/// and the data access log.
enum EvaluationPages {
    struct ListRow {
        var id: UUID
        var title: String
        var call: String
        var end: String
        var purged: Bool
    }

    struct ListModel {
        var rows: [ListRow]
        var canCreate: Bool
        /// Calls with grant cases, for a new evaluation.
        var calls: [(value: String, label: String)]
        var isMunicipal: Bool
    }

    static func list(_ model: ListModel, errors: FormErrors, posted: [String: String], context: PageContext) -> Node {
        Layout.page(title: "Evaluering", context: context) {
            tag("h1") { "Evaluering" }
            tag("p", .class("lead")) {
                if model.isMunicipal {
                    "Evalueringerne af de puljer, hvor jeres kommune har en tilskudssag. Her indskriver I borgere og registrerer deres målinger. Borgerne kendes kun under et pseudonym; CPR-nummeret gemmes ikke."
                } else {
                    "Evaluator fastlægger, hvilke data der indsamles; kommunerne indskriver borgerne under pseudonym og registrerer målingerne; styrelsen ser tal samlet, uden celler med færre end 5 borgere."
                }
            }
            if model.rows.isEmpty {
                tag("p") { "Der er ingen evalueringer endnu." }
            } else {
                tag("table", .class("data")) {
                    tag("caption") { "Evalueringer" }
                    tag("thead") {
                        tag("tr") {
                            tag("th", .init("scope", "col")) { "Evaluering" }
                            tag("th", .init("scope", "col")) { "Pulje" }
                            tag("th", .init("scope", "col")) { "Slutdato" }
                        }
                    }
                    tag("tbody") {
                        for row in model.rows {
                            tag("tr") {
                                tag("td") { tag("a", .href(SiteURL.evaluation(row.id).path)) { row.title } }
                                tag("td") { row.call }
                                tag("td") { row.end + (row.purged ? " (afsluttet, data fjernet)" : "") }
                            }
                        }
                    }
                }
            }
            tag("p") { tag("a", .href(SiteURL.instruments.path)) { "Instrumenterne" } }
            if model.canCreate {
                tag("h2", .id("ny")) { "Ny evaluering" }
                if model.calls.isEmpty {
                    tag("p") { "En evaluering hører til en pulje med tilskudssager; der er ingen endnu." }
                } else {
                    FormField.errorSummary(errors)
                    tag(
                        "form", .init("method", "post"), .init("action", SiteURL.evaluations.path), .class("stacked"),
                        .noValidate
                    ) {
                        Layout.csrfField(context)
                        FormField.text("title", label: "Titel", value: posted["title"], errors: errors, required: true)
                        FormField.select(
                            "call", label: "Pulje", options: model.calls, selected: posted["call"], errors: errors,
                            required: true)
                        FormField.text(
                            "endDate", label: "Slutdato", value: posted["endDate"], errors: errors,
                            hint: "Fx 31.12.2028. Dagen efter slettes eller anonymiseres data om borgerne.",
                            required: true, width: "medium")
                        tag("button", .type("submit"), .class("button")) { "Opret evaluering" }
                    }
                }
            }
        }
    }

    // MARK: The overview

    struct ShowModel {
        var id: UUID
        var title: String
        var call: String
        var end: String
        var retention: RetentionRule
        var purgedAt: Date?
        var design: EvaluationDesign
        var instrumentNames: [String: String]
        var access: EvaluationAccess
        var overview: EvaluationOverview
        var history: [(at: Date, who: String, what: String)]?
        /// The latest version of each instrument, for the chart's axis.
        var instruments: [String: Instrument] = [:]
        /// The evaluator's latest exports, newest first.
        var exports: [ExportRow] = []
        /// The export form as sent, when it was refused.
        var exportFile: String?
        var exportErrors = FormErrors()
    }

    /// One export in the evaluator's list.
    struct ExportRow {
        var id: UUID
        var file: EvaluationExport.File
        var requestedAt: Date
        var status: ExportJobStatus
        var progress: ExportJobProgress
    }

    /// The evaluator's export: the request form and the latest exports.
    static func exportSection(_ model: ShowModel, context: PageContext) -> Node {
        tag("section", .init("aria-labelledby", "eksport")) {
            tag("h2", .id("eksport")) { "Eksport" }
            tag("p") {
                "Alle borgeres data under pseudonym. Eksporten dannes i baggrunden, og siden viser, hvor langt den er nået. Filen kan hentes én gang og slettes, når den er hentet, og senest et døgn efter, at den er dannet. Hver bestilling og hver hentning logges."
            }
            FormField.errorSummary(model.exportErrors)
            tag(
                "form", .init("method", "post"), .init("action", SiteURL.evaluationExports(model.id).path),
                .class("stacked"), .noValidate
            ) {
                Layout.csrfField(context)
                FormField.radios(
                    "file", legend: "Fil",
                    options: EvaluationExport.Form.allCases.flatMap { form in
                        EvaluationExport.Format.allCases.map { format in
                            let file = EvaluationExport.File(form: form, format: format)
                            return (file.name, file.danishName)
                        }
                    },
                    selected: model.exportFile ?? EvaluationExport.File(form: .long, format: .csv).name,
                    errors: model.exportErrors,
                    hint:
                        "Lang form har én række pr. svar, score og felt; bred form én række pr. borger. Et regneark kan have op til \(DanishNumber.grouped(EvaluationExport.maximumSheetRows - 1)) rækker; CSV et vilkårligt antal."
                )
                tag("div", .class("form-actions")) {
                    tag("button", .type("submit")) { "Bestil eksporten" }
                }
            }
            if !model.exports.isEmpty {
                tag("table", .class("data")) {
                    tag("caption") { "Dine seneste eksporter" }
                    tag("thead") {
                        tag("tr") {
                            tag("th", .init("scope", "col")) { "Fil" }
                            tag("th", .init("scope", "col")) { "Bestilt" }
                            tag("th", .init("scope", "col")) { "Status" }
                        }
                    }
                    tag("tbody") {
                        for export in model.exports {
                            tag("tr") {
                                tag("td") {
                                    tag("a", .href(SiteURL.evaluationExportJob(model.id, export.id).path)) {
                                        export.file.danishName
                                    }
                                }
                                tag("td") { DanishTime.dateTime(export.requestedAt) }
                                tag("td") {
                                    export.status == .running
                                        ? "\(export.status.danishName): \(export.progress.danishText)"
                                        : export.status.danishName
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    struct ExportJobModel {
        var evaluationID: UUID
        var title: String
        var id: UUID
        var file: EvaluationExport.File
        var requestedBy: String
        var requestedAt: Date
        var status: ExportJobStatus
        var progress: ExportJobProgress
        var finishedAt: Date?
        var expiresAt: Date?
        var removedAt: Date?
        var rows: Int
        var bytes: Int64
        var failure: String?
    }

    /// One export's page: its progress while it is made, then the button that downloads it once.
    static func exportJob(_ model: ExportJobModel, context: PageContext) -> Node {
        Layout.page(title: "Eksport: \(model.status.danishName)", context: context) {
            tag("p", .class("breadcrumb")) {
                tag("a", .href(SiteURL.evaluations.path)) { "Evaluering" }
                " › "
                tag("a", .href(SiteURL.evaluation(model.evaluationID).path)) { model.title }
            }
            tag("h1") { "Eksport: \(model.file.danishPhrase)" }
            tag("dl", .class("facts")) {
                Layout.fact("Bestilt", "\(DanishTime.dateTime(model.requestedAt)) af \(model.requestedBy)")
                if let finished = model.finishedAt { Layout.fact("Færdig", DanishTime.dateTime(finished)) }
            }
            switch model.status {
            case .waiting, .running:
                tag(
                    "div", .class("export-progress"),
                    .init("data-export-status", SiteURL.evaluationExportJobStatus(model.evaluationID, model.id).path)
                ) {
                    tag("label", .for("export-progress")) { "Eksporten dannes" }
                    tag(
                        "progress", .id("export-progress"), .init("max", "100"),
                        .init("value", String(model.progress.percent))
                    ) {
                        "\(model.progress.percent) %"
                    }
                    tag("p", .init("role", "status"), .init("data-export-text", "")) {
                        "\(model.status.danishName): \(model.progress.danishText)"
                    }
                }
                tag("p") {
                    "Siden følger med af sig selv. Uden JavaScript: "
                    tag("a", .href(SiteURL.evaluationExportJob(model.evaluationID, model.id).path)) { "opdater siden" }
                    "."
                }
            case .ready:
                tag("p", .init("role", "status")) {
                    "Eksporten er klar: \(danishCount(model.progress.total, "borger", "borgere")), \(danishCount(model.rows, "række", "rækker")), \(FileType.danishSize(Int(clamping: model.bytes)))."
                }
                if let expires = model.expiresAt {
                    tag("p") {
                        "Filen kan hentes én gang. Den slettes, når den er hentet, og senest \(DanishTime.dateTime(expires))."
                    }
                }
                tag(
                    "form", .init("method", "post"),
                    .init("action", SiteURL.evaluationExportJobFile(model.evaluationID, model.id).path)
                ) {
                    Layout.csrfField(context)
                    tag("button", .type("submit")) { "Hent \(model.file.downloadName)" }
                }
            case .failed:
                tag("p", .class("notice"), .init("role", "alert")) {
                    model.failure ?? "Eksporten fejlede. Bestil den igen."
                }
                tag("p") {
                    tag("a", .href(SiteURL.evaluation(model.evaluationID).path + "#eksport")) { "Bestil en ny eksport" }
                }
            case .removed:
                tag("p", .init("role", "status")) {
                    "Filen er slettet"
                        + (model.removedAt.map { " \(DanishTime.dateTime($0))" } ?? "")
                        + ": den er hentet, eller den blev ikke hentet i tide."
                }
                tag("p") {
                    tag("a", .href(SiteURL.evaluation(model.evaluationID).path + "#eksport")) { "Bestil en ny eksport" }
                }
            }
        }
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        return "\(Int((Double(part) * 100 / Double(whole)).rounded())) %"
    }

    static func show(_ model: ShowModel, context: PageContext) -> Node {
        Layout.page(title: "Evaluering: \(model.title)", context: context) {
            tag("p", .class("breadcrumb")) { tag("a", .href(SiteURL.evaluations.path)) { "Evaluering" } }
            tag("h1") { model.title }
            tag("dl", .class("facts")) {
                Layout.fact("Pulje", model.call)
                Layout.fact("Slutdato", model.end)
                Layout.fact("Ved slutdatoen", model.retention.danishName)
                if let purged = model.purgedAt {
                    Layout.fact("Data fjernet", DanishTime.dateTime(purged))
                }
            }
            tag("div", .class("form-actions")) {
                if model.access.readsCitizens {
                    tag("a", .href(SiteURL.evaluationCitizens(model.id).path), .class("button")) {
                        model.access == .ownCitizens ? "Borgere og målinger" : "Borgere (pseudonymiseret)"
                    }
                }
                if model.access == .allCitizens {
                    tag("a", .href(SiteURL.evaluationDesign(model.id).path), .class("button secondary")) {
                        "Ret designet"
                    }
                }
            }
            if model.access == .allCitizens { exportSection(model, context: context) }
            tag("h2") { "Design" }
            tag("table", .class("data")) {
                tag("caption") { "Målepunkter" }
                tag("thead") {
                    tag("tr") {
                        tag("th", .init("scope", "col")) { "Målepunkt" }
                        tag("th", .init("scope", "col")) { "Tidspunkt" }
                        tag("th", .init("scope", "col")) { "Instrumenter" }
                    }
                }
                tag("tbody") {
                    for point in model.design.points {
                        tag("tr") {
                            tag("td") { point.name }
                            tag("td") {
                                point.monthsAfterBaseline == 0
                                    ? "Ved indskrivning"
                                    : "\(point.monthsAfterBaseline) måneder efter baseline, ± \(point.windowDays) dage"
                            }
                            tag("td") {
                                point.instruments.map { model.instrumentNames[$0] ?? $0 }.joined(separator: ", ")
                            }
                        }
                    }
                }
            }
            if !model.design.fields.isEmpty {
                tag("p") {
                    "Ved opfølgningerne registreres desuden: "
                        + model.design.fields.map { "\($0.label) (\($0.kind.danishName.lowercased()))" }
                        .joined(separator: ", ") + "."
                }
            }
            overviewTable(model)
            if let history = model.history, !history.isEmpty {
                tag("h2") { "Historik" }
                tag("ul", .class("history")) {
                    for entry in history.prefix(50) {
                        tag("li") { "\(DanishTime.dateTime(entry.at)), \(entry.who): \(entry.what)" }
                    }
                }
            }
        }
    }

    static func overviewTable(_ model: ShowModel) -> Node {
        let overview = model.overview
        let suppressing = model.access == .aggregates
        return tag("section") {
            tag("h2") { "Overblik" }
            if suppressing {
                tag("p") {
                    "Tal, der bygger på færre end \(SmallCells.minimum) borgere, vises ikke (markeret med ●), og heller ikke et tal, de kunne regnes ud af."
                }
            }
            if overview.rows.isEmpty {
                tag("p") { "Der er ingen borgere indskrevet endnu." }
            } else {
                for key in Array(Set(overview.points.flatMap(\.instruments))).sorted() {
                    if let instrument = model.instruments[key] {
                        scoreChart(
                            overview, row: overview.total, instrument: instrument,
                            groupName: model.access == .ownCitizens ? "jeres borgere" : "alle kommuner",
                            suppressing: true)
                        // One chart per municipality, where the reader sees more than their own: the agency
                        // only those with enough citizens at each point, the evaluator every one.
                        let rows = overview.rows.filter {
                            hasMeans(overview, row: $0, instrument: instrument, suppressing: suppressing)
                        }
                        if model.access != .ownCitizens && !rows.isEmpty {
                            tag("details", .class("charts")) {
                                tag("summary") { "\(instrument.name) pr. kommune (\(rows.count))" }
                                tag("div", .class("chart-grid")) {
                                    for row in rows {
                                        scoreChart(
                                            overview, row: row, instrument: instrument, groupName: row.group,
                                            suppressing: suppressing, title: row.group)
                                    }
                                }
                            }
                        }
                    }
                }
                for point in overview.points {
                    tag("table", .class("data")) {
                        tag("caption") { point.name }
                        tag("thead") {
                            tag("tr") {
                                tag("th", .init("scope", "col")) { "Kommune" }
                                tag("th", .init("scope", "col")) { "Indskrevet" }
                                tag("th", .init("scope", "col")) { "Udfyldt" }
                                for key in point.instruments {
                                    let name = model.instrumentNames[key] ?? key
                                    tag("th", .init("scope", "col")) { "\(name): gennemsnit" }
                                    tag("th", .init("scope", "col")) { "\(name): med advarsel" }
                                    if point.monthsAfterBaseline > 0 {
                                        tag("th", .init("scope", "col")) { "\(name): betydende bedring / forværring" }
                                    }
                                }
                            }
                        }
                        tag("tbody") {
                            for row in overview.rows + [overview.total] {
                                overviewRow(row, point: point, suppressing: suppressing)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The mean score of a row (a municipality, or the total) at each measurement point of the instrument; nil
    /// where there is none, or where it rests on too few citizens for a reader the small cells are kept from.
    static func means(
        _ overview: EvaluationOverview, row: EvaluationOverview.Row, instrument: Instrument, suppressing: Bool
    ) -> [(MeasurementPoint, Decimal?)] {
        overview.points.filter { $0.instruments.contains(instrument.key) }.map { point in
            let figures = row.cells[point.key].flatMap { cell in
                cell.suppressed ? nil : cell.instruments.first { $0.instrument == instrument.key }
            }
            let shown = figures.flatMap { !suppressing || SmallCells.mayShow($0.scored) ? $0.meanScore : nil }
            return (point, shown)
        }
    }

    static func hasMeans(
        _ overview: EvaluationOverview, row: EvaluationOverview.Row, instrument: Instrument, suppressing: Bool
    ) -> Bool {
        means(overview, row: row, instrument: instrument, suppressing: suppressing).contains { $0.1 != nil }
    }

    /// The mean score at each measurement point as a line, for one row (a municipality, or the total: all the
    /// reader may see), on the instrument's whole range; the figures are in the tables below.
    /// `title`: a short caption above the chart (a municipality's name among several); without it, the
    /// chart is explained below it.
    static func scoreChart(
        _ overview: EvaluationOverview, row: EvaluationOverview.Row, instrument: Instrument, groupName: String,
        suppressing: Bool, title: String? = nil
    ) -> Node {
        let points = overview.points.filter { $0.instruments.contains(instrument.key) }
        let means = means(overview, row: row, instrument: instrument, suppressing: suppressing)
        guard means.contains(where: { $0.1 != nil }) else { return .empty }
        let range = instrument.scoreRange
        let low = NSDecimalNumber(decimal: range.lowerBound).doubleValue
        let high = NSDecimalNumber(decimal: range.upperBound).doubleValue
        let span = max(high - low, 1)
        // Narrow, so that its labels stay readable where a phone scales it down.
        let width = 420, height = 220, left = 44, right = 16, top = 24, bottom = 36
        func y(_ value: Double) -> Int { top + Int(((high - value) / span * Double(height - top - bottom)).rounded()) }
        let slot = (width - left - right) / max(points.count, 1)
        func x(_ index: Int) -> Int { left + index * slot + slot / 2 }
        let summary = means.map { "\($0.0.name): \($0.1.map { DanishNumber.decimal($0) } ?? "ingen tal")" }
            .joined(separator: "; ")
        let plotted = means.enumerated().compactMap { index, entry in
            entry.1.map { (index, NSDecimalNumber(decimal: $0).doubleValue) }
        }
        return tag("figure", .class("chart-figure")) {
            if let title { tag("figcaption", .class("chart-title")) { title } }
            tag(
                "svg", .class("chart"), .init("viewBox", "0 0 \(width) \(height)"), .init("role", "img"),
                .aria(
                    "label",
                    "\(instrument.scoring.scoreName), gennemsnit ved hvert målepunkt, \(groupName). \(summary)."
                ),
                .init("xmlns", "http://www.w3.org/2000/svg")
            ) {
                for value in [low, (low + high) / 2, high] {
                    tag(
                        "line", .init("x1", "\(left)"), .init("y1", "\(y(value))"), .init("x2", "\(width - right)"),
                        .init("y2", "\(y(value))"), .class(value == low ? "axis" : "grid"))
                    tag(
                        "text", .init("x", "\(left - 6)"), .init("y", "\(y(value) + 4)"), .init("text-anchor", "end"),
                        .class("label")
                    ) { DanishNumber.decimal(Decimal(value)) }
                }
                for (index, point) in points.enumerated() {
                    tag(
                        "text", .init("x", "\(x(index))"), .init("y", "\(height - bottom + 20)"),
                        .init("text-anchor", "middle"), .class("label")
                    ) { point.name }
                }
                if plotted.count > 1 {
                    tag(
                        "polyline", .init("points", plotted.map { "\(x($0.0)),\(y($0.1))" }.joined(separator: " ")),
                        .class("line"))
                }
                for (index, value) in plotted {
                    tag(
                        "circle", .init("cx", "\(x(index))"), .init("cy", "\(y(value))"), .init("r", "4"),
                        .class("point"))
                    tag(
                        "text", .init("x", "\(x(index))"), .init("y", "\(y(value) - 10)"),
                        .init("text-anchor", "middle"),
                        .class("label")
                    ) { DanishNumber.decimal(Decimal(value), decimals: 1) }
                }
            }
            if title == nil {
                tag("figcaption", .class("hint")) {
                    "\(instrument.name): gennemsnitlig \(instrument.scoring.scoreName.lowercased()) ved hvert målepunkt, \(groupName). Tallene står i tabellerne."
                }
            }
        }
    }

    /// A withheld figure: the mark, and words for a screen reader.
    static var withheld: Node {
        tag("span") {
            tag("span", .aria("hidden", "true")) { "●" }
            tag("span", .class("visually-hidden")) { "skjult" }
        }
    }

    static func overviewRow(_ row: EvaluationOverview.Row, point: MeasurementPoint, suppressing: Bool) -> Node {
        let cell = row.cells[point.key]
        return tag("tr") {
            tag("th", .init("scope", "row")) { row.group }
            if let cell, !cell.suppressed {
                tag("td") { String(cell.enrolled) }
                tag("td") { "\(cell.complete) (\(percent(cell.complete, of: cell.enrolled)))" }
                for figures in cell.instruments {
                    let show = !suppressing || SmallCells.mayShow(figures.scored)
                    if show {
                        tag("td") { figures.meanScore.map { DanishNumber.decimal($0) } ?? "–" }
                        tag("td") { percent(figures.flagged, of: figures.scored) }
                    } else {
                        tag("td") { withheld }
                        tag("td") { withheld }
                    }
                    if point.monthsAfterBaseline > 0 {
                        let compared = !suppressing || SmallCells.mayShow(figures.compared)
                        if compared {
                            tag("td") {
                                "\(percent(figures.improved, of: figures.compared)) / \(percent(figures.worsened, of: figures.compared)) af \(figures.compared)"
                            }
                        } else {
                            tag("td") { withheld }
                        }
                    }
                }
            } else {
                tag("td") { withheld }
                tag("td") { withheld }
                for _ in point.instruments {
                    tag("td") { withheld }
                    tag("td") { withheld }
                    if point.monthsAfterBaseline > 0 { tag("td") { withheld } }
                }
            }
        }
    }

    // MARK: The design

    struct DesignModel {
        var id: UUID
        var title: String
        var version: Int
        var form: DesignForm
        var instruments: [Instrument]
        var conflict: String?
    }

    static func design(_ model: DesignModel, errors: FormErrors, context: PageContext) -> Node {
        let form = model.form
        let pointRows =
            (form.values.keys.compactMap { key -> Int? in
                guard key.hasPrefix("points."), let dot = key.dropFirst(7).firstIndex(of: ".") else { return nil }
                return Int(key.dropFirst(7)[..<dot])
            }.max() ?? -1) + 2
        let fieldRows =
            (form.values.keys.compactMap { key -> Int? in
                guard key.hasPrefix("fields."), let dot = key.dropFirst(7).firstIndex(of: ".") else { return nil }
                return Int(key.dropFirst(7)[..<dot])
            }.max() ?? -1) + 2
        return Layout.page(title: "Design: \(model.title)", context: context) {
            tag("p", .class("breadcrumb")) {
                tag("a", .href(SiteURL.evaluations.path)) { "Evaluering" }
                " › "
                tag("a", .href(SiteURL.evaluation(model.id).path)) { model.title }
            }
            tag("h1") { "Evalueringsdesign" }
            if let conflict = model.conflict { tag("p", .class("notice")) { conflict } }
            FormField.errorSummary(errors)
            tag(
                "form", .init("method", "post"), .init("action", SiteURL.evaluationDesign(model.id).path),
                .class("stacked"), .noValidate
            ) {
                Layout.csrfField(context)
                tag("input", .type("hidden"), .name("version"), .value(String(model.version)))
                FormField.text("title", label: "Titel", value: form.values["title"], errors: errors, required: true)
                FormField.text(
                    "endDate", label: "Slutdato", value: form.values["endDate"], errors: errors,
                    hint: "Fx 31.12.2028.", required: true, width: "medium")
                FormField.radios(
                    "retention", legend: "Dagen efter slutdatoen",
                    options: RetentionRule.allCases.map { ($0.rawValue, $0.danishName) },
                    selected: form.values["retention"], errors: errors,
                    hint:
                        "Anonymisering erstatter pseudonymerne med løbenumre og fjerner fødselsår og køn, så data ikke længere kan føres tilbage til en person."
                )
                tag("fieldset", .class("field")) {
                    tag("legend") { "Ved indskrivning" }
                    for (name, label) in [
                        ("deriveBirthYear", "Gem borgerens fødselsår (udledt af CPR-nummeret)"),
                        ("deriveSex", "Gem borgerens køn (udledt af CPR-nummeret)"),
                        ("requiresConsent", "Borgeren skal give samtykke, før der indsamles data"),
                    ] {
                        tag("div", .class("checkbox")) {
                            tag(
                                "input", .type("checkbox"), .id(FormField.fieldID(name)), .name(name), .value("1"),
                                .flag("checked", !(form.values[name] ?? "").isEmpty))
                            tag("label", .for(FormField.fieldID(name))) { label }
                        }
                    }
                }
                tag("h2") { "Målepunkter" }
                tag("p", .class("hint")) {
                    "Det første målepunkt er baseline (0 måneder). Udfyld en tom række for at tilføje et målepunkt; tøm nøgle og navn for at fjerne et."
                }
                for index in 0..<pointRows {
                    let path = "points.\(index)"
                    tag("fieldset", .class("row-block")) {
                        tag("legend") { index == pointRows - 1 ? "Nyt målepunkt" : "Målepunkt \(index + 1)" }
                        FormField.text(
                            path + ".key", label: "Nøgle", value: form.values[path + ".key"], errors: errors,
                            hint: "Små bogstaver og tal, fx 6mdr; bruges i eksporten.", width: "medium")
                        FormField.text(
                            path + ".name", label: "Navn", value: form.values[path + ".name"], errors: errors)
                        FormField.text(
                            path + ".monthsAfterBaseline", label: "Måneder efter baseline",
                            value: form.values[path + ".monthsAfterBaseline"], errors: errors, inputMode: "numeric",
                            width: "short")
                        FormField.text(
                            path + ".windowDays", label: "Vindue (± dage)", value: form.values[path + ".windowDays"],
                            errors: errors, inputMode: "numeric", width: "short")
                        FormField.checkboxes(
                            path + ".instruments", legend: "Instrumenter",
                            options: model.instruments.map { ($0.key, $0.name) },
                            checked: Set(form.instruments[index] ?? []), errors: errors)
                    }
                }
                tag("h2") { "Implementerings- og omkostningsdata" }
                tag("p", .class("hint")) { "Tal, der registreres pr. borger ved hver opfølgning." }
                for index in 0..<fieldRows {
                    let path = "fields.\(index)"
                    tag("fieldset", .class("row-block")) {
                        tag("legend") { index == fieldRows - 1 ? "Nyt felt" : "Felt \(index + 1)" }
                        FormField.text(
                            path + ".key", label: "Nøgle", value: form.values[path + ".key"], errors: errors,
                            width: "medium")
                        FormField.text(
                            path + ".label", label: "Tekst", value: form.values[path + ".label"], errors: errors)
                        FormField.select(
                            path + ".kind", label: "Type",
                            options: DataField.Kind.allCases.map { ($0.rawValue, $0.danishName) },
                            selected: form.values[path + ".kind"], errors: errors)
                    }
                }
                tag("button", .type("submit"), .class("button")) { "Gem designet" }
            }
        }
    }

    // MARK: Citizens

    struct CitizenRow {
        var id: UUID
        var pseudonym: String
        var organisation: String
        var baseline: CalendarDate?
        /// Per point: its state for this citizen.
        var states: [String: String]
    }

    struct CitizensModel {
        var id: UUID
        var title: String
        var access: EvaluationAccess
        var design: EvaluationDesign
        var rows: [CitizenRow]
        var mayEnrol: Bool
        /// The problems of a refused import, shown above its form.
        var importProblems: [String]? = nil
        /// Every citizen the reader may see; `rows` is one page of them.
        var count = 0
        var firstPage: String? = nil
        var nextPage: String? = nil
    }

    static func citizens(
        _ model: CitizensModel, errors: FormErrors, posted: [String: String], context: PageContext
    )
        -> Node
    {
        Layout.page(title: "Borgere: \(model.title)", context: context) {
            tag("p", .class("breadcrumb")) {
                tag("a", .href(SiteURL.evaluations.path)) { "Evaluering" }
                " › "
                tag("a", .href(SiteURL.evaluation(model.id).path)) { model.title }
            }
            tag("h1") { "Borgere" }
            tag("p", .class("lead")) {
                model.access == .ownCitizens
                    ? "Jeres kommunes borgere i evalueringen. Borgerne vises kun med pseudonym; CPR-nummeret gemmes ikke og kan ikke ses igen."
                    : "Alle kommuners borgere under pseudonym. Din visning af listen er logget."
            }
            if model.mayEnrol {
                tag("h2", .id("indskriv")) { "Indskriv en borger" }
                FormField.errorSummary(errors)
                tag(
                    "form", .init("method", "post"), .init("action", SiteURL.evaluationCitizens(model.id).path),
                    .class("stacked"), .noValidate, .init("autocomplete", "off")
                ) {
                    Layout.csrfField(context)
                    FormField.text(
                        "cpr", label: "CPR-nummer", value: nil, errors: errors,
                        hint:
                            "10 cifre, fx 010190-1234. Nummeret omsættes straks til et pseudonym og gemmes ikke; det vises ikke igen, heller ikke ved en fejl.",
                        required: true, autocomplete: "off", inputMode: "numeric", width: "medium")
                    FormField.text(
                        "baseline", label: "Baselinedato", value: posted["baseline"], errors: errors,
                        hint: "Datoen for baselinemålingen. Tom: i dag.", width: "medium")
                    if model.design.requiresConsent {
                        let error = errors.message(for: "consent")
                        tag("div", .class(error == nil ? "field" : "field has-error")) {
                            if let error { tag("p", .class("error")) { "Fejl: " + error } }
                            tag("div", .class("checkbox")) {
                                tag(
                                    "input", .type("checkbox"), .id(FormField.fieldID("consent")), .name("consent"),
                                    .value("1"), .flag("checked", posted["consent"] != nil))
                                tag("label", .for(FormField.fieldID("consent"))) {
                                    "Borgeren har givet samtykke til, at data indsamles til evalueringen"
                                }
                            }
                        }
                    }
                    tag("button", .type("submit"), .class("button")) { "Indskriv" }
                }
                importSection(model, context: context)
            }
            tag("h2", .id("borgere")) { "Indskrevne borgere (\(DanishNumber.grouped(model.count)))" }
            if model.count > model.rows.count {
                tag("p") {
                    "I den rækkefølge, de er indskrevet, \(EvaluationCitizenListQuery.pageSize) ad gangen. Hver side, du ser, logges med de viste borgere."
                }
            }
            if model.rows.isEmpty {
                tag("p") { "Ingen borgere er indskrevet endnu." }
            } else {
                tag("table", .class("data")) {
                    tag("caption") { "Borgere og målepunkter" }
                    tag("thead") {
                        tag("tr") {
                            tag("th", .init("scope", "col")) { "Pseudonym" }
                            if model.access == .allCitizens { tag("th", .init("scope", "col")) { "Kommune" } }
                            tag("th", .init("scope", "col")) { "Baseline" }
                            for point in model.design.points { tag("th", .init("scope", "col")) { point.name } }
                        }
                    }
                    tag("tbody") {
                        for row in model.rows {
                            tag("tr") {
                                tag("th", .init("scope", "row")) {
                                    tag("a", .href(SiteURL.evaluationCitizen(model.id, row.id).path)) { row.pseudonym }
                                }
                                if model.access == .allCitizens { tag("td") { row.organisation } }
                                tag("td") { row.baseline?.danishShort ?? "–" }
                                for point in model.design.points { tag("td") { row.states[point.key] ?? "–" } }
                            }
                        }
                    }
                }
                Layout.pager(
                    first: model.firstPage, next: model.nextPage, firstText: "Første side",
                    nextText: "Næste \(EvaluationCitizenListQuery.pageSize) borgere", label: "Sider med borgere")
            }
        }
    }

    static func importSection(_ model: CitizensModel, context: PageContext) -> Node {
        tag("section", .aria("labelledby", "indlaes")) {
            tag("h2", .id("indlaes")) { "Indlæs fra regneark" }
            tag("p") {
                "Mange borgere og målinger på én gang: udfyld evalueringens skabelon ("
                tag("a", .href(SiteURL.evaluationTemplate(model.id, file: "skabelon.xlsx").path)) { "XLSX" }
                " eller "
                tag("a", .href(SiteURL.evaluationTemplate(model.id, file: "skabelon.csv").path)) { "CSV" }
                "), én række pr. borger med CPR-nummer, baselinedato og svarene pr. målepunkt. Formatér CPR-kolonnen som tekst. Alle rækker kontrolleres først; er der fejl i én, indlæses intet. Borgere, I har indskrevet før, får målingerne tilføjet."
            }
            if let problems = model.importProblems {
                tag("div", .class("error-summary"), .init("role", "alert"), .init("tabindex", "-1")) {
                    tag("h2") { "Intet er indlæst" }
                    tag("p") { "Ret fejlene i filen, og indlæs den igen:" }
                    tag("ul") {
                        for problem in problems.prefix(200) { tag("li") { problem } }
                        if problems.count > 200 { tag("li") { "… og \(problems.count - 200) fejl mere." } }
                    }
                }
            }
            tag(
                "form", .init("method", "post"), .init("action", SiteURL.evaluationImport(model.id).path),
                .init("enctype", "multipart/form-data"), .class("stacked")
            ) {
                Layout.csrfField(context)
                tag("div", .class("field")) {
                    tag("label", .for("felt-import-file")) { "Fil (XLSX eller CSV)" }
                    tag(
                        "input", .type("file"), .id("felt-import-file"), .name("file"),
                        Attribute("accept", ".xlsx,.csv,text/csv"))
                }
                tag("button", .type("submit"), .class("button secondary")) { "Indlæs filen" }
            }
        }
    }

    struct PointState {
        var point: MeasurementPoint
        var due: MeasurementPoint.Due
        /// Instrument name → score text, for the instruments answered in full.
        var scores: [(name: String, text: String)]
        var complete: Bool
        var started: Bool
    }

    struct CitizenModel {
        var id: UUID
        var title: String
        var citizenID: UUID
        var pseudonym: String
        var organisation: String
        var baseline: CalendarDate?
        var birthYear: Int?
        var sex: String?
        var points: [PointState]
        var mayWrite: Bool
    }

    static func stateText(_ state: PointState) -> String {
        state.complete ? "Udfyldt" : state.started ? "Delvist udfyldt" : state.due.danishText
    }

    static func citizen(_ model: CitizenModel, context: PageContext) -> Node {
        Layout.page(title: "Borger \(model.pseudonym)", context: context) {
            tag("p", .class("breadcrumb")) {
                tag("a", .href(SiteURL.evaluation(model.id).path)) { model.title }
                " › "
                tag("a", .href(SiteURL.evaluationCitizens(model.id).path)) { "Borgere" }
            }
            tag("h1") { "Borger \(model.pseudonym)" }
            tag("dl", .class("facts")) {
                Layout.fact("Kommune", model.organisation)
                Layout.fact("Baseline", model.baseline?.danishText ?? "–")
                if let year = model.birthYear { Layout.fact("Fødselsår", String(year)) }
                if let sex = model.sex { Layout.fact("Køn", sex) }
            }
            tag("table", .class("data")) {
                tag("caption") { "Målepunkter" }
                tag("thead") {
                    tag("tr") {
                        tag("th", .init("scope", "col")) { "Målepunkt" }
                        tag("th", .init("scope", "col")) { "Status" }
                        tag("th", .init("scope", "col")) { "Resultat" }
                    }
                }
                tag("tbody") {
                    for state in model.points {
                        tag("tr") {
                            tag("th", .init("scope", "row")) {
                                tag(
                                    "a",
                                    .href(
                                        SiteURL.evaluationEntry(model.id, model.citizenID, point: state.point.key).path)
                                ) { state.point.name }
                            }
                            tag("td") { stateText(state) }
                            tag("td") {
                                state.scores.isEmpty
                                    ? "–" : state.scores.map { "\($0.name): \($0.text)" }.joined(separator: "; ")
                            }
                        }
                    }
                }
            }
        }
    }

    struct EntryModel {
        var id: UUID
        var title: String
        var citizenID: UUID
        var pseudonym: String
        var point: MeasurementPoint
        var due: MeasurementPoint.Due
        var instruments: [Instrument]
        var fields: [DataField]
        /// The saved (or posted) answers: "i.<instrument>.<item>" and "f.<field>" → value.
        var values: [String: String]
        var version: Int?
        var scores: [(name: String, text: String)]
        var mayWrite: Bool
        var conflict: String?
    }

    static func entry(_ model: EntryModel, errors: FormErrors, context: PageContext) -> Node {
        Layout.page(title: "\(model.point.name): borger \(model.pseudonym)", context: context) {
            tag("p", .class("breadcrumb")) {
                tag("a", .href(SiteURL.evaluation(model.id).path)) { model.title }
                " › "
                tag("a", .href(SiteURL.evaluationCitizen(model.id, model.citizenID).path)) {
                    "Borger \(model.pseudonym)"
                }
            }
            tag("h1") { "\(model.point.name): borger \(model.pseudonym)" }
            tag("p", .class("lead")) { model.due.danishText + "." }
            if let conflict = model.conflict { tag("p", .class("notice")) { conflict } }
            if !model.scores.isEmpty {
                tag("ul") {
                    for score in model.scores { tag("li") { "\(score.name): \(score.text)" } }
                }
            }
            FormField.errorSummary(errors)
            tag(
                "form", .init("method", "post"),
                .init("action", SiteURL.evaluationEntry(model.id, model.citizenID, point: model.point.key).path),
                Attribute(
                    "data-autosave",
                    model.mayWrite
                        ? SiteURL.evaluationEntry(model.id, model.citizenID, point: model.point.key).path : nil),
                .class("stacked"), .noValidate
            ) {
                Layout.csrfField(context)
                // Empty until the first save (the page's script fills in each version it saves).
                tag("input", .type("hidden"), .name("version"), .value(model.version.map(String.init) ?? ""))
                for instrument in model.instruments {
                    tag("h2") { instrument.name }
                    if !instrument.instruction.isEmpty { tag("p") { instrument.instruction } }
                    for item in instrument.items {
                        let name = "i.\(instrument.key).\(item.key)"
                        if model.mayWrite {
                            FormField.radios(
                                name, legend: item.text + (item.required ? "" : " (valgfrit)"),
                                options: instrument.scale.map { (String($0.value), "\($0.label) (\($0.value))") },
                                selected: model.values[name], errors: errors)
                        } else {
                            tag("p") {
                                tag("strong") { item.text + ": " }
                                model.values[name].flatMap { Int($0) }.flatMap { instrument.label(of: $0) } ?? "–"
                            }
                        }
                    }
                }
                if model.point.monthsAfterBaseline > 0 && !model.fields.isEmpty {
                    tag("h2") { "Implementering og omkostninger" }
                    for field in model.fields {
                        let name = "f.\(field.key)"
                        if model.mayWrite {
                            FormField.text(
                                name, label: "\(field.label) (\(field.kind.danishName.lowercased()))",
                                value: model.values[name].map { DanishNumber.decimal(Decimal(string: $0) ?? 0) }
                                    ?? nil,
                                errors: errors, inputMode: "decimal", width: "medium")
                        } else {
                            Layout.fact(field.label, model.values[name] ?? "–")
                        }
                    }
                }
                if model.mayWrite {
                    // The form saves by itself as it is filled in; the button saves and shows the scores.
                    tag("div", .class("form-bar")) {
                        tag(
                            "p", .class("save-status"), .id("gem-status"), .init("role", "status"),
                            .aria("live", "polite")
                        ) { "" }
                        tag("button", .type("submit"), .class("button")) { "Gem målingen" }
                    }
                }
            }
        }
    }

    // MARK: The data access log

    struct LogRow {
        var at: Date
        var who: String
        var organisation: String
        var action: String
        var evaluation: String?
        var count: Int
        var records: String
    }

    static func accessLog(_ rows: [LogRow], next: String?, context: PageContext) -> Node {
        Layout.page(title: "Log over borgerdata", context: context) {
            tag("h1") { "Log over borgerdata" }
            tag("p", .class("lead")) {
                "Hver visning, indskrivning, registrering, import, eksport og sletning af data om borgere i evalueringerne: hvem, hvornår og hvilke borgere (pseudonymer). Nyeste først."
            }
            if rows.isEmpty {
                tag("p") { "Loggen er tom." }
            } else {
                tag("table", .class("data")) {
                    tag("caption") { "Adgang til borgerdata" }
                    tag("thead") {
                        tag("tr") {
                            for heading in ["Tidspunkt", "Hvem", "Handling", "Evaluering", "Antal", "Borgere"] {
                                tag("th", .init("scope", "col")) { heading }
                            }
                        }
                    }
                    tag("tbody") {
                        for row in rows {
                            tag("tr") {
                                tag("td") { DanishTime.dateTimeWithSeconds(row.at) }
                                tag("td") { row.who + (row.organisation.isEmpty ? "" : ", " + row.organisation) }
                                tag("td") { row.action }
                                tag("td") { row.evaluation ?? "–" }
                                tag("td") { String(row.count) }
                                tag("td") { row.records }
                            }
                        }
                    }
                }
            }
            if let next { tag("p") { tag("a", .href(next)) { "Ældre" } } }
        }
    }
}
