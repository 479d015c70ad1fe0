import PuljeDomain
import Vapor

/// Every path of the site, used both to register routes and to build links, so that a link
/// cannot point nowhere.
public enum SiteURL: Hashable, Sendable {
    case home
    case health
    case readiness
    case metrics
    case stylesheet
    case script
    case signIn
    /// Sign-in through the OpenID Connect provider (MitID Erhverv), and the provider's return.
    case externalSignIn
    case externalSignInReturn
    /// The second step of a password sign-in: the code from the authenticator app (or setting one up).
    case signInCode
    /// Setting up or switching off the second factor on the profile.
    case profileTwoFactor
    case signOut
    case signOutEverywhere
    case profile
    case profilePassword
    case initiatives
    case newInitiative
    case initiative(year: Int, number: String)
    case editInitiative(year: Int, number: String)
    case initiativeHistory(year: Int, number: String)
    case calls
    case newCall
    case call(UUID)
    case editCall(UUID)
    case publishCall(UUID)
    case callCalendar(UUID)
    case startApplication(UUID)
    case myCases
    case accessibility
    case privacy
    case help
    /// The agency's list of submitted applications across calls.
    case applications
    case application(UUID)
    /// One section of a draft's form on a page of its own: the form in steps.
    case applicationStep(UUID, ApplicationSection)
    case checkApplication(UUID)
    case submitApplication(UUID)
    case approveApplication(UUID)
    case receipt(UUID)
    case applicationPrint(UUID)
    case withdrawApplication(UUID)
    case deleteDraft(UUID)
    case applicationContributors(UUID)
    case applicationResponsible(UUID)
    case applicationHistory(UUID)
    case budgetCSV(UUID)
    case applicationMessages(UUID)
    case attachments(UUID)
    case attachment(UUID, UUID)
    case deleteAttachment(UUID, UUID)
    case messageFile(UUID, UUID)
    case budgetXLSX(UUID)
    case callAssessment(UUID)
    case spreadAssessors(UUID)
    case assessmentCSV(UUID)
    case assessmentXLSX(UUID)
    case portfolio(UUID)
    case portfolioAdjust(UUID)
    case proposeDecision(UUID)
    case approveDecision(UUID)
    case selectionCSV(UUID)
    case selectionXLSX(UUID)
    case assessment(UUID)
    case screening(UUID)
    case assessors(UUID)
    case declaration(UUID)
    case scores(UUID)
    case consensus(UUID)
    case informationRequests(UUID)
    case informationAnswer(UUID, UUID)
    case letter(UUID, UUID)
    case letterTemplates
    case invitation(String)
    case inviteUser(UUID)
    case outbox
    case users
    /// The organisations with their CVR numbers, which MitID Erhverv sign-in matches on.
    case organisations
    case organisation(UUID)
    case newUser
    case user(UUID)
    case grantCases
    case grantPaymentsCSV
    case grantCase(UUID)
    case grantTeam(UUID)
    case removeTeamMember(UUID, UUID)
    case confirmGrantTeam(UUID)
    case revisedBudget(UUID)
    case approveGrantBudget(UUID)
    case reportRounds(UUID)
    case statusReport(UUID, UUID)
    case submitStatusReport(UUID, UUID)
    case decideStatusReport(UUID, UUID)
    case changeRequests(UUID)
    case decideChange(UUID, UUID)
    case grantAccounts(UUID)
    case decideAccounts(UUID, UUID)
    case grantPayments(UUID)
    case releasePayment(UUID, UUID)
    case payeeAccount(UUID)
    case anchoringPlan(UUID)
    case closeGrantCase(UUID)
    case callActivities(UUID)
    case callGrantOverview(UUID)
    case callGrantOverviewCSV(UUID)
    case callGrantOverviewXLSX(UUID)
    /// The grant cases of every call under one initiative ("1.8"), round by round.
    case initiativeGrantOverview(String)
    case initiativeGrantOverviewCSV(String)
    case initiativeGrantOverviewXLSX(String)
    case activity(UUID)
    case activityAttendance(UUID)
    case activityCalendar(UUID)
    case activityRegistration(UUID, UUID)
    case removeParticipant(UUID, UUID)
    case businessCases
    case businessCase(UUID)
    case editBusinessCase(UUID)
    case businessCaseXLSX(UUID)
    case businessCaseJSON(UUID)
    /// Takes the business case's costs from the grant cases' approved accounts.
    case businessCaseAccounts(UUID)
    /// Takes the business case's success rate from an evaluation's data.
    case businessCaseSuccessRate(UUID)
    /// The net price index the agency keeps, for moving amounts between price levels.
    case priceIndex
    /// The SUSI phase gate of an initiative: its criteria rated, the verdict proposed and decided.
    case phaseGate(year: Int, number: String)
    case decidePhaseGate(year: Int, number: String)
    case returnPhaseGate(year: Int, number: String)
    /// The decided verdicts of an initiative, public.
    case phaseVerdicts(year: Int, number: String)
    /// Every initiative of the catalogue with its phase, its gate and its verdicts.
    case pipeline
    /// The criteria each phase is judged on, with their versions; and the form that changes one phase's.
    case phaseCriteria
    case editPhaseCriteria(SUSIPhase)
    /// Evaluation data: the evaluations, their designs, citizens under pseudonyms and their measurements.
    case evaluations
    case evaluation(UUID)
    case evaluationDesign(UUID)
    case evaluationCitizens(UUID)
    case evaluationCitizen(UUID, UUID)
    case evaluationEntry(UUID, UUID, point: String)
    /// The evaluator's export: "lang.csv" or "bred.csv".
    case evaluationExport(UUID, file: String)
    /// Exports made in the background: the request, a job's page, its progress as JSON, its file.
    case evaluationExports(UUID)
    case evaluationExportJob(UUID, UUID)
    case evaluationExportJobStatus(UUID, UUID)
    case evaluationExportJobFile(UUID, UUID)
    /// The municipality's import template ("skabelon.csv" or "skabelon.xlsx") and the import itself.
    case evaluationTemplate(UUID, file: String)
    case evaluationImport(UUID)
    /// The instruments the evaluator defines (WHO-5 built in).
    case instruments
    case instrument(String)
    /// The log of every read, import and export of citizen data, for the data-protection officer.
    case dataAccessLog
    case api(API)

    public enum API: Hashable, Sendable {
        case initiatives
        case initiative(number: String)
        case calls
        case call(UUID)
        case applications
        case application(UUID)
        case submit(UUID)
        case withdraw(UUID)
        case openAPI
        case grantCases
        case grantCase(UUID)
        case callAssessment(UUID)
        case selection(UUID)
        case proposeDecision(UUID)
        case approveDecision(UUID)
        case assessment(UUID)
        case screening(UUID)
        case declaration(UUID)
        case scores(UUID)
        case consensus(UUID)
    }

    /// The path as segments, each a fixed word or a named parameter with its value: the one spelling of
    /// every path, from which both the link (`path`) and the route (`pattern`) are made.
    var segments: [Segment] {
        switch self {
        case .home: []
        case .health: ["healthz"]
        case .readiness: ["readyz"]
        case .metrics: ["metrics"]
        case .stylesheet: ["static", "app.css"]
        case .script: ["static", "app.js"]
        case .signIn: ["log-ind"]
        case .externalSignIn: ["log-ind", "mitid-erhverv"]
        case .externalSignInReturn: ["log-ind", "mitid-erhverv", "retur"]
        case .signInCode: ["log-ind", "kode"]
        case .profileTwoFactor: ["profil", "totrin"]
        case .signOut: ["log-ud"]
        case .signOutEverywhere: ["log-ud-overalt"]
        case .profile: ["profil"]
        case .profilePassword: ["profil", "adgangskode"]
        case .initiatives: ["initiativer"]
        case .newInitiative: ["initiativer", "ny"]
        case .initiative(let year, let number): ["initiativer", .value("year", String(year)), .value("number", number)]
        case .editInitiative(let year, let number):
            ["initiativer", .value("year", String(year)), .value("number", number), "rediger"]
        case .initiativeHistory(let year, let number):
            ["initiativer", .value("year", String(year)), .value("number", number), "historik"]
        case .calls: ["puljer"]
        case .newCall: ["puljer", "ny"]
        case .call(let id): ["puljer", .id("callID", id)]
        case .editCall(let id): ["puljer", .id("callID", id), "rediger"]
        case .publishCall(let id): ["puljer", .id("callID", id), "offentliggoer"]
        case .callCalendar(let id): ["puljer", .id("callID", id), "frist.ics"]
        case .startApplication(let id): ["puljer", .id("callID", id), "ansoeg"]
        case .myCases: ["mine-sager"]
        case .accessibility: ["tilgaengelighed"]
        case .privacy: ["privatliv"]
        case .help: ["hjaelp"]
        case .applications: ["ansoegninger"]
        case .application(let id): ["ansoegninger", .id("applicationID", id)]
        case .applicationStep(let id, let section):
            ["ansoegninger", .id("applicationID", id), "afsnit", .value("section", section.rawValue)]
        case .checkApplication(let id): ["ansoegninger", .id("applicationID", id), "tjek"]
        case .submitApplication(let id): ["ansoegninger", .id("applicationID", id), "indsend"]
        case .approveApplication(let id): ["ansoegninger", .id("applicationID", id), "godkend"]
        case .receipt(let id): ["ansoegninger", .id("applicationID", id), "kvittering"]
        case .applicationPrint(let id): ["ansoegninger", .id("applicationID", id), "udskrift"]
        case .withdrawApplication(let id): ["ansoegninger", .id("applicationID", id), "traek-tilbage"]
        case .deleteDraft(let id): ["ansoegninger", .id("applicationID", id), "slet"]
        case .applicationContributors(let id): ["ansoegninger", .id("applicationID", id), "bidragydere"]
        case .applicationResponsible(let id): ["ansoegninger", .id("applicationID", id), "ansvarlig"]
        case .applicationHistory(let id): ["ansoegninger", .id("applicationID", id), "historik"]
        case .budgetCSV(let id): ["ansoegninger", .id("applicationID", id), "budget.csv"]
        case .applicationMessages(let id): ["ansoegninger", .id("applicationID", id), "beskeder"]
        case .attachments(let id): ["ansoegninger", .id("applicationID", id), "bilag"]
        case .attachment(let id, let file):
            ["ansoegninger", .id("applicationID", id), "bilag", .id("attachmentID", file)]
        case .messageFile(let id, let file):
            ["ansoegninger", .id("applicationID", id), "beskeder", "filer", .id("fileID", file)]
        case .deleteAttachment(let id, let file):
            ["ansoegninger", .id("applicationID", id), "bilag", .id("attachmentID", file), "fjern"]
        case .budgetXLSX(let id): ["ansoegninger", .id("applicationID", id), "budget.xlsx"]
        case .callAssessment(let id): ["puljer", .id("callID", id), "vurdering"]
        case .spreadAssessors(let id): ["puljer", .id("callID", id), "vurdering", "fordel"]
        case .assessmentCSV(let id): ["puljer", .id("callID", id), "vurdering.csv"]
        case .assessmentXLSX(let id): ["puljer", .id("callID", id), "vurdering.xlsx"]
        case .portfolio(let id): ["puljer", .id("callID", id), "udvaelgelse"]
        case .portfolioAdjust(let id): ["puljer", .id("callID", id), "udvaelgelse", "justering"]
        case .proposeDecision(let id): ["puljer", .id("callID", id), "afgoerelse", "indstil"]
        case .approveDecision(let id): ["puljer", .id("callID", id), "afgoerelse", "godkend"]
        case .selectionCSV(let id): ["puljer", .id("callID", id), "udvalg.csv"]
        case .selectionXLSX(let id): ["puljer", .id("callID", id), "udvalg.xlsx"]
        case .assessment(let id): ["ansoegninger", .id("applicationID", id), "vurdering"]
        case .screening(let id): ["ansoegninger", .id("applicationID", id), "screening"]
        case .assessors(let id): ["ansoegninger", .id("applicationID", id), "bedoemmere"]
        case .declaration(let id): ["ansoegninger", .id("applicationID", id), "habilitet"]
        case .scores(let id): ["ansoegninger", .id("applicationID", id), "point"]
        case .consensus(let id): ["ansoegninger", .id("applicationID", id), "konsensus"]
        case .informationRequests(let id): ["ansoegninger", .id("applicationID", id), "oplysninger"]
        case .informationAnswer(let id, let request):
            ["ansoegninger", .id("applicationID", id), "oplysninger", .id("requestID", request), "svar"]
        case .letter(let id, let letter): ["ansoegninger", .id("applicationID", id), "breve", .id("letterID", letter)]
        case .letterTemplates: ["admin", "brevskabeloner"]
        case .invitation(let token): ["invitation", .value("token", token)]
        case .inviteUser(let id): ["admin", "brugere", .id("userID", id), "invitation"]
        case .outbox: ["admin", "udbakke"]
        case .users: ["admin", "brugere"]
        case .organisations: ["admin", "organisationer"]
        case .organisation(let id): ["admin", "organisationer", .id("organisationID", id)]
        case .newUser: ["admin", "brugere", "ny"]
        case .user(let id): ["admin", "brugere", .id("userID", id)]
        case .grantCases: ["tilskudssager"]
        case .grantPaymentsCSV: ["tilskudssager", "udbetalinger.csv"]
        case .grantCase(let id): ["tilskudssager", .id("caseID", id)]
        case .grantTeam(let id): ["tilskudssager", .id("caseID", id), "organisering"]
        case .removeTeamMember(let id, let member):
            ["tilskudssager", .id("caseID", id), "organisering", .id("memberID", member), "fjern"]
        case .confirmGrantTeam(let id): ["tilskudssager", .id("caseID", id), "organisering", "godkend"]
        case .revisedBudget(let id): ["tilskudssager", .id("caseID", id), "budget"]
        case .approveGrantBudget(let id): ["tilskudssager", .id("caseID", id), "budget", "godkend"]
        case .reportRounds(let id): ["puljer", .id("callID", id), "statusrapporter"]
        case .statusReport(let id, let round):
            ["tilskudssager", .id("caseID", id), "statusrapporter", .id("roundID", round)]
        case .submitStatusReport(let id, let round):
            ["tilskudssager", .id("caseID", id), "statusrapporter", .id("roundID", round), "indsend"]
        case .decideStatusReport(let id, let round):
            ["tilskudssager", .id("caseID", id), "statusrapporter", .id("roundID", round), "vurder"]
        case .changeRequests(let id): ["tilskudssager", .id("caseID", id), "aendringer"]
        case .decideChange(let id, let change):
            ["tilskudssager", .id("caseID", id), "aendringer", .id("changeID", change), "afgoer"]
        case .grantAccounts(let id): ["tilskudssager", .id("caseID", id), "regnskab"]
        case .decideAccounts(let id, let accounts):
            ["tilskudssager", .id("caseID", id), "regnskab", .id("accountsID", accounts), "vurder"]
        case .grantPayments(let id): ["tilskudssager", .id("caseID", id), "udbetalinger"]
        case .releasePayment(let id, let payment):
            ["tilskudssager", .id("caseID", id), "udbetalinger", .id("paymentID", payment), "frigiv"]
        case .payeeAccount(let id): ["tilskudssager", .id("caseID", id), "konto"]
        case .anchoringPlan(let id): ["tilskudssager", .id("caseID", id), "forankringsplan"]
        case .closeGrantCase(let id): ["tilskudssager", .id("caseID", id), "afslut"]
        case .callActivities(let id): ["puljer", .id("callID", id), "aktiviteter"]
        case .callGrantOverview(let id): ["puljer", .id("callID", id), "tilskudssager"]
        case .callGrantOverviewCSV(let id): ["puljer", .id("callID", id), "tilskudssager.csv"]
        case .callGrantOverviewXLSX(let id): ["puljer", .id("callID", id), "tilskudssager.xlsx"]
        case .initiativeGrantOverview(let number): ["tilskudssager", "initiativ", .value("number", number)]
        case .initiativeGrantOverviewCSV(let number):
            ["tilskudssager", "initiativ", .value("number", number), "overblik.csv"]
        case .initiativeGrantOverviewXLSX(let number):
            ["tilskudssager", "initiativ", .value("number", number), "overblik.xlsx"]
        case .activity(let id): ["aktiviteter", .id("activityID", id)]
        case .activityAttendance(let id): ["aktiviteter", .id("activityID", id), "fremmoede"]
        case .activityCalendar(let id): ["aktiviteter", .id("activityID", id), "kalender.ics"]
        case .activityRegistration(let id, let activity):
            ["tilskudssager", .id("caseID", id), "aktiviteter", .id("activityID", activity), "tilmeld"]
        case .removeParticipant(let id, let participant):
            ["tilskudssager", .id("caseID", id), "deltagere", .id("participantID", participant), "afmeld"]
        case .businessCases: ["business-cases"]
        case .businessCase(let id): ["business-cases", .id("businessCaseID", id)]
        case .editBusinessCase(let id): ["business-cases", .id("businessCaseID", id), "rediger"]
        case .businessCaseXLSX(let id): ["business-cases", .id("businessCaseID", id), "business-case.xlsx"]
        case .businessCaseJSON(let id): ["business-cases", .id("businessCaseID", id), "beregning.json"]
        case .businessCaseAccounts(let id): ["business-cases", .id("businessCaseID", id), "regnskaber"]
        case .businessCaseSuccessRate(let id): ["business-cases", .id("businessCaseID", id), "succesrate"]
        case .priceIndex: ["nettoprisindeks"]
        case .phaseGate(let year, let number):
            ["initiativer", .value("year", String(year)), .value("number", number), "fasevurdering"]
        case .decidePhaseGate(let year, let number):
            ["initiativer", .value("year", String(year)), .value("number", number), "fasevurdering", "afgoer"]
        case .returnPhaseGate(let year, let number):
            ["initiativer", .value("year", String(year)), .value("number", number), "fasevurdering", "send-tilbage"]
        case .phaseVerdicts(let year, let number):
            ["initiativer", .value("year", String(year)), .value("number", number), "fasevurderinger"]
        case .pipeline: ["initiativer", "faser"]
        case .phaseCriteria: ["fasekriterier"]
        case .editPhaseCriteria(let phase): ["fasekriterier", .value("phase", phase.rawValue)]
        case .evaluations: ["evalueringer"]
        case .evaluation(let id): ["evalueringer", .id("evaluationID", id)]
        case .evaluationDesign(let id): ["evalueringer", .id("evaluationID", id), "design"]
        case .evaluationCitizens(let id): ["evalueringer", .id("evaluationID", id), "borgere"]
        case .evaluationCitizen(let id, let citizen):
            ["evalueringer", .id("evaluationID", id), "borgere", .id("citizenID", citizen)]
        case .evaluationEntry(let id, let citizen, let point):
            ["evalueringer", .id("evaluationID", id), "borgere", .id("citizenID", citizen), .value("point", point)]
        case .evaluationExport(let id, let file):
            ["evalueringer", .id("evaluationID", id), "eksport", .value("file", file)]
        case .evaluationExports(let id): ["evalueringer", .id("evaluationID", id), "eksporter"]
        case .evaluationExportJob(let id, let job):
            ["evalueringer", .id("evaluationID", id), "eksporter", .id("exportID", job)]
        case .evaluationExportJobStatus(let id, let job):
            ["evalueringer", .id("evaluationID", id), "eksporter", .id("exportID", job), "status"]
        case .evaluationExportJobFile(let id, let job):
            ["evalueringer", .id("evaluationID", id), "eksporter", .id("exportID", job), "fil"]
        case .evaluationTemplate(let id, let file):
            ["evalueringer", .id("evaluationID", id), "skabelon", .value("file", file)]
        case .evaluationImport(let id): ["evalueringer", .id("evaluationID", id), "indlaes"]
        case .instruments: ["instrumenter"]
        case .instrument(let key): ["instrumenter", .value("instrumentKey", key)]
        case .dataAccessLog: ["admin", "borgerdata-log"]
        case .api(.initiatives): ["api", "v1", "initiatives"]
        case .api(.initiative(let number)): ["api", "v1", "initiatives", .value("number", number)]
        case .api(.calls): ["api", "v1", "calls"]
        case .api(.call(let id)): ["api", "v1", "calls", .id("callID", id)]
        case .api(.applications): ["api", "v1", "applications"]
        case .api(.application(let id)): ["api", "v1", "applications", .id("applicationID", id)]
        case .api(.submit(let id)): ["api", "v1", "applications", .id("applicationID", id), "submit"]
        case .api(.withdraw(let id)): ["api", "v1", "applications", .id("applicationID", id), "withdraw"]
        case .api(.openAPI): ["api", "v1", "openapi.json"]
        case .api(.grantCases): ["api", "v1", "grant-cases"]
        case .api(.grantCase(let id)): ["api", "v1", "grant-cases", .id("caseID", id)]
        case .api(.callAssessment(let id)): ["api", "v1", "calls", .id("callID", id), "assessment"]
        case .api(.selection(let id)): ["api", "v1", "calls", .id("callID", id), "selection"]
        case .api(.proposeDecision(let id)): ["api", "v1", "calls", .id("callID", id), "decision", "propose"]
        case .api(.approveDecision(let id)): ["api", "v1", "calls", .id("callID", id), "decision", "approve"]
        case .api(.assessment(let id)): ["api", "v1", "applications", .id("applicationID", id), "assessment"]
        case .api(.screening(let id)):
            ["api", "v1", "applications", .id("applicationID", id), "assessment", "screening"]
        case .api(.declaration(let id)):
            ["api", "v1", "applications", .id("applicationID", id), "assessment", "declaration"]
        case .api(.scores(let id)): ["api", "v1", "applications", .id("applicationID", id), "assessment", "scores"]
        case .api(.consensus(let id)):
            ["api", "v1", "applications", .id("applicationID", id), "assessment", "consensus"]
        }
    }

    /// A link to the page.
    public var path: String { "/" + segments.map(\.value).joined(separator: "/") }

    /// The path with a query string of these parameters, in order (the bare path when there are none).
    func path(query parameters: [(String, String)]) -> String {
        guard !parameters.isEmpty else { return path }
        var components = URLComponents()
        components.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        return path + "?" + (components.percentEncodedQuery ?? "")
    }

    /// The route the page is registered at, with its parameters named (":callID").
    var pattern: [PathComponent] { segments.map(\.component) }

    /// Any id, for naming a route when registering it: the pattern does not depend on the value.
    static let anyID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    struct Segment: ExpressibleByStringLiteral, Sendable {
        var value: String
        var parameter: String?

        init(stringLiteral literal: String) { value = literal }
        init(_ value: String, parameter: String?) {
            self.value = value
            self.parameter = parameter
        }

        static func id(_ name: String, _ id: UUID) -> Segment { Segment(id.pathValue, parameter: name) }
        static func value(_ name: String, _ value: String) -> Segment { Segment(value, parameter: name) }

        var component: PathComponent { parameter.map { .parameter($0) } ?? .constant(value) }
    }
}

extension UUID {
    /// How ids are written in paths and audit subjects: lowercase.
    var pathValue: String { uuidString.lowercased() }
}
