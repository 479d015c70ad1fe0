import Fluent
import PuljeDomain
import Vapor

/// Read-only catalogue API. Amounts are whole øre (`…Ore`), phases and areas stable codes.
enum InitiativesAPI {
    struct Summary: Content {
        var programmeYear: Int
        var number: String
        var title: String
        var area: String
        var phase: String
        var track: Int?
        var priceLevel: Int
        var totalOre: Int64
        var url: String
    }

    struct Detail: Content {
        struct Budget: Content {
            struct YearAmount: Content {
                var year: Int
                var amountOre: Int64
            }
            struct CategoryAmount: Content {
                var category: String
                var amountOre: Int64
            }
            var priceLevel: Int
            var totalOre: Int64
            var byYear: [YearAmount]
            var byCategory: [CategoryAmount]
            var consistent: Bool
        }
        struct Period: Content {
            struct QuarterRef: Content {
                var year: Int
                var quarter: Int
            }
            var label: String
            var from: QuarterRef
            var to: QuarterRef
            var activities: [String]
        }
        var programmeYear: Int
        var number: String
        var title: String
        var area: String
        var phase: String
        var track: Int?
        var grantRecipients: String
        var purpose: String
        var background: String
        var targetGroup: String
        var expectedResults: String
        var activities: String
        var successCriteria: String
        var implementationNote: String
        var applicationPoolCriteria: String
        var budget: Budget
        var timeline: [Period]
        var facts: Facts
    }

    struct Facts: Content {
        var municipalitiesSought: String
        var durationYears: Int?
        var partners: [String]
        var origin: String
        var notes: [String]
    }

    struct List: Content {
        var items: [Summary]
        var count: Int
        var totalOre: Int64
    }

    @Sendable static func index(req: Request) async throws -> List {
        var query = CatalogueQuery(text: (try? req.query.get(String.self, at: "q")) ?? "")
        if let area = try? req.query.get(String.self, at: "area") {
            guard let value = ProgrammeArea(rawValue: area) else {
                throw PuljeError(
                    .badRequest,
                    "Ukendt område '\(area)'. Brug en af: \(ProgrammeArea.allCases.map(\.rawValue).joined(separator: ", "))."
                )
            }
            query.area = value
        }
        if let phase = try? req.query.get(String.self, at: "phase") {
            guard let value = SUSIPhase(rawValue: phase) else {
                throw PuljeError(
                    .badRequest,
                    "Ukendt fase '\(phase)'. Brug en af: \(SUSIPhase.allCases.map(\.rawValue).joined(separator: ", "))."
                )
            }
            query.phase = value
        }
        let initiatives = query.filter(try await CatalogueStore.all(on: req.db))
        return List(
            items: initiatives.map(summary), count: initiatives.count,
            totalOre: initiatives.map(\.budget.total).sum().ore)
    }

    @Sendable static func show(req: Request) async throws -> Detail {
        let number = req.parameters.get("number") ?? ""
        guard InitiativeNumber(number) != nil else {
            throw PuljeError(.badRequest, "'\(number)' er ikke et initiativnummer; numre skrives som 1.8.")
        }
        var year: Int?
        if let text = try? req.query.get(String.self, at: "year") {
            guard let value = Int(text) else { throw PuljeError(.badRequest, "year skal være et årstal, fx 2022.") }
            year = value
        }
        guard let initiative = try await CatalogueStore.find(number: number, year: year, on: req.db) else {
            throw PuljeError(.notFound, "Der findes intet initiativ med nummeret \(number).")
        }
        return detail(initiative)
    }

    static func summary(_ i: Initiative) -> Summary {
        Summary(
            programmeYear: i.programmeYear, number: i.number.description, title: i.title, area: i.area.rawValue,
            phase: i.phase.rawValue, track: i.track, priceLevel: i.budget.priceLevel, totalOre: i.budget.total.ore,
            url: SiteURL.api(.initiative(number: i.number.description)).path + "?year=\(i.programmeYear)")
    }

    static func detail(_ i: Initiative) -> Detail {
        Detail(
            programmeYear: i.programmeYear, number: i.number.description, title: i.title, area: i.area.rawValue,
            phase: i.phase.rawValue, track: i.track, grantRecipients: i.grantRecipients, purpose: i.purpose,
            background: i.background, targetGroup: i.targetGroup, expectedResults: i.expectedResults,
            activities: i.activities, successCriteria: i.successCriteria, implementationNote: i.implementationNote,
            applicationPoolCriteria: i.applicationPoolCriteria,
            budget: .init(
                priceLevel: i.budget.priceLevel, totalOre: i.budget.total.ore,
                byYear: i.budget.years.map { .init(year: $0, amountOre: i.budget.byYear[$0]!.ore) },
                byCategory: BudgetCategory.allCases.compactMap { c in
                    i.budget.byCategory[c].map { .init(category: c.rawValue, amountOre: $0.ore) }
                },
                consistent: i.budget.isConsistent),
            timeline: i.timeline.map {
                .init(
                    label: $0.label, from: .init(year: $0.from.year, quarter: $0.from.quarter),
                    to: .init(year: $0.to.year, quarter: $0.to.quarter), activities: $0.activities)
            },
            facts: Facts(
                municipalitiesSought: i.facts.municipalitiesSought, durationYears: i.facts.durationYears,
                partners: i.facts.partners, origin: i.facts.origin, notes: i.facts.notes))
    }
}

/// The OpenAPI 3.1 description of `/api/v1`, kept honest by the tests.
enum OpenAPIDocument {
    static let json: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "{}" }
        return text
    }()

    @Sendable static func serve(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(string: json))
    }
}
