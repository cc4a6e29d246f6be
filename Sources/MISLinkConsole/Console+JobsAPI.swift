import Foundation
import MISLinkHTTP
import MISLinkQueue
import MISLinkSync

/// `/api/jobs…`: list, show, enqueue (one or a batch), retry and cancel.
extension Console {
    func jobsAPI(_ request: HTTPRequest, _ path: [String]) async -> HTTPResponse {
        let method = request.method
        let jobs = self.jobs
        switch path {
        case []:
            switch method {
            case "GET":
                return await answer {
                    let filter = try Self.jobFilter(request)
                    return (200, try jobs.jobs(matching: filter).map(JobJSON.object))
                }
            case "POST":
                return await answer { try Self.enqueue(request.body, jobs: jobs) }
            default: return Self.notAllowed(["GET", "POST"], api: true)
            }
        case ["retry"]:
            guard method == "POST" else { return Self.notAllowed(["POST"], api: true) }
            return await answer {
                try Self.expectOnly(["kind", "integration"], in: request)
                let report = try jobs.retryAllFailed(kind: request.queryValue("kind"), integration: request.queryValue("integration"))
                return (200, JobJSON.object(report))
            }
        case _ where path.count == 1:
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer { (200, JobJSON.object(try jobs.job(id: try Self.jobID(path[0])))) }
        case _ where path.count == 2 && path[1] == "retry":
            guard method == "POST" else { return Self.notAllowed(["POST"], api: true) }
            return await answer {
                let id = try Self.jobID(path[0])
                try jobs.retry(id: id)
                return (200, ["id": id, "state": JobState.available.rawValue])
            }
        case _ where path.count == 2 && path[1] == "cancel":
            guard method == "POST" else { return Self.notAllowed(["POST"], api: true) }
            return await answer {
                let id = try Self.jobID(path[0])
                switch try jobs.cancel(id: id) {
                case .cancelled: return (200, ["id": id, "state": JobState.cancelled.rawValue])
                case .requested: return (202, ["id": id, "state": JobState.running.rawValue, "cancelRequested": true])
                }
            }
        default:
            return Self.notFound(request)
        }
    }

    // MARK: - Enqueue

    /// One job object, or `{"jobs": [...]}`: the answers of `mislink enqueue --json` and `--batch`.
    private static func enqueue(_ body: Data, jobs: JobAdmin) throws -> (Int, Any) {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw APIError.badInput("the body must be a JSON object: one job, or {\"jobs\": [...]}")
        }
        guard let batch = object["jobs"] else {
            let result = try jobs.enqueue(try JobRequest(json: object))
            return (result.inserted ? 201 : 200, JobJSON.enqueued(result))
        }
        guard object.count == 1 else {
            let other = object.keys.filter { $0 != "jobs" }.sorted()[0]
            throw APIError.badInput("a batch is {\"jobs\": [...]} alone; unknown key '\(other)'")
        }
        guard let lines = batch as? [Any], !lines.isEmpty else {
            throw APIError.badInput("\"jobs\" must be a non-empty array of job objects")
        }
        var requests: [JobRequest] = []
        for (index, line) in lines.enumerated() {
            guard let job = line as? [String: Any] else { throw APIError.badInput("job \(index + 1): not a JSON object") }
            do { requests.append(try JobRequest(json: job)) } catch {
                throw APIError(APIError(error).status, APIError(error).code, "job \(index + 1): \(error.message)")
            }
        }
        do {
            let results = try jobs.enqueue(batch: requests)
            return (results.contains(where: \.inserted) ? 201 : 200, JobJSON.enqueued(batch: results))
        } catch {
            let place = error.index > 0 ? "job \(error.index): " : ""
            let mapped = APIError(error.error)
            throw APIError(mapped.status, mapped.code, place + error.error.message)
        }
    }

    // MARK: - Parameters

    private static func jobFilter(_ request: HTTPRequest) throws -> JobFilter {
        try expectOnly(["state", "kind", "integration", "limit"], in: request)
        var states: [JobState] = []
        // `state=failed,cancelled` or `state=failed&state=cancelled`.
        for name in (request.query["state"] ?? []).flatMap({ $0.split(separator: ",") }) {
            guard let state = JobState(rawValue: String(name)) else {
                throw APIError.badInput(
                    "unknown state '\(name)' (states: \(JobState.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            states.append(state)
        }
        return JobFilter(
            states: states, kind: request.queryValue("kind"), integration: request.queryValue("integration"),
            limit: try integer("limit", in: request, range: 1...1_000_000) ?? 50)
    }

    private static func jobID(_ text: String) throws -> Int64 {
        guard let id = Int64(text), id > 0 else { throw APIError.badInput("'\(text)' is not a job id") }
        return id
    }
}
