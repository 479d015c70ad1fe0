import Foundation
import PuljeDomain
import Vapor

/// The assessment of a call as spreadsheets: every application with its screening and consensus scores
/// per criterion, and the selection with its totals.
enum AssessmentExport {
    static func applicationRows(_ assessment: CallAssessment) -> [[BudgetTable.Cell]] {
        let criteria = assessment.rules.criteria
        let ranks = Dictionary(uniqueKeysWithValues: assessment.ranking().map { ($0.id, $0.rank) })
        var rows: [[BudgetTable.Cell]] = [
            [
                .text("Ansøgningsnummer"), .text("Ansøger"), .text("Projekt"), .text("Indsendt"), .text("Status"),
                .text("Screening"), .text("Begrundelse"), .text("Ansøgt (kr.)"),
            ]
                + criteria.map { .text("\($0.name) (vægt \($0.weight))") }
                + [.text("Vægtet score"), .text("Under minimum"), .text("Placering")]
        ]
        for application in assessment.applications {
            let id = application.id!
            let screening = assessment.screenings[id]
            let consensus = assessment.consensusScores(id)
            let weighted = assessment.weighted(id)
            rows.append(
                [
                    .text(application.submissionNumber ?? ""), .text(application.organisation.name),
                    .text(assessment.submittedContent(application).projectTitle),
                    .text(application.submittedAt.map(DanishTime.dateTimeWithSeconds) ?? ""),
                    .text(application.applicationStatus.danishName),
                    .text(screening?.screeningOutcome.danishName ?? "Ikke screenet"), .text(screening?.reason ?? ""),
                    .amount(assessment.requested(application)),
                ]
                    + criteria.map { c in consensus[c.id].map { .number(hundredths: hundredths($0)) } ?? .empty }
                    + [
                        weighted.isComplete ? .number(hundredths: hundredths(weighted.value)) : .empty,
                        .text(
                            criteria.filter { weighted.belowMinimum.contains($0.id) }.map(\.name).joined(
                                separator: ", ")),
                        ranks[CandidateID(id)].map { .number(hundredths: Int64($0) * 100) } ?? .empty,
                    ])
        }
        return rows
    }

    static func selectionRows(_ assessment: CallAssessment) throws -> [[BudgetTable.Cell]] {
        var rows: [[BudgetTable.Cell]] = [
            [
                .text("Ansøgningsnummer"), .text("Ansøger"), .text("Projekt"), .text("Målområder"),
                .text("Vægtet score"), .text("Ansøgt (kr.)"), .text("Bevilget (kr.)"), .text("Begrundelse"),
            ]
        ]
        let portfolio = assessment.portfolio()
        guard case .success(let explanation) = portfolio.result else {
            if case .failure(let error) = portfolio.result {
                rows.append([.text("Intet gyldigt udvalg: \(error.message)")])
            }
            return rows
        }
        let candidates = Dictionary(uniqueKeysWithValues: portfolio.instance.candidates.map { ($0.id, $0) })
        var requested = Money.zero
        for id in explanation.selection.selected {
            guard let uuid = id.uuid, let application = assessment.application(uuid),
                let candidate = candidates[id]
            else { continue }
            requested += assessment.requested(application)
            rows.append([
                .text(application.submissionNumber ?? ""), .text(application.organisation.name),
                .text(assessment.submittedContent(application).projectTitle),
                .text(candidate.areas.sorted().joined(separator: ", ")),
                .number(hundredths: hundredths(candidate.score)), .amount(assessment.requested(application)),
                .amount(candidate.amount), .text(assessment.overrides[uuid]?.reason ?? ""),
            ])
        }
        rows.append([])
        rows.append([
            .text("I alt"), .text(DanishCount.of(explanation.selection.selected.count, "ansøgning", "ansøgninger")),
            .empty, .empty,
            .number(hundredths: hundredths(explanation.selection.totalScore)), .amount(requested),
            .amount(explanation.selection.totalAmount), .empty,
        ])
        rows.append([
            .text("Puljens midler"), .empty, .empty, .empty, .empty, .empty, .amount(portfolio.instance.funds),
        ])
        return rows
    }

    static func hundredths(_ score: Double) -> Int64 { Int64((score * 100).rounded()) }

    static func loadForExport(_ req: Request) async throws -> CallAssessment {
        let (user, assessment) = try await AssessmentCase.openCall(req)
        guard user.seesAllAssessments else { throw PuljeError(.notFound, "Siden findes ikke.") }
        return assessment
    }

    @Sendable static func applicationsCSV(req: Request) async throws -> Response {
        let rows = applicationRows(try await loadForExport(req))
        return BudgetExport.download(
            Data(BudgetTable.csv(rows: rows).utf8), type: "text/csv; charset=utf-8", name: "vurdering.csv")
    }

    @Sendable static func applicationsXLSX(req: Request) async throws -> Response {
        let rows = applicationRows(try await loadForExport(req))
        return BudgetExport.download(
            try XLSX.workbook(sheet: "Vurdering", rows: rows),
            type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name: "vurdering.xlsx")
    }

    @Sendable static func selectionCSV(req: Request) async throws -> Response {
        let rows = try selectionRows(try await loadForExport(req))
        return BudgetExport.download(
            Data(BudgetTable.csv(rows: rows).utf8), type: "text/csv; charset=utf-8", name: "udvalg.csv")
    }

    @Sendable static func selectionXLSX(req: Request) async throws -> Response {
        let rows = try selectionRows(try await loadForExport(req))
        return BudgetExport.download(
            try XLSX.workbook(sheet: "Udvalg", rows: rows),
            type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name: "udvalg.xlsx")
    }
}
