import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// The grant cases' use cases. Each checks who may act with `AccessPolicy` and the case's access, applies
/// the domain's rule, writes in one transaction with its audit entry and the e-mail to the other side, and
/// returns the Danish confirmation. A refusal of the input throws `FormErrors` (the page shows them by the
/// field); a refusal of the act throws `PuljeError`.
enum GrantActions {
    /// The posted fields, the last value of each name.
    typealias Fields = [String: String]

    static func text(_ fields: Fields, _ name: String, max: Int = 5000) -> String {
        String((fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(max))
    }

    static func requireWrite(_ found: GrantCase) throws {
        guard found.access.mayWrite else {
            throw PuljeError(.forbidden, "Kun kommunens egne medarbejdere kan arbejde i en åben tilskudssag.")
        }
    }

    static func require(_ user: CurrentUser, _ action: Action, _ found: GrantCase, _ message: String) throws {
        guard user.may(action, ownedBy: found.record.$organisation.id) else { throw PuljeError(.forbidden, message) }
    }

    /// Records the act in the case's timeline and tells the other side by e-mail, in the same transaction.
    static func record(
        _ action: AuditAction, _ summary: String, in found: GrantCase, by user: CurrentUser, tell: Tell,
        on db: any Database, req: Request
    ) async throws {
        try await AuditLog.record(
            action, subject: .grantCase(found.id), summary: summary, by: user, on: db, request: req)
        let recipients: [String]
        switch tell {
        case .nobody: return
        case .municipality: recipients = try await GrantStore.municipalRecipients(of: found.record, on: db)
        case .agency: recipients = try await GrantStore.agencyRecipients(on: db)
        }
        let link = req.application.config.publicURL + SiteURL.grantCase(found.id).path
        try await Outbox.enqueue(
            to: recipients.filter { $0.lowercased() != user.email.lowercased() },
            subject: "Nyt i tilskudssagen: \(found.callTitle) – \(found.organisationName)",
            body: "\(summary)\n\nSe sagen i Pulje: \(link)", kind: "grant-case", at: req.application.now(), on: db)
    }

    enum Tell {
        case nobody
        case municipality
        case agency
    }

    // MARK: Opening

    /// Opens the grant case of an award, inside the decision's transaction.
    static func open(
        _ application: ApplicationRecord, call: CallRecord, rules: CallRules, award: Money, budget: GrantBudget,
        conditions: String, by user: CurrentUser, at now: Date, on db: any Database, request: Request
    ) async throws {
        let id = try await GrantStore.open(
            application: application, call: call, rules: rules, award: award, budget: budget, conditions: conditions,
            by: user.name, at: now, on: db)
        let status = GrantCaseStatus.opening(award: award, approvedBudget: budget)
        var summary = "Tilskudssagen er oprettet for \(application.organisation.name)"
        if award > .zero { summary += " med et tilskud på \(DanishAmount.kroner(award))" }
        summary = sentence(summary)
        if status == .revisedBudgetDue {
            summary += " Tilskuddet er lavere end det ansøgte; kommunen indsender et revideret budget."
        }
        try await AuditLog.record(
            .grantOpen, subject: .grantCase(id), summary: summary, by: user, on: db, request: request)
    }

    // MARK: Organisation

    static func addMember(
        _ found: GrantCase, _ fields: Fields, by user: CurrentUser, req: Request
    ) async throws -> String {
        try requireWrite(found)
        var errors = FormErrors()
        let name = text(fields, "member.name", max: 200)
        let email = text(fields, "member.email", max: 200)
        let roleID = text(fields, "member.role", max: 100)
        if name.isEmpty { errors.add("member.name", "Skriv personens navn.") }
        if !email.isEmpty && !UserForm.isValidEmail(email) {
            errors.add("member.email", "Skriv en gyldig e-mailadresse.")
        }
        guard let role = found.terms.teamRoles.first(where: { $0.id == roleID }) else {
            errors.add("member.role", "Vælg personens rolle.")
            throw errors
        }
        guard let group = TeamGroup(rawValue: text(fields, "member.group")) else {
            errors.add("member.group", "Vælg, hvilken gruppe personen er med i.")
            throw errors
        }
        guard errors.isEmpty else { throw errors }
        let member = TeamMember(name: name, email: email, roleID: role.id, group: group)
        let now = req.application.now()
        try await req.writeTransaction { db in
            try await GrantStore.addMember(member, to: found.id, at: now, on: db)
            try await record(
                .grantTeam, "\(name) er tilføjet som \(role.name.lowercased()) (\(group.danishName.lowercased())).",
                in: found, by: user, tell: .agency, on: db, req: req)
        }
        return "\(name) er tilføjet organiseringen."
    }

    static func removeMember(
        _ found: GrantCase, member: UUID, by user: CurrentUser, req: Request
    ) async throws -> String {
        try requireWrite(found)
        let removed = try await req.writeTransaction { db -> String? in
            guard let removed = try await GrantStore.removeMember(member, from: found.id, on: db) else { return nil }
            try await record(
                .grantTeam, "\(removed.name) er fjernet fra organiseringen.", in: found, by: user, tell: .agency,
                on: db, req: req)
            return removed.name
        }
        guard let removed else { throw PuljeError(.notFound, "Personen findes ikke i organiseringen.") }
        return "\(removed) er fjernet. Organiseringen skal godkendes igen."
    }

    static func confirmOrganisation(_ found: GrantCase, by user: CurrentUser, req: Request) async throws -> String {
        try requireWrite(found)
        try require(
            user, .confirmGrantOrganisation, found,
            "Kun en tegningsberettiget i kommunen kan godkende organiseringen.")
        if let problem = TeamComposition.confirmationProblem(
            found.terms.teamRoles, members: found.members.map(\.member))
        {
            var errors = FormErrors()
            errors.add("member.role", problem)
            throw errors
        }
        let now = req.application.now()
        try await req.writeTransaction { db in
            try await GrantStore.confirmOrganisation(found.id, by: user.name, at: now, on: db)
            try await record(
                .grantTeamConfirm,
                "Organiseringen er godkendt af \(user.name) på ledelsesniveau (\(found.members.count) personer).",
                in: found, by: user, tell: .agency, on: db, req: req)
        }
        return "Organiseringen er godkendt."
    }

    // MARK: Budget

    /// The budget grid of a form: `budget.<category>.<year>` fields in Danish amounts.
    static func budget(
        _ fields: Fields, years: [Int], categories: [ExpenseCategory], errors: inout FormErrors
    )
        -> GrantBudget
    {
        var cells: [GrantBudget.Cell] = []
        for category in categories {
            for year in years {
                let name = "budget.\(category.rawValue).\(year)"
                let raw = text(fields, name, max: 40)
                guard !raw.isEmpty else { continue }
                guard let amount = DanishAmount.parse(raw) else {
                    errors.add(name, "\(category.danishName) \(year): skriv et beløb i kroner, fx 125.000.")
                    continue
                }
                cells.append(.init(category: category, year: year, amount: amount))
            }
        }
        return GrantBudget(cells)
    }

    /// The years and categories a case's budget form has: the call's, and any the budget already uses.
    static func grid(_ found: GrantCase) -> (years: [Int], categories: [ExpenseCategory]) {
        let years = Set(found.years.map(Array.init) ?? []).union(found.budget.years).sorted()
        let categories = ExpenseCategory.allCases.filter {
            found.categories.contains($0) || found.budget.categories.contains($0)
        }
        return (years, categories)
    }

    static func proposeBudget(
        _ found: GrantCase, _ fields: Fields, by user: CurrentUser, req: Request
    ) async throws
        -> String
    {
        try requireWrite(found)
        guard found.status == .revisedBudgetDue else {
            throw PuljeError(.conflict, "Sagen venter ikke på et revideret budget.")
        }
        var errors = FormErrors()
        let grid = grid(found)
        let budget = budget(fields, years: grid.years, categories: grid.categories, errors: &errors)
        for problem in budget.problems(award: found.award, years: found.years, categories: found.categories) {
            errors.add("budget", problem)
        }
        guard errors.isEmpty else { throw errors }
        try await req.writeTransaction { db in
            guard try await GrantStore.proposeBudget(budget, for: found.id, on: db) else {
                throw PuljeError(.conflict, "Sagen venter ikke længere på et revideret budget.")
            }
            try await record(
                .grantBudgetRevised,
                "Revideret budget indsendt: \(DanishAmount.kroner(budget.total)) fordelt på \(budget.years.count) år.",
                in: found, by: user, tell: .agency, on: db, req: req)
        }
        return "Det reviderede budget er sendt til styrelsen."
    }

    static func approveBudget(_ found: GrantCase, by user: CurrentUser, req: Request) async throws -> String {
        try require(user, .manageGrantCases, found, "Kun styrelsens tilskudsforvaltning kan godkende budgettet.")
        guard let proposed = found.proposedBudget, found.status == .revisedBudgetDue else {
            throw PuljeError(.conflict, "Der er intet revideret budget at godkende.")
        }
        let now = req.application.now()
        try await req.writeTransaction { db in
            guard try await GrantStore.move(found.id, .approveRevisedBudget, on: db),
                try await GrantStore.replaceBudget(
                    found.id, with: proposed, fromVersion: found.record.budgetVersion,
                    reason: "Revideret til tilskuddet", by: user.name, at: now, on: db)
            else { throw PuljeError(.conflict, "Budgettet er allerede godkendt.") }
            try await record(
                .grantBudgetApprove,
                sentence("Det reviderede budget er godkendt: \(DanishAmount.kroner(proposed.total))"), in: found,
                by: user, tell: .municipality, on: db, req: req)
        }
        return "Budgettet er godkendt, og sagen er i gang."
    }

    // MARK: Status reports

    static func addRound(
        call: CallRecord, _ fields: Fields, by user: CurrentUser, req: Request
    ) async throws -> String {
        guard user.may(.manageGrantCases) else {
            throw PuljeError(
                .forbidden, "Kun styrelsens tilskudsforvaltning og fagkonsulenter opretter statusrapporteringer.")
        }
        var errors = FormErrors()
        let title = text(fields, "round.title", max: 200)
        if title.isEmpty { errors.add("round.title", "Giv rapporteringen en titel, fx \"Statusrapport 1\".") }
        let date = CalendarDate(parsing: text(fields, "round.date"))
        let time = ClockTime(parsing: text(fields, "round.time"))
        if date == nil { errors.add("round.date", "Skriv fristens dato, fx 2027-03-01.") }
        if time == nil { errors.add("round.time", "Skriv fristens klokkeslæt, fx 12.00.") }
        let written = ReportQuestion.parse(lines: text(fields, "round.questions", max: 20_000))
        let final = text(fields, "round.final[]") == "true"
        let questions = written.isEmpty ? (final ? ReportQuestion.finalStandard : ReportQuestion.standard) : written
        guard errors.isEmpty, let date, let time,
            let due = Deadline(year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute)
        else {
            if errors.isEmpty { errors.add("round.date", "Datoen findes ikke.") }
            throw errors
        }
        let now = req.application.now()
        let callID = try call.requireID()
        let cases = try await GrantStore.cases(ofCall: callID, on: req.db)
        try await req.writeTransaction { db in
            try await GrantStore.addRound(
                to: callID, title: title, due: due.instant, questions: questions, final: final, by: user.name,
                at: now, on: db)
            try await AuditLog.record(
                .reportRound, subject: .call(callID),
                summary: (final ? "Slutrapporten " : "")
                    + "\(title) med frist \(due.danishText) og \(questions.count) spørgsmål.",
                by: user, on: db, request: req)
            for grantCase in cases {
                try await Outbox.enqueue(
                    to: try await GrantStore.municipalRecipients(of: grantCase, on: db),
                    subject: "\(title): \(call.title)",
                    body:
                        "Styrelsen beder om en statusrapport i jeres tilskudssag med frist \(due.danishText).\n\nSe sagen i Pulje: \(req.application.config.publicURL)\(SiteURL.grantCase(grantCase.id!).path)",
                    kind: "grant-case", at: now, on: db)
            }
        }
        return "\(title) er oprettet for \(DanishCount.of(cases.count, "sag", "sager"))."
    }

    static func saveReport(
        _ found: GrantCase, round: ReportRoundRecord, _ fields: Fields, by user: CurrentUser, req: Request
    ) async throws -> (version: Int, message: String) {
        try requireWrite(found)
        let questions = try round.questions()
        let answers = StatusReportRules.draft(
            Dictionary(uniqueKeysWithValues: questions.map { ($0.id, fields["answer." + $0.id] ?? "") }),
            questions: questions)
        let version = Int(text(fields, "version")) ?? 0
        let roundID = try round.requireID()
        let saved = try await req.writeTransaction { db -> Int? in
            guard
                let saved = try await GrantStore.saveReport(
                    answers, case: found.id, round: roundID, fromVersion: version, on: db)
            else { return nil }
            try await record(
                .statusReportSave, "\(round.title) er gemt (version \(saved)).", in: found, by: user, tell: .nobody,
                on: db, req: req)
            return saved
        }
        guard let saved else {
            throw PuljeError(
                .conflict,
                "Rapporten er ændret af en anden, siden du åbnede den, eller den er indsendt. Åbn den igen; dine svar er ikke gemt."
            )
        }
        return (saved, "Rapporten er gemt.")
    }

    static func submitReport(
        _ found: GrantCase, round: ReportRoundRecord, _ fields: Fields, by user: CurrentUser, req: Request
    ) async throws -> String {
        let (version, _) = try await saveReport(found, round: round, fields, by: user, req: req)
        let questions = try round.questions()
        let answers = Dictionary(uniqueKeysWithValues: questions.map { ($0.id, fields["answer." + $0.id] ?? "") })
        let problems = StatusReportRules.problems(answers, questions: questions)
        if !problems.isEmpty {
            var errors = FormErrors()
            for problem in problems { errors.add("answer." + problem.field, problem.message) }
            errors.add("version", "Dine svar er gemt som kladde (version \(version)).")
            throw errors
        }
        let now = req.application.now()
        let roundID = try round.requireID()
        let receipt = try await req.writeTransaction { db -> String? in
            guard
                let receipt = try await GrantStore.submitReport(
                    case: found.id, round: roundID, version: version, by: user.name, at: now, on: db)
            else { return nil }
            try await record(
                .statusReportSubmit, "\(round.title) er indsendt. Kvitteringsnummer \(receipt).", in: found, by: user,
                tell: .agency, on: db, req: req)
            return receipt
        }
        guard let receipt else { throw PuljeError(.conflict, "Rapporten er allerede indsendt.") }
        return "\(round.title) er indsendt \(DanishTime.dateTimeWithSeconds(now)). Kvitteringsnummer: \(receipt)."
    }

    static func decideReport(
        _ found: GrantCase, round: ReportRoundRecord, _ fields: Fields, by user: CurrentUser, req: Request
    ) async throws -> String {
        try require(user, .manageGrantCases, found, "Kun styrelsens tilskudsforvaltning vurderer statusrapporter.")
        let approve = fields["decision"] == "approve"
        let comment = text(fields, "comment")
        if !approve && comment.isEmpty {
            var errors = FormErrors()
            errors.add("comment", "Skriv, hvad styrelsen ønsker uddybet, før rapporten sendes retur.")
            throw errors
        }
        let status: StatusReportStatus = approve ? .approved : .returned
        let now = req.application.now()
        let roundID = try round.requireID()
        try await req.writeTransaction { db in
            guard
                try await GrantStore.decideReport(
                    case: found.id, round: roundID, to: status, comment: comment, by: user.name, at: now, on: db)
            else { throw PuljeError(.conflict, "Rapporten er ikke indsendt eller er allerede vurderet.") }
            try await record(
                .statusReportDecide,
                "\(round.title): \(status.danishName)." + (comment.isEmpty ? "" : " \(comment)"), in: found, by: user,
                tell: .municipality, on: db, req: req)
        }
        return approve ? "Rapporten er godkendt." : "Rapporten er sendt retur til kommunen."
    }

    // MARK: Change requests

    static func requestChange(
        _ found: GrantCase, _ fields: Fields, by user: CurrentUser, req: Request
    ) async throws
        -> String
    {
        try requireWrite(found)
        guard found.status == .active else {
            throw PuljeError(.conflict, "Der kan kun anmodes om ændringer i en sag, der er i gang.")
        }
        var errors = FormErrors()
        guard let kind = ChangeKind(rawValue: text(fields, "change.kind")) else {
            errors.add("change.kind", "Vælg, hvad I ønsker at ændre.")
            throw errors
        }
        let description = text(fields, "change.description")
        if description.isEmpty { errors.add("change.description", "Beskriv ændringen og begrundelsen.") }
        var newBudget: GrantBudget?
        var newEnd = ""
        var moved = Money.zero
        switch kind {
        case .reallocation:
            let grid = grid(found)
            let budget = budget(fields, years: grid.years, categories: grid.categories, errors: &errors)
            if let problem = ChangeRules.reallocationProblem(old: found.budget, new: budget) {
                errors.add("budget", problem)
            }
            newBudget = budget
            moved = ChangeRules.movedAmount(from: found.budget, to: budget)
        case .periodExtension:
            guard let end = CalendarDate(parsing: text(fields, "change.newEnd")) else {
                errors.add("change.newEnd", "Skriv den nye slutdato, fx 2027-06-30.")
                throw errors
            }
            if let current = CalendarDate(parsing: found.record.projectEnd), end <= current {
                errors.add("change.newEnd", "Den nye slutdato skal ligge efter \(current.danishText).")
            }
            newEnd = end.iso
        case .personnel:
            break
        }
        guard errors.isEmpty else { throw errors }
        let handling = ChangeRules.handling(kind, moved: moved, approvedTotal: found.budget.total, terms: found.terms)
        let (proposed, movedAmount) = (newBudget, moved)
        let change = ChangeRequestRecord()
        change.$grantCase.id = found.id
        change.kind = kind.rawValue
        change.description = description
        change.budgetJSON = newBudget.map(GrantStore.encode)
        change.newEnd = newEnd
        change.movedOre = moved.ore
        change.handling = handling.rawValue
        change.status = (handling == .notice ? ChangeStatus.noted : .pending).rawValue
        change.requestedByID = user.id
        change.requestedBy = user.name
        change.requestedAt = req.application.now()
        change.decisionNote = ""
        let now = req.application.now()
        try await req.writeTransaction { db in
            try await GrantStore.addChange(change, on: db)
            if handling == .notice, let proposed {
                guard
                    try await GrantStore.replaceBudget(
                        found.id, with: proposed, fromVersion: found.record.budgetVersion,
                        reason: "Omfordeling mod orientering: \(description)", by: user.name, at: now, on: db)
                else { throw PuljeError(.conflict, "Budgettet er ændret imens. Prøv igen.") }
            }
            var summary = "\(kind.danishName): \(description) (\(handling.danishText.lowercased()))"
            if movedAmount > .zero { summary += ", flytter \(DanishAmount.kroner(movedAmount))" }
            try await record(.changeRequest, sentence(summary), in: found, by: user, tell: .agency, on: db, req: req)
        }
        return handling == .notice
            ? "Ændringen er registreret. Den kræver kun orientering af styrelsen."
            : "Anmodningen er sendt til styrelsen. \(handling.danishText)."
    }

    static func decideChange(
        _ found: GrantCase, change: UUID, _ fields: Fields, by user: CurrentUser, req: Request
    ) async throws -> String {
        try require(user, .decideChangeRequests, found, "Kun styrelsens tilskudsforvaltning afgør ændringer.")
        guard let request = found.changes.first(where: { $0.id == change }) else {
            throw PuljeError(.notFound, "Ændringen findes ikke i sagen.")
        }
        let approve = fields["decision"] == "approve"
        let note = text(fields, "note")
        let next: ChangeStatus
        if approve {
            switch ChangeRules.approve(
                status: request.changeStatus, handling: request.changeHandling, requestedBy: request.requestedByID,
                firstApprover: request.firstApproverID, approver: user.id)
            {
            case .success(let status): next = status
            case .failure(let refusal): throw PuljeError(.forbidden, refusal.message)
            }
        } else {
            guard request.changeStatus.isOpen else { throw PuljeError(.conflict, "Ændringen er allerede afgjort.") }
            if note.isEmpty {
                var errors = FormErrors()
                errors.add("note-\(change.pathValue)", "Skriv begrundelsen for afslaget.")
                throw errors
            }
            next = .rejected
        }
        let now = req.application.now()
        try await req.writeTransaction { db in
            guard
                try await GrantStore.decideChange(
                    change, from: request.changeStatus, to: next, approverID: user.id, approver: user.name, note: note,
                    at: now, on: db)
            else { throw PuljeError(.conflict, "Ændringen er afgjort af en anden imens.") }
            if next == .approved {
                if let budget = try request.budget() {
                    guard
                        try await GrantStore.replaceBudget(
                            found.id, with: budget, fromVersion: found.record.budgetVersion,
                            reason: "Godkendt omfordeling: \(request.description)", by: user.name, at: now, on: db)
                    else { throw PuljeError(.conflict, "Budgettet er ændret imens. Prøv igen.") }
                }
                if request.changeKind == .periodExtension, !request.newEnd.isEmpty {
                    try await GrantStore.extendPeriod(found.id, to: request.newEnd, on: db)
                }
            }
            let what = "\(request.changeKind.danishName): \(next.danishName)"
            try await record(
                .changeDecide, sentence(what + (note.isEmpty ? "" : ". \(note)")), in: found, by: user,
                tell: next == .awaitingSecondApproval ? .agency : .municipality, on: db, req: req)
        }
        switch next {
        case .awaitingSecondApproval: return "Din godkendelse er registreret. En anden person skal også godkende."
        case .approved: return "Ændringen er godkendt."
        default: return "Ændringen er afvist."
        }
    }

    // MARK: Accounts

    static func submitAccounts(
        _ found: GrantCase, _ fields: Fields, by user: CurrentUser, req: Request
    ) async throws
        -> String
    {
        try requireWrite(found)
        guard found.grantsMoney else { throw PuljeError(.conflict, "Sagen har intet tilskud at aflægge regnskab for.") }
        var errors = FormErrors()
        let years = grid(found).years
        guard let year = Int(text(fields, "accounts.year")), years.contains(year) else {
            errors.add("accounts.year", "Vælg regnskabsåret.")
            throw errors
        }
        var actual: [ExpenseCategory: Money] = [:]
        for category in grid(found).categories {
            let name = "actual.\(category.rawValue)"
            let raw = text(fields, name, max: 40)
            guard !raw.isEmpty else { continue }
            guard let amount = DanishAmount.parse(raw), amount >= .zero else {
                errors.add(name, "\(category.danishName): skriv det afholdte beløb i kroner, fx 125.000.")
                continue
            }
            actual[category] = amount
        }
        let statement = text(fields, "accounts.auditor", max: 5000)
        if found.needsAuditorStatement && statement.isEmpty {
            errors.add(
                "accounts.auditor",
                sentence(
                    "Regnskabet skal ledsages af en revisorerklæring, når tilskuddet er mindst \(DanishAmount.kroner(found.terms.auditorStatementFrom ?? .zero))"
                ) + " Angiv revisor og erklæringens konklusion.")
        }
        guard errors.isEmpty else { throw errors }
        let now = req.application.now()
        let variance = AccountsVariance(approved: found.budget, actual: actual, year: year)
        let spent = actual
        try await req.writeTransaction { db in
            guard
                try await GrantStore.submitAccounts(
                    case: found.id, year: year, actual: spent, auditorStatement: statement, by: user.name, at: now,
                    on: db)
            else { throw PuljeError(.conflict, "Regnskabet for \(year) er allerede indsendt.") }
            try await record(
                .accountsSubmit,
                sentence(
                    "Regnskab for \(year) indsendt: afholdt \(DanishAmount.kroner(variance.actualTotal)) mod budgetteret \(DanishAmount.kroner(variance.approvedTotal))"
                ), in: found, by: user, tell: .agency, on: db, req: req)
        }
        return "Regnskabet for \(year) er sendt til styrelsen."
    }

    static func decideAccounts(
        _ found: GrantCase, accounts: UUID, _ fields: Fields, by user: CurrentUser, req: Request
    ) async throws -> String {
        try require(user, .manageGrantCases, found, "Kun styrelsens tilskudsforvaltning godkender regnskaber.")
        guard let statement = found.accounts.first(where: { $0.id == accounts }) else {
            throw PuljeError(.notFound, "Regnskabet findes ikke i sagen.")
        }
        let status: AccountsStatus = fields["decision"] == "approve" ? .approved : .returned
        let now = req.application.now()
        try await req.writeTransaction { db in
            guard
                try await GrantStore.decideAccounts(accounts, of: found.id, to: status, by: user.name, at: now, on: db)
            else { throw PuljeError(.conflict, "Regnskabet er allerede vurderet.") }
            try await record(
                .accountsDecide, "Regnskab for \(statement.year): \(status.danishName).", in: found, by: user,
                tell: .municipality, on: db, req: req)
        }
        return "Regnskabet for \(statement.year) er \(status.danishName.lowercased())."
    }

    // MARK: Payments

    static func setPayeeAccount(
        _ found: GrantCase, _ fields: Fields, by user: CurrentUser, req: Request
    ) async throws
        -> String
    {
        try require(user, .managePayments, found, "Kun styrelsens tilskudsforvaltning ændrer kontooplysninger.")
        let account = text(fields, "payee.account", max: 60)
        guard PayeeAccount.isValid(account) else {
            var errors = FormErrors()
            errors.add(
                "payee.account",
                "Skriv registreringsnummer (4 cifre) og kontonummer (op til 10 cifre), fx 1234 0001234567.")
            throw errors
        }
        try await req.writeTransaction { db in
            try await GrantStore.setPayeeAccount(account, of: found.id, by: user.id, on: db)
            try await record(
                .payeeAccount, "Modtagerens konto er ændret til \(PayeeAccount.masked(account)).", in: found, by: user,
                tell: .nobody, on: db, req: req)
        }
        return "Kontooplysningerne er gemt. Du kan ikke selv frigive udbetalinger til modtageren."
    }

    static func preparePayment(
        _ found: GrantCase, _ fields: Fields, by user: CurrentUser, req: Request
    ) async throws
        -> String
    {
        try require(user, .managePayments, found, "Kun styrelsens tilskudsforvaltning klargør udbetalinger.")
        var errors = FormErrors()
        guard let amount = DanishAmount.parse(text(fields, "payment.amount", max: 40)) else {
            errors.add("payment.amount", "Skriv beløbet i kroner, fx 375.000.")
            throw errors
        }
        if let problem = PaymentRules.preparationProblem(
            amount: amount, committed: found.committedPayments, award: found.award)
        {
            errors.add("payment.amount", problem)
        }
        if found.record.payeeAccount.isEmpty {
            errors.add("payee.account", "Angiv modtagerens konto, før en udbetaling klargøres.")
        }
        guard errors.isEmpty else { throw errors }
        let note = text(fields, "payment.note", max: 500)
        let now = req.application.now()
        try await req.writeTransaction { db in
            guard
                try await GrantStore.preparePayment(
                    amount, note: note, case: found.id, award: found.award, byID: user.id, by: user.name, at: now,
                    on: db)
            else { throw PuljeError(.conflict, "Udbetalingerne ville overstige tilskuddet. Intet er klargjort.") }
            try await record(
                .paymentPrepare, sentence("Udbetaling af \(DanishAmount.kroner(amount)) klargjort"), in: found,
                by: user, tell: .nobody, on: db, req: req)
        }
        return "Udbetalingen er klargjort. En anden tilskudsforvalter skal frigive den."
    }

    static func releasePayment(
        _ found: GrantCase, payment: UUID, by user: CurrentUser, req: Request
    ) async throws
        -> String
    {
        try require(user, .managePayments, found, "Kun styrelsens tilskudsforvaltning frigiver udbetalinger.")
        guard let prepared = found.payments.first(where: { $0.id == payment }) else {
            throw PuljeError(.notFound, "Udbetalingen findes ikke i sagen.")
        }
        if let problem = PaymentRules.releaseProblem(
            preparedBy: prepared.preparedByID, releaser: user.id, accountChangedBy: found.record.payeeAccountChangedByID
        ) {
            throw PuljeError(.forbidden, problem)
        }
        let now = req.application.now()
        try await req.writeTransaction { db in
            guard try await GrantStore.releasePayment(payment, by: user.name, at: now, on: db) else {
                throw PuljeError(.conflict, "Udbetalingen er allerede frigivet.")
            }
            try await record(
                .paymentRelease,
                sentence(
                    "Udbetaling af \(DanishAmount.kroner(prepared.amount)) frigivet (klargjort af \(prepared.preparedBy))"
                ),
                in: found, by: user, tell: .municipality, on: db, req: req)
        }
        return "Udbetalingen er frigivet og kommer med i udbetalingsfilen."
    }

    // MARK: Closing

    /// The municipality delivers its anchoring plan (forankringsplan): how the intervention goes on in
    /// ordinary operation when the project ends. It may deliver a new one while the case is open.
    static func submitAnchoringPlan(
        _ found: GrantCase, _ fields: Fields, by user: CurrentUser, req: Request
    ) async throws -> String {
        try requireWrite(found)
        let plan = (fields["anchoring.plan"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = GrantClosing.anchoringPlanProblem(plan) { throw FormErrors("anchoring.plan", problem) }
        let now = req.application.now()
        let again = found.record.anchoringPlanAt != nil
        try await req.writeTransaction { db in
            guard try await GrantStore.setAnchoringPlan(plan, of: found.id, by: user.name, at: now, on: db) else {
                throw PuljeError(.conflict, "Sagen er afsluttet.")
            }
            try await record(
                .anchoringPlan,
                (again ? "En ny udgave af forankringsplanen er indsendt" : "Forankringsplanen er indsendt")
                    + " (\(plan.count) tegn).", in: found, by: user, tell: .agency, on: db, req: req)
        }
        return "Forankringsplanen er sendt til styrelsen."
    }

    /// The agency closes the case when nothing stands in the way (`GrantClosing.problems`); the note says
    /// what the closing concluded (the joint status assessment). The municipality is told, with any grant to
    /// be repaid.
    static func close(_ found: GrantCase, _ fields: Fields, by user: CurrentUser, req: Request) async throws -> String {
        guard user.may(.manageGrantCases, ownedBy: found.record.$organisation.id) else {
            throw PuljeError(.forbidden, "Kun styrelsens tilskudsforvaltning afslutter en tilskudssag.")
        }
        guard GrantCaseTransition.close.applies(to: found.status) else {
            throw PuljeError(.conflict, "Sagen kan ikke afsluttes i sin nuværende status (\(found.status.danishName)).")
        }
        let problems = GrantClosing.problems(found.closingFacts)
        guard problems.isEmpty else { throw FormErrors("closing.note", problems.joined(separator: " ")) }
        let note = text(fields, "closing.note", max: 5000)
        if note.isEmpty {
            throw FormErrors(
                "closing.note", "Skriv den fælles status ved afslutningen: hvad er opnået, og hvad fortsætter.")
        }
        let now = req.application.now()
        let repayment = found.repayment
        try await req.writeTransaction { db in
            guard try await GrantStore.close(found.id, note: note, by: user.name, at: now, on: db) else {
                throw PuljeError(.conflict, "Sagen er allerede afsluttet.")
            }
            try await record(
                .grantClose,
                "Sagen er afsluttet. \(note)"
                    + (repayment > .zero ? " Tilskud til tilbagebetaling: \(DanishAmount.kroner(repayment))." : ""),
                in: found, by: user, tell: .municipality, on: db, req: req)
        }
        return "Sagen er afsluttet."
    }

    /// What the grant cases of the calls under an initiative spent by calendar year, in their approved accounts.
    static func approvedSpend(
        ofInitiative number: String, for user: CurrentUser, req: Request
    ) async throws
        -> [Int: Money]
    {
        let now = req.application.now()
        var spend: [Int: Money] = [:]
        for call in try await CallStore.calls(ofInitiative: number, on: req.db) {
            let records = try await GrantStore.cases(ofCall: try call.requireID(), on: req.db)
            for found in try await GrantCase.load(records, for: user, at: now, on: req.db) {
                for accounts in found.accounts where accounts.accountsStatus == .approved {
                    spend[accounts.year, default: .zero] += accounts.actual().values.sum()
                }
            }
        }
        return spend
    }
}
