import Foundation
import Testing

@testable import PuljeDomain

/// The permission policy as a full matrix: every role × every action × own or other organisation.
/// The table below is the specification; a change to the policy must change it too.
@Suite struct AccessPolicyTests {
    typealias Row = (own: Set<Role>, other: Set<Role>)

    static let staff: Set<Role> = [.agencyAdministrator, .programmeManager, .grantAdministrator, .assessor, .director]
    static let everyone = Set(Role.allCases)

    static let expected: [Action: Row] = [
        .viewCatalogue: (everyone, everyone),
        .editCatalogue: ([.agencyAdministrator, .programmeManager], [.agencyAdministrator, .programmeManager]),
        .manageCalls: ([.agencyAdministrator, .programmeManager], [.agencyAdministrator, .programmeManager]),
        .viewAuditHistory: (
            [.agencyAdministrator, .programmeManager, .grantAdministrator, .director],
            [.agencyAdministrator, .programmeManager, .grantAdministrator, .director]
        ),
        .manageUsers: ([.agencyAdministrator], [.agencyAdministrator]),
        .writeApplication: ([.municipalApplicant, .municipalSignatory], []),
        .submitApplication: ([.municipalApplicant, .municipalSignatory], []),
        .approveApplication: ([.municipalSignatory], []),
        .readApplication: (
            [.municipalApplicant, .municipalSignatory, .grantAdministrator, .programmeManager, .director, .assessor],
            [.grantAdministrator, .programmeManager, .director, .assessor]
        ),
        .readAllApplications: (
            [.grantAdministrator, .programmeManager, .director], [.grantAdministrator, .programmeManager, .director]
        ),
        // Assessors never write to applicants: they stay anonymous to them.
        .writeCaseMessage: (
            [.municipalApplicant, .municipalSignatory, .grantAdministrator, .programmeManager, .director],
            [.grantAdministrator, .programmeManager, .director]
        ),
        .screenApplications: ([.grantAdministrator], [.grantAdministrator]),
        .assessApplications: ([.assessor], [.assessor]),
        .manageAssessment: ([.grantAdministrator, .programmeManager], [.grantAdministrator, .programmeManager]),
        .editLetterTemplates: ([.programmeManager, .agencyAdministrator], [.programmeManager, .agencyAdministrator]),
        .proposeDecision: ([.programmeManager], [.programmeManager]),
        .approveDecision: ([.director], [.director]),
        .manageDataCollection: ([.evaluator], [.evaluator]),
        .readEvaluationData: ([.evaluator, .municipalApplicant, .municipalSignatory], [.evaluator]),
        .writeEvaluationData: ([.municipalApplicant, .municipalSignatory], []),
        .readEvaluationAggregates: (
            [.programmeManager, .grantAdministrator, .director, .agencyAdministrator],
            [.programmeManager, .grantAdministrator, .director, .agencyAdministrator]
        ),
        .readDataAccessLog: ([.dataProtectionOfficer], [.dataProtectionOfficer]),
        .readGrantCase: (
            [.municipalApplicant, .municipalSignatory, .grantAdministrator, .programmeManager, .director],
            [.grantAdministrator, .programmeManager, .director]
        ),
        .writeGrantCase: ([.municipalApplicant, .municipalSignatory], []),
        .confirmGrantOrganisation: ([.municipalSignatory], []),
        .manageGrantCases: ([.grantAdministrator, .programmeManager], [.grantAdministrator, .programmeManager]),
        // A second approval of a change can come from a director.
        .decideChangeRequests: ([.grantAdministrator, .director], [.grantAdministrator, .director]),
        .managePayments: ([.grantAdministrator], [.grantAdministrator]),
        .readBusinessCases: (Set(Role.allCases), Set(Role.allCases)),
        .editBusinessCases: ([.agencyAdministrator, .programmeManager], [.agencyAdministrator, .programmeManager]),
        .readPhaseVerdicts: (
            [.agencyAdministrator, .programmeManager, .grantAdministrator, .director],
            [.agencyAdministrator, .programmeManager, .grantAdministrator, .director]
        ),
        .proposePhaseVerdict: ([.programmeManager], [.programmeManager]),
        .decidePhaseVerdict: (
            [.director, .programmeManager, .agencyAdministrator], [.director, .programmeManager, .agencyAdministrator]
        ),
        .editPhaseCriteria: ([.programmeManager, .agencyAdministrator], [.programmeManager, .agencyAdministrator]),
    ]

    /// The organisation kind each role normally belongs to.
    static func home(_ role: Role) -> OrganisationKind {
        switch role {
        case .agencyAdministrator, .programmeManager, .grantAdministrator, .assessor, .director,
            .dataProtectionOfficer:
            .agency
        case .municipalApplicant, .municipalSignatory: .municipality
        case .evaluator: .evaluator
        }
    }

    @Test func theTableCoversEveryAction() {
        #expect(Set(Self.expected.keys) == Set(Action.allCases))
    }

    @Test(arguments: Role.allCases)
    func fullMatrix(role: Role) throws {
        let actor = Actor(roles: [role], organisationKind: Self.home(role))
        for action in Action.allCases {
            let row = try #require(Self.expected[action])
            #expect(
                AccessPolicy.permits(actor, action, on: .own) == row.own.contains(role),
                "\(role) \(action) own")
            #expect(
                AccessPolicy.permits(actor, action, on: .other) == row.other.contains(role),
                "\(role) \(action) other")
        }
    }

    @Test(arguments: Role.allCases)
    func aRoleInTheWrongKindOfOrganisationGrantsNothingButReading(role: Role) {
        for kind in OrganisationKind.allCases where !role.organisationKinds.contains(kind) {
            let actor = Actor(roles: [role], organisationKind: kind)
            for action in Action.allCases where action != .viewCatalogue {
                #expect(!AccessPolicy.permits(actor, action, on: .own), "\(role) in \(kind) may not \(action)")
                #expect(!AccessPolicy.permits(actor, action, on: .other), "\(role) in \(kind) may not \(action)")
            }
        }
    }

    @Test func anonymousVisitorsMayOnlyReadTheCatalogue() {
        for action in Action.allCases {
            #expect(AccessPolicy.permits(nil, action) == (action == .viewCatalogue))
        }
    }

    @Test func regionsAndProvidersCanApplyLikeMunicipalities() {
        for kind in [OrganisationKind.region, .provider] {
            let actor = Actor(roles: [.municipalApplicant], organisationKind: kind)
            #expect(AccessPolicy.permits(actor, .writeApplication, on: .own))
            #expect(!AccessPolicy.permits(actor, .writeApplication, on: .other))
        }
    }
}

@Suite struct PasswordPolicyTests {
    @Test func lengthIsAtLeastTwelve() {
        #expect(PasswordPolicy.problem(with: "Kort-kode1") == .tooShort)
        #expect(PasswordPolicy.problem(with: "elleve-tegn") == .tooShort)
        #expect(PasswordPolicy.problem(with: "tolv-tegn-ok") == nil)
    }

    @Test(arguments: [
        "password1234", "Password1234!", "123456789012", "qwertyuiopas", "aaaaaaaaaaaa", "abababababab",
        "Velkommen2026!!", "!!sommer2026!!", "kodeord12345", "1qaz2wsx3edc4rfv",
    ])
    func commonPasswordsAndTrivialVariationsAreRefused(password: String) {
        #expect(PasswordPolicy.problem(with: password) == .common)
    }

    @Test func thePasswordMayNotContainTheEmail() {
        #expect(PasswordPolicy.problem(with: "anne.hansen-2026", email: "anne.hansen@aarhus.dk") == .containsEmail)
    }

    @Test func aPassphraseIsAccepted() {
        #expect(PasswordPolicy.problem(with: "hest batteri korrekt hæfteklamme", email: "a@b.dk") == nil)
        #expect(PasswordPolicy.problem(with: "Demo-adgang-2026") == nil)
    }
}

@Suite struct SignInThrottleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let throttle = SignInThrottle()

    func minutesAgo(_ minutes: [Double]) -> [Date] { minutes.map { now.addingTimeInterval(-$0 * 60) } }

    @Test func fourFailuresAreAllowedTheFifthBlocks() {
        #expect(throttle.verdict(accountFailures: minutesAgo([1, 2, 3, 4]), addressFailures: [], now: now) == .allowed)
        let verdict = throttle.verdict(accountFailures: minutesAgo([1, 2, 3, 4, 5]), addressFailures: [], now: now)
        // Blocked until the oldest of the last five failures leaves the 15-minute window: 10 minutes from now.
        #expect(verdict == .refusedUntil(now.addingTimeInterval(10 * 60)))
    }

    @Test func failuresOutsideTheWindowAreForgotten() {
        #expect(
            throttle.verdict(accountFailures: minutesAgo([16, 17, 18, 19, 20, 1]), addressFailures: [], now: now)
                == .allowed)
    }

    @Test func oneAddressTryingManyAccountsIsSlowedDownNotLockedOut() {
        #expect(
            throttle.verdict(
                accountFailures: [], addressFailures: minutesAgo((1...19).map { Double($0) / 2 }), now: now) == .allowed
        )
        let twenty = minutesAgo((1...20).map { Double($0) / 2 })
        #expect(throttle.verdict(accountFailures: [], addressFailures: twenty, now: now) == .delayed(1))
        let many = minutesAgo((1...400).map { Double($0) / 40 })
        // Never more than the maximum delay, and never a refusal: an office shares its address.
        #expect(throttle.verdict(accountFailures: [], addressFailures: many, now: now) == .delayed(10))
        // The account's own limit still refuses.
        let account = minutesAgo([1, 2, 3, 4, 5])
        guard case .refusedUntil = throttle.verdict(accountFailures: account, addressFailures: many, now: now) else {
            Issue.record("five failures for one account refuse it")
            return
        }
    }

    @Test func theMessageSaysWhenToTryAgain() {
        #expect(
            SignInThrottle.danishRetryMessage(until: now.addingTimeInterval(9 * 60 + 1), now: now)
                == "For mange mislykkede forsøg på at logge ind. Prøv igen om 10 minutter.")
        #expect(
            SignInThrottle.danishRetryMessage(until: now.addingTimeInterval(30), now: now)
                == "For mange mislykkede forsøg på at logge ind. Prøv igen om 1 minut.")
    }
}

@Suite struct CaseAccessTests {
    let applicant = Actor(roles: [.municipalApplicant], organisationKind: .municipality)
    let caseworker = Actor(roles: [.grantAdministrator], organisationKind: .agency)
    let assessor = Actor(roles: [.assessor], organisationKind: .agency)

    @Test func applicantsWriteTheirOwnDraftsAndReadTheRest() {
        #expect(
            CaseAccess.of(applicant, ownOrganisation: true, writesOnIt: true, status: .draft, assignment: .notAssigned)
                == .write)
        #expect(
            CaseAccess.of(applicant, ownOrganisation: true, writesOnIt: false, status: .draft, assignment: .notAssigned)
                == .read)
        #expect(
            CaseAccess.of(
                applicant, ownOrganisation: true, writesOnIt: true, status: .submitted, assignment: .notAssigned)
                == .read)
        #expect(
            CaseAccess.of(
                applicant, ownOrganisation: false, writesOnIt: false, status: .submitted, assignment: .notAssigned)
                == .none)
    }

    @Test func theAgencyNeverSeesDraftsAndAssessorsOnlyWhatTheyDeclaredOn() {
        for status in ApplicationStatus.allCases {
            let expected: CaseAccess = status == .draft ? .none : .read
            #expect(
                CaseAccess.of(
                    caseworker, ownOrganisation: false, writesOnIt: false, status: status, assignment: .notAssigned)
                    == expected)
        }
        func assessorAccess(_ assignment: CaseAccess.Assignment) -> CaseAccess {
            CaseAccess.of(
                assessor, ownOrganisation: false, writesOnIt: false, status: .underAssessment, assignment: assignment)
        }
        #expect(assessorAccess(.notAssigned) == .none)
        #expect(assessorAccess(.assigned(nil)) == .mustDeclare)
        #expect(assessorAccess(.assigned(.conflict)) == .declaredConflict)
        #expect(assessorAccess(.assigned(.noConflict)) == .read)
        #expect(CaseAccess.mustDeclare.danishRefusal?.contains("habilitetserklæringen") == true)
        #expect(!CaseAccess.mustDeclare.mayRead && CaseAccess.read.mayRead && !CaseAccess.read.mayWrite)
    }
}

@Suite struct TransitionTests {
    @Test func everyTransitionLeadsWhereTheWorkflowSays() {
        #expect(ApplicationStatus.draft.allowedNext == [.submitted, .withdrawn])
        #expect(ApplicationStatus.submitted.allowedNext == [.underAssessment, .withdrawn, .rejected])
        #expect(
            ApplicationStatus.underAssessment.allowedNext == [
                .submitted, .moreInformationRequested, .awarded, .rejected,
            ])
        #expect(ApplicationStatus.moreInformationRequested.allowedNext == [.underAssessment, .awarded, .rejected])
        for end in [ApplicationStatus.awarded, .rejected, .withdrawn] { #expect(end.allowedNext.isEmpty) }
        #expect(!ApplicationTransition.award.applies(to: .submitted))
        #expect(ApplicationTransition.reject.applies(to: .submitted))
        #expect(ApplicationTransition.decision(awarded: true) == .award)
    }
}
