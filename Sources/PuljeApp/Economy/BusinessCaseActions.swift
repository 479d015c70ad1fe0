import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// The business cases' use cases: create one, save its input, keep the net price index. Each writes in one
/// transaction with its audit entry; refused input throws `FormErrors`, a refused act `PuljeError`.
enum BusinessCaseActions {
    static func requireEditor(_ user: CurrentUser) throws {
        guard user.may(.editBusinessCases) else {
            throw PuljeError(.forbidden, "Kun styrelsens programansvarlige kan ændre business cases.")
        }
    }

    /// A new business case with a title (and perhaps an initiative); the rest is filled in on its form.
    static func create(
        title raw: String, initiative initiativeText: String, by user: CurrentUser, req: Request
    )
        async throws -> UUID
    {
        try requireEditor(user)
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FormErrors()
        if title.isEmpty { errors.add("title", "Giv business casen en titel.") }
        if title.count > BusinessCaseLimits.textLength {
            errors.add("title", "Titlen må højst være \(BusinessCaseLimits.textLength) tegn.")
        }
        let initiative = BusinessCaseInitiative(formValue: initiativeText)
        if !initiativeText.isEmpty {
            if let initiative,
                try await CatalogueStore.record(year: initiative.year, number: initiative.number, on: req.db) != nil
            {
            } else {
                errors.add("initiative", "Vælg et initiativ på listen.")
            }
        }
        if !errors.isEmpty { throw errors }
        let now = req.application.now()
        let year = DanishTime.calendar.component(.year, from: now)
        let input = BusinessCaseForm.starting(title: title, initiative: initiative, year: year)
        return try await req.writeTransaction { db in
            let id = try await BusinessCaseStore.create(input, initiative: initiative, by: user.name, at: now, on: db)
            try await AuditLog.record(
                .businessCaseCreate, subject: .businessCase(id),
                summary: "Business case \"\(title)\" oprettet"
                    + (initiative.map { " under initiativ \($0.number) (\($0.year))" } ?? "") + ".",
                by: user, on: db, request: req)
            return id
        }
    }

    /// Saves the form over the version it was loaded at. A save based on an older version is refused with
    /// a conflict; nothing typed is lost (the page shows it again).
    static func save(
        _ record: BusinessCaseRecord, form: BusinessCaseForm, version: Int?, by user: CurrentUser, req: Request
    ) async throws -> String {
        try requireEditor(user)
        let (input, initiative): (BusinessCaseInput, BusinessCaseInitiative?)
        switch form.input(sources: try sources(of: record), rateSource: try record.input().successRateSource) {
        case .success(let read): (input, initiative) = read
        case .failure(let errors): throw errors
        }
        if let initiative,
            try await CatalogueStore.record(year: initiative.year, number: initiative.number, on: req.db) == nil
        {
            throw FormErrors("initiative", "Vælg et initiativ på listen.")
        }
        let old = try record.input()
        let changes = describeChanges(from: old, to: input, initiative: (record.initiative, initiative))
        if changes.isEmpty { return "Der var ingen ændringer at gemme." }
        guard let version else { throw FormErrors("title", "Formularen mangler sit versionsnummer. Genindlæs siden.") }
        let id = try record.requireID()
        let now = req.application.now()
        let index = try await BusinessCaseStore.index(on: req.db)
        let outcome: String
        switch BusinessCaseCalculator.compute(input, index: index) {
        case .success(let result):
            outcome =
                " Samlet nettoresultat efter \(input.horizon) år: \(DanishAmount.kroner(result.total.cumulative.last ?? .zero))."
        case .failure:
            outcome = " Kan ikke beregnes endnu."
        }
        try await req.writeTransaction { db in
            guard
                try await BusinessCaseStore.save(
                    input, initiative: initiative, of: id, over: version, by: user.name, at: now, on: db)
            else {
                throw PuljeError(
                    .conflict,
                    "En anden har gemt business casen, mens du arbejdede. Åbn den igen for at se deres tal; dine er ikke gemt."
                )
            }
            try await AuditLog.record(
                .businessCaseUpdate, subject: .businessCase(id),
                summary: "Ændret: " + changes.joined(separator: ", ") + "." + outcome, by: user, on: db, request: req)
        }
        return "Business casen er gemt."
    }

    /// The sources of the saved case's costs, by the marker the form carries.
    static func sources(of record: BusinessCaseRecord) throws -> [String: CostSource] {
        var found: [String: CostSource] = [:]
        for cost in try record.input().costs {
            if let source = cost.source { found[BusinessCaseForm.accountsSource] = source }
        }
        return found
    }

    /// Takes the costs of the initiative's grant cases from their approved accounts, year by year, into the
    /// case as a cost to the state marked with its source (replacing the one taken before).
    static func fetchAccounts(_ record: BusinessCaseRecord, by user: CurrentUser, req: Request) async throws -> String {
        try requireEditor(user)
        guard let initiative = record.initiative else {
            throw PuljeError(
                .conflict, "Business casen hører ikke til et initiativ, så der er ingen tilskudssager at hente fra.")
        }
        var input = try record.input()
        let spend = try await GrantActions.approvedSpend(ofInitiative: initiative.number, for: user, req: req)
        let amounts = (0..<input.horizon).map { t in BusinessCaseMath.kroner(spend[input.firstYear + t] ?? .zero) }
        let outside = spend.filter { $0.key < input.firstYear || $0.key >= input.firstYear + input.horizon }
            .filter { $0.value != .zero }
        var description = "godkendte regnskaber for tilskudssagerne under initiativ \(initiative.number)"
        if !outside.isEmpty {
            description +=
                "; uden for horisonten: "
                + outside.sorted { $0.key < $1.key }.map { "\($0.key): \(DanishAmount.kroner($0.value))" }
                .joined(separator: ", ")
        }
        let source = CostSource(description: description, amounts: amounts)
        let cost = BusinessCaseInput.Cost(
            name: "Tilskud ifølge regnskaberne", kind: .operation, payer: .state, amounts: amounts, source: source)
        if let index = input.costs.firstIndex(where: { $0.source != nil }) {
            input.costs[index] = cost
        } else {
            input.costs.append(cost)
        }
        if let problem = input.problems().first(where: { $0.path.hasPrefix("costs") }) {
            throw PuljeError(.unprocessableEntity, problem.message)
        }
        let id = try record.requireID()
        let now = req.application.now()
        let total = spend.values.sum()
        let saved = input
        let found = description
        try await req.writeTransaction { db in
            guard
                try await BusinessCaseStore.save(
                    saved, initiative: initiative, of: id, over: record.version, by: user.name, at: now, on: db)
            else { throw PuljeError(.conflict, "En anden har gemt business casen imens. Prøv igen.") }
            try await AuditLog.record(
                .businessCaseUpdate, subject: .businessCase(id),
                summary: "Omkostninger hentet fra \(found): \(DanishAmount.kroner(total)) i alt.", by: user,
                on: db, request: req)
        }
        return
            "Omkostningerne er hentet fra tilskudssagernes godkendte regnskaber (\(DanishAmount.kroner(total)) i alt)."
    }

    /// The evaluations of the calls under the business case's initiative, by title.
    static func evaluations(
        of record: BusinessCaseRecord, on db: any Database
    ) async throws -> [(id: UUID, title: String)] {
        guard let initiative = record.initiative else { return [] }
        return try await EvaluationStore.evaluations(on: db).filter { $0.call.initiativeNumber == initiative.number }
            .map { (try $0.requireID(), $0.title) }
    }

    /// Takes the success rate with the intervention from an evaluation of a call under the initiative: the
    /// share of citizens with a meaningful improvement from baseline to the latest measurement point that has
    /// at least five citizens measured at both, marked with its source. Never from fewer than five.
    static func fetchSuccessRate(
        _ record: BusinessCaseRecord, evaluation evaluationText: String, by user: CurrentUser, req: Request
    ) async throws -> String {
        try requireEditor(user)
        guard let initiative = record.initiative else {
            throw PuljeError(
                .conflict, "Business casen hører ikke til et initiativ, så der er ingen evalueringer at hente fra.")
        }
        guard let evaluationID = UUID(uuidString: evaluationText),
            let evaluation = try await EvaluationStore.evaluation(evaluationID, on: req.db),
            evaluation.call.initiativeNumber == initiative.number
        else { throw PuljeError(.unprocessableEntity, "Vælg en evaluering af en pulje under initiativet.") }
        let design = try evaluation.design()
        let versions = try await EvaluationStore.instrumentVersions(on: req.db)
        let citizens = try await EvaluationActions.citizenData(evaluation, organisation: nil, on: req.db).map(\.1)
        guard let baseline = design.points.first else {
            throw PuljeError(.unprocessableEntity, "Evalueringen har ingen målepunkter.")
        }
        var found: (rate: Decimal, compared: Int, point: MeasurementPoint, instrument: String)?
        for point in design.points.dropFirst().reversed() where found == nil {
            for key in point.instruments where baseline.instruments.contains(key) {
                let result = EvaluationOverview.improvementRate(
                    instrument: key, from: baseline.key, to: point.key, instruments: versions, citizens: citizens)
                if let rate = result.rate, result.compared >= SmallCells.minimum {
                    found = (rate, result.compared, point, key)
                    break
                }
            }
        }
        guard let found else {
            throw PuljeError(
                .unprocessableEntity,
                "Evalueringen har endnu ikke \(SmallCells.minimum) borgere målt både ved \(baseline.name.lowercased()) og ved en senere måling med et instrument, der har en betydende ændring. Der hentes aldrig en succesrate fra færre."
            )
        }
        let name =
            versions[found.instrument].flatMap { all in all.keys.max().flatMap { all[$0]?.name } } ?? found.instrument
        let source = RateSource(
            description:
                "andel med betydende bedring i \(name) fra \(baseline.name.lowercased()) til \(found.point.name.lowercased()) i evalueringen \"\(evaluation.title)\"",
            rate: found.rate, citizens: found.compared)
        var input = try record.input()
        input.successRateNew = found.rate
        input.successRateSource = source
        input.successRateOverrideReason = nil
        let id = try record.requireID()
        let now = req.application.now()
        let saved = input
        try await req.writeTransaction { db in
            guard
                try await BusinessCaseStore.save(
                    saved, initiative: initiative, of: id, over: record.version, by: user.name, at: now, on: db)
            else { throw PuljeError(.conflict, "En anden har gemt business casen imens. Prøv igen.") }
            try await AuditLog.record(
                .businessCaseUpdate, subject: .businessCase(id),
                summary:
                    "Succesrate med indsatsen hentet fra evalueringsdata: \(DanishNumber.decimal(found.rate)) % (\(source.description), \(found.compared) borgere).",
                by: user, on: db, request: req)
        }
        return
            "Succesraten med indsatsen er sat til \(DanishNumber.decimal(found.rate)) %: \(source.description), \(found.compared) borgere."
    }

    /// What changed, by the parts of the form a reader knows.
    static func describeChanges(
        from old: BusinessCaseInput, to new: BusinessCaseInput,
        initiative: (old: BusinessCaseInitiative?, new: BusinessCaseInitiative?)
    ) -> [String] {
        var changes: [String] = []
        if old.title != new.title { changes.append("titel") }
        if initiative.old != initiative.new { changes.append("initiativ") }
        if old.priceLevel != new.priceLevel { changes.append("prisniveau \(old.priceLevel) → \(new.priceLevel)") }
        if old.firstYear != new.firstYear { changes.append("første år \(old.firstYear) → \(new.firstYear)") }
        if old.horizon != new.horizon { changes.append("horisont \(old.horizon) → \(new.horizon) år") }
        if old.discountRate != new.discountRate {
            changes.append(
                "diskonteringsrente \(DanishNumber.decimal(old.discountRate)) % → \(DanishNumber.decimal(new.discountRate)) %"
            )
        }
        if old.successRateNew != new.successRateNew || old.successRateCurrent != new.successRateCurrent {
            changes.append(
                "succesrater \(DanishNumber.decimal(new.successRateNew)) % og \(DanishNumber.decimal(new.successRateCurrent)) %"
            )
        }
        if old.cohorts != new.cohorts { changes.append("borgere pr. årgang") }
        if old.consequences != new.consequences {
            changes.append("konsekvenser (\(new.consequences.count))")
        }
        if old.costs != new.costs { changes.append("omkostninger (\(new.costs.count))") }
        return changes
    }

    /// Sets or (with an empty value) removes one year of the net price index.
    static func setIndex(
        year yearText: String, value valueText: String, by user: CurrentUser, req: Request
    )
        async throws -> String
    {
        try requireEditor(user)
        let trimmedYear = yearText.trimmingCharacters(in: .whitespaces)
        let trimmedValue = valueText.trimmingCharacters(in: .whitespaces)
        var errors = FormErrors()
        let year = Int(trimmedYear)
        if year == nil { errors.add("year", "Året skal være et årstal, fx 2024.") }
        var value: Decimal?
        if !trimmedValue.isEmpty {
            value = DanishNumber.decimal(trimmedValue)
            if value == nil { errors.add("value", "Indeksværdien skal være et tal, fx 104,3.") }
        }
        if let year, let value, let problem = NetPriceIndex.problem(year: year, value: value) {
            errors.add(problem.hasPrefix("Året") ? "year" : "value", problem)
        }
        if let year, !BusinessCaseLimits.years.contains(year) {
            errors.add("year", "Året skal være et årstal, fx 2024.")
        }
        if !errors.isEmpty { throw errors }
        guard let year else { throw errors }
        let now = req.application.now()
        let newValue = value
        let shown = value.map { DanishNumber.decimal($0) }
        return try await req.writeTransaction { db in
            let before = try await BusinessCaseStore.setIndex(year: year, to: newValue, by: user.name, at: now, on: db)
            let old = before.flatMap { Decimal(string: $0) }.map { DanishNumber.decimal($0) }
            if old == shown { return "Der var ingen ændringer at gemme." }
            try await AuditLog.record(
                .priceIndexUpdate, subject: .priceIndex,
                summary: "Nettoprisindeks \(year): \(old ?? "ingen værdi") → \(shown ?? "fjernet").", by: user, on: db,
                request: req)
            return shown.map { "Indeksværdien for \(year) er sat til \($0)." }
                ?? "Året \(year) er fjernet fra indekset."
        }
    }
}
