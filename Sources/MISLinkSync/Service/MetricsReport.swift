import MISLinkKit
import MISLinkQueue

/// The `/metrics` page: the queue's and the integrations' figures in Prometheus text format 0.0.4.
///
/// Built from a handful of rows (counters, histogram buckets, partial-index counts), never from a
/// scan of the jobs. Labels are kinds, queues, states, integrations and roles only: each a short,
/// admin-made list, never a job id, a person or error text.
public struct MetricsReport: Sendable {
    public var jobs: JobMetrics
    public var queues: [QueueSummary]
    public var workers: Int
    public var integrations: [(id: String, status: IntegrationStatus)]
    public var intake: [(integration: String, role: PersonRole, count: Int)]
    /// Sums of each integration's import history.
    public var imports: [ImportFigures]
    /// The mass-leaver guard's stops, per integration.
    public var guardTrips: [(integration: String, trips: Int)]
    public var version: String
    /// Milliseconds since the epoch: what the queues' ages are measured against.
    public var now: Int64

    /// The version `mislink_build_info` reports when the caller names none.
    public static let defaultVersion = MISLinkVersion.current

    public init(
        jobs: JobMetrics, queues: [QueueSummary], workers: Int, integrations: [(id: String, status: IntegrationStatus)],
        intake: [(integration: String, role: PersonRole, count: Int)], imports: [ImportFigures] = [],
        guardTrips: [(integration: String, trips: Int)] = [], version: String = Self.defaultVersion, now: Int64
    ) {
        self.imports = imports
        self.guardTrips = guardTrips
        self.jobs = jobs
        self.queues = queues
        self.workers = workers
        self.integrations = integrations
        self.intake = intake
        self.version = version
        self.now = now
    }

    /// The page's content type.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public var text: String {
        var page = PrometheusPage()
        jobFamilies(&page)
        queueFamilies(&page)
        histogram(
            &page, "mislink_job_duration_seconds", "How long finished attempts ran, by kind.", metric: JobMetrics.durationMetric,
            labels: { kind, _ in ["kind": kind] })
        histogram(
            &page, "mislink_job_queue_wait_seconds", "How long jobs waited from their run-at to their start, by kind and queue.",
            metric: JobMetrics.waitMetric, labels: { kind, queue in ["kind": kind, "queue": queue] })
        page.family("mislink_workers", "gauge", "Registered worker processes.", [([:], Double(workers))])
        page.family(
            "mislink_integration_status", "gauge", "1 for each integration's current status, 0 for the others.",
            integrations.flatMap { integration in
                IntegrationStatus.allCases.map {
                    (["integration": integration.id, "status": $0.rawValue], integration.status == $0 ? 1 : 0)
                }
            })
        var open: [String: Int] = [:]
        for entry in intake { open[entry.integration + "\u{0}" + entry.role.rawValue] = entry.count }
        page.family(
            "mislink_intake_pending", "gauge", "Open intake entries waiting for an admin, by integration and role.",
            integrations.flatMap { integration in
                PersonRole.allCases.map {
                    (["integration": integration.id, "role": $0.rawValue], Double(open[integration.id + "\u{0}" + $0.rawValue] ?? 0))
                }
            })
        page.family(
            "mislink_integration_last_import_success_timestamp_seconds", "gauge",
            "When each integration's last successful initial upload or nightly import finished (Unix time).",
            imports.compactMap { figures in
                figures.lastSuccessAt.map { (["integration": figures.integration], Double($0) / 1000) }
            })
        page.family(
            "mislink_import_records_total", "counter",
            "Records the integration's imports changed, by action (added, updated, leavers, intake); kept through pruning.",
            imports.flatMap { figures in
                [("added", figures.added), ("updated", figures.updated), ("leavers", figures.leavers), ("intake", figures.toIntake)]
                    .map { (["integration": figures.integration, "action": $0.0], Double($0.1)) }
            })
        var trips: [String: Int] = [:]
        for entry in guardTrips { trips[entry.integration] = entry.trips }
        page.family(
            "mislink_import_guard_trips_total", "counter",
            "Imports the mass-leaver guard stopped, by integration; kept through pruning.",
            integrations.map { (["integration": $0.id], Double(trips[$0.id] ?? 0)) })
        page.family("mislink_build_info", "gauge", "The running build; always 1.", [(["version": version], 1)])
        return page.text
    }

    private func jobFamilies(_ page: inout PrometheusPage) {
        var states = jobs.states.map { (["state": $0.state.rawValue, "kind": $0.kind, "queue": $0.queue], Double($0.count)) }
        // Finished jobs are mostly pruned away: their figure is the lasting total, not what is left.
        for counter in jobs.counters where counter.name == JobMetrics.succeeded || counter.name == JobMetrics.cancelled {
            states.append((["state": counter.name, "kind": counter.kind, "queue": counter.queue], Double(counter.value)))
        }
        page.family(
            "mislink_jobs", "gauge",
            "Jobs by state, kind and queue: pending and failed jobs as they are now; succeeded and cancelled as totals kept through pruning.",
            states)
        page.family(
            "mislink_jobs_enqueued_total", "counter", "Jobs enqueued, by kind and queue.",
            jobs.counters.filter { $0.name == JobMetrics.enqueued }.map { (["kind": $0.kind, "queue": $0.queue], Double($0.value)) })
        let outcomes = [JobMetrics.succeeded, JobMetrics.failed, JobMetrics.cancelled]
        page.family(
            "mislink_jobs_completed_total", "counter", "Jobs that ended, by kind, queue and outcome (succeeded, failed, cancelled).",
            jobs.counters.filter { outcomes.contains($0.name) }.map {
                (["kind": $0.kind, "queue": $0.queue, "outcome": $0.name], Double($0.value))
            })
        var rescued: [String: Int64] = [:]
        for counter in jobs.counters where counter.name == JobMetrics.rescued { rescued[counter.kind, default: 0] += counter.value }
        page.family(
            "mislink_jobs_rescued_total", "counter", "Runs that ended without a report (their worker died or lost its lease), by kind.",
            rescued.sorted { $0.key < $1.key }.map { (["kind": $0.key], Double($0.value)) })
    }

    private func queueFamilies(_ page: inout PrometheusPage) {
        page.family(
            "mislink_queue_oldest_job_age_seconds", "gauge", "How long the oldest available job of each queue has waited (0: none waits).",
            queues.map { (["queue": $0.name], Double(max(0, $0.oldestAvailableRunAt.map { now - $0 } ?? 0)) / 1000) })
        page.family(
            "mislink_queue_paused", "gauge", "1 if workers claim nothing from the queue (an admin paused it), else 0.",
            queues.map { (["queue": $0.name], $0.isPaused ? 1 : 0) })
    }

    /// A histogram from the stored per-bucket counts, summed over the label sets `labels` merges
    /// (duration by kind adds up its queues), with cumulative buckets, `_sum` and `_count`.
    private func histogram(
        _ page: inout PrometheusPage, _ name: String, _ help: String, metric: String,
        labels: (_ kind: String, _ queue: String) -> [String: String]
    ) {
        struct Series {
            var labels: [String: String]
            var counts: [Int64: Int64] = [:]
            var sumMilliseconds: Int64 = 0
        }
        var series: [[String: String]: Series] = [:]
        for bucket in jobs.buckets where bucket.metric == metric {
            let key = labels(bucket.kind, bucket.queue)
            series[key, default: Series(labels: key)].counts[bucket.le, default: 0] += bucket.count
        }
        for counter in jobs.counters where counter.name == metric + JobMetrics.sumSuffix {
            let key = labels(counter.kind, counter.queue)
            series[key, default: Series(labels: key)].sumMilliseconds += counter.value
        }
        var samples: [(suffix: String, labels: [String: String], value: Double)] = []
        for one in series.values.sorted(by: { PrometheusPage.labelText($0.labels) < PrometheusPage.labelText($1.labels) }) {
            var cumulative: Int64 = 0
            for bound in JobMetrics.bucketBounds + [JobMetrics.infinity] {
                cumulative += one.counts[bound] ?? 0
                let le = bound == JobMetrics.infinity ? "+Inf" : PrometheusPage.number(Double(bound) / 1000)
                samples.append(("_bucket", one.labels.merging(["le": le]) { $1 }, Double(cumulative)))
            }
            samples.append(("_sum", one.labels, Double(one.sumMilliseconds) / 1000))
            samples.append(("_count", one.labels, Double(cumulative)))
        }
        page.histogram(name, help, samples)
    }
}
