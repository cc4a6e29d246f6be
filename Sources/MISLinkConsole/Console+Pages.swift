import Foundation
import MISLinkHTTP
import MISLinkQueue
import MISLinkKit
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
        case (1, "plans", _, _): return await view(request, context) { try self.planList(request, context) }
        case (2, "plans", let id, _): return await view(request, context) { try self.planPage(id, request, context) }
        case (3, "plans", let id, let action): return await act(request, context) { _ in try await self.planAction(id, action) }
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

    var intake: IntakeService { IntakeService(environment: integrations.environment) }

    private func intakeList(_ request: HTTPRequest, _ context: PageContext) throws -> String {
        let filter = try IntakePage.Filter { request.queryValue($0) }
        let entries = try intake.entries(filter.selection)
        return IntakePage.html(entries, integrationIDs: try integrations.integrations().map(\.id), filter: filter, context: context)
    }

    var plans: PlanService { PlanService(environment: integrations.environment) }

    private func planList(_ request: HTTPRequest, _ context: PageContext) throws -> String {
        let filter = PlansPage.Filter { request.queryValue($0) }
        let list = try plans.list(integration: filter.integration, reviewOnly: filter.reviewOnly, limit: 200)
        return PlansPage.html(list, filter: filter, integrationIDs: try integrations.integrations().map(\.id), context: context)
    }

    private func planPage(_ text: String, _ request: HTTPRequest, _ context: PageContext) throws -> String {
        let id = try Self.planID(text)
        let kind = request.queryValue("kind").flatMap { $0.isEmpty ? nil : $0 }
        let kinds = try kind.map(PlanStep.Kind.list)
        let (summary, steps) = try plans.show(id, kinds: kinds)
        return PlanPage.html(summary, steps: steps, kind: kind, context: context)
    }

    static func planID(_ text: String) throws -> Int64 {
        guard let id = Int64(text), id > 0 else { throw PageError(404, "'\(text)' is not a plan id") }
        return id
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
        guard let id = parsedJobID(text) else { throw PageError(400, "'\(text)' is not a job id") }
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
