import Foundation
import MISLinkConsole
import MISLinkHTTP
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import MISLinkTestSupport
import SQLiteDB
import Synchronization

/// The console's figures (`mislink-bench --console`): server time of its busiest answers on a queue of
/// 1,000,000 jobs, requests per second from 50 clients over loopback, and the workers' throughput
/// while `/metrics` is scraped every second.
enum ConsoleBenchmarks {
    /// Any value does: the console compares it with what each request sends.
    static let token = "mislink-bench-console-token"

    static func run(jobs total: Int = 1_000_000) async throws {
        say("== console: server time on \(total + 10_000) jobs (\(total - 100_000) waiting, 100000 done, 10000 failed)")
        let path = try freshDatabase()
        defer { removeDatabase(path) }
        let filling = try seconds { try MetricsBenchmark.fillQueue(path: path, jobs: total) }
        say(String(format: "(queue built in %.1f s)", filling))
        let console = Console(environment: SyncEnvironment(databasePath: path, plugins: PluginRegistry()), token: token)
        for (path, query) in [
            ("/jobs", ["state": ["failed"]]), ("/api/jobs", ["state": ["failed"]]), ("/", [:]), ("/metrics", [:]),
        ] {
            try await serverTime(console, path: path, query: query)
        }

        say("\n== console: requests per second, 50 clients with keep-alive over loopback, against HTTPServer")
        let server = try HTTPServer(host: "127.0.0.1", port: 0) { request in await console.handle(request) }
        server.start()
        defer { server.stop() }
        for path in ["/healthz", "/"] {
            try await requestsPerSecond(port: server.port, path: path, clients: 50, seconds: 5)
        }

        say("\n== console: noop throughput (concurrency 4, 200,000 jobs a run) with /metrics scraped every second, against none")
        try await throughputWhileScraped(jobs: 200_000, repetitions: 3)
    }

    /// `Console.handle` in-process, 20 times: what the server spends on one answer, without the socket.
    static func serverTime(_ console: Console, path: String, query: [String: [String]]) async throws {
        let request = HTTPRequest(
            method: "GET", path: path, query: query, headers: HTTPHeaders([("Authorization", "Bearer \(token)")]))
        var times: [Double] = []
        var last = HTTPResponse(status: 0)
        for _ in 0..<20 {
            let start = DispatchTime.now().uptimeNanoseconds
            last = await console.handle(request)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        let shown = path + (query.isEmpty ? "" : "?" + query.map { "\($0.key)=\($0.value.joined(separator: ","))" }.joined(separator: "&"))
        say(shown.padding(toLength: 22, withPad: " ", startingAt: 0) + String(
            format: " p50 %7.1f ms, max %7.1f ms (status %d, %d bytes)", percentile(times, 0.5), times.last!, last.status,
            last.body.count))
    }

    /// `clients` threads, each with one kept-alive connection, asking for `path` for `seconds`.
    static func requestsPerSecond(port: UInt16, path: String, clients: Int, seconds: Double) async throws {
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n\r\n"
        let tally = Tally()
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let start = DispatchTime.now().uptimeNanoseconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    try await onOwnThread {
                        var client = try RawHTTPClient(port: port)
                        var latencies: [Double] = []
                        var failures = 0
                        // Bounded in time and in count: a benchmark stops by itself.
                        while DispatchTime.now().uptimeNanoseconds < deadline && latencies.count < 1_000_000 {
                            let sent = DispatchTime.now().uptimeNanoseconds
                            guard client.send(request), let response = try client.readResponse() else {
                                client = try RawHTTPClient(port: port)  // the server closed it: a new one
                                failures += 1
                                continue
                            }
                            if response.status != 200 { failures += 1 }
                            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e6)
                        }
                        tally.add(latencies, failures: failures)
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let (latencies, failures) = tally.result
        let sorted = latencies.sorted()
        say(path.padding(toLength: 10, withPad: " ", startingAt: 0) + String(
            format: " %8.0f requests/s (%d in %.1f s; latency p50 %.1f ms, p99 %.1f ms; %d not 200 or dropped)",
                   Double(sorted.count) / elapsed, sorted.count, elapsed,
                   percentile(sorted, 0.5), percentile(sorted, 0.99), failures))
    }

    /// Drains of `jobs` noop jobs by a worker beside a running console, alternately scraped every
    /// second and not (ABBA order across repetitions, so drift on a noisy machine falls on both).
    static func throughputWhileScraped(jobs: Int, repetitions: Int) async throws {
        var plain: [Double] = []
        var scraped: [Double] = []
        var scrapes: [Int] = []
        for repetition in 0..<repetitions {
            for scrape in repetition % 2 == 0 ? [false, true] : [true, false] {
                let (rate, count) = try await drain(jobs: jobs, scrapeEverySecond: scrape)
                if scrape {
                    scraped.append(rate)
                    scrapes.append(count)
                } else {
                    plain.append(rate)
                }
            }
        }
        let plainMedian = percentile(plain.sorted(), 0.5)
        let scrapedMedian = percentile(scraped.sorted(), 0.5)
        func runs(_ rates: [Double]) -> String { rates.map { String(format: "%.0f", $0) }.joined(separator: ", ") }
        say(String(format: "not scraped: median %.0f jobs/s", plainMedian) + " (runs: \(runs(plain)))")
        say(String(format: "scraped 1/s: median %.0f jobs/s", scrapedMedian)
            + " (runs: \(runs(scraped)); scrapes per run: \(scrapes.map(String.init).joined(separator: ", ")))")
        say(String(format: "ratio scraped / not scraped: %.3f", scrapedMedian / plainMedian))
    }

    /// One drain with the console serving the same database; the scraper, when on, is a real HTTP
    /// client on its own thread asking for `/metrics` once a second.
    private static func drain(jobs: Int, scrapeEverySecond: Bool) async throws -> (rate: Double, scrapes: Int) {
        let path = try freshDatabase()
        defer { removeDatabase(path) }
        _ = try JobStore(path: path).enqueue(batch: noopJobs(jobs))
        let console = Console(environment: SyncEnvironment(databasePath: path, plugins: PluginRegistry()), token: token)
        let server = try HTTPServer(host: "127.0.0.1", port: 0) { request in await console.handle(request) }
        server.start()
        defer { server.stop() }
        let stop = DispatchSemaphore(value: 0)
        let port = server.port
        let scraper: Task<Int, any Error>? = scrapeEverySecond
            ? Task {
                try await onOwnThread {
                    var count = 0
                    let request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n\r\n"
                    repeat {
                        // A new connection each time, as Prometheus does after its idle timeout.
                        let response = try RawHTTPClient(port: port).exchange(request)
                        precondition(response.status == 200, "/metrics answered \(response.status)")
                        count += 1
                    } while stop.wait(timeout: .now() + 1) == .timedOut
                    return count
                }
            } : nil
        let worker = silentWorker(path, mode: .normal, concurrency: 4, drain: true)
        let start = DispatchTime.now().uptimeNanoseconds
        let summary = try await worker.run()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        stop.signal()
        let scrapes = try await scraper?.value ?? 0
        precondition(summary.succeeded == jobs, "worker ran \(summary.succeeded) of \(jobs)")
        return (Double(jobs) / elapsed, scrapes)
    }
}

/// What the client threads measured, gathered under a lock.
final class Tally: Sendable {
    private let state = Mutex<(latencies: [Double], failures: Int)>(([], 0))
    func add(_ latencies: [Double], failures: Int) {
        state.withLock {
            $0.latencies += latencies
            $0.failures += failures
        }
    }
    var result: (latencies: [Double], failures: Int) { state.withLock { $0 } }
}
