import Foundation
import MISLinkHTTP
import MISLinkQueue
import MISLinkSync

/// The JSON API under `/api/`: the same lists and actions as the command line's `--json`, through
/// the same service calls. Every refusal is `{"error": code, "message": "..."}`.
extension Console {
    func api(_ request: HTTPRequest) async -> HTTPResponse {
        let segments = request.path.split(separator: "/").dropFirst().map(String.init)
        let method = request.method
        let jobs = self.jobs
        let integrations = self.integrations
        switch segments {
        case ["jobs"]:
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
        case ["jobs", "retry"]:
            guard method == "POST" else { return Self.notAllowed(["POST"], api: true) }
            return await answer {
                try Self.expectOnly(["kind", "integration"], in: request)
                let report = try jobs.retryAllFailed(kind: request.queryValue("kind"), integration: request.queryValue("integration"))
                return (200, JobJSON.object(report))
            }
        case _ where segments.first == "jobs" && segments.count == 2:
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer { (200, JobJSON.object(try jobs.job(id: try Self.jobID(segments[1])))) }
        case _ where segments.first == "jobs" && segments.count == 3 && segments[2] == "retry":
            guard method == "POST" else { return Self.notAllowed(["POST"], api: true) }
            return await answer {
                let id = try Self.jobID(segments[1])
                try jobs.retry(id: id)
                return (200, ["id": id, "state": JobState.available.rawValue])
            }
        case _ where segments.first == "jobs" && segments.count == 3 && segments[2] == "cancel":
            guard method == "POST" else { return Self.notAllowed(["POST"], api: true) }
            return await answer {
                let id = try Self.jobID(segments[1])
                switch try jobs.cancel(id: id) {
                case .cancelled: return (200, ["id": id, "state": JobState.cancelled.rawValue])
                case .requested: return (202, ["id": id, "state": JobState.running.rawValue, "cancelRequested": true])
                }
            }
        case ["integrations"]:
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer { (200, try integrations.integrations().map(IntegrationJSON.object)) }
        case _ where segments.first == "integrations" && segments.count == 2:
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer { (200, IntegrationJSON.object(try integrations.integration(segments[1]))) }
        case _ where segments.first == "integrations" && segments.count == 3 && segments[2] == "imports":
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer {
                try Self.expectOnly(["limit"], in: request)
                let limit = try Self.integer("limit", in: request, range: 1...100_000) ?? 50
                return (200, try integrations.imports(segments[1], limit: limit).map(IntegrationJSON.object))
            }
        case ["intake"]:
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer {
                try Self.expectOnly(["integration", "all"], in: request)
                let all = try Self.boolean("all", in: request) ?? false
                let entries = try integrations.intake(integration: request.queryValue("integration"), includeResolved: all)
                return (200, entries.map(IntegrationJSON.object))
            }
        default:
            return APIError(404, "not-found", "there is no API at \(request.path)").response
        }
    }

    /// Runs a service call off the cooperative pool and answers its JSON, or its error.
    private func answer(_ body: @escaping @Sendable () throws -> (Int, Any)) async -> HTTPResponse {
        let outcome: Result<(Int, Data), APIError> = await BlockingWork.run {
            do {
                let (status, value) = try body()
                return .success((status, ConsoleJSON.data(value)))
            } catch let error as APIError {
                return .failure(error)
            } catch let error as SyncError {
                return .failure(APIError(error))
            } catch {
                return .failure(APIError(500, "failed", OneLine.text("\(error)")))
            }
        }
        switch outcome {
        case .success(let (status, data)): return .json(status, data)
        case .failure(let error): return error.response
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

    /// A mistyped parameter must not be ignored: a "retry all" with `integraton=x` would retry all.
    private static func expectOnly(_ names: Set<String>, in request: HTTPRequest) throws {
        if let unknown = request.query.keys.sorted().first(where: { !names.contains($0) }) {
            throw APIError.badInput(
                "unknown parameter '\(unknown)' for \(request.path) (known: \(names.sorted().joined(separator: ", ")))")
        }
    }

    private static func integer(_ name: String, in request: HTTPRequest, range: ClosedRange<Int>) throws -> Int? {
        guard let text = request.queryValue(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badInput("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return value
    }

    private static func boolean(_ name: String, in request: HTTPRequest) throws -> Bool? {
        switch request.queryValue(name) {
        case nil: return nil
        case "true", "1": return true
        case "false", "0": return false
        case let text?: throw APIError.badInput("\(name) must be true or false, not '\(text)'")
        }
    }
}
