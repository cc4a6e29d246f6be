import Foundation
import MISLinkHTTP
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// `/api/plans…`: plans as `mislink plan list|show --json` gives them, and `POST /api/plans/ID/apply`
/// (`{"exceptHeld": true}` to leave the held changes out) and `/discard`, through `PlanService`.
extension Console {
    func plansAPI(_ request: HTTPRequest, _ path: [String]) async -> HTTPResponse {
        let method = request.method
        let plans = self.plans
        switch path {
        case []:
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer {
                try Self.expectOnly(["integration", "review"], in: request)
                let list = try plans.list(integration: request.queryValue("integration"), reviewOnly: try Self.boolean("review", in: request) ?? false, limit: 500)
                let now = JobStore.now()
                return (200, list.map { PlanReviewJSON.object($0, now: now) })
            }
        case _ where path.count == 1:
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer {
                try Self.expectOnly(["kind"], in: request)
                let kinds = try request.queryValue("kind").map(PlanStep.Kind.list)
                let (summary, steps) = try plans.show(try Self.apiPlanID(path[0]), kinds: kinds)
                var object = PlanReviewJSON.object(summary, now: JobStore.now())
                object["changes"] = steps.map(PlanReviewJSON.object)
                return (200, object)
            }
        case _ where path.count == 2 && (path[1] == "apply" || path[1] == "discard"):
            guard method == "POST" else { return Self.notAllowed(["POST"], api: true) }
            let action = path[1]
            return await answer {
                let id = try Self.apiPlanID(path[0])
                if action == "discard" {
                    _ = try Self.jsonBody(request, allowed: [])
                    try plans.discard(id)
                    return (200, ["plan": id, "state": "discarded"])
                }
                let body = try Self.jsonBody(request, allowed: ["exceptHeld"])
                var exceptHeld = false
                if let value = body["exceptHeld"] {
                    guard let flag = value as? Bool, JSONPayload.isBoolean(value) else { throw APIError.badInput("\"exceptHeld\" must be true or false") }
                    exceptHeld = flag
                }
                let result = try plans.apply(id, exceptHeld: exceptHeld)
                return (result.inserted ? 201 : 200, JobJSON.enqueued(result))
            }
        default:
            return Self.notFound(request)
        }
    }

    private static func apiPlanID(_ text: String) throws -> Int64 {
        guard let id = Int64(text), id > 0 else { throw APIError(404, "not-found", "'\(text)' is not a plan id") }
        return id
    }
}
