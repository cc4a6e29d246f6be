/// Counter increments and histogram observations gathered while a transaction changes jobs, written
/// by `JobStore.record(_:)` in one statement however many jobs and (kind, queue) pairs it holds.
struct JobTally {
    struct Key: Hashable {
        let kind: String
        let queue: String
        let name: String
        /// A bucket's upper bound; `JobMetrics.plainCounter` for a counter or a sum.
        let le: Int64
    }

    private(set) var values: [Key: Int64] = [:]

    var isEmpty: Bool { values.isEmpty }

    mutating func add(_ name: String, kind: String, queue: String, by amount: Int64 = 1) {
        values[Key(kind: kind, queue: queue, name: name, le: JobMetrics.plainCounter), default: 0] += amount
    }

    /// One finished attempt: its run time (finish − start) and how long it waited to start (start −
    /// run-at). A run with no start time (cancelled before it ran) has neither.
    mutating func observeRun(kind: String, queue: String, startedAt: Int64?, runAt: Int64, finishedAt: Int64) {
        guard let startedAt else { return }
        observe(JobMetrics.durationMetric, kind: kind, queue: queue, milliseconds: max(0, finishedAt - startedAt))
        observe(JobMetrics.waitMetric, kind: kind, queue: queue, milliseconds: max(0, startedAt - runAt))
    }

    private mutating func observe(_ metric: String, kind: String, queue: String, milliseconds: Int64) {
        let le = JobMetrics.bucketBounds.first { milliseconds <= $0 } ?? JobMetrics.infinity
        values[Key(kind: kind, queue: queue, name: metric, le: le), default: 0] += 1
        add(metric + JobMetrics.sumSuffix, kind: kind, queue: queue, by: milliseconds)
    }

    /// The rows as a JSON array of [kind, queue, name, le, value], for `json_each`.
    var json: String {
        "[" + values.map { "[\(Self.json($0.key.kind)),\(Self.json($0.key.queue)),\(Self.json($0.key.name)),\($0.key.le),\($0.value)]" }
            .joined(separator: ",") + "]"
    }
    /// A JSON string literal. Kinds and queues are plain names in practice; the store does not rely on it.
    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
