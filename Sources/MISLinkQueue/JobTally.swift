/// Counter increments, histogram observations, state-count changes and activity gathered while a
/// transaction changes jobs, written by `JobStore.record(_:)` in one statement per 16 counter rows (a
/// worker's exchange of one kind and queue has about eight) and one per activity bucket.
package struct JobTally {
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
        /// Net change of the number of jobs in each state, by `JobState.counterSlot`.
        var states = [Int64](repeating: 0, count: JobState.allCases.count)
    }

    /// Jobs of one kind that ended (succeeded, or failed for good) in one clock hour.
    package struct Activity: Equatable {
        package let hourStart: Int64
        package let kind: String
        package var succeeded: Int64 = 0
        package var failed: Int64 = 0
    }

    private var groups: [Group] = []
    package private(set) var activity: [Activity] = []

    package init() {}

    package var isEmpty: Bool { groups.isEmpty && activity.isEmpty }

    private mutating func group(kind: String, queue: String) -> Int {
        if let index = groups.firstIndex(where: { $0.kind == kind && $0.queue == queue }) { return index }
        groups.append(Group(kind: kind, queue: queue))
        return groups.count - 1
    }

    package mutating func add(_ name: String, kind: String, queue: String, by amount: Int64 = 1) {
        let index = group(kind: kind, queue: queue)
        if let slot = groups[index].counters.firstIndex(where: { $0.name == name }) {
            groups[index].counters[slot].value += amount
        } else {
            groups[index].counters.append((name, amount))
        }
    }

    /// Jobs that went from one state to another; nil `from` for an insert, nil `to` for a delete.
    mutating func move(kind: String, queue: String, from: JobState?, to: JobState?, count: Int64 = 1) {
        guard from != to else { return }
        let index = group(kind: kind, queue: queue)
        if let from { groups[index].states[from.counterSlot] -= count }
        if let to { groups[index].states[to.counterSlot] += count }
    }

    /// A job that ended for good at `now` (milliseconds): its hour's activity bucket. Only successes
    /// and final failures are charted; a cancel or a retry is not.
    mutating func ended(kind: String, as state: JobState, at now: Int64) {
        guard state == .succeeded || state == .failed else { return }
        let hourStart = Self.hourStart(of: now)
        let index: Int
        if let found = activity.firstIndex(where: { $0.hourStart == hourStart && $0.kind == kind }) {
            index = found
        } else {
            activity.append(Activity(hourStart: hourStart, kind: kind))
            index = activity.count - 1
        }
        if state == .succeeded { activity[index].succeeded += 1 } else { activity[index].failed += 1 }
    }

    /// How a running job's attempt ended (`to`: succeeded, retryable, failed or cancelled): its
    /// outcome's counter, its run time and wait, its move out of `running`, and its hour's activity.
    package mutating func recordEnd(kind: String, queue: String, as state: JobState, startedAt: Int64?, runAt: Int64, now: Int64) {
        add(Self.outcomeCounter(state), kind: kind, queue: queue)
        observeRun(kind: kind, queue: queue, startedAt: startedAt, runAt: runAt, finishedAt: now)
        move(kind: kind, queue: queue, from: .running, to: state)
        ended(kind: kind, as: state, at: now)
    }

    mutating func recordEnd(_ job: JobStore.RunningJob, as state: JobState, now: Int64) {
        recordEnd(kind: job.kind, queue: job.queue, as: state, startedAt: job.startedAt, runAt: job.runAt, now: now)
    }

    /// The lasting counter of an attempt that ended in `state`.
    private static func outcomeCounter(_ state: JobState) -> String {
        switch state {
        case .succeeded: JobMetrics.succeeded
        case .failed: JobMetrics.failed
        case .cancelled: JobMetrics.cancelled
        default: JobMetrics.retried
        }
    }

    package static let hour: Int64 = 3_600_000

    /// The start of the clock hour (UTC) that holds `time`.
    package static func hourStart(of time: Int64) -> Int64 { time - ((time % hour) + hour) % hour }

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
    package struct Row {
        package let kind: String
        package let queue: String
        package let name: String
        /// A bucket's upper bound; `JobMetrics.plainCounter` for a counter or a sum.
        package let le: Int64
        package let value: Int64
    }

    /// The rows to add: counters, state changes that did not cancel out, then (for groups with runs)
    /// sums and the buckets that were hit.
    package var rows: [Row] {
        var rows: [Row] = []
        for group in groups {
            func row(_ name: String, _ le: Int64, _ value: Int64) {
                rows.append(Row(kind: group.kind, queue: group.queue, name: name, le: le, value: value))
            }
            for counter in group.counters { row(counter.name, JobMetrics.plainCounter, counter.value) }
            for (slot, change) in group.states.enumerated() where change != 0 {
                row(JobMetrics.stateCounterNames[slot], JobMetrics.plainCounter, change)
            }
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
