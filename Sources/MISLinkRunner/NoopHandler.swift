import Foundation
import MISLinkKit
import MISLinkQueue

/// The `noop` kind: does nothing, or sleeps (`{"sleepMs": 5}`), or fails (`{"fail": "retryable"}`,
/// `{"fail": "permanent"}`), or fails until a given attempt (`{"fail": "retryable", "untilAttempt": 3}`).
/// For health checks, tests and benchmarks: retries and failures can be watched end to end. Its
/// payload reaches nothing outside the job (no file, no network): anyone who can enqueue can send it.
public struct NoopHandler: JobHandler {
    public init() {}

    public func validate(_ payload: JSONPayload) throws(PayloadError) {
        let known: Set<String> = ["sleepMs", "fail", "untilAttempt", "note"]
        if let unknown = payload.object.keys.sorted().first(where: { !known.contains($0) }) {
            throw PayloadError("noop payload key '\(unknown)' is not known (known: \(known.sorted().joined(separator: ", ")))")
        }
        if let sleep = try payload.integer("sleepMs"), sleep < 0 || sleep > 3_600_000 {
            throw PayloadError("noop payload key 'sleepMs' must be from 0 to 3600000")
        }
        if let fail = payload.object["fail"] {
            guard let text = fail as? String, text == "retryable" || text == "permanent" else {
                throw PayloadError("noop payload key 'fail' must be \"retryable\" or \"permanent\"")
            }
        }
        if let until = try payload.integer("untilAttempt"), until < 1 {
            throw PayloadError("noop payload key 'untilAttempt' must be 1 or more")
        }
    }

    public func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        if let sleep = try payload.integer("sleepMs"), sleep > 0 {
            try await Task.sleep(for: .milliseconds(sleep))
        }
        if let fail = payload.string("fail") {
            let until = try payload.integer("untilAttempt")
            if until == nil || job.attempt < until! {
                let message = "noop asked to fail (\(fail)) on attempt \(job.attempt)"
                throw fail == "permanent" ? PluginError.permanent(message) : PluginError.retryable(message)
            }
        }
        return .none
    }
}
