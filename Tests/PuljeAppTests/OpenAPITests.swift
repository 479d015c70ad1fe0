import Foundation
import Testing
import Vapor
import VaporTesting

@testable import PuljeApp

/// Keeps the OpenAPI document honest: every API route is in it, everything in it is a route,
/// and real responses have the shapes it describes.
extension AppTests {
    @Suite struct OpenAPITests {
        static func document() throws -> JSON { try JSON.parse(Data(OpenAPIDocument.json.utf8)) }

        @Test func everyAPIRouteIsDocumentedAndEveryDocumentedPathExists() async throws {
            try await withTestApp { app in
                let doc = try Self.document()
                #expect(doc["openapi"]?.string == "3.1.0")
                guard case .object(let paths)? = doc["paths"] else { Issue.record("no paths"); return }
                let documented = Set(
                    paths.flatMap { path, operations -> [String] in
                        guard case .object(let ops) = operations else { return [] }
                        return ops.keys.map { "\($0.uppercased()) \(path)" }
                    })
                let routes = Set(
                    app.routes.all.filter { $0.path.first?.description == "api" && $0.method != .HEAD }.map { route in
                        let path = route.path.map { c -> String in
                            let d = c.description
                            return d.hasPrefix(":") ? "{" + d.dropFirst() + "}" : d
                        }
                        return "\(route.method.rawValue) /" + path.joined(separator: "/")
                    })
                #expect(
                    routes == documented,
                    "undocumented: \(routes.subtracting(documented)); not routes: \(documented.subtracting(routes))")
            }
        }

        /// Real requests and the status each must answer with; each body is checked against the document.
        static let examples: [(path: String, template: String, status: Int)] = [
            ("/api/v1/initiatives", "/api/v1/initiatives", 200),
            ("/api/v1/initiatives?area=children&phase=maturation&q=kommuner", "/api/v1/initiatives", 200),
            ("/api/v1/initiatives?area=mars", "/api/v1/initiatives", 400),
            ("/api/v1/initiatives/1.8", "/api/v1/initiatives/{number}", 200),
            ("/api/v1/initiatives/1.1?year=2022", "/api/v1/initiatives/{number}", 200),
            ("/api/v1/initiatives/9.9", "/api/v1/initiatives/{number}", 404),
            ("/api/v1/initiatives/abc", "/api/v1/initiatives/{number}", 400),
            ("/api/v1/openapi.json", "/api/v1/openapi.json", 200),
        ]

        @Test func responsesHaveTheDocumentedShapes() async throws {
            try await withTestApp { app in
                let doc = try Self.document()
                for example in Self.examples {
                    let response = try await Browser(app).get(example.path)
                    #expect(Int(response.status.code) == example.status, "\(example.path)")
                    let described = try #require(
                        doc["paths"]?[example.template]?["get"]?["responses"]?[String(example.status)],
                        "\(example.path): status \(example.status) is not documented")
                    let schema = described["content"]?["application/json"]?["schema"]
                    let body = try JSON.parse(Data(response.body.readableBytesView))
                    let problems = SchemaCheck(root: doc).problems(body, against: try #require(schema), at: "$")
                    #expect(problems.isEmpty, "\(example.path): \(problems)")
                    #expect(response.headers.contentType == .json, "\(example.path)")
                }
            }
        }

        /// Checks a response against the document's schema for its path template, method and status.
        static func expectDocumented(
            _ response: TestingHTTPResponse, _ template: String, _ method: String, status: Int, doc: JSON,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            #expect(
                Int(response.status.code) == status, "\(method) \(template): \(response.body.string.prefix(300))",
                sourceLocation: sourceLocation)
            let described = try #require(
                doc["paths"]?[template]?[method]?["responses"]?[String(status)],
                "\(method) \(template): status \(status) is not documented", sourceLocation: sourceLocation)
            let schema = try #require(
                described["content"]?["application/json"]?["schema"], sourceLocation: sourceLocation)
            let body = try JSON.parse(Data(response.body.readableBytesView))
            let problems = SchemaCheck(root: doc).problems(body, against: schema, at: "$")
            #expect(problems.isEmpty, "\(method) \(template) \(status): \(problems)", sourceLocation: sourceLocation)
        }

        @Test func theApplicationAPIFollowsTheDocumentAndThePagesRules() async throws {
            try await withTestApp { app in
                let doc = try Self.document()
                let clock = TestClock(ApplicationFlowTests.winter.instant.addingTimeInterval(-86_400))
                app.now = { clock.now }
                let callID = try await makeCall(app, deadline: ApplicationFlowTests.winter)
                let anonymous = Browser(app)
                try Self.expectDocumented(
                    try await anonymous.get("/api/v1/calls"), "/api/v1/calls", "get", status: 200, doc: doc)
                try Self.expectDocumented(
                    try await anonymous.get("/api/v1/calls?phase=open"), "/api/v1/calls", "get", status: 200, doc: doc)
                try Self.expectDocumented(
                    try await anonymous.get("/api/v1/calls?phase=x"), "/api/v1/calls", "get", status: 400, doc: doc)
                try Self.expectDocumented(
                    try await anonymous.get("/api/v1/calls/\(callID)"), "/api/v1/calls/{callID}", "get", status: 200,
                    doc: doc)
                try Self.expectDocumented(
                    try await anonymous.get("/api/v1/calls/\(UUID())"), "/api/v1/calls/{callID}", "get", status: 404,
                    doc: doc)
                try Self.expectDocumented(
                    try await anonymous.get("/api/v1/applications"), "/api/v1/applications", "get", status: 401,
                    doc: doc)

                let browser = Browser(app)
                try await browser.signIn(Demo.applicant)
                let created = try await browser.json(.POST, "/api/v1/applications", "{\"callId\": \"\(callID)\"}")
                try Self.expectDocumented(created, "/api/v1/applications", "post", status: 201, doc: doc)
                let id = try #require(try JSON.parse(Data(created.body.readableBytesView))["id"]?.string)
                let path = "/api/v1/applications/\(id)"
                try Self.expectDocumented(
                    try await browser.json(.POST, "/api/v1/applications", "{\"callId\": \"\(callID)\"}"),
                    "/api/v1/applications", "post", status: 200, doc: doc)
                try Self.expectDocumented(
                    try await browser.get(path), "/api/v1/applications/{applicationID}", "get", status: 200, doc: doc)

                let content = """
                    {"projectTitle": "Via API", "targetAreas": ["handicap"], "services": [{"name": "Åen", "legalBasis": "SEL § 108", "citizens": 12}],
                     "contacts": [{"name": "Amalie", "email": "ansoger@aarhus.demo"}], "answers": {"motivation": "Fordi."},
                     "declarations": ["projektleder"],
                     "budget": [{"category": "salaries", "description": "Projektleder, 0,5 årsværk", "unitsHundredths": 50,
                                 "unitPriceOre": 60000000, "year": 2030, "months": [1, 2, 3]}]}
                    """
                let badCategory = content.replacingOccurrences(of: "\"salaries\"", with: "\"lump\"")
                try Self.expectDocumented(
                    try await browser.json(.PUT, path, "{\"version\": 1, \"content\": \(badCategory)}"),
                    "/api/v1/applications/{applicationID}", "put", status: 422, doc: doc)
                let saved = try await browser.json(.PUT, path, "{\"version\": 1, \"content\": \(content)}")
                try Self.expectDocumented(saved, "/api/v1/applications/{applicationID}", "put", status: 200, doc: doc)
                #expect(saved.body.string.contains("\"amountOre\":30000000"))
                try Self.expectDocumented(
                    try await browser.json(.PUT, path, "{\"version\": 1, \"content\": \(content)}"),
                    "/api/v1/applications/{applicationID}", "put", status: 409, doc: doc)

                try Self.expectDocumented(
                    try await browser.json(.POST, path + "/submit", "{\"version\": 1}"),
                    "/api/v1/applications/{applicationID}/submit", "post", status: 409, doc: doc)
                let submitted = try await browser.json(.POST, path + "/submit", "{\"version\": 2}")
                try Self.expectDocumented(
                    submitted, "/api/v1/applications/{applicationID}/submit", "post", status: 200, doc: doc)
                let receipt = try JSON.parse(Data(submitted.body.readableBytesView))
                let record = try #require(try await ApplicationRecord.find(UUID(uuidString: id)!, on: app.db))
                #expect(receipt["submission"]?["sha256"]?.string == record.digest)
                try Self.expectDocumented(
                    try await browser.get("/api/v1/applications"), "/api/v1/applications", "get", status: 200, doc: doc)

                // Another municipality: 404, as on the pages.
                let odense = Browser(app)
                try await odense.signIn("ansoger@odense.demo")
                try Self.expectDocumented(
                    try await odense.get(path), "/api/v1/applications/{applicationID}", "get", status: 404, doc: doc)
                try Self.expectDocumented(
                    try await odense.json(.PUT, path, "{\"version\": 3, \"content\": \(content)}"),
                    "/api/v1/applications/{applicationID}", "put", status: 404, doc: doc)

                // After the deadline, submitting is refused with the Danish message.
                let started = try await odense.json(.POST, "/api/v1/applications", "{\"callId\": \"\(callID)\"}")
                let odenseID = try #require(try JSON.parse(Data(started.body.readableBytesView))["id"]?.string)
                try Self.expectDocumented(
                    try await odense.json(
                        .PUT, "/api/v1/applications/\(odenseID)", "{\"version\": 1, \"content\": \(content)}"),
                    "/api/v1/applications/{applicationID}", "put", status: 200, doc: doc)
                clock.now = ApplicationFlowTests.winter.instant
                let late = try await odense.json(.POST, "/api/v1/applications/\(odenseID)/submit", "{\"version\": 2}")
                try Self.expectDocumented(
                    late, "/api/v1/applications/{applicationID}/submit", "post", status: 403, doc: doc)
                #expect(late.body.string.contains("Efter fristen er det ikke muligt at indsende ansøgninger."))
                try Self.expectDocumented(
                    try await odense.json(.POST, "/api/v1/applications/\(odenseID)/withdraw"),
                    "/api/v1/applications/{applicationID}/withdraw", "post", status: 403, doc: doc)
                clock.now = ApplicationFlowTests.winter.instant.addingTimeInterval(-60)
                try Self.expectDocumented(
                    try await odense.json(.POST, "/api/v1/applications/\(odenseID)/withdraw"),
                    "/api/v1/applications/{applicationID}/withdraw", "post", status: 200, doc: doc)
            }
        }

        /// The grant cases' API: a municipality reads its own cases with what is due, the agency every one,
        /// another municipality nothing; every answer has the documented shape.
        @Test func theGrantCaseAPIFollowsTheDocumentAndTheCasesAccess() async throws {
            try await withTestApp { app in
                let doc = try Self.document()
                // Decided, Aarhus's project leader registered for a mandatory start-up, a report round asked for.
                let (aarhus, _) = try await AppTests.StateChangingRouteTests.registered(app)
                _ = try await Grants.round(app)
                let list = "/api/v1/grant-cases"
                let one = list + "/" + aarhus.id!.pathValue
                try Self.expectDocumented(try await Browser(app).get(list), list, "get", status: 401, doc: doc)
                let amalie = try await Assess.signedIn(app, Demo.applicant)
                let own = try await amalie.get(list)
                try Self.expectDocumented(own, list, "get", status: 200, doc: doc)
                #expect(own.body.string.contains("\"count\":1") && own.body.string.contains("Aarhus Kommune"))
                #expect(own.body.string.contains("Statusrapport 1"))  // due next
                let detail = try await amalie.get(one)
                try Self.expectDocumented(detail, "/api/v1/grant-cases/{caseID}", "get", status: 200, doc: doc)
                #expect(
                    detail.body.string.contains("Fælles opstart") && detail.body.string.contains("\"mandatory\":true"))
                let staff = try await Assess.signedIn(app, Assess.grantAdministrator)
                let all = try await staff.get(list)
                try Self.expectDocumented(all, list, "get", status: 200, doc: doc)
                #expect(all.body.string.contains("\"count\":2"))
                let odense = try await Assess.signedIn(app, "ansoger@odense.demo")
                try Self.expectDocumented(
                    try await odense.get(one), "/api/v1/grant-cases/{caseID}", "get", status: 404, doc: doc)
                #expect(try await odense.get(list).body.string.contains("\"count\":0"))
                let assessor = try await Assess.signedIn(app, "bedommer1@styrelsen.demo")
                try Self.expectDocumented(try await assessor.get(list), list, "get", status: 403, doc: doc)
            }
        }

        /// A scores body for the demo call's two criteria.
        static func scores(_ motivation: Double, _ readiness: Double) -> String {
            #"{"scores": {"motivation": \#(motivation), "parathed": \#(readiness)}, "justifications": {"motivation": "Godt beskrevet.", "parathed": "Klar ledelse."}}"#
        }

        /// The assessment through the API, from screening to the approved decision, with the pages' rules: an
        /// assessor sees nothing before declaring and only what is assigned; refusals name their fields.
        @Test func theAssessmentAPIFollowsTheDocumentAndThePagesRules() async throws {
            try await withTestApp { app in
                let doc = try Self.document()
                let call = try await Assess.call(app)
                let aarhus = try await Assess.application(app, "Aarhus Kommune")
                let list = SiteURL.api(.callAssessment(call)).path
                let one = SiteURL.api(.assessment(aarhus)).path
                let oneTemplate = "/api/v1/applications/{applicationID}/assessment"
                let listTemplate = "/api/v1/calls/{callID}/assessment"
                try Self.expectDocumented(try await Browser(app).get(list), listTemplate, "get", status: 401, doc: doc)

                // Screening: a refusal per field, then every application screened (Vejle out, with a reason).
                let tine = try await Assess.signedIn(app, Assess.grantAdministrator)
                let screening = oneTemplate + "/screening"
                let wrong = try await tine.json(.POST, SiteURL.api(.screening(aarhus)).path, #"{"outcome": "måske"}"#)
                try Self.expectDocumented(wrong, screening, "post", status: 422, doc: doc)
                #expect(wrong.body.string.contains(#""outcome":"Vælg, om ansøgningen går videre eller frasorteres.""#))
                for name in ["Aarhus Kommune", "Aalborg Kommune", "Vejle Kommune", "Esbjerg Kommune"] {
                    let id = try await Assess.application(app, name)
                    let out = name == "Vejle Kommune"
                    if out {
                        let noReason = try await tine.json(
                            .POST, SiteURL.api(.screening(id)).path, #"{"outcome": "screenedOut"}"#)
                        try Self.expectDocumented(noReason, screening, "post", status: 422, doc: doc)
                        #expect(noReason.body.string.contains(#""reason""#))
                    }
                    let done = try await tine.json(
                        .POST, SiteURL.api(.screening(id)).path,
                        out
                            ? #"{"outcome": "screenedOut", "reason": "Tilbuddet er ikke et botilbud."}"#
                            : #"{"outcome": "passed"}"#)
                    try Self.expectDocumented(done, screening, "post", status: 200, doc: doc)
                }
                try await Assess.spread(app, per: 1)
                let staffView = try await tine.get(one)
                try Self.expectDocumented(staffView, oneTemplate, "get", status: 200, doc: doc)
                #expect(staffView.body.string.contains(#""assessors":[{"#))

                // The assigned assessor: the facts and the declaration first; nothing of the assessment yet.
                let email = try #require(try await Assess.assignments(app, aarhus).first).assessor.email
                let assessor = try await Assess.signedIn(app, email)
                let before = try await assessor.get(one)
                try Self.expectDocumented(before, oneTemplate, "get", status: 200, doc: doc)
                #expect(before.body.string.contains(#""assignment":"mustDeclare""#))
                #expect(!before.body.string.contains("screening") && !before.body.string.contains("ownScores"))
                let early = try await assessor.json(.POST, SiteURL.api(.scores(aarhus)).path, Self.scores(4, 4))
                #expect([403, 404].contains(early.status.code), "\(early.body.string)")
                let declared = try await assessor.json(
                    .POST, SiteURL.api(.declaration(aarhus)).path, #"{"declaration": "noConflict"}"#)
                try Self.expectDocumented(declared, oneTemplate + "/declaration", "post", status: 200, doc: doc)
                #expect(declared.body.string.contains(#""assignment":"open""#))
                let outOfScale = try await assessor.json(
                    .POST, SiteURL.api(.scores(aarhus)).path, Self.scores(9_223_372_036_854_775_807, 4))
                try Self.expectDocumented(outOfScale, oneTemplate + "/scores", "post", status: 422, doc: doc)
                #expect(outOfScale.body.string.contains(#""score[motivation]""#))
                let scored = try await assessor.json(.POST, SiteURL.api(.scores(aarhus)).path, Self.scores(4, 3.5))
                try Self.expectDocumented(scored, oneTemplate + "/scores", "post", status: 200, doc: doc)
                #expect(scored.body.string.contains(#""ownScores":{"#) && scored.body.string.contains("3.5"))
                // The only assessor is the lead, and records the consensus.
                let agreed = try await assessor.json(.POST, SiteURL.api(.consensus(aarhus)).path, Self.scores(4, 4))
                try Self.expectDocumented(agreed, oneTemplate + "/consensus", "post", status: 200, doc: doc)
                #expect(agreed.body.string.contains(#""weighted":{"#))

                // Another assessor and another municipality get nothing; the assessor's list has only their own.
                let other = try await Assess.signedIn(app, try #require(Assess.assessors.first { $0 != email }))
                try Self.expectDocumented(try await other.get(one), oneTemplate, "get", status: 404, doc: doc)
                let theirs = try await other.get(list)
                try Self.expectDocumented(theirs, listTemplate, "get", status: 200, doc: doc)
                #expect(!theirs.body.string.contains(aarhus.pathValue))
                let odense = try await Assess.signedIn(app, "ansoger@odense.demo")
                try Self.expectDocumented(try await odense.get(one), oneTemplate, "get", status: 404, doc: doc)
                try Self.expectDocumented(
                    try await odense.json(.POST, SiteURL.api(.screening(aarhus)).path, #"{"outcome": "passed"}"#),
                    screening, "post", status: 404, doc: doc)

                // The rest scored through the pages; the selection, proposal and approval through the API.
                let rest = Assess.points.filter { $0.key != "Aarhus Kommune" }
                try await Assess.declareAndScore(app, points: rest)
                try await Assess.consensus(app, points: rest)
                let everyone = try await tine.get(list)
                try Self.expectDocumented(everyone, listTemplate, "get", status: 200, doc: doc)
                #expect(everyone.body.string.contains(#""count":4"#) && everyone.body.string.contains(#""rank":1"#))
                let selection = SiteURL.api(.selection(call)).path
                try Self.expectDocumented(
                    try await assessor.get(selection), "/api/v1/calls/{callID}/selection", "get", status: 404, doc: doc)
                let chosen = try await tine.get(selection)
                try Self.expectDocumented(chosen, "/api/v1/calls/{callID}/selection", "get", status: 200, doc: doc)
                #expect(chosen.body.string.contains(#""feasible":true"#))
                let proposeTemplate = "/api/v1/calls/{callID}/decision/propose"
                try Self.expectDocumented(
                    try await tine.json(.POST, SiteURL.api(.proposeDecision(call)).path, "{}"), proposeTemplate, "post",
                    status: 403, doc: doc)
                let frederik = try await Assess.signedIn(app, Demo.programmeManager)
                let proposed = try await frederik.json(
                    .POST, SiteURL.api(.proposeDecision(call)).path,
                    #"{"conditions": "Tilskuddet anvendes efter det godkendte budget.", "note": "Som beregnet."}"#)
                try Self.expectDocumented(proposed, proposeTemplate, "post", status: 200, doc: doc)
                #expect(proposed.body.string.contains(#""status":"proposed""#))
                let approveTemplate = "/api/v1/calls/{callID}/decision/approve"
                let dorte = try await Assess.signedIn(app, Demo.director)
                let approved = try await dorte.json(.POST, SiteURL.api(.approveDecision(call)).path)
                try Self.expectDocumented(approved, approveTemplate, "post", status: 200, doc: doc)
                #expect(approved.body.string.contains(#""status":"approved""#))
                // Approved: the assessment no longer changes.
                let late = try await tine.json(.POST, SiteURL.api(.screening(aarhus)).path, #"{"outcome": "passed"}"#)
                try Self.expectDocumented(late, screening, "post", status: 409, doc: doc)
            }
        }

        @Test func theCheckerCatchesShapesTheDocumentDoesNotDescribe() throws {
            let doc = try Self.document()
            let check = SchemaCheck(root: doc)
            let schema = JSON.object(["$ref": .string("#/components/schemas/InitiativeSummary")])
            let good: [String: JSON] = [
                "programmeYear": .number(2022), "number": .string("1.1"), "title": .string("T"),
                "area": .string("children"), "phase": .string("screening"), "priceLevel": .number(2022),
                "totalOre": .number(100), "url": .string("/x"), "track": .null,
            ]
            #expect(check.problems(.object(good), against: schema, at: "$").isEmpty)
            var extra = good
            extra["unexpected"] = .number(1)
            #expect(!check.problems(.object(extra), against: schema, at: "$").isEmpty)
            var missing = good
            missing["title"] = nil
            #expect(!check.problems(.object(missing), against: schema, at: "$").isEmpty)
            var wrongEnum = good
            wrongEnum["phase"] = .string("Modning")
            #expect(!check.problems(.object(wrongEnum), against: schema, at: "$").isEmpty)
            var wrongType = good
            wrongType["totalOre"] = .string("100")
            #expect(!check.problems(.object(wrongType), against: schema, at: "$").isEmpty)
            var fraction = good
            fraction["totalOre"] = .number(1.5)
            #expect(!check.problems(.object(fraction), against: schema, at: "$").isEmpty)
        }
    }
}

/// A JSON value, decoded without Foundation's number bridging.
indirect enum JSON: Decodable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSON]), object([String: JSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSON].self))
        }
    }

    static func parse(_ data: Data) throws -> JSON { try JSONDecoder().decode(JSON.self, from: data) }

    subscript(key: String) -> JSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var number: Double? { if case .number(let n) = self { return n } else { return nil } }
}

/// The part of JSON Schema the document uses: $ref, type (with null), enum, properties, required,
/// additionalProperties, items, minimum and maximum.
struct SchemaCheck {
    let root: JSON

    func resolve(_ schema: JSON) -> JSON {
        guard let ref = schema["$ref"]?.string else { return schema }
        var node = root
        for part in ref.dropFirst(2).split(separator: "/") { node = node[String(part)]! }
        return resolve(node)
    }

    func problems(_ value: JSON, against rawSchema: JSON, at path: String) -> [String] {
        let schema = resolve(rawSchema)
        var problems: [String] = []
        if let type = schema["type"] {
            var types: [String] = []
            if case .array(let list) = type {
                types = list.compactMap(\.string)
            } else if let one = type.string {
                types = [one]
            }
            if !types.contains(where: { matches(value, $0) }) { return ["\(path): \(value) is not \(types)"] }
        }
        if case .array(let options)? = schema["enum"], !options.contains(value) {
            problems.append("\(path): \(value) is not one of the allowed values")
        }
        if let n = value.number {
            if let min = schema["minimum"]?.number, n < min { problems.append("\(path) < minimum") }
            if let max = schema["maximum"]?.number, n > max { problems.append("\(path) > maximum") }
        }
        if case .object(let object) = value {
            var properties: [String: JSON] = [:]
            if case .object(let p)? = schema["properties"] { properties = p }
            if case .array(let required)? = schema["required"] {
                for key in required.compactMap(\.string) where object[key] == nil {
                    problems.append("\(path).\(key) is required but missing")
                }
            }
            for (key, child) in object {
                if let propertySchema = properties[key] {
                    problems += self.problems(child, against: propertySchema, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"] {
                    if case .bool(let allowed) = additional {
                        if !allowed { problems.append("\(path).\(key) is not described") }
                    } else {
                        problems += self.problems(child, against: additional, at: "\(path).\(key)")
                    }
                }
            }
        }
        if case .array(let array) = value, let items = schema["items"] {
            for (index, element) in array.enumerated() {
                problems += self.problems(element, against: items, at: "\(path)[\(index)]")
            }
        }
        return problems
    }

    func matches(_ value: JSON, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool),
            ("number", .number):
            return true
        case ("integer", .number(let n)): return n.rounded() == n
        default: return false
        }
    }
}
