import Foundation
import MISLinkQueue
import Testing
import MISLinkTestSupport

extension MultiProcessTests {
    /// Many processes on one database file: kills, signals and contention.
    @Suite(.serialized) struct ProcessTests {
        @Test("a worker killed with SIGKILL mid-drain, again and again, loses no job; only jobs it held ran again",
              arguments: CLIBackend.available)
        func crashRecovery(backend: CLIBackend) async throws {
            try await withCLIQueue(backend) { dir, queue in
                _ = try writeQuickPolicies(in: dir, maxAttempts: 50)
                let env = queue.environment
                let total = 3_000
                let lines = (0..<total).map { _ in #"{"kind": "noop", "payload": {"sleepMs": 1}}"# }
                try lines.joined(separator: "\n").write(toFile: dir + "/batch.jsonl", atomically: true, encoding: .utf8)
                #expect(try await MISLinkBinary.run(["enqueue", "--batch", "batch.jsonl"], in: dir, environment: env).status == 0)
                let store = try queue.open()

                // Each round kills the worker once it has finished `step` more jobs: the kills land mid-drain
                // however fast or slow the machine is, and the test never depends on how many there were.
                let concurrency = 8
                let step = 400
                var kills = 0
                while true {
                    let done = try queue.count(.succeeded, in: store)
                    guard total - done > step else { break }
                    let worker = try MISLinkBinary.start(
                        ["worker", "--drain", "--concurrency", String(concurrency)], in: dir, stderrPath: dir + "/worker-\(kills).log",
                        environment: env)
                    try await waitUntil("\(step) more jobs to finish", timeout: 60) {
                        try queue.count(.succeeded, in: store, upTo: done + step) >= done + step || !worker.isRunning
                    }
                    kill(worker.processIdentifier, SIGKILL)
                    await MISLinkBinary.exit(of: worker)
                    kills += 1
                }
                let last = try await MISLinkBinary.run(["worker", "--drain", "--concurrency", String(concurrency)], in: dir, environment: env)
                #expect(last.status == 0, "\(last.stderr)")

                let jobs = try store.jobPage(matching: JobFilter(limit: total + 1)).jobs
                #expect(jobs.filter { $0.state == .succeeded }.count == total, "every job ran to the end")
                #expect(jobs.count == total, "no job lost or added")
                // A job runs again only if a kill caught it held (running or claimed ahead): each extra
                // attempt was a rescue, which left an error entry naming the dead worker, and nothing else failed.
                for job in jobs where job.attempt > 1 {
                    let errors = try #require(try store.job(id: job.id)).errors
                    #expect(errors.count == job.attempt - 1, "job \(job.id): \(errors.map(\.message))")
                    #expect(errors.allSatisfy { $0.message.contains("did not finish") }, "job \(job.id)")
                }
                #expect(jobs.filter { $0.attempt == 1 }.allSatisfy { $0.lastError == nil })
                // At most what one worker holds (its slots and its claim-ahead buffer, the back end's
                // default: WorkerQueue.defaultClaimAheadDepth) was caught by each kill.
                let rerun = jobs.map { $0.attempt - 1 }.reduce(0, +)
                #expect(rerun <= kills * (concurrency + (backend == .postgres ? 128 : 32)))
            }
        }

        @Test("defect: a worker runs a retry that falls due while it idles, though a later job is scheduled; --drain then exits")
        func retryFallsDueWhileIdle() async throws {
            try await withTemporaryDirectory { dir in
                _ = try writeQuickPolicies(in: dir, maxAttempts: 3)
                #expect(try await MISLinkBinary.run(["enqueue", "noop", "--in", "1h"], in: dir).status == 0)
                #expect(try await MISLinkBinary.run(
                    ["enqueue", "noop", "--payload", #"{"fail":"retryable"}"#, "--max-attempts", "3"], in: dir).status == 0)
                let worker = try MISLinkBinary.start(["worker", "--drain"], in: dir, stderrPath: dir + "/worker.log")
                let store = try JobStore(path: dir + "/mislink.sqlite")
                try await waitUntil("the failing job to spend its attempts and the worker to exit") {
                    !worker.isRunning
                }
                if worker.isRunning { kill(worker.processIdentifier, SIGKILL) }
                let job = try #require(try store.job(id: 2))
                #expect(job.state == .failed)
                #expect(job.attempt == 3)
                #expect(try store.job(id: 1)?.state == .scheduled)
                #expect(worker.terminationStatus == 0)
            }
        }

        @Test("8 processes enqueue 1,000 jobs each while a worker drains: all 8,000 arrive, none sees 'database is locked'",
              arguments: CLIBackend.available)
        func concurrentEnqueuers(backend: CLIBackend) async throws {
            try await withCLIQueue(backend) { dir, queue in
                let env = queue.environment
                let lines = (0..<1_000).map { #"{"kind": "noop", "payload": {"note": "\#($0)"}}"# }
                try lines.joined(separator: "\n").write(toFile: dir + "/batch.jsonl", atomically: true, encoding: .utf8)
                let store = try queue.open()  // creates the schema (a reading command no longer does)
                let worker = try MISLinkBinary.start(
                    ["worker", "--concurrency", "4"], in: dir, stderrPath: dir + "/worker.log", environment: env)
                let enqueuers = try (0..<8).map { n in
                    try MISLinkBinary.start(
                        ["enqueue", "--batch", "batch.jsonl", "--commit-every", "1"], in: dir, stderrPath: dir + "/enqueue-\(n).log",
                        environment: env)
                }
                for enqueuer in enqueuers { await MISLinkBinary.exit(of: enqueuer) }
                try await waitUntil("the worker to drain 8,000 jobs", timeout: 180) {
                    try queue.count(.succeeded, in: store, upTo: 8_000) == 8_000
                }
                kill(worker.processIdentifier, SIGTERM)
                await MISLinkBinary.exit(of: worker)
                #expect(enqueuers.allSatisfy { $0.terminationStatus == 0 })
                #expect(worker.terminationStatus == 0)
                #expect(try store.jobPage(matching: JobFilter(limit: 8_001)).jobs.count == 8_000)
                for log in ["worker.log"] + (0..<8).map({ "enqueue-\($0).log" }) {
                    let text = try String(contentsOfFile: dir + "/" + log, encoding: .utf8)
                    #expect(!text.lowercased().contains("locked"), "\(log): \(text)")
                    #expect(!text.lowercased().contains("busy"), "\(log): \(text)")
                    #expect(!text.lowercased().contains("deadlock"), "\(log): \(text)")
                }
            }
        }

        @Test("SIGTERM lets a short job finish and hands a long one back uncharged; the worker exits 0")
        func sigterm() async throws {
            try await withTemporaryDirectory { dir in
                try await MISLinkBinary.run(["enqueue", "noop", "--payload", #"{"sleepMs": 60000}"#], in: dir)
                try await MISLinkBinary.run(["enqueue", "noop", "--payload", #"{"sleepMs": 300}"#], in: dir)
                let store = try JobStore(path: dir + "/mislink.sqlite")
                let worker = try MISLinkBinary.start(["worker", "--grace", "1s"], in: dir, stderrPath: dir + "/worker.log")
                // The short one started, not "running": its 300 ms may pass before this test looks.
                try await waitUntil("both jobs to start") {
                    try store.job(id: 1)?.state == .running && store.job(id: 2)?.startedAt != nil
                }
                kill(worker.processIdentifier, SIGTERM)
                await MISLinkBinary.exit(of: worker)
                #expect(worker.terminationStatus == 0)
                let long = try #require(try store.job(id: 1))
                #expect(long.state == .available)
                #expect(long.attempt == 0)
                #expect(try store.job(id: 2)?.state == .succeeded)
                #expect(try store.workers().isEmpty)
                let log = try String(contentsOfFile: dir + "/worker.log", encoding: .utf8)
                #expect(log.contains("handing back 1 unfinished job(s): 1"))
            }
        }

        @Test("a worker that finds jobs of a dead worker on its host rescues them at once, not after the lease")
        func deadWorkerRescuedAtOnce() async throws {
            try await withTemporaryDirectory { dir in
                try await MISLinkBinary.run(["enqueue", "noop", "--payload", #"{"sleepMs": 60000}"#], in: dir)
                let store = try JobStore(path: dir + "/mislink.sqlite")
                let doomed = try MISLinkBinary.start(["worker", "--lease", "10m"], in: dir, stderrPath: dir + "/doomed.log")
                try await waitUntil("the job to start") { try store.job(id: 1)?.state == .running }
                kill(doomed.processIdentifier, SIGKILL)
                await MISLinkBinary.exit(of: doomed)
                try await MISLinkBinary.run(["enqueue", "noop"], in: dir)
                let started = Date()
                let rescuer = try MISLinkBinary.start(
                    ["worker", "--lease", "10m", "--grace", "100ms"], in: dir, stderrPath: dir + "/rescuer.log")
                try await waitUntil("the job to be rescued and run again") {
                    let job = try store.job(id: 1)
                    return job?.state == .running && job?.attempt == 2
                }
                #expect(Date().timeIntervalSince(started) < 10)
                let job = try #require(try store.job(id: 1))
                #expect(job.errors.first?.message.contains("is gone") == true)
                kill(rescuer.processIdentifier, SIGINT)
                await MISLinkBinary.exit(of: rescuer)
                #expect(rescuer.terminationStatus == 0)
            }
        }
    }
}
