/// Every kind of change the audit log records, with its Danish name and who may read an entry of it.
public enum AuditAction: String, CaseIterable, Sendable {
    case initiativeCreate = "initiative.create"
    case initiativeUpdate = "initiative.update"
    case userCreate = "user.create"
    case userUpdate = "user.update"
    case organisationUpdate = "organisation.update"
    case userTwoFactor = "user.twoFactor"
    case userProfile = "user.profile"
    case userPassword = "user.password"
    case userInvite = "user.invite"
    case userInvitationAccepted = "user.invitation-accepted"
    case signIn = "session.signIn"
    case signOut = "session.signOut"
    case signOutEverywhere = "session.signOutEverywhere"
    case signInFailed = "session.signInFailed"
    case callCreate = "call.create"
    case callUpdate = "call.update"
    case callPublish = "call.publish"
    case applicationCreate = "application.create"
    case applicationSave = "application.save"
    case applicationSubmit = "application.submit"
    case applicationWithdraw = "application.withdraw"
    case applicationDelete = "application.delete"
    case applicationApprove = "application.approve"
    case applicationContributor = "application.contributor"
    case applicationResponsible = "application.responsible"
    case applicationAttachment = "application.attachment"
    case applicationMessage = "application.message"
    case informationAnswer = "application.information-answer"
    case screening = "assessment.screening"
    case assessorAssign = "assessment.assign"
    case assessorSpread = "assessment.spread"
    case conflictDeclaration = "assessment.declaration"
    case score = "assessment.score"
    case consensus = "assessment.consensus"
    case informationRequest = "assessment.information-request"
    case portfolioOverride = "portfolio.override"
    case decisionPropose = "decision.propose"
    case decisionApprove = "decision.approve"
    case decisionLetter = "decision.letter"
    case letterTemplateUpdate = "letter-template.update"
    case grantOpen = "grant.open"
    case grantTeam = "grant.team"
    case grantTeamConfirm = "grant.team-confirm"
    case grantBudgetRevised = "grant.budget-revised"
    case grantBudgetApprove = "grant.budget-approve"
    case reportRound = "grant.report-round"
    case statusReportSave = "grant.report-save"
    case statusReportSubmit = "grant.report-submit"
    case statusReportDecide = "grant.report-decide"
    case changeRequest = "grant.change-request"
    case changeDecide = "grant.change-decide"
    case accountsSubmit = "grant.accounts-submit"
    case accountsDecide = "grant.accounts-decide"
    case paymentPrepare = "grant.payment-prepare"
    case paymentRelease = "grant.payment-release"
    case payeeAccount = "grant.payee-account"
    case activitySchedule = "grant.activity-schedule"
    case activityRegister = "grant.activity-register"
    case activityUnregister = "grant.activity-unregister"
    case attendance = "grant.attendance"
    case anchoringPlan = "grant.anchoring-plan"
    case grantClose = "grant.close"
    case businessCaseCreate = "business-case.create"
    case businessCaseUpdate = "business-case.update"
    case priceIndexUpdate = "price-index.update"
    case phaseVerdictSave = "phase-verdict.save"
    case phaseVerdictPropose = "phase-verdict.propose"
    case phaseVerdictReturn = "phase-verdict.return"
    case phaseVerdictDecide = "phase-verdict.decide"
    case phaseCriteriaSave = "phase-criteria.save"
    case instrumentSave = "instrument.save"
    case evaluationCreate = "evaluation.create"
    case evaluationUpdate = "evaluation.update"
    case citizenEnrol = "evaluation.enrol"
    case citizenRecord = "evaluation.record"
    case evaluationPurge = "evaluation.purge"
    case evaluationExportRequest = "evaluation.export-request"
    case evaluationExportDownload = "evaluation.export-download"
    case evaluationExportRemove = "evaluation.export-remove"

    public var danishName: String {
        switch self {
        case .initiativeCreate: "Oprettet"
        case .initiativeUpdate: "Ændret"
        case .userCreate: "Bruger oprettet"
        case .organisationUpdate: "Organisation ændret"
        case .userTwoFactor: "Totrinsbekræftelse ændret"
        case .userUpdate: "Bruger ændret"
        case .userProfile: "Profil ændret"
        case .userPassword: "Adgangskode skiftet"
        case .userInvite: "Invitation sendt"
        case .userInvitationAccepted: "Adgangskode valgt via invitation"
        case .signIn: "Logget ind"
        case .signOut: "Logget ud"
        case .signOutEverywhere: "Logget ud overalt"
        case .signInFailed: "Mislykket log ind"
        case .callCreate: "Pulje oprettet"
        case .callUpdate: "Pulje ændret"
        case .callPublish: "Pulje offentliggjort"
        case .applicationCreate: "Ansøgning oprettet"
        case .applicationSave: "Gemt"
        case .applicationSubmit: "Indsendt"
        case .applicationWithdraw: "Trukket tilbage"
        case .applicationDelete: "Kladde slettet"
        case .applicationApprove: "Godkendt af tegningsberettiget"
        case .applicationContributor: "Bidragyder tilføjet"
        case .applicationResponsible: "Ansvar overdraget"
        case .applicationAttachment: "Bilag"
        case .applicationMessage: "Besked"
        case .informationAnswer: "Svar på anmodning om oplysninger"
        case .screening: "Screening"
        case .assessorAssign: "Bedømmer tildelt"
        case .assessorSpread: "Bedømmere fordelt"
        case .conflictDeclaration: "Habilitetserklæring"
        case .score: "Point givet"
        case .consensus: "Konsensus registreret"
        case .informationRequest: "Yderligere oplysninger ønsket"
        case .portfolioOverride: "Udvælgelse justeret"
        case .decisionPropose: "Afgørelse indstillet"
        case .decisionApprove: "Afgørelse godkendt"
        case .decisionLetter: "Brev sendt"
        case .letterTemplateUpdate: "Brevskabeloner ændret"
        case .grantOpen: "Tilskudssag oprettet"
        case .grantTeam: "Organisering ændret"
        case .grantTeamConfirm: "Organisering godkendt"
        case .grantBudgetRevised: "Revideret budget indsendt"
        case .grantBudgetApprove: "Budget godkendt"
        case .reportRound: "Statusrapportering oprettet"
        case .statusReportSave: "Statusrapport gemt"
        case .statusReportSubmit: "Statusrapport indsendt"
        case .statusReportDecide: "Statusrapport vurderet"
        case .changeRequest: "Ændring anmodet"
        case .changeDecide: "Ændring afgjort"
        case .accountsSubmit: "Regnskab indsendt"
        case .accountsDecide: "Regnskab vurderet"
        case .paymentPrepare: "Udbetaling klargjort"
        case .paymentRelease: "Udbetaling frigivet"
        case .payeeAccount: "Kontooplysninger ændret"
        case .activitySchedule: "Aktivitet planlagt"
        case .activityRegister: "Tilmeldt aktivitet"
        case .activityUnregister: "Afmeldt aktivitet"
        case .attendance: "Fremmøde registreret"
        case .anchoringPlan: "Forankringsplan indsendt"
        case .grantClose: "Sag afsluttet"
        case .businessCaseCreate: "Business case oprettet"
        case .businessCaseUpdate: "Business case ændret"
        case .priceIndexUpdate: "Nettoprisindeks ændret"
        case .phaseVerdictSave: "Fasevurdering gemt"
        case .phaseVerdictPropose: "Fasevurdering indstillet"
        case .phaseVerdictReturn: "Fasevurdering sendt tilbage"
        case .phaseVerdictDecide: "Fasevurdering afgjort"
        case .phaseCriteriaSave: "Fasekriterier ændret"
        case .instrumentSave: "Instrument gemt"
        case .evaluationCreate: "Evaluering oprettet"
        case .evaluationUpdate: "Evalueringsdesign ændret"
        case .citizenEnrol: "Borger indskrevet"
        case .citizenRecord: "Data registreret"
        case .evaluationPurge: "Borgerdata slettet eller anonymiseret"
        case .evaluationExportRequest: "Eksport bestilt"
        case .evaluationExportDownload: "Eksport hentet"
        case .evaluationExportRemove: "Eksportfil slettet"
        }
    }

    /// The Danish name of a stored action; the stored text itself for one this version does not know.
    public static func danishName(of stored: String) -> String {
        AuditAction(rawValue: stored)?.danishName ?? stored
    }

    /// Who may read an entry of this action in a case's history.
    public var audience: AuditAudience {
        switch self {
        case .screening, .assessorAssign, .assessorSpread, .conflictDeclaration, .score, .consensus,
            .portfolioOverride, .decisionPropose, .decisionApprove, .letterTemplateUpdate:
            // The inside of the assessment: who assesses, what they gave, what they declared.
            .assessmentStaff
        default:
            .caseParties
        }
    }
}

/// Who may read an audit entry of a case.
public enum AuditAudience: Sendable {
    /// The applicant's people and everyone at the agency who may read the case.
    case caseParties
    /// Only agency staff who may read audit history (not assessors, who must not see each other's work).
    case assessmentStaff
}

/// Who is reading a case's history, as far as the audit log's audiences are concerned.
public enum CaseHistoryReader: Sendable {
    /// Agency staff allowed to read audit history.
    case historyStaff
    /// Anyone else who may read the case: its applicants, or an assessor assigned to it.
    case caseParty

    public init(actor: Actor) {
        self = AccessPolicy.permits(actor, .viewAuditHistory) ? .historyStaff : .caseParty
    }

    /// Whether this reader sees an entry of the stored action. An unknown action is shown to staff only.
    public func mayRead(_ stored: String) -> Bool {
        guard let action = AuditAction(rawValue: stored) else { return self == .historyStaff }
        switch action.audience {
        case .caseParties: return true
        case .assessmentStaff: return self == .historyStaff
        }
    }

    /// Whether entries by people of other organisations show the person, or only their organisation.
    /// Applicants and assessors see the agency's actions in the agency's name: assessors stay anonymous.
    public var seesNamesOfOtherOrganisations: Bool { self == .historyStaff }
}
