import Foundation
import Vapor

/// Staff's adjustment of the proposed selection for one application, as posted.
struct OverrideForm: Content {
    var applicationID: UUID?
    var choice: String?
    var granted: String?
    var reason: String?
}

/// A programme manager's proposal of the decision, as posted.
struct ProposeForm: Content {
    var conditions: String?
    var note: String?
}
