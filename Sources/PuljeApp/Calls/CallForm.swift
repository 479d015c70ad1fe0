import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// The call form as posted; every value as typed, so a refused form comes back unchanged.
struct CallForm: Content {
    var title: String?
    var summary: String?
    var targetGroup: String?
    var initiativeNumber: String?
    var applicantKinds: [String]?
    var legalBases: String?
    var targetAreas: String?
    var municipalitiesMin: String?
    var municipalitiesMax: String?
    var funds: String?
    var financeLawAccount: String?
    var projectStart: String?
    var projectEnd: String?
    var round: String?
    var opensDate: String?
    var opensTime: String?
    var deadlineDate: String?
    var deadlineTime: String?
    var answerExpected: String?
    var startUpMeeting: String?
    var contacts: String?
    var documents: String?
    var minimumConditions: String?
    var criteria: String?
    var questions: String?
    var eligibleCategories: [String]?
    var maximumTotal: String?
    var maximumPerYear: String?
    var requiresMonthlySpread: String?
    var attachmentKinds: String?
    var scaleMinimum: String?
    var scaleMaximum: String?
    var scaleStep: String?
    /// The guide's words for the approval required before submission; empty for none.
    var requiredApproval: String?
    var journalNumber: String?
    // The grant cases' terms (`GrantTerms`).
    var teamRoles: String?
    var reallocationNoticePercent: String?
    var reallocationNoticeAmount: String?
    var secondApprovalAbove: String?
    var auditorStatementFrom: String?

    init() {
        scaleMinimum = "0"
        scaleMaximum = "5"
        scaleStep = "0,5"
        setTerms(.standard)
    }

    mutating func setTerms(_ terms: GrantTerms) {
        teamRoles = CallRulesText.format(terms.teamRoles)
        reallocationNoticePercent = String(terms.reallocationNoticePercent)
        reallocationNoticeAmount = terms.reallocationNoticeAmount.map(InitiativeForm.amountText) ?? ""
        secondApprovalAbove = InitiativeForm.amountText(terms.secondApprovalAbove)
        auditorStatementFrom = terms.auditorStatementFrom.map(InitiativeForm.amountText) ?? ""
    }

    init(call: CallRecord, rules: CallRules) {
        title = call.title
        summary = call.summary
        targetGroup = call.targetGroup
        initiativeNumber = call.initiativeNumber ?? ""
        applicantKinds = rules.applicantKinds.map(\.rawValue)
        legalBases = rules.legalBases.joined(separator: "\n")
        targetAreas = CallRulesText.format(rules.targetAreas)
        municipalitiesMin = rules.municipalitiesSought.map { String($0.lowerBound) } ?? ""
        municipalitiesMax = rules.municipalitiesSought.map { String($0.upperBound) } ?? ""
        funds = rules.funds.map(InitiativeForm.amountText) ?? ""
        financeLawAccount = rules.financeLawAccount
        projectStart = rules.projectStart
        projectEnd = rules.projectEnd
        round = rules.round.map(String.init) ?? ""
        (opensDate, opensTime) = Self.split(rules.opensAt)
        (deadlineDate, deadlineTime) = Self.split(rules.deadline?.instant)
        answerExpected = CallRulesText.format(rules.answerExpected)
        startUpMeeting = rules.startUpMeeting
        contacts = CallRulesText.format(rules.contacts)
        documents = CallRulesText.format(rules.documents)
        minimumConditions = CallRulesText.format(rules.minimumConditions)
        criteria = CallRulesText.format(rules.criteria)
        questions = CallRulesText.format(rules.questions)
        eligibleCategories = rules.budget.eligibleCategories.map(\.rawValue)
        maximumTotal = rules.budget.maximumTotal.map(InitiativeForm.amountText) ?? ""
        maximumPerYear = rules.budget.maximumPerYear.map(InitiativeForm.amountText) ?? ""
        requiresMonthlySpread = rules.budget.requiresMonthlySpread ? "true" : nil
        attachmentKinds = CallRulesText.format(rules.attachmentKinds)
        scaleMinimum = DanishScore.format(rules.scale.minimum)
        scaleMaximum = DanishScore.format(rules.scale.maximum)
        scaleStep = DanishScore.format(rules.scale.step)
        requiredApproval = rules.requiredApproval ?? ""
        journalNumber = rules.journalNumber ?? ""
        setTerms(rules.terms)
    }

    /// A Danish wall-clock date and time ("2023-12-07", "12:00") for an instant.
    static func split(_ instant: Date?) -> (String, String) {
        guard let instant else { return ("", "") }
        let c = DanishTime.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return (
            String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!), String(format: "%02d:%02d", c.hour!, c.minute!)
        )
    }

    struct Valid {
        var title: String
        var summary: String
        var targetGroup: String
        var initiativeNumber: String?
        var rules: CallRules
        /// Whether the form had the grant terms' fields (else they stay as they were).
        var termsTyped = true
    }

    func validate() -> Result<Valid, FormErrors> {
        var errors = FormErrors()
        func text(_ value: String?) -> String {
            (value ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func parse<T>(_ field: String, _ body: () throws(CallRulesText.LineError) -> T, fallback: T) -> T {
            do { return try body() } catch { errors.add(field, error.danishMessage) }
            return fallback
        }
        func amount(_ field: String, _ value: String?, _ label: String) -> Money? {
            let t = text(value)
            guard !t.isEmpty else { return nil }
            guard let money = DanishAmount.parse(t), money.ore > 0 else {
                errors.add(field, "\(label) skal være et beløb i kroner over 0, fx 13.000.000.")
                return nil
            }
            return money
        }
        func date(_ field: String, _ value: String?, _ label: String) -> CalendarDate? {
            let t = text(value)
            guard !t.isEmpty else { return nil }
            guard let date = CalendarDate(parsing: t) else {
                errors.add(
                    field,
                    "\(label) skal være en dato mellem år \(CalendarDate.years.lowerBound) og \(CalendarDate.years.upperBound) som 7.12.2023 eller 2023-12-07."
                )
                return nil
            }
            return date
        }
        func instant(_ dateField: String, _ dateValue: String?, _ timeValue: String?, _ label: String) -> Date? {
            guard let day = date(dateField, dateValue, label) else { return nil }
            guard let time = ClockTime(parsing: text(timeValue)) else {
                errors.add(dateField, "\(label) skal have et klokkeslæt som 12.00 – et tidspunkt skal altid angives.")
                return nil
            }
            guard
                let at = DanishTime.instant(
                    year: day.year, month: day.month, day: day.day, hour: time.hour, minute: time.minute)
            else {
                errors.add(dateField, "\(label): klokkeslættet findes ikke den dag (sommertid).")
                return nil
            }
            return at
        }

        let title = text(title)
        if title.isEmpty { errors.add("title", "Titel skal udfyldes.") }
        if title.count > 250 { errors.add("title", "Titel må højst være 250 tegn.") }
        let kinds = Set((applicantKinds ?? []).compactMap(OrganisationKind.init(rawValue:)))
        let minimum = Int(text(municipalitiesMin))
        let maximum = Int(text(municipalitiesMax))
        var sought: ClosedRange<Int>?
        if !text(municipalitiesMin).isEmpty || !text(municipalitiesMax).isEmpty {
            if let minimum, let maximum, minimum >= 1, minimum <= maximum, maximum <= 1_000 {
                sought = minimum...maximum
            } else {
                errors.add(
                    "municipalitiesMin",
                    "Antal kommuner skal være to hele tal, fx 3 og 4, hvor det første er mindst 1 og ikke større end det andet (højst 1.000)."
                )
            }
        }
        var roundNumber: Int?
        if !text(round).isEmpty {
            if let r = Int(text(round)), (1...100).contains(r) {
                roundNumber = r
            } else {
                errors.add("round", "Runde skal være et helt tal fra 1 til 100, fx 1.")
            }
        }
        let start = date("projectStart", projectStart, "Projektperiodens start")
        let end = date("projectEnd", projectEnd, "Projektperiodens slut")
        if let start, let end, start > end {
            errors.add("projectEnd", "Projektperioden slutter før den begynder.")
        }
        let opens = text(opensDate).isEmpty ? nil : instant("opensDate", opensDate, opensTime, "Åbner")
        let deadlineInstant =
            text(deadlineDate).isEmpty ? nil : instant("deadlineDate", deadlineDate, deadlineTime, "Ansøgningsfrist")
        var answer: AnswerExpectation?
        if !text(answerExpected).isEmpty {
            answer = CallRulesText.answerExpectation(text(answerExpected))
            if answer == nil {
                errors.add(
                    "answerExpected",
                    "Skriv hvornår der gives svar som \"uge 51 2023\", \"15.11.2022\" eller \"december 2019\".")
            }
        }
        let categories = (eligibleCategories ?? []).compactMap(ExpenseCategory.init(rawValue:))
        var scale: ScoringScale?
        if let low = DanishScore.parse(text(scaleMinimum)), let high = DanishScore.parse(text(scaleMaximum)),
            let step = DanishScore.parse(text(scaleStep))
        {
            let candidate = ScoringScale(minimum: low, maximum: high, step: step)
            if let problem = candidate.problem {
                errors.add("scaleMinimum", problem)
            } else if candidate != .standard {
                scale = candidate
            }
        } else if !(text(scaleMinimum) + text(scaleMaximum) + text(scaleStep)).isEmpty {
            errors.add("scaleMinimum", "Pointskalaen skal være tre tal: laveste, højeste og trin, fx 0, 5 og 0,5.")
        }
        let rules = CallRules(
            applicantKinds: kinds,
            legalBases: text(legalBases).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            },
            targetAreas: parse(
                "targetAreas",
                { () throws(CallRulesText.LineError) in try CallRulesText.targetAreas(text(targetAreas)) }, fallback: []
            ),
            municipalitiesSought: sought, funds: amount("funds", funds, "Midler til fordeling"),
            financeLawAccount: text(financeLawAccount),
            projectStart: start?.iso ?? "", projectEnd: end?.iso ?? "", round: roundNumber,
            opensAt: opens, deadline: deadlineInstant.map(Deadline.init(instant:)), answerExpected: answer,
            startUpMeeting: text(startUpMeeting),
            contacts: parse(
                "contacts", { () throws(CallRulesText.LineError) in try CallRulesText.contacts(text(contacts)) },
                fallback: []),
            documents: parse(
                "documents", { () throws(CallRulesText.LineError) in try CallRulesText.documents(text(documents)) },
                fallback: []),
            minimumConditions: parse(
                "minimumConditions",
                { () throws(CallRulesText.LineError) in try CallRulesText.minimumConditions(text(minimumConditions)) },
                fallback: []),
            criteria: parse(
                "criteria", { () throws(CallRulesText.LineError) in try CallRulesText.criteria(text(criteria)) },
                fallback: []),
            questions: parse(
                "questions", { () throws(CallRulesText.LineError) in try CallRulesText.questions(text(questions)) },
                fallback: []),
            budget: BudgetRules(
                eligibleCategories: categories, maximumTotal: amount("maximumTotal", maximumTotal, "Højst i alt"),
                maximumPerYear: amount("maximumPerYear", maximumPerYear, "Højst pr. år"),
                requiresMonthlySpread: requiresMonthlySpread == "true"),
            attachmentKinds: parse(
                "attachmentKinds",
                { () throws(CallRulesText.LineError) in try CallRulesText.attachmentKinds(text(attachmentKinds)) },
                fallback: []),
            scoringScale: scale,
            requiredApproval: text(requiredApproval).isEmpty ? nil : text(requiredApproval),
            journalNumber: text(journalNumber).isEmpty ? nil : text(journalNumber))
        // The grant cases' terms; nil where they are the standard terms. Problems go to their fields. A form
        // without any of their fields (a client from before they were on it) leaves them as they are.
        let termsTyped = [
            teamRoles, reallocationNoticePercent, reallocationNoticeAmount, secondApprovalAbove, auditorStatementFrom,
        ].contains { $0 != nil }
        let roles = parse(
            "teamRoles", { () throws(CallRulesText.LineError) in try CallRulesText.teamRoles(text(teamRoles)) },
            fallback: GrantTerms.standard.teamRoles)
        let percentText = text(reallocationNoticePercent).replacingOccurrences(of: "%", with: "")
        let percent = Int(percentText.trimmingCharacters(in: .whitespaces))
        if termsTyped && percent == nil {
            errors.add("reallocationNoticePercent", "Skriv andelen som et helt tal fra 0 til 100, fx 10.")
        }
        let second = amount("secondApprovalAbove", secondApprovalAbove, "Grænsen for to godkendere")
        if termsTyped && text(secondApprovalAbove).isEmpty {
            errors.add("secondApprovalAbove", "Skriv grænsen for to godkendere, fx 100.000.")
        }
        let terms = GrantTerms(
            teamRoles: roles, reallocationNoticePercent: percent ?? GrantTerms.standard.reallocationNoticePercent,
            reallocationNoticeAmount: amount(
                "reallocationNoticeAmount", reallocationNoticeAmount, "Beløbet, der kan flyttes mod orientering"),
            secondApprovalAbove: second ?? GrantTerms.standard.secondApprovalAbove,
            auditorStatementFrom: amount("auditorStatementFrom", auditorStatementFrom, "Grænsen for revisorerklæring"))
        var rulesWithTerms = rules
        if termsTyped {
            for problem in terms.fieldProblems { errors.add(problem.field.rawValue, problem.message) }
            rulesWithTerms.grantTerms = terms == .standard ? nil : terms
        }
        if let problem = CallRules.journalNumberProblem(text(journalNumber)) { errors.add("journalNumber", problem) }
        let number = text(initiativeNumber)
        if !number.isEmpty && InitiativeNumber(number) == nil {
            errors.add("initiativeNumber", "Initiativnummeret skal skrives som 1.8.")
        }
        guard errors.isEmpty else { return .failure(errors) }
        return .success(
            Valid(
                title: title, summary: text(summary), targetGroup: text(targetGroup),
                initiativeNumber: number.isEmpty ? nil : number, rules: rulesWithTerms, termsTyped: termsTyped))
    }
}
