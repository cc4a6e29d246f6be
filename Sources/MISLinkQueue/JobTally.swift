/// Counter increments and histogram observations gathered while a transaction changes jobs, written
/// by `JobStore.record(_:)` in one statement per 16 rows (a batch of one kind and queue has five).
struct JobTally {
    /// One kind and queue's increments. A batch nearly always holds one or two, so they are found
    /// by a linear search and the buckets are fixed arrays: no hashing per job on the hot path.
    private struct Group {
        let kind: String
        let queue: String
        var counters: [(name: String, value: Int64)] = []
        var duration = [Int64](repeating: 0, count: JobMetrics.bucketBounds.count + 1)
        var wait = [Int64](repeating: 0, count: JobMetrics.bucketBounds.count + 1)
        var durationSum: Int64 = 0
        var waitSum: Int64 = 0
        var runs = 0
    }

    private var groups: [Group] = []

    var isEmpty: Bool { groups.isEmpty }

    private mutating func group(kind: String, queue: String) -> Int {
        if let index = groups.firstIndex(where: { $0.kind == kind && $0.queue == queue }) { return index }
        groups.append(Group(kind: kind, queue: queue))
        return groups.count - 1
    }

    mutating func add(_ name: String, kind: String, queue: String, by amount: Int64 = 1) {
        let index = group(kind: kind, queue: queue)
        if let slot = groups[index].counters.firstIndex(where: { $0.name == name }) {
            groups[index].counters[slot].value += amount
        } else {
            groups[index].counters.append((name, amount))
        }
    }

    /// One finished attempt: its run time (finish − start) and how long it waited to start (start −
    /// run-at). A run with no start time (cancelled before it ran) has neither.
    mutating func observeRun(kind: String, queue: String, startedAt: Int64?, runAt: Int64, finishedAt: Int64) {
        guard let startedAt else { return }
        let index = group(kind: kind, queue: queue)
        let duration = max(0, finishedAt - startedAt), wait = max(0, startedAt - runAt)
        groups[index].duration[Self.bucket(duration)] += 1
        groups[index].wait[Self.bucket(wait)] += 1
        groups[index].durationSum += duration
        groups[index].waitSum += wait
        groups[index].runs += 1
    }

    private static func bucket(_ milliseconds: Int64) -> Int {
        JobMetrics.bucketBounds.firstIndex { milliseconds <= $0 } ?? JobMetrics.bucketBounds.count
    }

    /// One row of `job_counters` to add to.
    struct Row {
        let kind: String
        let queue: String
        let name: String
        /// A bucket's upper bound; `JobMetrics.plainCounter` for a counter or a sum.
        let le: Int64
        let value: Int64
    }

    /// The rows to add: counters, then (for groups with runs) sums and the buckets that were hit.
    var rows: [Row] {
        var rows: [Row] = []
        for group in groups {
            func row(_ name: String, _ le: Int64, _ value: Int64) {
                rows.append(Row(kind: group.kind, queue: group.queue, name: name, le: le, value: value))
            }
            for counter in group.counters { row(counter.name, JobMetrics.plainCounter, counter.value) }
            guard group.runs > 0 else { continue }
            row(JobMetrics.durationMetric + JobMetrics.sumSuffix, JobMetrics.plainCounter, group.durationSum)
            row(JobMetrics.waitMetric + JobMetrics.sumSuffix, JobMetrics.plainCounter, group.waitSum)
            for (metric, counts) in [(JobMetrics.durationMetric, group.duration), (JobMetrics.waitMetric, group.wait)] {
                for (index, count) in counts.enumerated() where count > 0 {
                    row(metric, index < JobMetrics.bucketBounds.count ? JobMetrics.bucketBounds[index] : JobMetrics.infinity, count)
                }
            }
        }
        return rows
    }
}
