import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// HTTP for the business cases and the net price index: thin, the rules are in `BusinessCaseCalculator`
/// and the writes in `BusinessCaseActions`.
enum BusinessCasesController {
    static func initiativeOptions(_ req: Request) async throws -> [(value: String, label: String)] {
        try await CatalogueStore.all(on: req.db).map {
            (
                BusinessCaseInitiative(year: $0.programmeYear, number: $0.number.description).formValue,
                "\($0.number) \($0.title) (\($0.programmeYear))"
            )
        }
    }

    static func find(_ req: Request) async throws -> BusinessCaseRecord {
        guard let id = req.parameters.get("businessCaseID", as: UUID.self),
            let record = try await BusinessCaseStore.find(id, on: req.db)
        else { throw PuljeError(.notFound, "Business casen findes ikke.") }
        return record
    }

    static func computed(
        _ record: BusinessCaseRecord, index: NetPriceIndex
    ) -> Result<
        BusinessCaseResult, BusinessCaseProblems
    > {
        do {
            return BusinessCaseCalculator.compute(try record.input(), index: index)
        } catch {
            return .failure(.init([.init(path: "", message: "Business casens tal kan ikke læses.")]))
        }
    }

    static func listPage(
        _ req: Request, user: CurrentUser, errors: FormErrors = FormErrors(), posted: [String: String] = [:]
    ) async throws -> Node {
        let index = try await BusinessCaseStore.index(on: req.db)
        let rows = try await BusinessCaseStore.all(on: req.db).map { record in
            BusinessCasePages.ListRow(
                id: try record.requireID(), title: record.title,
                initiative: record.initiative.map { "\($0.number) (\($0.year))" }, updatedAt: record.updatedAt,
                updatedBy: record.updatedBy, outcome: BusinessCasePages.outcome(computed(record, index: index)))
        }
        return BusinessCasePages.list(
            .init(rows: rows, initiatives: try await initiativeOptions(req), canEdit: user.may(.editBusinessCases)),
            errors: errors, posted: posted, context: req.pageContext())
    }

    @Sendable static func index(req: Request) async throws -> Response {
        let user = try req.authorize(.readBusinessCases)
        return try await listPage(req, user: user).encodeResponse(for: req)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let posted = req.formFields
        do {
            let id = try await BusinessCaseActions.create(
                title: posted["title"] ?? "", initiative: posted["initiative"] ?? "", by: user, req: req)
            req.flash("Business casen er oprettet. Udfyld forudsætningerne.")
            return req.redirect(to: SiteURL.editBusinessCase(id).path)
        } catch let errors as FormErrors {
            return try await listPage(req, user: user, errors: errors, posted: posted)
                .response(status: .unprocessableEntity)
        }
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.authorize(.readBusinessCases)
        let record = try await find(req)
        let id = try record.requireID()
        let history: [(at: Date, who: String, what: String)]? =
            user.may(.viewAuditHistory)
            ? try await AuditLog.history(of: .businessCase(id), on: req.db).map {
                ($0.at, $0.actorName, AuditAction.danishName(of: $0.action) + ". " + $0.summary)
            } : nil
        let model = BusinessCasePages.ShowModel(
            id: id, title: record.title, initiative: record.initiative, updatedAt: record.updatedAt,
            updatedBy: record.updatedBy,
            computed: computed(record, index: try await BusinessCaseStore.index(on: req.db)),
            canEdit: user.may(.editBusinessCases), history: history,
            rateSource: try record.input().successRateSource,
            evaluations: user.may(.editBusinessCases) && record.initiative != nil
                ? try await BusinessCaseActions.evaluations(of: record, on: req.db) : [])
        return BusinessCasePages.show(model, context: req.pageContext()).response(status: .ok)
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        let user = try req.authorize(.readBusinessCases)
        try BusinessCaseActions.requireEditor(user)
        let record = try await find(req)
        let model = BusinessCaseEditPage.Model(
            id: try record.requireID(), version: record.version,
            form: BusinessCaseForm(try record.input(), initiative: record.initiative),
            initiatives: try await initiativeOptions(req), conflict: nil,
            sources: try BusinessCaseActions.sources(of: record), rateSource: try record.input().successRateSource)
        return BusinessCaseEditPage.view(model, errors: FormErrors(), context: req.pageContext()).response(status: .ok)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let record = try await find(req)
        let posted = req.formFields
        let form = BusinessCaseForm(values: posted)
        let version = posted["version"].flatMap { Int($0) }
        var model = BusinessCaseEditPage.Model(
            id: try record.requireID(), version: version ?? record.version, form: form,
            initiatives: try await initiativeOptions(req), conflict: nil,
            sources: try BusinessCaseActions.sources(of: record), rateSource: try record.input().successRateSource)
        do {
            req.flash(try await BusinessCaseActions.save(record, form: form, version: version, by: user, req: req))
            return req.redirect(to: SiteURL.businessCase(model.id).path)
        } catch let errors as FormErrors {
            return BusinessCaseEditPage.view(model, errors: errors, context: req.pageContext())
                .response(status: .unprocessableEntity)
        } catch let error as PuljeError where error.status == .conflict {
            // What was typed stays in the form; saving again (on the current version) overwrites knowingly.
            model.conflict = error.reason + " Vil du gemme dine tal alligevel, så tryk Gem og beregn igen."
            model.version = try await BusinessCaseStore.find(model.id, on: req.db)?.version ?? record.version
            return BusinessCaseEditPage.view(model, errors: FormErrors(), context: req.pageContext())
                .response(status: .conflict)
        }
    }

    @Sendable static func fetchAccounts(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let record = try await find(req)
        req.flash(try await BusinessCaseActions.fetchAccounts(record, by: user, req: req))
        return req.redirect(to: SiteURL.businessCase(try record.requireID()).path + "#beregningen")
    }

    @Sendable static func fetchSuccessRate(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let record = try await find(req)
        req.flash(
            try await BusinessCaseActions.fetchSuccessRate(
                record, evaluation: req.formFields["evaluation"] ?? "", by: user, req: req))
        return req.redirect(to: SiteURL.businessCase(try record.requireID()).path)
    }

    @Sendable static func xlsx(req: Request) async throws -> Response {
        try req.authorize(.readBusinessCases)
        let record = try await find(req)
        switch computed(record, index: try await BusinessCaseStore.index(on: req.db)) {
        case .success(let result):
            return BudgetExport.download(
                try XLSX.workbook(sheet: "Business case", rows: result.table()),
                type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name: "business-case.xlsx")
        case .failure(let failure):
            throw PuljeError(
                .unprocessableEntity,
                "Business casen kan ikke beregnes: " + failure.problems.map(\.message).joined(separator: " "))
        }
    }

    @Sendable static func json(req: Request) async throws -> Response {
        try req.authorize(.readBusinessCases)
        let record = try await find(req)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let body: Data
        let status: HTTPResponseStatus
        switch computed(record, index: try await BusinessCaseStore.index(on: req.db)) {
        case .success(let result):
            body = try encoder.encode(result)
            status = .ok
        case .failure(let failure):
            body = try encoder.encode(
                BusinessCaseCLI.Failure(error: .init(kind: "invalid", problems: failure.problems)))
            status = .unprocessableEntity
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
        return Response(status: status, headers: headers, body: .init(data: body))
    }

    static func indexPage(
        _ req: Request, user: CurrentUser, errors: FormErrors = FormErrors(), posted: [String: String] = [:]
    ) async throws -> Node {
        let rows = try await BusinessCaseStore.indexRecords(on: req.db).compactMap { record in
            Decimal(string: record.value).map {
                PriceIndexPage.Row(
                    year: record.year, value: $0, updatedBy: record.updatedBy, updatedAt: record.updatedAt)
            }
        }
        return PriceIndexPage.view(
            rows: rows, canEdit: user.may(.editBusinessCases), errors: errors, posted: posted,
            context: req.pageContext())
    }

    @Sendable static func priceIndex(req: Request) async throws -> Response {
        let user = try req.authorize(.readBusinessCases)
        return try await indexPage(req, user: user).encodeResponse(for: req)
    }

    @Sendable static func setPriceIndex(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let posted = req.formFields
        do {
            req.flash(
                try await BusinessCaseActions.setIndex(
                    year: posted["year"] ?? "", value: posted["value"] ?? "", by: user, req: req))
            return req.redirect(to: SiteURL.priceIndex.path)
        } catch let errors as FormErrors {
            return try await indexPage(req, user: user, errors: errors, posted: posted)
                .response(status: .unprocessableEntity)
        }
    }
}
