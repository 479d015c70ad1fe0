import Fluent
import Foundation
import PuljeDomain
import PuljeHTML
import Vapor

enum CallsController {
    /// Where a published call stands at a moment.
    @Sendable static func index(req: Request) async throws -> Response {
        let user = req.currentUser
        let staff = user?.may(.manageCalls) ?? false
        let calls = try await CallStore.all(includingDrafts: staff, on: req.db)
        let now = req.application.now()
        var model = CallList.Model(now: now, canCreate: staff)
        for call in calls {
            let rules = try call.rules()
            let item = CallList.Item(call: call, rules: rules)
            if call.callStatus == .draft {
                model.drafts.append(item)
                continue
            }
            switch CallPhase(rules: rules, at: now) {
            case .open: model.open.append(item)
            case .upcoming: model.upcoming.append(item)
            case .closed: model.closed.append(item)
            }
        }
        model.open.sort {
            ($0.rules.deadline?.instant ?? .distantFuture) < ($1.rules.deadline?.instant ?? .distantFuture)
        }
        return CallList.view(model, context: req.pageContext()).response(status: .ok)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let call = try await CallStore.visible(req)
        let rules = try call.rules()
        let now = req.application.now()
        var existing: ApplicationRecord?
        if let user = req.currentUser, user.may(.writeApplication) {
            existing = try await CallStore.application(
                to: call.requireID(), from: user.organisationID, on: req.db)
        }
        // Published on the call's page once the decision is approved.
        // A call without money lists the municipalities and their projects, not "0 kr.".
        let recipients = (try await DecisionStore.recipients(of: call, on: req.db) ?? []).map {
            name, title, amount in
            "\(name)" + (title.isEmpty ? "" : ": \(title)")
                + (rules.budget.hasBudget ? ", \(DanishAmount.kroner(amount))" : "")
        }
        return CallShow.view(
            call: call, rules: rules, phase: CallPhase(rules: rules, at: now), now: now, existingApplication: existing,
            recipients: recipients, context: req.pageContext()
        ).response(status: .ok)
    }

    /// The deadline as a calendar event (RFC 5545), so applicants can put it in their calendars.
    @Sendable static func ics(req: Request) async throws -> Response {
        let call = try await CallStore.visible(req)
        guard let deadline = try call.rules().deadline else {
            throw PuljeError(.notFound, "Puljen har ingen frist endnu.")
        }
        let body = ICSCalendar.event(
            uid: "frist-\(try call.requireID().pathValue)", stamp: req.application.now(), start: deadline.instant,
            end: deadline.instant.addingTimeInterval(1800), summary: "Ansøgningsfrist: \(call.title)",
            description: "Fristen er \(deadline.danishText). Ansøgninger indsendt derefter afvises.",
            alarm: "Ansøgningsfrist i morgen", product: "Ansøgningsfrister")
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"ansoegningsfrist.ics\"")
        return Response(status: .ok, headers: headers, body: .init(string: body))
    }

    @Sendable static func new(req: Request) async throws -> Response {
        try req.authorize(.manageCalls)
        var form = CallForm()
        form.applicantKinds = [OrganisationKind.municipality.rawValue]
        form.deadlineTime = "12:00"
        form.opensTime = "08:00"
        form.requiresMonthlySpread = "true"
        return CallEdit.view(form: form, errors: FormErrors(), existing: nil, missing: [], context: req.pageContext())
            .response(status: .ok)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let user = try req.authorize(.manageCalls)
        let form = try req.content.decode(CallForm.self)
        do {
            let (id, message) = try await CallActions.create(try form.validate().get(), by: user, req: req)
            req.flash(message)
            return req.redirect(to: SiteURL.call(id).path)
        } catch let errors as FormErrors {
            return CallEdit.view(form: form, errors: errors, existing: nil, missing: [], context: req.pageContext())
                .response(status: .unprocessableEntity)
        }
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        try req.authorize(.manageCalls)
        let call = try await CallStore.visible(req)
        let rules = try call.rules()
        return CallEdit.view(
            form: CallForm(call: call, rules: rules), errors: FormErrors(), existing: call,
            missing: rules.missingForPublication(), context: req.pageContext()
        ).response(status: .ok)
    }

    /// Saves the call (`CallActions.update`).
    @Sendable static func update(req: Request) async throws -> Response {
        let user = try req.authorize(.manageCalls)
        let call = try await CallStore.visible(req)
        let form = try req.content.decode(CallForm.self)
        do {
            req.flash(try await CallActions.update(call, to: try form.validate().get(), by: user, req: req))
            return req.redirect(to: SiteURL.call(try call.requireID()).path)
        } catch let errors as FormErrors {
            return CallEdit.view(form: form, errors: errors, existing: call, missing: [], context: req.pageContext())
                .response(status: .unprocessableEntity)
        }
    }

    /// Publishing refuses an incomplete call and lists what is missing.
    @Sendable static func publish(req: Request) async throws -> Response {
        let user = try req.authorize(.manageCalls)
        let call = try await CallStore.visible(req)
        do {
            req.flash(try await CallActions.publish(call, by: user, req: req))
            return req.redirect(to: SiteURL.call(try call.requireID()).path)
        } catch let incomplete as CallActions.Incomplete {
            return CallEdit.view(
                form: CallForm(call: call, rules: try call.rules()), errors: FormErrors(), existing: call,
                missing: incomplete.missing, context: req.pageContext()
            ).response(status: .unprocessableEntity)
        }
    }
}
