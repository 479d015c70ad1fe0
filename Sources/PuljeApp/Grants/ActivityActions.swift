import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

/// The activities' use cases: staff schedule an activity for a call's municipalities, a municipality
/// registers its people (until the activity begins), staff record who attended (once it has begun). Each
/// writes in one transaction with its audit entry; refused input throws `FormErrors`, a refused act
/// `PuljeError`.
enum ActivityActions {
    /// Schedules an activity for every grant case of the call; the municipalities are told by e-mail.
    static func schedule(
        call: CallRecord, _ fields: GrantActions.Fields, roles: [String], by user: CurrentUser, req: Request
    ) async throws -> String {
        guard user.may(.manageGrantCases) else {
            throw PuljeError(.forbidden, "Kun styrelsens tilskudsforvaltning og fagkonsulenter planlægger aktiviteter.")
        }
        let text = { (name: String) in GrantActions.text(fields, "activity." + name, max: 1000) }
        let plan: ActivityPlan
        switch ActivityRules.plan(
            kind: text("kind"), title: text("title"), date: text("date"), start: text("start"), end: text("end"),
            place: text("place"), mandatory: text("mandatory[]") == "true", roleIDs: roles,
            terms: try call.rules().terms)
        {
        case .success(let made): plan = made
        case .failure(let problems):
            var errors = FormErrors()
            for problem in problems.messages { errors.add("activity." + problem.field, problem.message) }
            throw errors
        }
        let now = req.application.now()
        let callID = try call.requireID()
        let cases = try await GrantStore.cases(ofCall: callID, on: req.db)
        let when = DanishTime.dateTime(plan.startsAt) + "–" + DanishTime.time(plan.endsAt)
        try await req.writeTransaction { db in
            let id = try await ActivityStore.schedule(plan, for: callID, by: user.name, at: now, on: db)
            try await AuditLog.record(
                .activitySchedule, subject: .call(callID),
                summary:
                    "\(plan.kind.danishName) planlagt: \(plan.title), \(when), \(plan.place)"
                    + (plan.mandatory ? " (obligatorisk)." : "."),
                by: user, on: db, request: req)
            let link = req.application.config.publicURL + SiteURL.activityCalendar(id).path
            for grantCase in cases {
                try await Outbox.enqueue(
                    to: try await GrantStore.municipalRecipients(of: grantCase, on: db),
                    subject: "\(plan.kind.danishName): \(plan.title)",
                    body: """
                        Styrelsen har planlagt \(plan.kind.danishName.lowercased()) for puljen "\(call.title)": \(plan.title), \(when), \(plan.place).\(plan.mandatory ? " Deltagelse er obligatorisk." : "")

                        Tilmeld jeres deltagere i tilskudssagen i Pulje: \(req.application.config.publicURL)\(SiteURL.grantCase(grantCase.id!).path)#aktiviteter
                        Kalenderfil: \(link)
                        """, kind: "grant-case", at: now, on: db)
            }
        }
        return "\(plan.title) er planlagt for \(DanishCount.of(cases.count, "sag", "sager"))."
    }

    /// The activity of the path, if it belongs to the case's call.
    static func activity(_ id: UUID?, of found: GrantCase, on db: any Database) async throws -> GrantActivityRecord {
        guard let id, let activity = try await ActivityStore.activity(id, on: db),
            activity.$call.id == found.record.$call.id
        else { throw PuljeError(.notFound, "Aktiviteten findes ikke.") }
        return activity
    }

    /// The municipality registers one of its team for an activity, until the activity begins.
    static func register(
        _ found: GrantCase, activity activityID: UUID?, _ fields: GrantActions.Fields, by user: CurrentUser,
        req: Request
    ) async throws -> String {
        try GrantActions.requireWrite(found)
        let activity = try await activity(activityID, of: found, on: req.db)
        let now = req.application.now()
        if let problem = ActivityRules.registrationProblem(startsAt: activity.startsAt, at: now) {
            throw PuljeError(.conflict, problem)
        }
        let field = "participant.\(try activity.requireID().pathValue)"
        guard let memberID = UUID(uuidString: GrantActions.text(fields, field)),
            let member = found.members.first(where: { $0.id == memberID })
        else { throw FormErrors(field, "Vælg en person fra organiseringen.") }
        let caseID = found.id
        let registered = try await req.writeTransaction { db -> Bool in
            guard
                try await ActivityStore.register(
                    member, for: try activity.requireID(), in: caseID, by: user.name, at: now, on: db)
            else { return false }
            try await GrantActions.record(
                .activityRegister,
                "\(member.name) er tilmeldt \(activity.title) (\(DanishTime.dateTime(activity.startsAt))).",
                in: found, by: user, tell: .nobody, on: db, req: req)
            return true
        }
        guard registered else { throw FormErrors(field, "\(member.name) er allerede tilmeldt.") }
        return "\(member.name) er tilmeldt \(activity.title)."
    }

    /// The municipality withdraws a registration, until the activity begins.
    static func unregister(
        _ found: GrantCase, participant: UUID?, by user: CurrentUser, req: Request
    ) async throws -> String {
        try GrantActions.requireWrite(found)
        let now = req.application.now()
        let removed = try await req.writeTransaction { db -> ActivityParticipantRecord? in
            guard let participant, let removed = try await ActivityStore.unregister(participant, of: found.id, on: db)
            else { return nil }
            if let problem = ActivityRules.registrationProblem(startsAt: removed.activity.startsAt, at: now) {
                throw PuljeError(.conflict, problem)
            }
            try await GrantActions.record(
                .activityUnregister, "\(removed.name) er afmeldt \(removed.activity.title).", in: found, by: user,
                tell: .nobody, on: db, req: req)
            return removed
        }
        guard let removed else { throw PuljeError(.notFound, "Tilmeldingen findes ikke.") }
        return "\(removed.name) er afmeldt \(removed.activity.title)."
    }

    /// Staff record who of the registered attended, once the activity has begun; each case's timeline says
    /// how many of its people came.
    static func recordAttendance(
        _ activity: GrantActivityRecord, present: Set<UUID>, by user: CurrentUser, req: Request
    ) async throws -> String {
        guard user.may(.manageGrantCases) else {
            throw PuljeError(.forbidden, "Kun styrelsens tilskudsforvaltning og fagkonsulenter registrerer fremmøde.")
        }
        let now = req.application.now()
        if let problem = ActivityRules.attendanceProblem(startsAt: activity.startsAt, at: now) {
            throw PuljeError(.conflict, problem)
        }
        let activityID = try activity.requireID()
        let participants = try await ActivityStore.participants(ofActivity: activityID, on: req.db)
        let byCase = Dictionary(grouping: participants, by: { $0.$grantCase.id })
        try await req.writeTransaction { db in
            try await ActivityStore.recordAttendance(of: activityID, present: present, by: user.name, on: db)
            for (caseID, people) in byCase {
                let came = people.filter { present.contains($0.id!) }.map(\.name)
                try await AuditLog.record(
                    .attendance, subject: .grantCase(caseID),
                    summary:
                        "Fremmøde ved \(activity.title): \(came.count) af \(people.count) tilmeldte deltog"
                        + (came.isEmpty ? "." : " (\(came.joined(separator: ", ")))."), by: user, on: db, request: req)
            }
        }
        let attended = participants.filter { present.contains($0.id!) }.count
        return "Fremmødet er registreret: \(attended) af \(participants.count) tilmeldte deltog."
    }
}
