import Fluent
import Foundation
import PuljeDomain
import Vapor

/// `pulje seed-evaluation --citizens 50000`: an evaluation (WHO-5 at baseline, 6 and 12 months, one field)
/// with citizens over the 98 municipalities and every measurement filled in, for
/// `benchmarks/evaluation_export.py`. Each citizen is 23 rows of the long export (3 points × 5 answers and 2
/// scores, and the field at the two follow-ups), so 43.479 citizens make 1.000.017 rows. Refused in production.
struct EvaluationSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "citizens", help: "Number of citizens (default 1000, at most 500000)")
        var citizens: Int?
    }

    var help: String {
        "Creates an evaluation with citizens and measurements for the export benchmark (not in production)."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard app.environment != .production else {
            throw PuljeError(.forbidden, "seed-evaluation kan ikke bruges i produktion.")
        }
        let count = signature.citizens ?? 1000
        guard (1...500_000).contains(count) else {
            throw PuljeError(.badRequest, "--citizens skal være mellem 1 og 500000.")
        }
        try await app.autoMigrate()
        try await Startup.seed(app)
        let id = try await Self.seed(app, citizens: count)
        print(
            "{\"evaluation\": \"\(id.uuidString.lowercased())\", \"citizens\": \(count), \"longRows\": \(count * 23)}")
    }

    static func seed(_ app: Application, citizens count: Int) async throws -> UUID {
        let municipalities = try await OrganisationRecord.query(on: app.db)
            .filter(\.$kind == OrganisationKind.municipality.rawValue).sort(\.$municipalityCode).all()
        guard let call = try await CallRecord.query(on: app.db).sort(\.$title).first() else {
            throw PuljeError(.conflict, "Der er ingen pulje at knytte evalueringen til.")
        }
        let now = Date()
        let design = EvaluationDesign(
            points: EvaluationActions.startingDesign.points, fields: EvaluationActions.startingDesign.fields)
        let id = try await EvaluationStore.createEvaluation(
            call: try call.requireID(), title: "Belastningstest \(Int(now.timeIntervalSince1970))", design: design,
            end: CalendarDate(year: 2199, month: 12, day: 31)!, retention: .delete, by: "Belastningstest", at: now,
            on: app.db)
        let key = app.pseudonymKey
        var batch: [EvaluationStore.SeedCitizen] = []
        for index in 0..<count {
            // Invented numbers: a day of 1990–1999 and a serial, turned into the pseudonym as enrolment does.
            let day = 1 + index % 28
            let month = 1 + (index / 28) % 12
            let year = 90 + (index / 336) % 10
            let serial = (index / 3360) % 4000
            let digits = String(format: "%02d%02d%02d%04d", day, month, year, serial)
            guard case .success(let cpr) = CPRNumber.parse(digits, today: CalendarDate.of(now)) else { continue }
            let values = (1...5).map { String($0) }
            func answers(_ shift: Int) -> String {
                let pairs = values.enumerated().map { "\"\($0.element)\":\((index + $0.offset + shift) % 6)" }
                return "{\"who5\":{\"values\":{\(pairs.joined(separator: ","))},\"version\":1}}"
            }
            batch.append(
                .init(
                    id: UUID(), organisation: try municipalities[index % municipalities.count].requireID(),
                    pseudonym: Pseudonym.of(cpr, evaluation: id, installationKey: key).value, baseline: "2026-01-15",
                    entries: [
                        ("baseline", answers(0), "{}"), ("6mdr", answers(1), "{\"sessioner\":\"\(index % 20)\"}"),
                        ("12mdr", answers(2), "{\"sessioner\":\"\(index % 17)\"}"),
                    ]))
            if batch.count == 2000 || index == count - 1 {
                try await EvaluationStore.insertSeed(batch, evaluation: id, at: now, on: app.db)
                batch.removeAll(keepingCapacity: true)
            }
        }
        return id
    }
}
