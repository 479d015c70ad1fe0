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

extension PageFixtures {
    /// Vejle's grant case in its first year: a budget, one member named, a report round due, a change waiting
    /// for its second approval, a released payment.
    static func grantCase() -> GrantCase {
        let record = GrantCaseRecord()
        record.id = id(40)
        record.$application.id = id(20)
        record.$call.id = id(30)
        record.$organisation.id = vejle
        record.status = GrantCaseStatus.active.rawValue
        record.awardOre = Money(kroner: 600_000).ore
        record.projectStart = "2027-01-01"
        record.projectEnd = "2028-12-31"
        record.conditions = "Tilskuddet anvendes efter det godkendte budget."
        let budget = GrantBudget([
            .init(category: .salaries, year: 2027, amount: Money(kroner: 250_000)),
            .init(category: .salaries, year: 2028, amount: Money(kroner: 250_000)),
            .init(category: .training, year: 2027, amount: Money(kroner: 100_000)),
        ])
        record.budgetJSON = GrantStore.encode(budget)
        record.budgetVersion = 1
        record.payeeAccount = "1234 0001234567"
        record.openedAt = now
        var found = GrantCase(
            record: record, callTitle: seed.title, organisationName: "Vejle Kommune",
            projectTitle: "Én indgang for familierne i Vejle", terms: GrantTerms.familyModels003, years: 2027...2028,
            categories: [.salaries, .training], access: .read, now: now)
        let member = GrantTeamMemberRecord()
        member.id = id(41)
        member.name = "Lene Leder"
        member.email = "lene@vejle.dk"
        member.roleID = "projektleder"
        member.group = TeamGroup.implementationTeam.rawValue
        member.addedAt = now
        found.members = [member]
        let round = ReportRoundRecord()
        round.id = id(42)
        round.$call.id = id(30)
        round.title = "Statusrapport 1"
        round.dueAt = now.addingTimeInterval(5 * 86_400)
        round.questionsJSON = GrantStore.encode(ReportQuestion.standard)
        round.createdBy = manager.name
        round.createdAt = now
        found.rounds = [round]
        let change = ChangeRequestRecord()
        change.id = id(43)
        change.$grantCase.id = record.id!
        change.kind = ChangeKind.reallocation.rawValue
        change.description = "Ny medarbejder i stedet for konsulent."
        change.newEnd = ""
        change.movedOre = Money(kroner: 150_000).ore
        change.handling = ChangeHandling.approvalByTwo.rawValue
        change.status = ChangeStatus.awaitingSecondApproval.rawValue
        change.requestedByID = applicant.id
        change.requestedBy = applicant.name
        change.requestedAt = now
        change.firstApproverID = id(12)
        change.firstApprover = "Tine Tilskudsforvalter"
        change.decisionNote = ""
        found.changes = [change]
        let payment = GrantPaymentRecord()
        payment.id = id(44)
        payment.$grantCase.id = record.id!
        payment.amountOre = Money(kroner: 300_000).ore
        payment.note = "1. rate"
        payment.status = PaymentStatus.released.rawValue
        payment.preparedByID = id(12)
        payment.preparedBy = "Tine Tilskudsforvalter"
        payment.preparedAt = now
        payment.releasedBy = manager.name
        payment.releasedAt = now
        found.payments = [payment]
        found.timeline = [
            AuditHistory.Row(
                at: now, who: "Social- og Boligstyrelsen", organisation: "", action: "Tilskudssag oprettet",
                summary: "Tilskudssagen er oprettet for Vejle Kommune med et tilskud på 600.000 kr.")
        ]
        return found
    }

    /// A business case with two payers, a price-level conversion and a discount rate.
    static func businessCaseInput() -> BusinessCaseInput {
        BusinessCaseInput(
            title: "Bedre overgang til job", priceLevel: 2024, firstYear: 2025, horizon: 5,
            discountRate: Decimal(string: "3.5")!, successRateNew: 15, successRateCurrent: 5, cohorts: [40, 60, 60],
            consequences: [
                .init(
                    name: "Kontanthjælp", unit: "uger", priceLevel: 2022,
                    prices: [.municipality: 2600, .state: Decimal(string: "1233.5")!], changes: [-8, -16, -16, -10]),
                .init(name: "Psykiatrisk skadestue", unit: "besøg", prices: [.region: 4100], changes: [-1, -1]),
            ],
            costs: [
                .init(name: "Uddannelse af medarbejdere", kind: .startUp, payer: .municipality, amounts: [350_000]),
                .init(
                    name: "Forløb", kind: .operation, payer: .municipality, amounts: [420_000, 630_000, 630_000]),
                .init(name: "Nuværende tilbud", kind: .saved, payer: .municipality, amounts: [60_000, 90_000, 90_000]),
            ])
    }

    static func businessCase() -> BusinessCasePages.ShowModel {
        let index = NetPriceIndex([2022: 100, 2024: Decimal(string: "108.7")!])
        return BusinessCasePages.ShowModel(
            id: id(60), title: "Bedre overgang til job", initiative: .init(year: 2022, number: "1.6"),
            updatedAt: now, updatedBy: manager.name,
            computed: BusinessCaseCalculator.compute(businessCaseInput(), index: index), canEdit: true,
            history: [(now, "Pia Programansvarlig <pia@sm.dk>", "Business case ændret. Ændret: konsekvenser (2).")])
    }
}
