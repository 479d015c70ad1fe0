import Fluent
import Foundation
import PuljeDomain

/// What the allocation states about an initiative beyond its sections (municipalities sought, duration,
/// partners, origin, remarks and corrections of the printed text), as JSON; filled in for the initiatives
/// of the bundled catalogue.
struct AddInitiativeFacts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(InitiativeRecord.schema).field(
            "facts_json", .sql(.text), .required, .sql(.default("{}"))
        )
        .update()
        try await CatalogueStore.fillFacts(from: try CatalogueFile.load(), on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(InitiativeRecord.schema).deleteField("facts_json").update()
    }
}
