import Foundation
import PuljeHTML
import Vapor

/// An error whose message is written for the user, in Danish.
struct PuljeError: AbortError {
    var status: HTTPStatus
    var reason: String

    init(_ status: HTTPStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }
}

/// A refusal with a message per field, for the API: `{"error": {…, "fields": {"budget.0": "…"}}}`.
struct FieldProblems: AbortError {
    var status: HTTPStatus
    var reason: String
    var fields: [String: String]
}

/// The one error page, and the one JSON error shape of the API:
/// `{"error": {"status": 404, "code": "not_found", "message": "…"}}`.
struct ErrorMiddleware: AsyncMiddleware {
    struct APIError: Content {
        struct Body: Content {
            var status: Int
            var code: String
            var message: String
            var fields: [String: String]?
        }
        var error: Body
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let (status, reason) = Self.describe(error, request: request)
            if request.url.path.hasPrefix("/api/") {
                let body = APIError(
                    error: .init(
                        status: Int(status.code), code: Self.code(status), message: reason,
                        fields: (error as? FieldProblems)?.fields))
                let response = Response(status: status)
                try response.content.encode(body, as: .json)
                return response
            }
            if status == .unauthorized {
                let next = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
                let target =
                    SiteURL.signIn.path + "?naeste="
                    + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
                if request.method == .GET { return request.redirect(to: target) }
            }
            return Self.page(status: status, message: reason, request: request)
        }
    }

    static func describe(_ error: any Error, request: Request) -> (HTTPStatus, String) {
        switch error {
        case let error as PuljeError where error.status.code >= 500:
            // A fault of ours: the detail (which may be English, technical) goes to the log, the user reads Danish.
            request.logger.error("\(error.reason)")
            return (error.status, danishText(for: error.status))
        case let error as PuljeError:
            return (error.status, error.reason)
        case let error as FieldProblems:
            return (error.status, error.reason)
        case let abort as any AbortError:
            // Vapor's own reasons are English and technical: show a Danish text instead.
            return (abort.status, danishText(for: abort.status))
        case is DecodingError:
            return (.badRequest, "Forespørgslen kunne ikke læses. Kontrollér de indtastede værdier.")
        default:
            request.logger.report(error: error)
            return (.internalServerError, danishText(for: .internalServerError))
        }
    }

    static func danishText(for status: HTTPStatus) -> String {
        switch status {
        case .notFound: "Siden findes ikke. Kontrollér adressen, eller gå til forsiden."
        case .unauthorized: "Du skal logge ind for at se siden."
        case .forbidden: "Du har ikke adgang til denne side."
        case .badRequest: "Forespørgslen kunne ikke læses. Kontrollér de indtastede værdier."
        case .payloadTooLarge: "Filen eller formularen er for stor."
        case .unprocessableEntity: "De indtastede oplysninger kunne ikke godkendes."
        case .tooManyRequests: "For mange forsøg. Vent lidt, og prøv igen."
        case .unsupportedMediaType:
            "Indholdet har en type, Pulje ikke kan læse. Send formularen fra siden igen; API'et læser application/json."
        case .methodNotAllowed: "Den slags forespørgsel kan ikke bruges her."
        case .conflict: "Det, du ville ændre, er ændret i mellemtiden. Genindlæs siden, og prøv igen."
        default:
            status.code >= 500
                ? "Der opstod en fejl hos os. Prøv igen om lidt. Fejlen er registreret."
                : "Forespørgslen kunne ikke behandles. Kontrollér det indtastede, og prøv igen."
        }
    }

    static func code(_ status: HTTPStatus) -> String {
        switch status {
        case .notFound: "not_found"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .badRequest: "bad_request"
        case .unprocessableEntity: "invalid"
        case .conflict: "conflict"
        case .tooManyRequests: "too_many_requests"
        case .unsupportedMediaType: "unsupported_media_type"
        case .methodNotAllowed: "method_not_allowed"
        case .payloadTooLarge: "payload_too_large"
        default: status.code >= 500 ? "server_error" : "error"
        }
    }

    static func page(status: HTTPStatus, message: String, request: Request) -> Response {
        let title: String =
            switch status {
            case .notFound: "Siden findes ikke"
            case .forbidden: "Ingen adgang"
            case .unauthorized: "Log ind"
            default: status.code >= 500 ? "Der opstod en fejl" : "Noget gik galt"
            }
        let context = request.pageContext()
        return Layout.page(title: title, context: context) {
            tag("h1") { title }
            tag("p") { message }
            tag("p") { tag("a", .href(SiteURL.home.path)) { "Gå til forsiden" } }
        }.response(status: status)
    }
}
