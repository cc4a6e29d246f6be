import Foundation
import MISLinkHTTP
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import Synchronization

/// `/api/jobs…`: list (keyset pages), count, show, enqueue (one or a batch), and retry, cancel and
/// discard of one job, a list of ids or everything matching a filter.
extension Console {
    func jobsAPI(_ request: HTTPRequest, _ path: [String]) async -> HTTPResponse {
        let method = request.method
        let jobs = self.jobs
        switch path {
        case []:
            switch method {
            case "GET": return await listJobs(request)
            case "POST":
                return await answer { try Self.enqueue(request.body, jobs: jobs) }
            default: return Self.notAllowed(["GET", "POST"], api: true)
            }
        case ["count"]:
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer {
                let filter = try Self.jobFilter(request.query, paged: false, place: "")
                return (200, JobJSON.object(try jobs.count(matching: filter)))
            }
        case ["retry"] where request.body.isEmpty:
            // The first form, kept as it was: every failed job, narrowed by the query.
            guard method == "POST" else { return Self.notAllowed(["POST"], api: true) }
            return await answer {
                try Self.expectOnly(["kind", "integration"], in: request)
                let report = try jobs.retryAllFailed(kind: request.queryValue("kind"), integration: request.queryValue("integration"))
                return (200, JobJSON.object(report))
            }
        case ["retry"], ["cancel"], ["discard"]:
            guard method == "POST" else { return Self.notAllowed(["POST"], api: true) }
            let action = BulkReport.Action(rawValue: path[0])!
            return await answer {
                try Self.expectOnly([], in: request)
                let selection = try Self.selection(request.body)
                let report: BulkReport
                switch action {
                case .retry: report = try jobs.retry(selection)
                case .cancel: report = try jobs.cancel(selection)
                case .discard: report = try jobs.discard(selection)
                }
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
        case _ where path.count == 2 && path[1] == "discard":
            guard method == "POST" else { return Self.notAllowed(["POST"], api: true) }
            return await answer {
                let id = try Self.jobID(path[0])
                try jobs.discard(id: id)
                return (200, ["id": id, "discarded": true])
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

    // MARK: - Lists

    /// The list stays a plain array; the next page is in the headers: `Link: </api/jobs?…&before=N>;
    /// rel="next"` (RFC 8288) and `X-Next-Before: N`, both absent on the last page.
    private func listJobs(_ request: HTTPRequest) async -> HTTPResponse {
        let jobs = self.jobs
        let next = NextPage()
        var response = await answer {
            let page = try jobs.jobPage(matching: try Self.jobFilter(request.query, paged: true, place: ""))
            next.set(page.nextBefore)
            return (200, page.jobs.map(JobJSON.object))
        }
        if response.status == 200, let before = next.value {
            var query = request.query
            query["before"] = [String(before)]
            response.headers.set("Link", "<\(request.path)?\(Self.queryString(query))>; rel=\"next\"")
            response.headers.set("X-Next-Before", String(before))
        }
        return response
    }

    /// The next page's `before`, handed out of the blocking call.
    private final class NextPage: Sendable {
        private let before = Mutex<Int64?>(nil)
        var value: Int64? { before.withLock { $0 } }
        func set(_ value: Int64?) { before.withLock { $0 = value } }
    }

    private static func queryString(_ query: [String: [String]]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return query.keys.sorted().flatMap { name in query[name, default: []].map { "\(encoded(name))=\(encoded($0))" } }
            .joined(separator: "&")
    }

    // MARK: - Parameters

    private static let filterNames: Set<String> = ["state", "kind", "queue", "integration", "q"]

    /// A filter from the query (`paged`: with `before` and `limit`) or from a bulk body's `filter`
    /// (`place` names it in messages). Unknown names are refused: a mistyped one would widen an action.
    private static func jobFilter(_ values: [String: [String]], paged: Bool, place: String) throws -> JobFilter {
        let known = filterNames.union(paged ? ["before", "limit"] : [])
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.badInput("unknown \(place)parameter '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        var states: [JobState] = []
        // `state=failed,cancelled` or `state=failed&state=cancelled`.
        for name in (values["state"] ?? []).flatMap({ $0.split(separator: ",") }) {
            guard let state = JobState(rawValue: String(name)) else {
                throw APIError.badInput(
                    "unknown state '\(name)' (states: \(JobState.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            states.append(state)
        }
        func number(_ name: String, _ range: ClosedRange<Int64>) throws -> Int64? {
            guard let text = values[name]?.first else { return nil }
            guard let value = Int64(text), range.contains(value) else {
                throw APIError.badInput("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
            }
            return value
        }
        return JobFilter(
            states: states, kind: values["kind"]?.first, queue: values["queue"]?.first,
            integration: values["integration"]?.first, search: values["q"]?.first, before: try number("before", 1...Int64.max),
            limit: Int(try number("limit", 1...1_000_000) ?? 50))
    }

    /// A bulk action's body: `{"ids": [1, 2]}` or `{"filter": {"state": "failed", …}, "upTo": 123}`,
    /// where `upTo` is the bound `GET /api/jobs/count` answered, so jobs enqueued since are left alone.
    private static func selection(_ body: Data) throws -> JobSelection {
        let shape = #"the body must be {"ids": [ID, …]} or {"filter": {state, kind, queue, integration, q}, "upTo": ID}"#
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw APIError.badInput(shape)
        }
        if let unknown = object.keys.sorted().first(where: { !["ids", "filter", "upTo"].contains($0) }) {
            throw APIError.badInput("unknown key '\(unknown)': \(shape)")
        }
        switch (object["ids"], object["filter"]) {
        case (let ids?, nil):
            guard object["upTo"] == nil else { throw APIError.badInput("\"upTo\" goes with \"filter\", not with \"ids\"") }
            guard let list = ids as? [Any], !list.isEmpty else { throw APIError.badInput("\"ids\" must be a non-empty array of job ids") }
            return .ids(try list.map { try positiveID($0, "\"ids\"") })
        case (nil, let filter?):
            guard let fields = filter as? [String: Any] else { throw APIError.badInput("\"filter\" must be an object: \(shape)") }
            guard let upTo = object["upTo"] else {
                throw APIError.badInput("a filter needs \"upTo\": the upTo that GET /api/jobs/count answered for it")
            }
            var values: [String: [String]] = [:]
            for (name, value) in fields {
                switch value {
                case let text as String: values[name] = [text]
                case let list as [Any] where name == "state" && list.allSatisfy({ $0 is String }): values[name] = list.map { "\($0)" }
                default: throw APIError.badInput("filter field '\(name)' must be text")
                }
            }
            return .matching(try jobFilter(values, paged: false, place: "filter "), upToID: try positiveID(upTo, "\"upTo\""))
        default:
            throw APIError.badInput(shape)
        }
    }

    private static func positiveID(_ value: Any, _ name: String) throws -> Int64 {
        guard !JSONPayload.isBoolean(value), let id = value as? Int64, id > 0
        else { throw APIError.badInput("\(name) must hold whole positive job ids, not \(value)") }
        return id
    }

    private static func jobID(_ text: String) throws -> Int64 {
        guard let id = parsedJobID(text) else { throw APIError.badInput("'\(text)' is not a job id") }
        return id
    }

    /// A job id in a path: a positive whole number (the API and the pages answer their own errors).
    static func parsedJobID(_ text: String) -> Int64? {
        guard let id = Int64(text), id > 0 else { return nil }
        return id
    }
}
