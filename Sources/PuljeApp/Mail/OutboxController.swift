import Fluent
import Vapor

/// The outbox page (demo environment only).
enum OutboxController {
    @Sendable static func index(req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        guard req.application.config.loadDemoData else { throw PuljeError(.notFound, "Siden findes ikke.") }
        let messages = try await OutboxStore.recent(on: req.db)
        return OutboxPage.view(messages, context: req.pageContext()).response(status: .ok)
    }
}
