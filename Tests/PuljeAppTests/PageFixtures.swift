import Foundation
import PuljeDomain
import PuljeHTML

@testable import PuljeApp

/// Fixed models for the main pages, built in memory without a database: what the snapshot tests render, and
/// what a new page's author copies. Ids, names and times are fixed so that the rendered HTML is too.
enum PageFixtures {
    static func id(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", n))! }

    static let vejle = id(1)
    static let agency = id(2)
    static let seed = CallSeeds.familyModelsRoundOne
    /// Three days before the call's deadline.
    static let now = seed.rules.deadline!.instant.addingTimeInterval(-3 * 86_400)

    static let applicant = CurrentUser(
        id: id(10), email: "amalie@vejle.dk", name: "Amalie Jensen", organisationID: vejle,
        organisationName: "Vejle Kommune", organisationKind: .municipality, roles: [.municipalApplicant])
    static let manager = CurrentUser(
        id: id(11), email: "pia@sm.dk", name: "Pia Programansvarlig", organisationID: agency,
        organisationName: "Social- og Boligstyrelsen", organisationKind: .agency,
        roles: [.programmeManager, .grantAdministrator])

    static func context(_ user: CurrentUser?, path: String) -> PageContext {
        PageContext(user: user, csrfToken: "csrf-fixture", path: path, flash: nil)
    }

    static func call() -> CallRecord {
        let call = CallRecord()
        call.id = id(100)
        call.title = seed.title
        call.summary = seed.summary
        call.targetGroup = seed.targetGroup
        call.initiativeNumber = seed.initiativeNumber
        call.status = CallStatus.published.rawValue
        call.version = 1
        call.opensAt = seed.rules.opensAt
        call.deadlineAt = seed.rules.deadline?.instant
        call.publishedAt = seed.rules.opensAt
        try! call.setRules(seed.rules)
        return call
    }

    static func user(_ current: CurrentUser) -> UserRecord {
        let user = UserRecord(
            email: current.email, name: current.name, passwordHash: "", organisationID: current.organisationID,
            roles: current.roles)
        user.id = current.id
        return user
    }

    static let content = ApplicationContent(
        projectTitle: "Familier i trivsel i Vejle",
        targetAreaCodes: [seed.rules.targetAreas.first?.code].compactMap { $0 },
        contacts: [ContactPerson(name: "Amalie Jensen", role: "Projektleder", email: "amalie@vejle.dk")],
        answers: Dictionary(
            uniqueKeysWithValues: seed.rules.questions.prefix(1).map { ($0.id, "Vi samler indsatsen.") }),
        budget: [
            BudgetLine(
                category: .salaries, description: "Projektleder", unitsHundredths: 120_000,
                unitPrice: Money(kroner: 450), year: seed.rules.projectYears?.lowerBound ?? 2024, months: [1, 2, 3])
        ])

    static func application(_ status: ApplicationStatus, call: CallRecord) -> ApplicationRecord {
        let application = ApplicationRecord()
        application.id = id(200)
        application.$call.id = call.id!
        application.$call.value = call
        application.$organisation.id = vejle
        application.$responsible.id = applicant.id
        application.status = status.rawValue
        application.version = 4
        application.saveToken = id(201)
        application.contentJSON = ApplicationStore.encode(content)
        application.lastSavedAt = now.addingTimeInterval(-600)
        application.lastSavedBy = applicant.name
        if status != .draft {
            application.submissionNumber = "UIP-2026-000123"
            application.submittedAt = now.addingTimeInterval(-300)
            application.submittedBy = applicant.name
            application.submittedContentJSON = application.contentJSON
            application.digest = ApplicationStore.digest(application.contentJSON)
            application.callVersion = 1
        }
        return application
    }

    static func applicationCase(_ status: ApplicationStatus) -> ApplicationCase {
        let call = call()
        return ApplicationCase(
            application: application(status, call: call), call: call, rules: seed.rules, contributors: [],
            responsible: user(applicant), canWrite: status == .draft, isResponsible: true, messages: [],
            attachments: [])
    }

    /// The call after its deadline with one submitted application from Vejle, nothing screened yet.
    static func assessment() -> CallAssessment {
        let call = call()
        let application = application(.submitted, call: call)
        application.$organisation.value = organisation()
        application.$responsible.value = user(applicant)
        return CallAssessment(
            call: call, rules: seed.rules, applications: [application], screenings: [:], assignments: [:],
            scores: [:], consensus: [:], overrides: [:], decision: nil)
    }

    static func organisation() -> OrganisationRecord {
        let organisation = OrganisationRecord(kind: .municipality, name: "Vejle Kommune", municipalityCode: 630)
        organisation.id = vejle
        return organisation
    }

    static func initiative() -> Initiative {
        try! CatalogueFile.load().domainInitiatives().first!
    }
}
