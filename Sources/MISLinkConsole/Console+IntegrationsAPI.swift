import Foundation
import MISLinkHTTP
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// `/api/integrations…`: list, show, import history, links and the changes report; and the actions
/// of seed 000's table and go-live, each through `IntegrationService` or `JobAdmin` as the command
/// line's `integration` and `enqueue` commands. A refused action answers 409 naming the status.
extension Console {
    func integrationsAPI(_ request: HTTPRequest, _ path: [String]) async -> HTTPResponse {
        let method = request.method
        let integrations = self.integrations
        let jobs = self.jobs
        switch path {
        case []:
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer { (200, try integrations.integrations().map(IntegrationJSON.object)) }
        case _ where path.count == 1:
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer { (200, IntegrationJSON.object(try integrations.integration(path[0]))) }
        case _ where path.count == 2 && path[1] == "imports":
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer {
                try Self.expectOnly(["limit"], in: request)
                let limit = try Self.integer("limit", in: request, range: 1...100_000) ?? 50
                return (200, try integrations.imports(path[0], limit: limit).map(IntegrationJSON.object))
            }
        case _ where path.count == 2 && path[1] == "links":
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer {
                try Self.expectOnly([], in: request)
                return (200, try integrations.links(path[0]).map(IntegrationJSON.object))
            }
        case _ where path.count == 2 && path[1] == "changes":
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answerAsync {
                try Self.expectOnly([], in: request)
                return (200, try await integrations.changes(path[0]).map(IntegrationJSON.object))
            }
        case _ where path.count == 2 && Self.integrationActions.contains(path[1]):
            guard method == "POST" else { return Self.notAllowed(["POST"], api: true) }
            let (id, action) = (path[0], path[1])
            return await answer { try Self.act(action, id, request, integrations: integrations, jobs: jobs) }
        default:
            return Self.notFound(request)
        }
    }

    private static let integrationActions: Set<String> = ["on", "off", "go-live", "sync", "import", "rerun-wizard", "rematch"]

    /// One action: the integration as it now is, or the job it enqueued (201, or 200 when the
    /// pending one was answered).
    private static func act(_ action: String, _ id: String, _ request: HTTPRequest, integrations: IntegrationService, jobs: JobAdmin)
        throws -> (Int, Any)
    {
        func enqueued(_ result: EnqueueResult) -> (Int, Any) { (result.inserted ? 201 : 200, JobJSON.enqueued(result)) }
        switch action {
        case "on", "off":
            _ = try jsonBody(request, allowed: [])
            return (200, IntegrationJSON.object(try integrations.turn(id, on: action == "on")))
        case "sync":
            let body = try jsonBody(request, allowed: ["switch", "on"])
            let switches: [String: IntegrationAction] = ["absence": .absenceSync, "contract": .contractSync, "staff": .staffSync]
            guard let name = body["switch"] as? String, let which = switches[name] else {
                throw APIError.badInput("\"switch\" must be absence, contract or staff")
            }
            guard let on = body["on"], JSONPayload.isBoolean(on), let value = on as? Bool else {
                throw APIError.badInput("\"on\" must be true or false")
            }
            return (200, IntegrationJSON.object(try integrations.setSync(id, which, on: value)))
        case "go-live":
            _ = try jsonBody(request, allowed: [])
            return enqueued(try integrations.goLive(id))
        case "import":
            let body = try jsonBody(request, allowed: ["allowMassLeavers"])
            var job = JobRequest(kind: JobKinds.nightlyImport)
            job.integration = id
            if let allow = body["allowMassLeavers"] {
                guard JSONPayload.isBoolean(allow), let value = allow as? Bool else {
                    throw APIError.badInput("\"allowMassLeavers\" must be true or false")
                }
                // The payload option the nightly-import handler reads, as `enqueue --allow-mass-leavers` sets it.
                if value { job.payload = #"{"allowMassLeavers": true}"# }
            }
            return enqueued(try jobs.enqueue(job))
        default:
            _ = try jsonBody(request, allowed: [])
            var job = JobRequest(kind: action == "rematch" ? JobKinds.rematch : JobKinds.rerunWizard)
            job.integration = id
            return enqueued(try jobs.enqueue(job))
        }
    }
}
