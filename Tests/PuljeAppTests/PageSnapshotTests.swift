import Foundation
import PuljeDomain
import PuljeHTML
import Testing

@testable import PuljeApp

/// The main pages rendered from their fixtures and compared with the HTML stored under `Snapshots/`. A change
/// to a page shows as a diff of that file in review. To accept changes, run the tests with
/// `PULJE_RECORD_SNAPSHOTS=1` and read the diff before committing. A missing snapshot is written and fails.
@Suite struct PageSnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Snapshots")

    /// One element per line, so that a diff points at the element that changed.
    static func lines(_ node: Node) -> String {
        node.html.replacingOccurrences(of: "><", with: ">\n<") + "\n"
    }

    func check(_ name: String, _ node: Node) throws {
        let file = Self.folder.appendingPathComponent(name + ".html")
        let rendered = Self.lines(node)
        let record = ProcessInfo.processInfo.environment["PULJE_RECORD_SNAPSHOTS"] == "1"
        guard !record, let stored = try? String(contentsOf: file, encoding: .utf8) else {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try rendered.write(to: file, atomically: true, encoding: .utf8)
            if !record { Issue.record("No snapshot for \(name); written to \(file.path). Read it and commit it.") }
            return
        }
        if stored != rendered {
            let storedLines = stored.split(separator: "\n", omittingEmptySubsequences: false)
            let renderedLines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
            let first =
                zip(storedLines, renderedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(storedLines.count, renderedLines.count)
            Issue.record(
                """
                \(name) differs from its snapshot at line \(first + 1):
                stored:   \(first < storedLines.count ? String(storedLines[first]) : "(end)")
                rendered: \(first < renderedLines.count ? String(renderedLines[first]) : "(end)")
                Run with PULJE_RECORD_SNAPSHOTS=1 to accept.
                """)
        }
    }

    typealias F = PageFixtures

    @Test func home() throws {
        try check("home", HomePage.view(initiativeCount: 11, context: F.context(nil, path: "/")))
    }

    @Test func homeSignedIn() throws {
        let call = F.call()
        let draft = MyCasesPage.row(
            {
                let a = F.application(.draft, call: call)
                a.$responsible.value = F.user(F.applicant)
                return a
            }(), now: F.now)
        var model = HomeModel(initiativeCount: 11, drafts: [draft], approvals: [draft])
        model.tasks = [HomeModel.Task(text: "Pulje X: 2 ansøgninger venter på screening", url: "/puljer/x/vurdering")]
        try check("home-signed-in", HomePage.view(model, context: F.context(F.applicant, path: "/")))
    }

    @Test func callList() throws {
        let call = F.call()
        let model = CallList.Model(
            now: F.now, canCreate: false, open: [CallList.Item(call: call, rules: F.seed.rules)])
        try check("call-list", CallList.view(model, context: F.context(F.applicant, path: SiteURL.calls.path)))
    }

    @Test func callShow() throws {
        let call = F.call()
        try check(
            "call-show",
            CallShow.view(
                call: call, rules: F.seed.rules, phase: CallPhase(rules: F.seed.rules, at: F.now), now: F.now,
                existingApplication: nil, recipients: ["Vejle Kommune"],
                context: F.context(F.applicant, path: SiteURL.call(call.id!).path)))
    }

    @Test(arguments: [("application-draft", ApplicationStatus.draft), ("application-submitted", .submitted)])
    func application(name: String, status: ApplicationStatus) throws {
        try check(
            name,
            ApplicationPage.view(
                F.applicationCase(status), content: F.content, formVersion: 4, errors: FormErrors(), conflict: nil,
                now: F.now, context: F.context(F.applicant, path: SiteURL.application(F.id(200)).path)))
    }

    @Test func applicationStep() throws {
        try check(
            "application-step-questions",
            ApplicationPage.view(
                F.applicationCase(.draft), content: F.content, formVersion: 4, errors: FormErrors(), conflict: nil,
                now: F.now,
                context: F.context(F.applicant, path: SiteURL.applicationStep(F.id(200), .questions).path),
                step: .questions))
    }

    @Test func checkAnswers() throws {
        let found = F.applicationCase(.draft)
        try check(
            "check-answers",
            CheckPage.view(
                found, content: F.content, problems: try found.submissionProblems(), now: F.now,
                context: F.context(F.applicant, path: SiteURL.checkApplication(F.id(200)).path)))
    }

    @Test func receipt() throws {
        try check(
            "receipt",
            ReceiptPage.view(
                F.applicationCase(.submitted), context: F.context(F.applicant, path: SiteURL.myCases.path)))
    }

    @Test func printable() throws {
        let found = F.applicationCase(.submitted)
        found.application.$organisation.value = F.organisation()
        try check(
            "application-print",
            PrintPage.view(found, content: F.content, context: F.context(F.applicant, path: "/")))
    }

    @Test func myCases() throws {
        let call = F.call()
        try check(
            "my-cases",
            MyCasesPage.view(
                [F.application(.draft, call: call)].map { application in
                    application.$responsible.value = F.user(F.applicant)
                    return application
                }, user: F.applicant, now: F.now, context: F.context(F.applicant, path: SiteURL.myCases.path)))
    }

    @Test func initiative() throws {
        try check(
            "initiative",
            InitiativeShow.view(
                F.initiative(), canEdit: false, canSeeHistory: false, updatedAt: nil,
                context: F.context(nil, path: "/initiativer")))
    }

    @Test func assessmentOverview() throws {
        try check(
            "assessment-overview",
            AssessmentPages.overview(
                F.assessment(), user: F.manager, assessors: [], context: F.context(F.manager, path: "/")))
    }

    @Test func statusReport() throws {
        var found = F.grantCase()
        found.access = .write  // the municipality's own open case: the form that saves by itself
        try check(
            "status-report",
            GrantPages.reportPage(
                found, round: try #require(found.rounds.first), context: F.context(F.applicant, path: "/")))
    }

    @Test func grantOverview() throws {
        var overdue = F.grantCase()
        overdue.record.id = F.id(45)
        overdue.organisationName = "Ærø Kommune"
        overdue.now = overdue.now.addingTimeInterval(6 * 86_400)
        let model = GrantOverviewPage.model(callID: F.id(30), callTitle: F.seed.title, cases: [F.grantCase(), overdue])
        try check("grant-overview", GrantOverviewPage.page(model, context: F.context(F.manager, path: "/")))
        let initiative = GrantOverviewPage.InitiativeModel(
            number: "1.1", callCount: 3,
            overview: InitiativeGrantOverview(rounds: [
                .init(callID: F.id(30), title: F.seed.title, overview: model.overview),
                .init(callID: F.id(31), title: "Runde 2 (ingen sager endnu)", overview: GrantOverview(rows: [])),
            ]))
        try check(
            "grant-overview-initiative",
            GrantOverviewPage.initiativePage(initiative, context: F.context(F.manager, path: "/")))
    }

    @Test func grantCase() throws {
        try check("grant-case", GrantPages.casePage(F.grantCase(), context: F.context(F.manager, path: "/")))
    }

    @Test func portfolio() throws {
        let assessment = F.assessment()
        try check(
            "portfolio",
            DecisionPages.portfolio(
                assessment, portfolio: assessment.portfolio(), user: F.manager, errors: FormErrors(),
                context: F.context(F.manager, path: "/")))
    }

    @Test func businessCase() throws {
        try check("business-case", BusinessCasePages.show(F.businessCase(), context: F.context(F.manager, path: "/")))
        let form = BusinessCaseEditPage.Model(
            id: F.id(60), version: 3, form: BusinessCaseForm(F.businessCaseInput(), initiative: nil),
            initiatives: [("2022/1.6", "1.6 Modning af model (2022)")], conflict: nil)
        try check(
            "business-case-form",
            BusinessCaseEditPage.view(form, errors: FormErrors(), context: F.context(F.manager, path: "/")))
    }

    /// The agency's overview of an evaluation: Vejle's four citizens withheld, with Aarhus as their complement.
    @Test func evaluationOverview() throws {
        let design = AppTests.evaluationDesignFixture
        func citizen(_ group: String, _ baseline: [Int], _ later: [Int]?) -> CitizenData {
            var answers: [String: [String: (version: Int, values: [String: Int])]] = [
                "baseline": ["who5": (1, EvaluationDemo.answers(baseline))]
            ]
            if let later { answers["6mdr"] = ["who5": (1, EvaluationDemo.answers(later))] }
            return CitizenData(group: group, answers: answers)
        }
        var citizens: [CitizenData] = []
        for index in 0..<6 {
            citizens.append(citizen("Aarhus Kommune", [2, 2, 2, 2, 2], index < 5 ? [4, 4, 3, 3, 3] : nil))
        }
        for _ in 0..<7 { citizens.append(citizen("Odense Kommune", [3, 3, 3, 2, 2], [3, 3, 3, 3, 3])) }
        for _ in 0..<4 { citizens.append(citizen("Vejle Kommune", [1, 1, 1, 1, 1], nil)) }
        let overview = EvaluationOverview.compute(
            design: design, instruments: ["who5": [1: .who5]], citizens: citizens, suppress: true)
        let model = EvaluationPages.ShowModel(
            id: F.id(300), title: "Evaluering af familiemodeller", call: F.seed.title, end: "31. december 2028",
            retention: .anonymise, purgedAt: nil, design: design, instrumentNames: ["who5": "WHO-5 Trivselsindeks"],
            access: .aggregates, overview: overview, history: nil, instruments: ["who5": .who5])
        try check("evaluation-overview-agency", EvaluationPages.show(model, context: F.context(F.manager, path: "/")))
    }

    /// The evaluator's overview: the export form and their latest exports, one running.
    @Test func evaluationOverviewOfTheEvaluator() throws {
        let design = AppTests.evaluationDesignFixture
        let overview = EvaluationOverview.compute(
            design: design, instruments: ["who5": [1: .who5]], citizens: [], suppress: false)
        let evaluator = CurrentUser(
            id: F.id(12), email: "vera@vive.dk", name: "Vera Evaluator", organisationID: F.id(3),
            organisationName: "VIVE", organisationKind: .evaluator, roles: [.evaluator])
        let model = EvaluationPages.ShowModel(
            id: F.id(300), title: "Evaluering af familiemodeller", call: F.seed.title, end: "31. december 2028",
            retention: .anonymise, purgedAt: nil, design: design, instrumentNames: ["who5": "WHO-5 Trivselsindeks"],
            access: .allCitizens, overview: overview, history: [], instruments: ["who5": .who5],
            exports: [
                .init(
                    id: F.id(310), file: .init(form: .long, format: .xlsx), requestedAt: F.now, status: .running,
                    progress: .init(done: 12_000, total: 43_479)),
                .init(
                    id: F.id(311), file: .init(form: .wide, format: .csv), requestedAt: F.now.addingTimeInterval(-3600),
                    status: .removed, progress: .init(done: 43_479, total: 43_479)),
            ])
        try check(
            "evaluation-overview-evaluator", EvaluationPages.show(model, context: F.context(evaluator, path: "/")))
    }

    /// An export's page while it is made, and when it is ready.
    @Test func evaluationExportJob() throws {
        let evaluator = CurrentUser(
            id: F.id(12), email: "vera@vive.dk", name: "Vera Evaluator", organisationID: F.id(3),
            organisationName: "VIVE", organisationKind: .evaluator, roles: [.evaluator])
        var model = EvaluationPages.ExportJobModel(
            evaluationID: F.id(300), title: "Evaluering af familiemodeller", id: F.id(310),
            file: .init(form: .long, format: .xlsx), requestedBy: "Vera Evaluator", requestedAt: F.now,
            status: .running, progress: .init(done: 12_000, total: 43_479), finishedAt: nil, expiresAt: nil,
            removedAt: nil, rows: 276_000, bytes: 0, failure: nil)
        try check(
            "evaluation-export-running", EvaluationPages.exportJob(model, context: F.context(evaluator, path: "/")))
        model.status = .ready
        model.progress = .init(done: 43_479, total: 43_479)
        model.finishedAt = F.now.addingTimeInterval(95)
        model.expiresAt = ExportJobRules.expiry(finishedAt: F.now.addingTimeInterval(95))
        model.rows = 1_000_017
        model.bytes = 31_457_280
        try check("evaluation-export-ready", EvaluationPages.exportJob(model, context: F.context(evaluator, path: "/")))
    }

    /// A municipality's form for a follow-up: WHO-5 half filled in, the hours field.
    @Test func evaluationEntry() throws {
        let design = AppTests.evaluationDesignFixture
        let model = EvaluationPages.EntryModel(
            id: F.id(300), title: "Evaluering af familiemodeller", citizenID: F.id(301), pseudonym: "E598-7552-987A",
            point: design.points[1], due: .open(closes: CalendarDate(year: 2027, month: 3, day: 14)!),
            instruments: [.who5], fields: design.fields, values: ["i.who5.1": "4", "i.who5.2": "3", "f.timer": "2.5"],
            version: 3, scores: [], mayWrite: true, conflict: nil)
        try check(
            "evaluation-entry",
            EvaluationPages.entry(model, errors: FormErrors(), context: F.context(F.applicant, path: "/")))
    }

    @Test func phaseGate() throws {
        let assessments = PhaseGate.standardCriteria(for: .maturation).enumerated().map { index, criterion in
            CriterionAssessment(
                criterionID: criterion.id, rating: index == 3 ? .partlyMet : .met,
                justification: "Begrundelse for \(criterion.text.lowercased()).",
                evidence: index == 0 ? [SiteURL.initiativeGrantOverview("1.6").path] : [])
        }
        let verdict = PhaseGatePages.Verdict(
            phase: .maturation, criteria: PhaseGate.standardCriteria(for: .maturation), status: .proposed,
            assessments: assessments, outcome: .extendOrAdjust,
            note: "Prisen skal ned, før afprøvning.", proposedBy: F.manager.name, proposedAt: F.now, decision: nil,
            decisionNote: nil, decidedBy: nil, decidedAt: nil)
        var initiative = F.initiative()
        initiative.phase = .maturation
        let model = PhaseGatePages.GateModel(
            initiative: initiative, current: verdict, decided: [],
            evidence: [(SiteURL.initiativeGrantOverview("1.6").path, "Tilskudssagerne")],
            criteria: PhaseGate.standardCriteria(for: .maturation), canPropose: true,
            canDecide: true, isProposer: false)
        try check(
            "phase-gate-proposed",
            PhaseGatePages.gate(model, errors: FormErrors(), posted: nil, context: F.context(F.manager, path: "/")))
    }
}
