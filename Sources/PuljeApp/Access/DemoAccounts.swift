import Fluent
import PuljeDomain
import Vapor

/// Demo accounts for every role, created only where demo data is switched on (development).
enum DemoAccounts {
    /// The shared password of the demo accounts, printed in the README.
    static let password = "Demo-adgang-2026"

    struct Account {
        var email: String
        var name: String
        var organisation: String
        var roles: Set<Role>
    }

    static let all: [Account] = [
        Account(
            email: "admin@styrelsen.demo", name: "Anne Administrator", organisation: Agency.name,
            roles: [.agencyAdministrator]),
        Account(
            email: "fagkonsulent@styrelsen.demo", name: "Frederik Fagkonsulent", organisation: Agency.name,
            roles: [.programmeManager]),
        Account(
            email: "tilskud@styrelsen.demo", name: "Tine Tilskudsforvalter", organisation: Agency.name,
            roles: [.grantAdministrator]),
        // A second grant administrator: a payment is prepared by one and released by another.
        Account(
            email: "tilskud2@styrelsen.demo", name: "Torben Tilskudsforvalter", organisation: Agency.name,
            roles: [.grantAdministrator]),
        Account(
            email: "bedommer1@styrelsen.demo", name: "Bent Bedømmer", organisation: Agency.name, roles: [.assessor]),
        Account(
            email: "bedommer2@styrelsen.demo", name: "Birgitte Bedømmer", organisation: Agency.name, roles: [.assessor]),
        Account(
            email: "bedommer3@styrelsen.demo", name: "Bo Bedømmer", organisation: Agency.name, roles: [.assessor]),
        Account(
            email: "direktor2@styrelsen.demo", name: "Dennis Direktør", organisation: Agency.name,
            roles: [.director]),
        Account(
            email: "direktor@styrelsen.demo", name: "Dorte Direktør", organisation: Agency.name, roles: [.director]),
        Account(
            email: "ansoger@aarhus.demo", name: "Amalie Ansøger", organisation: "Aarhus Kommune",
            roles: [.municipalApplicant]),
        Account(
            email: "kollega@aarhus.demo", name: "Karl Kollega", organisation: "Aarhus Kommune",
            roles: [.municipalApplicant]),
        Account(
            email: "chef@aarhus.demo", name: "Camilla Chef", organisation: "Aarhus Kommune",
            roles: [.municipalSignatory]),
        Account(
            email: "ansoger@odense.demo", name: "Ole Ansøger", organisation: "Odense Kommune",
            roles: [.municipalApplicant, .municipalSignatory]),
        Account(
            email: "ansoger@aalborg.demo", name: "Asta Ansøger", organisation: "Aalborg Kommune",
            roles: [.municipalApplicant, .municipalSignatory]),
        Account(
            email: "ansoger@vejle.demo", name: "Viggo Ansøger", organisation: "Vejle Kommune",
            roles: [.municipalApplicant, .municipalSignatory]),
        Account(
            email: "ansoger@esbjerg.demo", name: "Ebba Ansøger", organisation: "Esbjerg Kommune",
            roles: [.municipalApplicant, .municipalSignatory]),
        Account(
            email: "evaluator@vive.demo", name: "Vera Evaluator",
            organisation: "VIVE – Det Nationale Forsknings- og Analysecenter for Velfærd", roles: [.evaluator]),
        Account(
            email: "dpo@styrelsen.demo", name: "Dagny Databeskyttelse", organisation: Agency.name,
            roles: [.dataProtectionOfficer]),
    ]

    static func load(on db: any Database, hasher: AsyncPasswordHasher) async throws {
        let existing = Set(try await UserRecord.query(on: db).all().map(\.email))
        let organisations = try await OrganisationRecord.query(on: db).all()
        for account in all where !existing.contains(account.email) {
            guard let organisation = organisations.first(where: { $0.name == account.organisation }) else {
                throw PuljeError(.internalServerError, "Demo organisation \(account.organisation) is missing.")
            }
            let hash = try await hasher.hash(password)
            try await UserRecord(
                email: account.email, name: account.name, passwordHash: hash,
                organisationID: try organisation.requireID(),
                roles: account.roles
            ).create(on: db)
        }
    }

    /// Whether any demo account still exists: a production start refuses to run with them.
    static func present(on db: any Database) async throws -> Bool {
        try await UserRecord.query(on: db).filter(\.$email ~~ all.map(\.email)).count() > 0
    }
}

extension Application {
    private struct DummyHashKey: StorageKey { typealias Value = String }

    /// A hash of a random password, verified against when an account does not exist.
    func dummyPasswordHash() throws -> String {
        if let hash = storage[DummyHashKey.self] { return hash }
        let hash = try password.hash([UInt8].random(count: 24).base64URLEncoded)
        storage[DummyHashKey.self] = hash
        return hash
    }
}
