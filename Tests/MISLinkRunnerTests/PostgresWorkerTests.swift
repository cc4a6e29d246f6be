import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkRunner
import MISLinkTestSupport
import PostgresDB
import Testing

/// The worker loop on PostgreSQL: the same loop, its back end and wake-ups chosen by the URL.
@Suite(.serialized, .enabled(if: TestPostgres.isAvailable)) struct PostgresWorkerTests {
    /// `url` with MISLink's own query parameters added.
    private func url(_ url: String, _ options: String) -> String { url + (url.contains("?") ? "&" : "?") + options }

    private func worker(_ location: String, handlers: HandlerRegistry = BuiltInHandlers.registry(), drain: Bool) throws -> Worker {
        var configuration = WorkerConfiguration(database: try QueueDatabase(location))
        configuration.drain = drain
        configuration.leaseMilliseconds = 5_000
        configuration.shutdownGraceMilliseconds = 1_000
        return Worker(configuration: configuration, handlers: handlers, policies: quickPolicies())
    }

    @Test("a draining worker on PostgreSQL runs every job; a handler's bookkeeping commits in the completion's transaction on the PostgreSQL connection")
    func drains() async throws {
        try await TestPostgres.withDatabase { url in
            let store = try PostgresJobStore(url: url)
            _ = try store.enqueue(jobs: (0..<100).map { _ in NewJob(kind: "noop") })
            let booked = try store.enqueue(job: NewJob(kind: "booked")).id
            let server = try PostgresConnection(url: url)
            try server.execute("CREATE TABLE ledger (id bigint NOT NULL)")
            let handlers = BuiltInHandlers.registry()
            handlers.register("booked", EffectHandler())
            let summary = try await worker(url, handlers: handlers, drain: true).run()
            #expect(summary.succeeded == 101)
            #expect(try store.jobPage(matching: JobFilter(states: [.succeeded], limit: 1_000)).jobs.count == 101)
            #expect(try server.execute("SELECT id FROM ledger").rows.map { try $0.int64(0) } == [booked])
            #expect(try store.workers().isEmpty, "the worker deregistered")
        }
    }

    @Test("an idle worker on PostgreSQL is woken by NOTIFY: with its poll an hour apart, a job another process enqueues still runs")
    func notifyWakes() async throws {
        try await TestPostgres.withDatabase { base in
            let store = try PostgresJobStore(url: base)
            let running = try worker(url(base, "mislink_poll_ms=3600000"), drain: false)
            let run = Task { try await running.run() }
            defer { running.requestStop(.immediate) }
            try await waitUntil("the worker to register") { try !store.workers().isEmpty }
            for round in 0..<3 {
                let id = try store.enqueue(job: NewJob(kind: "noop", payload: #"{"round": \#(round)}"#)).id
                try await waitUntil("job \(id) to run") { try store.job(id: id)?.state == .succeeded }
            }
            running.requestStop(.immediate)
            #expect(try await run.value.succeeded == 3)
        }
    }

    @Test("poll-only wake-ups (mislink_wakeups=poll, for PgBouncer in transaction mode) find new work by polling")
    func pollOnly() async throws {
        try await TestPostgres.withDatabase { base in
            let store = try PostgresJobStore(url: url(base, "mislink_wakeups=poll&mislink_poll_ms=20"))
            let running = try worker(url(base, "mislink_wakeups=poll&mislink_poll_ms=20"), drain: false)
            let run = Task { try await running.run() }
            defer { running.requestStop(.immediate) }
            try await waitUntil("the worker to register") { try !store.workers().isEmpty }
            let id = try store.enqueue(job: NewJob(kind: "noop")).id
            try await waitUntil("job \(id) to run") { try store.job(id: id)?.state == .succeeded }
            running.requestStop(.immediate)
            #expect(try await run.value.succeeded == 1)
        }
    }

    @Test("a URL parameter of MISLink's that is wrong is refused by name, before any connection")
    func badOption() throws {
        for (option, message) in [
            ("mislink_wakeups=sometimes", "mislink_wakeups must be 'listen' or 'poll'"),
            ("mislink_poll_ms=0", "mislink_poll_ms must be a whole number"), ("mislink_pool=3", "unknown MISLink URL parameter 'mislink_pool'"),
        ] {
            let error = try #require(throws: PostgresError.self) {
                try PostgresQueueOptions(PostgresURL("postgresql://u:secret-pw@127.0.0.1:1/db?" + option))
            }
            #expect(error.message.contains(message), "\(error.message)")
            #expect(!error.message.contains("secret-pw"))
        }
        let options = try PostgresQueueOptions(PostgresURL("postgresql://u@h:1/db?sslmode=disable&mislink_wakeups=poll"))
        #expect(options.wakeUps == .pollOnly)
        #expect(options.pollMilliseconds == 100)
        #expect(options.connectionURL.connectionString == "postgresql://u@h:1/db?sslmode=disable")
    }
}

/// Succeeds with bookkeeping that records the job in `ledger`, through the PostgreSQL handle.
private struct EffectHandler: JobHandler {
    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        let id = job.id
        return JobResult(effect: { transaction in
            guard let connection = transaction as? PostgresConnection else { throw HandlerError(.permanent, code: "test", "not PostgreSQL") }
            try connection.execute("INSERT INTO ledger VALUES ($1)", [id])
        })
    }
}
