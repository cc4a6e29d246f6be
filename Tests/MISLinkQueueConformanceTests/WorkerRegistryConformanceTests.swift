import MISLinkQueue
import Testing

/// The worker registry, progress and the drain check: what a worker loop asks of the queue beside claims.
@Suite struct WorkerRegistryConformanceTests {
    /// Registered now, as a worker does (PostgreSQL takes the heartbeat from its own clock anyway).
    private func record(_ id: String, host: String = "host-a") -> WorkerRecord {
        let now = JobStore.now()
        return WorkerRecord(
            id: id, host: host, pid: 4242, processStart: "123", queues: ["default", "mail"], concurrency: 4,
            startedAt: now, heartbeatAt: now, leaseMilliseconds: 30_000)
    }

    @Test("registered workers are listed with the jobs they hold; a dead one's jobs are rescued and it is forgotten", arguments: Backend.available)
    func registry(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            try store.registerWorker(record("w1"))
            try store.registerWorker(record("w2", host: "host-b"))
            let held = try store.enqueue(jobs: [NewJob(kind: "k"), NewJob(kind: "k")]).map(\.id)
            _ = try store.claim("w1", limit: 2)
            let listed = try store.workers()
            #expect(listed.map(\.id) == ["w1", "w2"])
            #expect(listed.first?.runningJobs == 2)
            #expect(listed.first?.queues == ["default", "mail"])
            #expect(listed.last?.host == "host-b")

            let dead = try #require(listed.first)
            #expect(try store.rescueJobs(heldBy: dead, reason: "its worker w1 (pid 4242) is gone") == 2)
            #expect(try store.workers().map(\.id) == ["w2"])
            for id in held {
                let job = try #require(try store.job(id: id))
                #expect(job.state == .retryable || job.state == .available)
                #expect(job.lastError?.contains("w1 (pid 4242) is gone") == true)
            }
            try store.deregisterWorker(id: "w2")
            #expect(try store.workers().isEmpty)
        }
    }

    @Test("only workers silent for the given time and holding nothing are forgotten", arguments: Backend.available)
    func forgetSilent(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            try store.registerWorker(record("idle"))
            try store.registerWorker(record("busy"))
            _ = try store.enqueue(job: NewJob(kind: "k"))
            _ = try store.claim("busy", limit: 1)
            try store.forgetWorkers(silentFor: 3_600_000)
            #expect(try store.workers().count == 2)
            try eventually("the idle worker is forgotten") {
                try store.forgetWorkers(silentFor: 0)
                return try store.workers().map(\.id) == ["busy"]
            }
        }
    }

    @Test("progress is kept only from the worker that holds the job", arguments: Backend.available)
    func progress(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let id = try store.enqueue(job: NewJob(kind: "k")).id
            _ = try store.claim("owner", limit: 1)
            try store.setProgress(id: id, workerID: "owner", progress: #"{"done":3}"#)
            try store.setProgress(id: id, workerID: "stale", progress: #"{"done":99}"#)
            #expect(try store.job(id: id)?.progress == #"{"done":3}"#)
        }
    }

    @Test("runnable work is available or retryable jobs in unpaused queues; later ones do not count", arguments: Backend.available)
    func runnable(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            #expect(try !store.hasRunnableWork(queues: nil))
            _ = try store.enqueue(job: NewJob(kind: "k", queue: "later", runAt: try backendNow(store) + 3_600_000))
            #expect(try !store.hasRunnableWork(queues: nil))
            _ = try store.enqueue(job: NewJob(kind: "k", queue: "mail"))
            #expect(try store.hasRunnableWork(queues: nil))
            #expect(try store.hasRunnableWork(queues: ["mail"]))
            #expect(try !store.hasRunnableWork(queues: ["imports"]))
            #expect(try store.pauseQueue("mail"))
            #expect(try !store.hasRunnableWork(queues: nil))
        }
    }
}
