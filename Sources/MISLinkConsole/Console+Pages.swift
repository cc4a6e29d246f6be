import Foundation
import MISLinkHTTP
import MISLinkQueue
import MISLinkSync

/// The console's HTML pages and their forms. Pages answer GET and HEAD; forms POST, need a signed-in
/// session (its CSRF token was checked before this), call the service layer, then redirect back to
/// their page with a one-line notice (Post-Redirect-Get). Each page's markup is in `Pages/`.
extension Console {
    func page(_ request: HTTPRequest, access: Access) async -> HTTPResponse {
        var csrf: String?
        if case .session(_, let token) = access { csrf = token }
        let context = PageContext(
            csrfToken: csrf, notice: request.queryValue("notice"), error: request.queryValue("error"), now: JobStore.now())
        let path = request.path.split(separator: "/").map(String.init)
        let part = path + Array(repeating: "", count: max(0, 3 - path.count))
        switch (path.count, part[0], part[1], part[2]) {
        case (0, _, _, _): return await view(request, context) { try self.overview(request, context) }
        case (1, "logout", _, _): return logout(request, access: access)
        case (1, "jobs", _, _): return await view(request, context) { try self.jobList(request, context) }
        case (2, "jobs", "bulk", _): return await act(request, context) { try await self.bulkJobs($0, context) }
        case (2, "jobs", let id, _): return await view(request, context) { JobPage.html(try self.jobs.job(id: try Self.pageJobID(id)), context: context) }
        case (3, "jobs", let id, let action): return await act(request, context) { _ in try await self.jobAction(id, action) }
        case (1, "queues", _, _):
            return await view(request, context) { QueuesPage.html(queues: try self.jobs.queues(), workers: try self.jobs.workers(), context: context) }
        case (2, "queues", "pause", _):
            return await act(request, context) { form in try await self.queueAction(form["queue"] ?? "", "pause") }
        case (3, "queues", let name, let action): return await act(request, context) { _ in try await self.queueAction(name, action) }
        case (1, "integrations", _, _): return await view(request, context) { try self.integrationList(request, context) }
        case (2, "integrations", let id, _):
            return await view(request, context) {
                IntegrationPage.html(try IntegrationPage.load(id, jobs: self.jobs, integrations: self.integrations), context: context)
            }
        case (3, "integrations", let id, "changes"): return await changes(request, id, context)
        case (3, "integrations", let id, let action):
            return await act(request, context) { try await self.integrationAction(id, action, $0, context) }
        case (1, "intake", _, _): return await view(request, context) { try self.intakeList(request, context) }
        case (2, "intake", "bulk", _): return await act(request, context) { try await self.bulkIntake($0, context) }
        case (3, "intake", let id, let action): return await act(request, context) { try await self.intakeAction(id, action, $0) }
        default:
            return Self.errorPage(PageError(404, "There is no page at \(request.path)."), context)
        }
    }

    // MARK: - Reading

    private func overview(_ request: HTTPRequest, _ context: PageContext) throws -> String {
        let kind = request.queryValue("kind").flatMap { $0.isEmpty ? nil : $0 }
        let model = try OverviewPage.load(jobs: jobs, integrations: integrations, kind: kind, now: context.now)
        return OverviewPage.html(model, kind: kind, context: context)
    }

    private func jobList(_ request: HTTPRequest, _ context: PageContext) throws -> String {
        let query = try JobQuery { request.queryValue($0) }
        return JobsPage.html(try JobsPage.load(query, jobs: jobs, integrations: integrations), query: query, context: context)
    }

    private func integrationList(_ request: HTTPRequest, _ context: PageContext) throws -> String {
        let filter = try IntegrationsPage.Filter(status: request.queryValue("status"), attention: request.queryValue("attention"))
        let rows = try IntegrationsPage.load(filter, jobs: jobs, integrations: integrations, now: context.now)
        return IntegrationsPage.html(rows, filter: filter, context: context)
    }

    private func intakeList(_ request: HTTPRequest, _ context: PageContext) throws -> String {
        let filter = try IntakePage.Filter { request.queryValue($0) }
        let entries = try IntakePage.entries(filter, integrations: integrations)
        return IntakePage.html(entries, integrationIDs: try integrations.integrations().map(\.id), filter: filter, context: context)
    }

    /// The changes report asks the target, so it is its own page and runs off the pool like the rest.
    private func changes(_ request: HTTPRequest, _ id: String, _ context: PageContext) async -> HTTPResponse {
        guard request.isRead else { return Self.notAllowed(["GET", "HEAD"], api: false) }
        do {
            let changes = try await integrations.changes(id)
            return .html(200, ChangesPage.html(id, changes: changes, context: context))
        } catch {
            return Self.errorPage(PageError(error), context)
        }
    }

    // MARK: - Actions

    private func jobAction(_ text: String, _ action: String) async throws -> Redirect {
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
        default:
            throw PageError(404, "there is no job action '\(action)' (actions: retry, cancel)")
        }
    }

    private func queueAction(_ name: String, _ action: String) async throws -> Redirect {
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

    private func integrationAction(_ id: String, _ action: String, _ form: FormBody, _ context: PageContext) async throws -> ActionOutcome {
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
        switch action {
        case "on", "off":
            let integration = try await Self.blocking { try service.turn(id, on: action == "on") }
            return .redirect(Redirect(back, notice: "integration \(id) is \(integration.status.title)"))
        case "absence-sync": return try await sync(.absenceSync, "absence sync")
        case "contract-sync": return try await sync(.contractSync, "contract sync")
        case "staff-sync": return try await sync(.staffSync, "staff sync")
        case "rerun-wizard": return try await enqueue(JobKinds.rerunWizard, "the setup wizard's re-run")
        case "rematch": return try await enqueue(JobKinds.rematch, "the re-match")
        case "allow-mass-leavers":
            return try await enqueue(JobKinds.nightlyImport, payload: #"{"allowMassLeavers": true}"#, "a nightly import allowing mass leavers")
        case "go-live":
            let result = try await Self.blocking { try service.goLive(id) }
            return .redirect(Redirect(back, notice: "the initial upload is job \(result.id); the integration turns On when it succeeds"))
        case "remove":
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
        default:
            throw PageError(404, "there is no integration action '\(action)'")
        }
    }

    private func intakeAction(_ text: String, _ action: String, _ form: FormBody) async throws -> Redirect {
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
        let outcome = try await integrations.decide(id, decision)
        return Redirect("/intake", notice: "entry \(id) is \(outcome.status.rawValue)" + (outcome.targetID.map { " (target record \($0))" } ?? ""))
    }

    // MARK: - Bulk

    /// Retry or cancel the ticked jobs or every job matching the filter: first a page that says how
    /// many, then (with `confirmed=yes`) each through the service layer. `upto` fixes the matching
    /// set at the moment of confirmation, so jobs enqueued since are not touched.
    private func bulkJobs(_ form: FormBody, _ context: PageContext) async throws -> ActionOutcome {
        let query = try JobQuery { form[$0] }
        let action = form["action"] ?? ""
        guard action == "retry" || action == "cancel" else { throw PageError(400, "a bulk action is retry or cancel, not '\(action)'") }
        let matching = form["scope"] == "matching"
        let jobs = self.jobs
        var ids: [Int64]
        var upto = form["upto"].flatMap { Int64($0) }
        if matching {
            let found = try await Self.blocking { try jobs.jobs(matching: query.filter(limit: Int.max)).map(\.id) }
            upto = upto ?? found.first
            ids = found.filter { $0 <= (upto ?? 0) }
        } else {
            ids = try form.values("id").map(Self.pageJobID)
            guard !ids.isEmpty else { throw PageError(400, "tick at least one job, or choose every job matching this filter") }
        }
        let back = query.url(state: query.state)
        guard form["confirmed"] == "yes" else {
            var fields = query.parameters.compactMap { name, value in value.map { (name, $0) } }
            fields += [("action", action), ("scope", matching ? "matching" : "selected")]
            fields += matching ? [("upto", String(upto ?? 0))] : ids.map { ("id", String($0)) }
            return .page(
                ConfirmPage.html(
                    title: "\(action == "retry" ? "Retry" : "Cancel") jobs?", message: "job(s) will be \(action == "retry" ? "retried" : "cancelled").",
                    count: ids.count, action: "/jobs/bulk", fields: fields,
                    confirmLabel: "Yes, \(action) \(ids.count) job(s)", back: back, section: .jobs, context: context))
        }
        let (done, refusals) = await Self.each(ids) { id in
            try await Self.blocking {
                if action == "retry" { try jobs.retry(id: id) } else { _ = try jobs.cancel(id: id) }
            }
        }
        return .redirect(Redirect(back, notice: Self.summary(done: done, verb: action == "retry" ? "retried" : "cancelled", noun: "job", refusals: refusals)))
    }

    /// Transfer or exclude every open intake entry the filter covers, confirmed first as for jobs.
    private func bulkIntake(_ form: FormBody, _ context: PageContext) async throws -> ActionOutcome {
        let filter = try IntakePage.Filter { form[$0] }
        let action = form["action"] ?? ""
        guard action == "transfer" || action == "exclude" else { throw PageError(400, "a bulk intake action is transfer or exclude, not '\(action)'") }
        let service = integrations
        let found = try await Self.blocking { try IntakePage.entries(filter, integrations: service).map(\.id) }
        let upto = form["upto"].flatMap { Int64($0) } ?? found.max() ?? 0
        let ids = found.filter { $0 <= upto }
        let back = HTML.url("/intake", filter.parameters)
        guard form["confirmed"] == "yes" else {
            let fields = filter.parameters.compactMap { name, value in value.map { (name, $0) } } + [("action", action), ("upto", String(upto))]
            return .page(
                ConfirmPage.html(
                    title: "\(action == "transfer" ? "Transfer" : "Exclude") intake entries?",
                    message: action == "transfer" ? "entries will be created in the target as new." : "entries will be excluded: those people are not imported again.",
                    count: ids.count, action: "/intake/bulk", fields: fields, confirmLabel: "Yes, \(action) \(ids.count) entries", back: back,
                    section: .intake, context: context))
        }
        let decision: IntakeDecision = action == "transfer" ? .transfer : .exclude
        let (done, refusals) = await Self.each(ids) { id in _ = try await service.decide(id, decision) }
        return .redirect(Redirect(back, notice: Self.summary(done: done, verb: action == "transfer" ? "transferred" : "excluded", noun: "entry", refusals: refusals)))
    }

    /// Runs `body` for each id, counting those done and keeping each refusal's reason.
    private static func each(_ ids: [Int64], _ body: (Int64) async throws -> Void) async -> (Int, [(Int64, String)]) {
        var done = 0
        var refusals: [(Int64, String)] = []
        for id in ids {
            do {
                try await body(id)
                done += 1
            } catch {
                refusals.append((id, PageError(error).message))
            }
        }
        return (done, refusals)
    }

    private static func summary(done: Int, verb: String, noun: String, refusals: [(Int64, String)]) -> String {
        var text = "\(verb) \(done) \(noun)\(done == 1 ? "" : "s")"
        if let first = refusals.first {
            text += "; \(refusals.count) refused (\(noun) \(first.0): \(first.1)\(refusals.count > 1 ? "; …" : ""))"
        }
        return text
    }

    // MARK: - Answers

    /// Where a form goes after it acted, with the line it says there.
    struct Redirect {
        let path: String
        let notice: String
        init(_ path: String, notice: String) {
            self.path = path
            self.notice = notice
        }
    }

    /// A form's answer: back to a page with a notice, or a page of its own (a confirmation).
    enum ActionOutcome {
        case redirect(Redirect)
        case page(String)
    }

    private func view(_ request: HTTPRequest, _ context: PageContext, _ body: @escaping @Sendable () throws -> String) async -> HTTPResponse {
        guard request.isRead else { return Self.notAllowed(["GET", "HEAD"], api: false) }
        let outcome: Result<String, PageError> = await BlockingWork.run {
            do { return .success(try body()) } catch { return .failure(PageError(error)) }
        }
        switch outcome {
        case .success(let html): return .html(200, html)
        case .failure(let error): return Self.errorPage(error, context)
        }
    }

    private func act(_ request: HTTPRequest, _ context: PageContext, _ body: (FormBody) async throws -> Redirect) async -> HTTPResponse {
        await act(request, context) { (form: FormBody) async throws -> ActionOutcome in .redirect(try await body(form)) }
    }

    /// A refusal goes back to the page it came from (the URL's page for a form) with the reason.
    private func act(_ request: HTTPRequest, _ context: PageContext, _ body: (FormBody) async throws -> ActionOutcome) async -> HTTPResponse {
        guard request.method == "POST" else { return Self.notAllowed(["POST"], api: false) }
        guard context.canAct else {
            return Self.errorPage(PageError(403, "forms need a signed-in session: sign in on /login (the bearer token may only read pages)"), context)
        }
        let form = FormBody(request.body)
        do {
            switch try await body(form) {
            case .redirect(let redirect): return Self.redirect(HTML.url(redirect.path, [("notice", redirect.notice)]))
            case .page(let html): return .html(200, html)
            }
        } catch {
            return Self.redirect(HTML.url(Self.returnPath(request.path), [("error", PageError(error).message)]))
        }
    }

    /// The page a form sits on: its action's path without the action (`/jobs/7/retry` → `/jobs/7`).
    private static func returnPath(_ path: String) -> String {
        let parts = path.split(separator: "/")
        switch parts.first {
        case "jobs" where parts.count == 3: return "/jobs/\(parts[1])"
        case "integrations" where parts.count == 3: return "/integrations/\(parts[1])"
        case "queues": return "/queues"
        case "intake": return "/intake"
        default: return "/" + (parts.first.map(String.init) ?? "")
        }
    }

    private func logout(_ request: HTTPRequest, access: Access) -> HTTPResponse {
        guard request.method == "POST" else { return Self.notAllowed(["POST"], api: false) }
        var response = Self.redirect("/login")
        if case .session(let id, _) = access {
            sessions.close(id)
            response.headers.add("Set-Cookie", "\(Self.sessionCookie)=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
        }
        return response
    }

    static func errorPage(_ error: PageError, _ context: PageContext) -> HTTPResponse {
        let title = switch error.status {
        case 404: "Not found"
        case 400: "Not understood"
        case 403: "Refused"
        case 409: "Refused"
        default: "Something failed"
        }
        return .html(error.status, Layout.page(title: title, section: nil, context: context, body: "<p>\(HTML.esc(error.message))</p>\n"))
    }

    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let result: Result<T, any Error> = await BlockingWork.run { Result { try body() } }
        return try result.get()
    }

    static func pageJobID(_ text: String) throws(PageError) -> Int64 {
        guard let id = Int64(text), id > 0 else { throw PageError(400, "'\(text)' is not a job id") }
        return id
    }
}

extension PageError {
    /// Any error a page meets, with the status its kind means and its message on one line.
    init(_ error: any Error) {
        switch error {
        case let error as PageError: self = error
        case let error as SyncError:
            let status = switch error.code {
            case .invalidInput: 400
            case .refused, .conflict: 409
            case .notFound: 404
            case .failed: 500
            }
            self.init(status, error.message)
        default: self.init(500, OneLine.text("\(error)"))
        }
    }
}
