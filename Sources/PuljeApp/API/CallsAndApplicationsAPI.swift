import Fluent
import Foundation
import PuljeDomain
import Vapor

/// `/api/v1/calls` (public) and `/api/v1/applications` (the signed-in organisation's). Writes need the
/// session cookie and the session's CSRF token in `X-CSRF-Token`; the rules and messages are the pages'.
enum CallsAPI {
    struct CallSummary: Content {
        var id: UUID
        var title: String
        var phase: String
        var deadline: Date?
        var deadlineText: String?
        var opensAt: Date?
        var fundsOre: Int64?
        var round: Int?
        var version: Int
    }

    struct CallDetail: Content {
        struct Criterion: Content {
            var id: String
            var name: String
            var description: String
            /// The agency's weight; the guides give none.
            var weight: Int
            var minimumScore: Double?
            /// What the guide says will be prioritised, as printed; empty where it says nothing.
            var guidePriority: String
        }
        struct Question: Content {
            var id: String
            var text: String
            var guidance: String
            var required: Bool
            var maxLength: Int
            var criterionId: String?
        }
        struct Condition: Content {
            var id: String
            var text: String
        }
        struct Area: Content {
            var code: String
            var name: String
            /// The selection must hold at least this many applications covering the area; nil for no minimum.
            var minimumSelected: Int?
        }
        struct Budget: Content {
            var eligibleCategories: [String]
            var maximumTotalOre: Int64?
            var maximumPerYearOre: Int64?
            var requiresMonthlySpread: Bool
        }
        var call: CallSummary
        var summary: String
        var targetGroup: String
        var initiativeNumber: String?
        var applicantKinds: [String]
        /// The approval the guide requires before submission, in its words; left out when none.
        var requiredApproval: String?
        var legalBases: [String]
        var targetAreas: [Area]
        var municipalitiesMin: Int?
        var municipalitiesMax: Int?
        var financeLawAccount: String
        var projectStart: String
        var projectEnd: String
        var answerExpected: String?
        var startUpMeeting: String
        var minimumConditions: [Condition]
        var criteria: [Criterion]
        var questions: [Question]
        var budget: Budget
    }

    struct CallList: Content {
        var items: [CallSummary]
        var count: Int
    }

    static func summary(_ call: CallRecord, rules: CallRules, now: Date) throws -> CallSummary {
        return CallSummary(
            id: try call.requireID(), title: call.title, phase: CallPhase(rules: rules, at: now).rawValue,
            deadline: rules.deadline?.instant,
            deadlineText: rules.deadline?.danishText, opensAt: rules.opensAt, fundsOre: rules.funds?.ore,
            round: rules.round, version: call.version)
    }

    @Sendable static func index(req: Request) async throws -> CallList {
        let wanted = try? req.query.get(String.self, at: "phase")
        if let wanted, CallPhase(rawValue: wanted) == nil {
            throw PuljeError(.badRequest, "Ukendt phase '\(wanted)'. Brug open, upcoming eller closed.")
        }
        let now = req.application.now()
        let calls = try await CallStore.all(includingDrafts: false, on: req.db)
        let items = try calls.map { try summary($0, rules: $0.rules(), now: now) }.filter {
            wanted == nil || $0.phase == wanted
        }
        return CallList(items: items, count: items.count)
    }

    @Sendable static func show(req: Request) async throws -> CallDetail {
        let call = try await CallStore.visible(req)
        let r = try call.rules()
        return CallDetail(
            call: try summary(call, rules: r, now: req.application.now()), summary: call.summary,
            targetGroup: call.targetGroup, initiativeNumber: call.initiativeNumber,
            applicantKinds: r.applicantKinds.map(\.rawValue).sorted(), requiredApproval: r.requiredApproval,
            legalBases: r.legalBases,
            targetAreas: r.targetAreas.map { .init(code: $0.code, name: $0.name, minimumSelected: $0.minimumSelected) },
            municipalitiesMin: r.municipalitiesSought?.lowerBound,
            municipalitiesMax: r.municipalitiesSought?.upperBound,
            financeLawAccount: r.financeLawAccount, projectStart: r.projectStart, projectEnd: r.projectEnd,
            answerExpected: r.answerExpected?.danishText, startUpMeeting: r.startUpMeeting,
            minimumConditions: r.minimumConditions.map { .init(id: $0.id, text: $0.text) },
            criteria: r.criteria.map {
                .init(
                    id: $0.id, name: $0.name, description: $0.description, weight: $0.weight,
                    minimumScore: $0.minimumScore, guidePriority: $0.guidePriority)
            },
            questions: r.questions.map {
                .init(
                    id: $0.id, text: $0.text, guidance: $0.guidance, required: $0.required, maxLength: $0.maxLength,
                    criterionId: $0.criterionID)
            },
            budget: .init(
                eligibleCategories: r.budget.eligibleCategories.map(\.rawValue),
                maximumTotalOre: r.budget.maximumTotal?.ore,
                maximumPerYearOre: r.budget.maximumPerYear?.ore, requiresMonthlySpread: r.budget.requiresMonthlySpread))
    }
}

enum ApplicationsAPI {
    /// The content as the API reads and writes it: amounts in øre, quantities in hundredths.
    struct Content: Vapor.Content {
        struct Service: Vapor.Content {
            var name: String
            var legalBasis: String
            var citizens: Int
        }
        struct Contact: Vapor.Content {
            var name: String
            var role: String?
            var email: String?
            var phone: String?
        }
        struct Line: Vapor.Content {
            var category: String
            var description: String
            var unitsHundredths: Int64
            var unitPriceOre: Int64
            var year: Int
            var months: [Int]
            var note: String?
            var amountOre: Int64?
        }
        var projectTitle: String
        var targetAreas: [String]
        var services: [Service]
        var contacts: [Contact]
        var answers: [String: String]
        var declarations: [String]
        var budget: [Line]

        init(_ c: ApplicationContent) {
            projectTitle = c.projectTitle
            targetAreas = c.targetAreaCodes
            services = c.services.map { .init(name: $0.name, legalBasis: $0.legalBasis, citizens: $0.citizens) }
            contacts = c.contacts.map { .init(name: $0.name, role: $0.role, email: $0.email, phone: $0.phone) }
            answers = c.answers
            declarations = c.declarations
            budget = c.budget.map {
                .init(
                    category: $0.category.rawValue, description: $0.description, unitsHundredths: $0.unitsHundredths,
                    unitPriceOre: $0.unitPrice.ore, year: $0.year, months: $0.months, note: $0.note,
                    amountOre: $0.amount.ore)
            }
        }

        func domain() throws -> ApplicationContent {
            var fields: [String: String] = [:]
            var lines: [BudgetLine] = []
            for (index, line) in budget.enumerated() {
                guard let category = ExpenseCategory(rawValue: line.category) else {
                    fields["budget.\(index)"] =
                        "Ukendt kategori '\(line.category)'. Brug en af: \(ExpenseCategory.allCases.map(\.rawValue).joined(separator: ", "))."
                    continue
                }
                lines.append(
                    BudgetLine(
                        category: category, description: line.description, unitsHundredths: line.unitsHundredths,
                        unitPrice: Money(ore: line.unitPriceOre), year: line.year,
                        months: Array(Set(line.months)).sorted(),
                        note: line.note ?? ""))
            }
            for (index, contact) in contacts.enumerated() {
                if let email = contact.email, !email.isEmpty, !UserForm.isValidEmail(email) {
                    fields["contacts.\(index)"] = "'\(email)' er ikke en gyldig e-mailadresse."
                }
            }
            for (index, service) in services.enumerated() where service.citizens < 0 {
                fields["services.\(index)"] = "Antal borgere kan ikke være negativt."
            }
            guard fields.isEmpty else {
                throw FieldProblems(status: .unprocessableEntity, reason: "Indholdet kunne ikke læses.", fields: fields)
            }
            return ApplicationContent(
                projectTitle: projectTitle, targetAreaCodes: targetAreas,
                services: services.map {
                    ParticipatingService(name: $0.name, legalBasis: $0.legalBasis, citizens: $0.citizens)
                },
                contacts: contacts.map {
                    ContactPerson(name: $0.name, role: $0.role ?? "", email: $0.email ?? "", phone: $0.phone ?? "")
                },
                answers: answers.filter { !$0.value.isEmpty }, declarations: declarations, budget: lines)
        }
    }

    struct Application: Vapor.Content {
        struct Submission: Vapor.Content {
            var number: String
            var submittedAt: Date
            var submittedAtText: String
            var submittedBy: String
            var sha256: String
            var callVersion: Int
        }
        var id: UUID
        var callId: UUID
        var callTitle: String
        var status: String
        var version: Int
        var lastSavedAt: Date
        var lastSavedBy: String
        var responsible: String
        var content: Content
        var submission: Submission?
    }

    struct ApplicationList: Vapor.Content {
        var items: [Application]
        var count: Int
    }

    struct CreateRequest: Vapor.Content { var callId: UUID }
    struct SaveRequest: Vapor.Content {
        var version: Int
        var content: Content
    }
    struct VersionRequest: Vapor.Content { var version: Int }

    static func dto(_ a: ApplicationRecord, call: CallRecord, responsible: UserRecord) throws -> Application {
        let submission: Application.Submission? = a.submissionNumber.map { number in
            Application.Submission(
                number: number, submittedAt: a.submittedAt!,
                submittedAtText: DanishTime.dateTimeWithSeconds(a.submittedAt!),
                submittedBy: a.submittedBy ?? "", sha256: a.digest ?? "", callVersion: a.callVersion ?? call.version)
        }
        return Application(
            id: try a.requireID(), callId: try call.requireID(), callTitle: call.title, status: a.status,
            version: a.version,
            lastSavedAt: a.lastSavedAt, lastSavedBy: a.lastSavedBy, responsible: responsible.name,
            content: Content(try a.submittedContent() ?? a.content()), submission: submission)
    }

    static func dto(_ loaded: ApplicationCase) throws -> Application {
        try dto(loaded.application, call: loaded.call, responsible: loaded.responsible)
    }

    @Sendable static func index(req: Request) async throws -> ApplicationList {
        let user = try req.authorize(.writeApplication)
        let applications = try await ApplicationStore.all(of: user.organisationID, on: req.db)
        let items = try applications.map { try dto($0, call: $0.call, responsible: $0.responsible) }
        return ApplicationList(items: items, count: items.count)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let user = try req.authorize(.writeApplication)
        let body = try req.content.decode(CreateRequest.self)
        guard let call = try await CallStore.published(body.callId, on: req.db) else {
            throw PuljeError(.notFound, "Puljen findes ikke.")
        }
        let (application, created) = try await ApplicationActions.start(call: call, user: user, req: req)
        guard let responsible = try await UserStore.user(application.$responsible.id, on: req.db) else {
            throw PuljeError(.internalServerError, "The application's responsible user is missing.")
        }
        let response = Response(status: created ? .created : .ok)
        response.headers.replaceOrAdd(
            name: .location, value: SiteURL.api(.application(try application.requireID())).path)
        try response.content.encode(try dto(application, call: call, responsible: responsible))
        return response
    }

    @Sendable static func show(req: Request) async throws -> Application {
        try dto(try await ApplicationCase.open(req))
    }

    /// Saves from a version; a stale version is 409 with the current application, never applied.
    @Sendable static func save(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let loaded = try await ApplicationCase.open(req)
        guard loaded.canWrite else {
            throw ApplicationActions.notWritable
        }
        let body = try req.content.decode(SaveRequest.self)
        let content = try body.content.domain()
        let problems = DraftLimits.problems(content, rules: loaded.rules)
        guard problems.isEmpty else {
            throw FieldProblems(
                status: .unprocessableEntity, reason: problems.map(\.message).joined(separator: " "),
                fields: ApplicationProblem.byField(problems))
        }
        let id = try loaded.application.requireID()
        switch try await ApplicationStore.save(
            content, to: id, fromVersion: body.version, by: user, note: "Kladde gemt via API", request: req)
        {
        case .done(let record):
            var reloaded = loaded
            reloaded.application = record
            let response = Response(status: .ok)
            try response.content.encode(try dto(reloaded))
            return response
        case .conflict(let current):
            throw FieldProblems(
                status: .conflict,
                reason:
                    "\(current.lastSavedBy) har gemt version \(current.version) \(DanishTime.dateTimeWithSeconds(current.lastSavedAt)), efter du hentede version \(body.version). Intet er gemt; hent ansøgningen igen.",
                fields: ["version": String(current.version)])
        }
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let now = req.application.now()
        let user = try req.requireUser()
        let loaded = try await ApplicationCase.open(req)
        let body = try req.content.decode(VersionRequest.self)
        switch try await ApplicationActions.submit(loaded, version: body.version, user: user, at: now, req: req) {
        case .submitted(let record), .alreadySubmitted(let record):
            var reloaded = loaded
            reloaded.application = record
            let response = Response(status: .ok)
            try response.content.encode(try dto(reloaded))
            return response
        case .refused(let problems, let status):
            throw FieldProblems(
                status: status, reason: problems.map(\.message).joined(separator: " "),
                fields: ApplicationProblem.byField(problems))
        }
    }

    @Sendable static func withdraw(req: Request) async throws -> Application {
        let user = try req.requireUser()
        try await ApplicationActions.withdraw(try await ApplicationCase.open(req), user: user, req: req)
        return try dto(try await ApplicationCase.open(req))
    }
}
