import Dispatch
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkQueuePostgres

/// The body of a worker: one thread, one connection, one loop. Each turn it observes (finished runs,
/// signals, other processes' commits, due chores), asks the pure `LoopSnapshot.decide` what to do, and
/// does it: one exchange with the queue (commit what finished, claim as many as there are free slots,
/// plus a claim-ahead buffer for very short jobs), a sleep until the next reason to wake, or exit.
final class WorkerLoop {
    private struct InFlight {
        let job: ClaimedJob
        let token: UInt64
        let task: Task<Void, Never>
        let deadline: Int64
        var cancelledByAdmin = false
    }

    private let worker: Worker
    private let configuration: WorkerConfiguration
    private let clock: any WorkerClock
    private let store: any QueueBackend
    /// How the idle loop hears of other processes' commits (SQLite's data_version, PostgreSQL's NOTIFY).
    private let wakeUps: any QueueWakeUps
    /// The configured claim-ahead depth, or the back end's default.
    private let claimAheadDepth: Int
    /// Completions wait in memory at most this long while claimed-ahead jobs keep the worker busy
    /// (the back end's default). A crash in that window re-runs those jobs: at-least-once delivery, as always.
    private let maxCompletionDelay: Int64
    /// A claimed-ahead job not started within this long goes back to the queue (the configured
    /// hold, or the back end's default).
    private let claimAheadHold: Int64
    private var inFlight: [Int64: InFlight] = [:]
    private var pending: [Completion] = []
    private var pendingSince: Int64?
    /// Claimed, not yet started (claim-ahead), best first; with the time each was claimed.
    private var ahead: [(job: ClaimedJob, claimedAt: Int64)] = []
    /// Moving average of handler run time, in microseconds: decides whether to claim ahead.
    private var averageRunMicroseconds: Double?
    private var nextToken: UInt64 = 0
    private var summary = WorkerSummary()
    private let record: WorkerRecord
    /// Where handlers run: Dispatch threads of the worker's own, not Swift's cooperative pool, so a
    /// handler never waits behind other work in the process (the console of `worker --serve`, a
    /// plugin that blocks its thread), and its timeout measures its own run. One for the process and
    /// never freed: a run that ignores cancellation may outlive the loop that started it.
    private let handlerExecutor: DispatchTaskExecutor
    /// For jobs at or above `urgentPriority` (see WorkerConfiguration).
    private static let urgentExecutor = DispatchTaskExecutor(label: "mislink.worker.urgent", qos: .userInitiated)

    // What the loop knows of the queue: only what the last exchange said, and what happened since.
    private var phase = LoopPhase.running
    private var queueDrained = false
    private var nextDueAt: Int64?
    private var runnableLeft = true

    private var nextHeartbeat: Int64 = 0
    private var nextRescue: Int64 = 0
    private var nextProgressFlush: Int64 = 0

    init(worker: Worker) throws {
        self.worker = worker
        self.configuration = worker.configuration
        handlerExecutor = DispatchTaskExecutor(label: "mislink.worker.handlers", width: worker.configuration.handlerThreads)
        self.clock = configuration.clock
        let clock = self.clock
        let log = configuration.log
        let queue = try configuration.database.openForWorker(
            sqliteConfiguration: configuration.connection, clock: { clock.now() },
            sqlitePollMilliseconds: configuration.pollIntervalMilliseconds, log: { log(.warning, $0) })
        self.store = queue.backend
        self.wakeUps = queue.wakeUps
        self.claimAheadDepth = configuration.claimAheadDepth ?? queue.defaultClaimAheadDepth
        self.maxCompletionDelay = queue.defaultMaxCompletionDelayMilliseconds
        self.claimAheadHold = configuration.claimAheadHoldMilliseconds ?? queue.defaultClaimAheadHoldMilliseconds
        let handlers = worker.handlers
        // One mechanism for every way a job ends failed: the store calls its kind's hook.
        store.finalFailureHook = { failure in handlers.handler(for: failure.kind)?.finalFailure(failure) }
        let now = clock.now()
        self.record = WorkerRecord(
            id: worker.id, host: ProcessIdentity.host, pid: ProcessIdentity.pid,
            processStart: ProcessIdentity.startTime(of: ProcessIdentity.pid), queues: configuration.queues,
            concurrency: configuration.concurrency, startedAt: now, heartbeatAt: now,
            leaseMilliseconds: configuration.leaseMilliseconds)
    }

    private func log(_ level: LogLevel, _ message: String) {
        configuration.log(level, worker.scrubber.scrub(message))
    }

    private var heartbeatEvery: Int64 { max(10, configuration.leaseMilliseconds / 3) }

    func run() throws -> WorkerSummary {
        try store.registerWorker(record)
        log(.info, "worker \(record.id) started: concurrency \(configuration.concurrency), queues \(configuration.queues?.joined(separator: ",") ?? "all")")
        let unlisted = worker.handlers.kinds.filter { worker.policies.policy(for: $0) == nil }
        if !unlisted.isEmpty {
            log(.warning, "no policy for job kind(s) \(unlisted.joined(separator: ", ")): they run with noop's timeout and backoff")
        }
        let start = clock.now()
        try rescueAbandonedJobs(now: start)
        nextHeartbeat = start + heartbeatEvery
        nextRescue = start + configuration.rescueIntervalMilliseconds
        try wakeUps.start(bell: worker.signals.bell)
        defer { wakeUps.stop() }

        while true {
            let now = try observe()
            switch snapshot().decide(now: now) {
            case .exit:
                try store.deregisterWorker(id: record.id)
                log(.info, "worker \(record.id) stopped: \(summary.succeeded) succeeded, \(summary.failedAttempts) failed attempt(s), \(summary.handedBack) handed back")
                return summary
            case .exchange(let claim):
                try exchange(claim: claim, now: now)
            case .sleep(let until):
                clock.sleep(until: until, bell: worker.signals.bell)
            }
        }
    }

    /// What the pure decision step sees.
    private func snapshot() -> LoopSnapshot {
        var snapshot = LoopSnapshot(concurrency: configuration.concurrency)
        snapshot.phase = phase
        snapshot.claimAheadDepth = claimingAhead ? claimAheadDepth : 0
        snapshot.running = inFlight.count
        snapshot.ahead = ahead.count
        snapshot.pendingCompletions = pending.count
        snapshot.pendingSince = pendingSince
        snapshot.queueDrained = queueDrained
        snapshot.nextDueAt = nextDueAt
        snapshot.runnableLeft = runnableLeft
        snapshot.drain = configuration.drain
        snapshot.pollInterval = wakeUps.pollIntervalMilliseconds
        snapshot.maxCompletionDelay = maxCompletionDelay
        // A batch as deep as the claim-ahead buffer commits as one: half of it would pay a commit twice.
        snapshot.completionBatch = max(snapshot.completionBatch, claimAheadDepth)
        var timers = [nextHeartbeat, nextRescue]
        if let deadline = inFlight.values.map(\.deadline).min() { timers.append(deadline) }
        if let oldest = ahead.map(\.claimedAt).min() { timers.append(oldest + claimAheadHold) }
        snapshot.timers = timers
        return snapshot
    }

    // MARK: - Observing

    /// Takes in everything that happened since the last turn and does the chores that are due.
    /// Answers the time the decision is made at.
    private func observe() throws -> Int64 {
        var now = clock.now()
        collectFinishedRuns(now: now)
        if !pending.isEmpty && !inFlight.isEmpty && ahead.isEmpty {
            // Runs that finish together commit together: wait a moment for the rest of the batch.
            coalesceFinishedRuns()
            now = clock.now()
        }
        // Buffered jobs start before the commit, so they run while it is written.
        startClaimedAhead(now: now)
        returnStaleClaimedAhead(now: now)
        enforceTimeouts(now: now)
        advancePhase(now: now)
        if pending.isEmpty { pendingSince = nil } else if pendingSince == nil { pendingSince = now }

        // Another process's commit may have added work; our own commits are known from exchanges.
        if try queueDrained && wakeUps.takeChanged() { queueDrained = false }
        if now >= nextHeartbeat {
            try heartbeat(now: now)
            nextHeartbeat = now + heartbeatEvery
        }
        if now >= nextRescue {
            if try rescueAbandonedJobs(now: now) > 0 { queueDrained = false }
            nextRescue = now + configuration.rescueIntervalMilliseconds
        }
        if now >= nextProgressFlush {
            for (id, text) in worker.signals.takeProgress() where inFlight[id] != nil {
                try store.setProgress(id: id, workerID: record.id, progress: text)
            }
            nextProgressFlush = now + 250
        }
        return now
    }

    /// Running → stopping (a signal) → handing back (the grace period is over, or a second signal).
    private func advancePhase(now: Int64) {
        let request = worker.signals.stopRequest
        if phase == .running && request != .none {
            let deadline = now + (request == .immediate ? 0 : configuration.shutdownGraceMilliseconds)
            phase = .stopping(deadline: deadline)
            log(.info, "stopping: no new jobs; \(inFlight.count) running job(s) get \(DurationText.format(milliseconds: deadline - now)) to finish")
        }
        if case .stopping(let deadline) = phase, now >= deadline || request == .immediate {
            phase = .handingBack
        }
        if phase != .running { handBack(aheadWhere: { _ in true }) }
        if phase == .handingBack { handBackRunningJobs() }
    }

    // MARK: - Exchanging

    private func exchange(claim: Int, now: Int64) throws {
        let committed = pending
        let result = try store.exchange(
            ExchangeRequest(
                completions: committed, workerID: record.id, limit: claim, queues: configuration.queues,
                excludingQueues: saturatedQueues(), leaseMilliseconds: configuration.leaseMilliseconds, workerNow: now))
        pending.removeAll(keepingCapacity: true)
        pendingSince = nil
        nextDueAt = result.nextDueAt
        if let drained = result.drained {
            queueDrained = drained
        } else if !committed.isEmpty {
            // A commit without a claim can free a concurrency key or a queue limit, or enqueue
            // follow-ups: look again when a slot is free. (data_version never reports our own commits.)
            queueDrained = false
        }
        if queueDrained && configuration.drain {
            runnableLeft = try store.hasRunnableWork(queues: configuration.queues)
        }
        let claimed = keepWithinQueueLimits(result.claimed)
        if !claimed.isEmpty {
            ahead += claimed.map { ($0, now) }
            if ahead.count > claimed.count {
                ahead.sort { ($0.job.priority, -$0.job.runAt, -$0.job.id) > ($1.job.priority, -$1.job.runAt, -$1.job.id) }
            }
            startClaimedAhead(now: now)
        }
    }

    // MARK: - Queue limits

    /// Jobs held (running or claimed ahead) per queue.
    private func heldByQueue() -> [String: Int] {
        var held: [String: Int] = [:]
        for flight in inFlight.values { held[flight.job.queue, default: 0] += 1 }
        for entry in ahead { held[entry.job.queue, default: 0] += 1 }
        return held
    }

    /// Queues this worker holds as many jobs of as it allows itself: the next claim skips them.
    private func saturatedQueues() -> Set<String> {
        let limits = configuration.effectiveQueueLimits
        guard !limits.isEmpty else { return [] }
        let held = heldByQueue()
        return Set(limits.filter { held[$0.key, default: 0] >= $0.value }.keys)
    }

    /// One claim can take several jobs of a limited queue at once: those beyond its limit go straight
    /// back, uncharged. Claims come best first, so the best ones stay.
    private func keepWithinQueueLimits(_ claimed: [ClaimedJob]) -> [ClaimedJob] {
        let limits = configuration.effectiveQueueLimits
        guard !limits.isEmpty else { return claimed }
        var held = heldByQueue()
        return claimed.filter { job in
            guard let limit = limits[job.queue] else { return true }
            held[job.queue, default: 0] += 1
            if held[job.queue]! <= limit { return true }
            pending.append(Completion(jobID: job.id, outcome: .handedBack))
            return false
        }
    }

    // MARK: - Claim-ahead

    private var claimingAhead: Bool {
        guard claimAheadDepth > 0, let average = averageRunMicroseconds else { return false }
        return average < Double(configuration.claimAheadMaxRunMicroseconds)
    }

    private func startClaimedAhead(now: Int64) {
        guard phase == .running else { return }
        var started = 0
        while started < ahead.count && inFlight.count < configuration.concurrency {
            start(ahead[started].job, now: now)
            started += 1
        }
        if started > 0 { ahead.removeFirst(started) }
    }

    private func returnStaleClaimedAhead(now: Int64) {
        let limit = claimAheadHold
        handBack(aheadWhere: { now - $0.claimedAt >= limit })
    }

    /// Returns buffered jobs to the queue, uncharged.
    private func handBack(aheadWhere shouldReturn: ((job: ClaimedJob, claimedAt: Int64)) -> Bool) {
        guard !ahead.isEmpty else { return }
        ahead.removeAll { entry in
            guard shouldReturn(entry) else { return false }
            pending.append(Completion(jobID: entry.job.id, outcome: .handedBack))
            summary.returnedUnstarted += 1
            return true
        }
    }

    // MARK: - Running jobs

    private func policy(for kind: String) -> JobPolicy {
        worker.policies.policy(for: kind) ?? BuiltInKinds.catalog.defaults[BuiltInKinds.noop]!
    }

    private func start(_ job: ClaimedJob, now: Int64) {
        guard let handler = worker.handlers.handler(for: job.kind) else {
            let message = "no handler for job kind '\(job.kind)' in this worker (it runs: \(worker.handlers.kinds.joined(separator: ", ")))"
            log(.error, "job \(job.id) \(job.kind): \(message)")
            pending.append(Completion(jobID: job.id, outcome: .failed(message: message, retryAt: nil, cause: .notRunnable)))
            summary.failedAttempts += 1
            return
        }
        let payload: JSONPayload
        do { payload = try JSONPayload(text: job.payload) } catch {
            pending.append(Completion(jobID: job.id, outcome: .failed(message: error.message, retryAt: nil, cause: .notRunnable)))
            summary.failedAttempts += 1
            return
        }
        nextToken += 1
        let token = nextToken
        let signals = worker.signals
        let scrubber = worker.scrubber
        let log = configuration.log
        let context = JobContext(
            jobID: job.id, attempt: job.attempt,
            plugin: PluginContext(
                log: { level, message in log(level, "job \(job.id): " + scrubber.scrub(message)) },
                progress: { progress in
                    if let data = try? JSONEncoder().encode(progress), let text = String(data: data, encoding: .utf8) {
                        signals.postProgress(jobID: job.id, text: text)
                    }
                }),
            secretScrubber: scrubber)
        if configuration.logEachJob { log(.info, "job \(job.id) \(job.kind) started (attempt \(job.attempt) of \(job.maxAttempts))") }
        let urgent = configuration.urgentPriority.map { job.priority >= $0 } ?? false
        let task = Task.detached(
            executorPreference: urgent ? Self.urgentExecutor : handlerExecutor, priority: urgent ? .high : nil
        ) {
            let began = DispatchTime.now().uptimeNanoseconds
            let result: RunResult
            do {
                result = .success(try await handler.run(job, payload: payload, context: context))
            } catch let error as HandlerError {
                result = .failure(error.disposition, error.code, scrubber.scrub(error.message))
            } catch let error as PluginError {
                result = .failure(error.disposition, nil, scrubber.scrub(error.message))
            } catch is CancellationError {
                result = .cancelled
            } catch {
                result = Task.isCancelled ? .cancelled : .failure(.retryable, nil, scrubber.scrub(String(describing: error)))
            }
            signals.post(
                FinishedRun(
                    jobID: job.id, token: token, result: result,
                    runNanoseconds: DispatchTime.now().uptimeNanoseconds - began))
        }
        inFlight[job.id] = InFlight(job: job, token: token, task: task, deadline: now + policy(for: job.kind).timeoutMilliseconds)
    }

    /// Waits up to `coalesceMicroseconds` for more in-flight runs to finish, so that one commit
    /// carries many completions. Costs at most that long per turn; pays back many commits.
    private func coalesceFinishedRuns() {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(configuration.coalesceMicroseconds) * 1_000
        while !inFlight.isEmpty {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { return }
            guard worker.signals.bell.wait(timeout: DispatchTime(uptimeNanoseconds: deadline)) == .success else { return }
            collectFinishedRuns(now: clock.now())
        }
    }

    private func collectFinishedRuns(now: Int64) {
        for run in worker.signals.takeFinished() {
            guard let flight = inFlight[run.jobID], flight.token == run.token else { continue }
            inFlight[run.jobID] = nil
            let micros = Double(run.runNanoseconds) / 1_000
            averageRunMicroseconds = averageRunMicroseconds.map { $0 * 0.9 + micros * 0.1 } ?? micros
            pending.append(completion(of: run.result, flight: flight, now: now))
        }
    }

    private func completion(of result: RunResult, flight: InFlight, now: Int64) -> Completion {
        let job = flight.job
        switch result {
        case .success(let value):
            summary.succeeded += 1
            if configuration.logEachJob { log(.info, "job \(job.id) \(job.kind) succeeded") }
            return Completion(jobID: job.id, outcome: .succeeded(result: value.json), effect: value.effect)
        case .cancelled where flight.cancelledByAdmin:
            summary.cancelled += 1
            log(.info, "job \(job.id) \(job.kind) cancelled by an admin while running")
            return Completion(jobID: job.id, outcome: .cancelled(message: "cancelled by an admin while running (attempt \(job.attempt))"))
        case .cancelled:
            return Completion(
                jobID: job.id, outcome: failedAttempt(job, message: "the handler stopped: cancelled", disposition: .retryable, cause: .error(code: nil), now: now))
        case .failure(let disposition, let code, let message):
            return Completion(jobID: job.id, outcome: failedAttempt(job, message: message, disposition: disposition, cause: .error(code: code), now: now))
        }
    }

    private func failedAttempt(
        _ job: ClaimedJob, message: String, disposition: PluginError.Disposition, cause: FailureCause, now: Int64
    ) -> JobOutcome {
        switch disposition {
        case .snooze(let until):
            let untilMs = Int64((until.timeIntervalSince1970 * 1000).rounded())
            log(.info, "job \(job.id) \(job.kind) snoozed until \(DurationText.isoString(milliseconds: untilMs)): \(message)")
            return .snoozed(until: untilMs)
        case .permanent:
            summary.failedAttempts += 1
            log(.error, "job \(job.id) \(job.kind) failed permanently on attempt \(job.attempt): \(message)")
            return .failed(message: message, retryAt: nil, cause: cause)
        case .retryable:
            summary.failedAttempts += 1
            let delay = policy(for: job.kind).backoff.delay(afterAttempt: job.attempt)
            let last = job.attempt >= job.maxAttempts
            log(.warning, "job \(job.id) \(job.kind) attempt \(job.attempt) of \(job.maxAttempts) failed: \(message)" + (last ? "; no attempts left" : "; retry in \(DurationText.format(milliseconds: delay))"))
            return .failed(message: message, retryAt: now + delay, cause: cause)
        }
    }

    private func enforceTimeouts(now: Int64) {
        for (id, flight) in inFlight where flight.deadline <= now {
            flight.task.cancel()
            inFlight[id] = nil
            summary.timedOut += 1
            let limit = DurationText.format(milliseconds: policy(for: flight.job.kind).timeoutMilliseconds)
            pending.append(
                Completion(
                    jobID: id,
                    outcome: failedAttempt(flight.job, message: "timed out after \(limit)", disposition: .retryable, cause: .timedOut, now: now)))
        }
    }

    /// Shutdown: the jobs still running go back to the queue without being charged an attempt.
    private func handBackRunningJobs() {
        guard !inFlight.isEmpty else { return }
        log(.warning, "handing back \(inFlight.count) unfinished job(s): \(inFlight.keys.sorted().map(String.init).joined(separator: ", "))")
        for (id, flight) in inFlight {
            flight.task.cancel()
            pending.append(Completion(jobID: id, outcome: .handedBack))
            summary.handedBack += 1
        }
        inFlight.removeAll()
    }

    // MARK: - Leases

    private func heartbeat(now: Int64) throws {
        let beat = try store.renewLeases(workerID: record.id, leaseMilliseconds: configuration.leaseMilliseconds)
        for id in beat.cancelRequested {
            if let index = ahead.firstIndex(where: { $0.job.id == id }) {
                ahead.remove(at: index)
                summary.cancelled += 1
                pending.append(Completion(jobID: id, outcome: .cancelled(message: "cancelled by an admin before it started")))
                continue
            }
            guard var flight = inFlight[id], !flight.cancelledByAdmin else { continue }
            flight.cancelledByAdmin = true
            flight.task.cancel()
            inFlight[id] = flight
        }
    }

    /// Rescues jobs of workers on this host whose process is gone (at once), and jobs whose lease
    /// expired anywhere. Answers how many jobs went back to the queue.
    @discardableResult
    private func rescueAbandonedJobs(now: Int64) throws -> Int {
        var rescued = 0
        for other in try store.workers() where other.id != record.id && other.host == record.host {
            guard !ProcessIdentity.isAlive(pid: other.pid, startedAt: other.processStart) else { continue }
            let count = try store.rescueJobs(heldBy: other, reason: "its worker \(other.id) (pid \(other.pid)) is gone")
            if count > 0 { log(.warning, "rescued \(count) job(s) of dead worker \(other.id)") }
            rescued += count
        }
        let expired = try store.rescueExpired()
        if expired > 0 { log(.warning, "rescued \(expired) job(s) whose lease expired") }
        try store.forgetWorkers(silentFor: 10 * configuration.leaseMilliseconds)
        summary.rescued += rescued + expired
        return rescued + expired
    }
}
