import Vapor

/// Every path of the site, used both to register routes and to build links, so that a link
/// cannot point nowhere.
public enum SiteURL: Hashable, Sendable {
    case home
    case health
    case stylesheet
    case script
    case signIn
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
    case application(UUID)
    case submitApplication(UUID)
    case receipt(UUID)
    case withdrawApplication(UUID)
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
    case newUser
    case user(UUID)
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
    }

    public var path: String {
        switch self {
        case .home: "/"
        case .health: "/healthz"
        case .stylesheet: "/static/app.css"
        case .script: "/static/app.js"
        case .signIn: "/log-ind"
        case .signOut: "/log-ud"
        case .signOutEverywhere: "/log-ud-overalt"
        case .profile: "/profil"
        case .profilePassword: "/profil/adgangskode"
        case .initiatives: "/initiativer"
        case .newInitiative: "/initiativer/ny"
        case .initiative(let year, let number): "/initiativer/\(year)/\(number)"
        case .editInitiative(let year, let number): "/initiativer/\(year)/\(number)/rediger"
        case .initiativeHistory(let year, let number): "/initiativer/\(year)/\(number)/historik"
        case .calls: "/puljer"
        case .newCall: "/puljer/ny"
        case .call(let id): "/puljer/\(id.uuidString.lowercased())"
        case .editCall(let id): "/puljer/\(id.uuidString.lowercased())/rediger"
        case .publishCall(let id): "/puljer/\(id.uuidString.lowercased())/offentliggoer"
        case .callCalendar(let id): "/puljer/\(id.uuidString.lowercased())/frist.ics"
        case .startApplication(let id): "/puljer/\(id.uuidString.lowercased())/ansoeg"
        case .myCases: "/mine-sager"
        case .application(let id): "/ansoegninger/\(id.uuidString.lowercased())"
        case .submitApplication(let id): "/ansoegninger/\(id.uuidString.lowercased())/indsend"
        case .receipt(let id): "/ansoegninger/\(id.uuidString.lowercased())/kvittering"
        case .withdrawApplication(let id): "/ansoegninger/\(id.uuidString.lowercased())/traek-tilbage"
        case .applicationContributors(let id): "/ansoegninger/\(id.uuidString.lowercased())/bidragydere"
        case .applicationResponsible(let id): "/ansoegninger/\(id.uuidString.lowercased())/ansvarlig"
        case .applicationHistory(let id): "/ansoegninger/\(id.uuidString.lowercased())/historik"
        case .budgetCSV(let id): "/ansoegninger/\(id.uuidString.lowercased())/budget.csv"
        case .applicationMessages(let id): "/ansoegninger/\(id.uuidString.lowercased())/beskeder"
        case .attachments(let id): "/ansoegninger/\(id.uuidString.lowercased())/bilag"
        case .attachment(let id, let file):
            "/ansoegninger/\(id.uuidString.lowercased())/bilag/\(file.uuidString.lowercased())"
        case .messageFile(let id, let file):
            "/ansoegninger/\(id.uuidString.lowercased())/beskeder/filer/\(file.uuidString.lowercased())"
        case .deleteAttachment(let id, let file):
            "/ansoegninger/\(id.uuidString.lowercased())/bilag/\(file.uuidString.lowercased())/fjern"
        case .budgetXLSX(let id): "/ansoegninger/\(id.uuidString.lowercased())/budget.xlsx"
        case .callAssessment(let id): "/puljer/\(id.uuidString.lowercased())/vurdering"
        case .spreadAssessors(let id): "/puljer/\(id.uuidString.lowercased())/vurdering/fordel"
        case .assessmentCSV(let id): "/puljer/\(id.uuidString.lowercased())/vurdering.csv"
        case .assessmentXLSX(let id): "/puljer/\(id.uuidString.lowercased())/vurdering.xlsx"
        case .portfolio(let id): "/puljer/\(id.uuidString.lowercased())/udvaelgelse"
        case .portfolioAdjust(let id): "/puljer/\(id.uuidString.lowercased())/udvaelgelse/justering"
        case .proposeDecision(let id): "/puljer/\(id.uuidString.lowercased())/afgoerelse/indstil"
        case .approveDecision(let id): "/puljer/\(id.uuidString.lowercased())/afgoerelse/godkend"
        case .selectionCSV(let id): "/puljer/\(id.uuidString.lowercased())/udvalg.csv"
        case .selectionXLSX(let id): "/puljer/\(id.uuidString.lowercased())/udvalg.xlsx"
        case .assessment(let id): "/ansoegninger/\(id.uuidString.lowercased())/vurdering"
        case .screening(let id): "/ansoegninger/\(id.uuidString.lowercased())/screening"
        case .assessors(let id): "/ansoegninger/\(id.uuidString.lowercased())/bedoemmere"
        case .declaration(let id): "/ansoegninger/\(id.uuidString.lowercased())/habilitet"
        case .scores(let id): "/ansoegninger/\(id.uuidString.lowercased())/point"
        case .consensus(let id): "/ansoegninger/\(id.uuidString.lowercased())/konsensus"
        case .informationRequests(let id): "/ansoegninger/\(id.uuidString.lowercased())/oplysninger"
        case .informationAnswer(let id, let request):
            "/ansoegninger/\(id.uuidString.lowercased())/oplysninger/\(request.uuidString.lowercased())/svar"
        case .letter(let id, let letter):
            "/ansoegninger/\(id.uuidString.lowercased())/breve/\(letter.uuidString.lowercased())"
        case .letterTemplates: "/admin/brevskabeloner"
        case .invitation(let token): "/invitation/\(token)"
        case .inviteUser(let id): "/admin/brugere/\(id.uuidString.lowercased())/invitation"
        case .outbox: "/admin/udbakke"
        case .users: "/admin/brugere"
        case .newUser: "/admin/brugere/ny"
        case .user(let id): "/admin/brugere/\(id.uuidString.lowercased())"
        case .api(.initiatives): "/api/v1/initiatives"
        case .api(.initiative(let number)): "/api/v1/initiatives/\(number)"
        case .api(.calls): "/api/v1/calls"
        case .api(.call(let id)): "/api/v1/calls/\(id.uuidString.lowercased())"
        case .api(.applications): "/api/v1/applications"
        case .api(.application(let id)): "/api/v1/applications/\(id.uuidString.lowercased())"
        case .api(.submit(let id)): "/api/v1/applications/\(id.uuidString.lowercased())/submit"
        case .api(.withdraw(let id)): "/api/v1/applications/\(id.uuidString.lowercased())/withdraw"
        case .api(.openAPI): "/api/v1/openapi.json"
        }
    }

    /// The route pattern of a path with parameters, for registering handlers.
    static func pattern(_ route: Route) -> [PathComponent] {
        switch route {
        case .initiative: ["initiativer", ":year", ":number"]
        case .editInitiative: ["initiativer", ":year", ":number", "rediger"]
        case .initiativeHistory: ["initiativer", ":year", ":number", "historik"]
        case .user: ["admin", "brugere", ":userID"]
        case .call: ["puljer", ":callID"]
        case .editCall: ["puljer", ":callID", "rediger"]
        case .publishCall: ["puljer", ":callID", "offentliggoer"]
        case .callCalendar: ["puljer", ":callID", "frist.ics"]
        case .startApplication: ["puljer", ":callID", "ansoeg"]
        case .application: ["ansoegninger", ":applicationID"]
        case .submitApplication: ["ansoegninger", ":applicationID", "indsend"]
        case .receipt: ["ansoegninger", ":applicationID", "kvittering"]
        case .withdrawApplication: ["ansoegninger", ":applicationID", "traek-tilbage"]
        case .applicationContributors: ["ansoegninger", ":applicationID", "bidragydere"]
        case .applicationResponsible: ["ansoegninger", ":applicationID", "ansvarlig"]
        case .applicationHistory: ["ansoegninger", ":applicationID", "historik"]
        case .budgetCSV: ["ansoegninger", ":applicationID", "budget.csv"]
        case .applicationMessages: ["ansoegninger", ":applicationID", "beskeder"]
        case .attachments: ["ansoegninger", ":applicationID", "bilag"]
        case .attachment: ["ansoegninger", ":applicationID", "bilag", ":attachmentID"]
        case .deleteAttachment: ["ansoegninger", ":applicationID", "bilag", ":attachmentID", "fjern"]
        case .messageFile: ["ansoegninger", ":applicationID", "beskeder", "filer", ":fileID"]
        case .budgetXLSX: ["ansoegninger", ":applicationID", "budget.xlsx"]
        case .callAssessment: ["puljer", ":callID", "vurdering"]
        case .spreadAssessors: ["puljer", ":callID", "vurdering", "fordel"]
        case .assessmentCSV: ["puljer", ":callID", "vurdering.csv"]
        case .assessmentXLSX: ["puljer", ":callID", "vurdering.xlsx"]
        case .portfolio: ["puljer", ":callID", "udvaelgelse"]
        case .portfolioAdjust: ["puljer", ":callID", "udvaelgelse", "justering"]
        case .proposeDecision: ["puljer", ":callID", "afgoerelse", "indstil"]
        case .approveDecision: ["puljer", ":callID", "afgoerelse", "godkend"]
        case .selectionCSV: ["puljer", ":callID", "udvalg.csv"]
        case .selectionXLSX: ["puljer", ":callID", "udvalg.xlsx"]
        case .assessment: ["ansoegninger", ":applicationID", "vurdering"]
        case .screening: ["ansoegninger", ":applicationID", "screening"]
        case .assessors: ["ansoegninger", ":applicationID", "bedoemmere"]
        case .declaration: ["ansoegninger", ":applicationID", "habilitet"]
        case .scores: ["ansoegninger", ":applicationID", "point"]
        case .consensus: ["ansoegninger", ":applicationID", "konsensus"]
        case .informationRequests: ["ansoegninger", ":applicationID", "oplysninger"]
        case .informationAnswer: ["ansoegninger", ":applicationID", "oplysninger", ":requestID", "svar"]
        case .letter: ["ansoegninger", ":applicationID", "breve", ":letterID"]
        case .invitation: ["invitation", ":token"]
        case .inviteUser: ["admin", "brugere", ":userID", "invitation"]
        case .apiInitiative: ["api", "v1", "initiatives", ":number"]
        case .apiCall: ["api", "v1", "calls", ":callID"]
        case .apiApplication: ["api", "v1", "applications", ":applicationID"]
        case .apiSubmit: ["api", "v1", "applications", ":applicationID", "submit"]
        case .apiWithdraw: ["api", "v1", "applications", ":applicationID", "withdraw"]
        }
    }

    enum Route {
        case initiative, editInitiative, initiativeHistory, user, apiInitiative
        case call, editCall, publishCall, callCalendar, startApplication
        case application, submitApplication, receipt, withdrawApplication, applicationContributors,
            applicationResponsible
        case applicationHistory, budgetCSV, budgetXLSX, applicationMessages, attachments, attachment, deleteAttachment,
            messageFile
        case apiCall, apiApplication, apiSubmit, apiWithdraw
        case callAssessment, spreadAssessors, assessmentCSV, assessmentXLSX, portfolio, portfolioAdjust,
            proposeDecision, approveDecision, selectionCSV, selectionXLSX
        case assessment, screening, assessors, declaration, scores, consensus, informationRequests,
            informationAnswer, letter
        case invitation, inviteUser
    }

    /// Path components of a path without parameters.
    var components: [PathComponent] {
        path.split(separator: "/").map { PathComponent(stringLiteral: String($0)) }
    }
}
