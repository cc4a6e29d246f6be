import Foundation
import MISLinkHTTP
import MISLinkQueue
import MISLinkSync

/// What the pages' forms do: each calls the service layer (JobAdmin, IntegrationService,
/// IntakeService) and answers where to go back to with a notice, or a confirmation page first.
/// A thrown refusal goes back with its message (see `act` in Console+Pages).
extension Console {
    func jobAction(_ text: String, _ action: String) async throws -> Redirect {
        let id = try Self.pageJobID(text)
        let jobs = self.jobs
        let back = "/jobs/\(id)"
        switch action {
        case "retry":
            try await Self.blocking { try jobs.retry(id: id) }
            return Redirect(back, notice: "job \(id) is back on the queue")
        case "cancel":
            let result = try await Self.blocking { try jobs.cancel(id: id) }
            return Redirect(back, notice: result == .cancelled ? "job \(id) is cancelled" : "job \(id) is running: its worker cancels it at its next heartbeat")
        case "discard":
            try await Self.blocking { try jobs.discard(id: id) }
            return Redirect("/jobs", notice: "job \(id) is discarded")
        default:
            throw PageError(404, "there is no job action '\(action)' (actions: retry, cancel, discard)")
        }
    }

    func planAction(_ text: String, _ action: String) async throws -> Redirect {
        let id = try Self.planID(text)
        let plans = self.plans
        let back = "/plans/\(id)"
        switch action {
        case "apply", "apply-except-held":
            let exceptHeld = action == "apply-except-held"
            let result = try await Self.blocking { try plans.apply(id, exceptHeld: exceptHeld) }
            let what = exceptHeld ? "plan \(id) without its held changes" : "plan \(id)"
            return Redirect(back, notice: result.inserted ? "\(what) is being applied by job \(result.id)" : "job \(result.id) is already applying plan \(id)")
        case "discard":
            try await Self.blocking { try plans.discard(id) }
            return Redirect(back, notice: "plan \(id) is discarded")
        default:
            throw PageError(404, "there is no plan action '\(action)' (actions: apply, apply-except-held, discard)")
        }
    }

    func queueAction(_ name: String, _ action: String) async throws -> Redirect {
        let jobs = self.jobs
        switch action {
        case "pause":
            let changed = try await Self.blocking { try jobs.pauseQueue(name) }
            return Redirect("/queues", notice: changed ? "queue \(name) is paused: workers claim nothing from it" : "queue \(name) was already paused")
        case "resume":
            let changed = try await Self.blocking { try jobs.resumeQueue(name) }
            return Redirect("/queues", notice: changed ? "queue \(name) is resumed" : "queue \(name) was not paused")
        default:
            throw PageError(404, "there is no queue action '\(action)' (actions: pause, resume)")
        }
    }

    func integrationAction(_ id: String, _ action: String, _ form: FormBody, _ context: PageContext) async throws -> ActionOutcome {
        let service = integrations, jobs = self.jobs
        let back = "/integrations/\(id)"
        func enqueue(_ kind: String, payload: String? = nil, _ what: String) async throws -> ActionOutcome {
            var job = JobRequest(kind: kind)
            job.integration = id
            job.payload = payload
            let request = job
            let result = try await Self.blocking { try jobs.enqueue(request) }
            return .redirect(Redirect(back, notice: result.inserted ? "\(what) enqueued as job \(result.id)" : "\(what) is already pending as job \(result.id)"))
        }
        func sync(_ switchAction: IntegrationAction, _ name: String) async throws -> ActionOutcome {
            guard let value = form["value"], value == "on" || value == "off" else { throw PageError(400, "\(name) needs value on or off") }
            _ = try await Self.blocking { try service.setSync(id, switchAction, on: value == "on") }
            return .redirect(Redirect(back, notice: "\(name) is \(value)"))
        }
        guard let known = AdminAction(rawValue: action), known != .intakeDecisions else {
            throw PageError(404, "there is no integration action '\(action)'")
        }
        switch known {
        case .turnOn, .turnOff:
            let integration = try await Self.blocking { try service.turn(id, on: known == .turnOn) }
            return .redirect(Redirect(back, notice: "integration \(id) is \(integration.status.title)"))
        case .absenceSync: return try await sync(.absenceSync, "absence sync")
        case .contractSync: return try await sync(.contractSync, "contract sync")
        case .staffSync: return try await sync(.staffSync, "staff sync")
        case .rerunWizard: return try await enqueue(JobKinds.rerunWizard, "the setup wizard's re-run")
        case .rematch: return try await enqueue(JobKinds.rematch, "the re-match")
        case .importNow:
            guard form["allowMassLeavers"] == "true" else { return try await enqueue(JobKinds.nightlyImport, "a nightly import") }
            return try await enqueue(JobKinds.nightlyImport, payload: #"{"allowMassLeavers": true}"#, "a nightly import allowing mass leavers")
        case .goLive:
            let result = try await Self.blocking { try service.goLive(id) }
            return .redirect(Redirect(back, notice: "the initial upload is job \(result.id); the integration turns On when it succeeds"))
        case .remove:
            guard form["confirmed"] == "yes" else {
                _ = try await Self.blocking { try service.integration(id) }
                return .page(
                    ConfirmPage.html(
                        title: "Remove \(id)?",
                        message: "integration will be removed with all its sync information (links, stored ids, matches, intake, exclusions, import history). This cannot be undone.",
                        count: 1, action: back + "/remove", fields: [], confirmLabel: "Yes, remove \(id)", back: back,
                        section: .integrations, context: context))
            }
            let counts = try await Self.blocking { try service.remove(id, confirmed: true) }
            return .redirect(
                Redirect("/integrations", notice: "integration \(id) removed with \(counts.links) link(s), \(counts.intake) intake entries and \(counts.imports) import record(s)"))
        case .intakeDecisions:
            throw PageError(404, "intake decisions are made on the intake page")
        }
    }

    func intakeAction(_ text: String, _ action: String, _ form: FormBody) async throws -> Redirect {
        guard let id = Int64(text), id > 0 else { throw PageError(400, "'\(text)' is not an intake entry") }
        let decision: IntakeDecision
        switch action {
        case "match":
            guard let target = form["target"]?.trimmingCharacters(in: .whitespaces), !target.isEmpty else {
                throw PageError(400, "matching entry \(id) needs the target record's id")
            }
            decision = .match(targetID: target)
        case "transfer": decision = .transfer
        case "exclude": decision = .exclude
        default: throw PageError(404, "there is no intake action '\(action)' (actions: match, transfer, exclude)")
        }
        let report = try await intake.decide(decision, .ids([id]))
        if let refusal = report.refused.first { throw SyncError(refusal.code, refusal.reason) }
        let done = report.done.first
        return Redirect(
            "/intake", notice: "entry \(id) is \(done?.status.rawValue ?? "decided")" + (done?.targetID.map { " (target record \($0))" } ?? ""))
    }

    // MARK: - Bulk

    /// Retry, cancel or discard the ticked jobs or every job matching the filter: first a page that
    /// says how many, then (with `confirmed=yes`) the service's bulk action. `upto` is the id bound the
    /// confirmation counted to, so jobs enqueued since are not touched.
    func bulkJobs(_ form: FormBody, _ context: PageContext) async throws -> ActionOutcome {
        let query = try JobQuery { form[$0] }
        let name = form["action"] ?? ""
        guard let action = BulkReport.Action(rawValue: name) else {
            throw PageError(400, "a bulk action is retry, cancel or discard, not '\(name)'")
        }
        let matching = form["scope"] == "matching"
        let jobs = self.jobs
        let selection: JobSelection
        let count: Int
        var fields = query.parameters.compactMap { name, value in value.map { (name, $0) } }
        fields += [("action", name), ("scope", matching ? "matching" : "selected")]
        if matching {
            let bound = try form["upto"].map(Self.pageJobID)
            let counted = try await Self.blocking { try jobs.count(matching: query.matchingFilter(state: query.state), upToID: bound) }
            selection = .matching(query.matchingFilter(state: query.state), upToID: counted.upToID)
            count = counted.count
            fields.append(("upto", String(counted.upToID)))
        } else {
            let ids = Array(Set(try form.values("id").map(Self.pageJobID))).sorted()
            guard !ids.isEmpty else { throw PageError(400, "tick at least one job, or choose every job matching this filter") }
            selection = .ids(ids)
            count = ids.count
            fields += ids.map { ("id", String($0)) }
        }
        let back = query.url(state: query.state)
        let done = switch action {
        case .retry: "retried"
        case .cancel: "cancelled"
        case .discard: "discarded"
        }
        guard form["confirmed"] == "yes" else {
            let warning = action == .discard ? " Discarding deletes them and their error history." : ""
            return .page(
                ConfirmPage.html(
                    title: "\(name.prefix(1).uppercased() + name.dropFirst()) jobs?", message: "job(s) will be \(done).\(warning)",
                    count: count, action: "/jobs/bulk", fields: fields,
                    confirmLabel: "Yes, \(name) \(count) job(s)", back: back, section: .jobs, context: context))
        }
        let report = try await Self.blocking {
            switch action {
            case .retry: try jobs.retry(selection)
            case .cancel: try jobs.cancel(selection)
            case .discard: try jobs.discard(selection)
            }
        }
        var notice = Self.summary(
            done: report.acted, verb: done, noun: ("job", "jobs"), refused: report.refusedCount,
            first: report.refused.first.map { ($0.id, $0.reason) })
        if report.requested > 0 { notice += "; \(report.requested) running job(s) stop at their next heartbeat" }
        return .redirect(Redirect(back, notice: notice))
    }

    /// Match (to the only candidate), transfer or exclude every open intake entry the filter covers
    /// (all, of an integration, of a role), confirmed first with the count, as for jobs.
    func bulkIntake(_ form: FormBody, _ context: PageContext) async throws -> ActionOutcome {
        let filter = try IntakePage.Filter { form[$0] }
        let name = form["action"] ?? ""
        guard let bulk = IntakePage.bulkActions.first(where: { $0.action == name }) else {
            throw PageError(400, "a bulk intake action is match, transfer or exclude, not '\(name)'")
        }
        let service = intake
        let back = HTML.url("/intake", filter.parameters)
        guard form["confirmed"] == "yes" else {
            let count = try await Self.blocking { try service.count(filter.selection) }
            return .page(
                ConfirmPage.html(
                    title: bulk.title, message: bulk.confirm,
                    count: count, action: "/intake/bulk", fields: filter.fields + [("action", bulk.action)],
                    confirmLabel: "Yes, \(bulk.action) \(count) entries", back: back, section: .intake, context: context))
        }
        let report = try await service.decide(bulk.decision, filter.selection)
        let notice = Self.summary(
            done: report.done.count, verb: bulk.done, noun: ("entry", "entries"), refused: report.refused.count,
            first: report.refused.first.map { ($0.entry, $0.reason) })
        return .redirect(Redirect(back, notice: notice))
    }

    /// "retried 3 jobs; 1 refused (job 7: why)".
    private static func summary(done: Int, verb: String, noun: (one: String, many: String), refused: Int, first: (Int64, String)?) -> String {
        var text = "\(verb) \(done) \(done == 1 ? noun.one : noun.many)"
        if let first {
            text += "; \(refused) refused (\(noun.one) \(first.0): \(first.1)\(refused > 1 ? "; …" : ""))"
        }
        return text
    }
}
