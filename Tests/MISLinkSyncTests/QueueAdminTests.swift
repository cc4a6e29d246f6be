import MISLinkQueue
import MISLinkSync
import Testing

@Suite struct QueueAdminTests {
    @Test("the service pauses and resumes a queue; queues() shows depth, oldest available job and the paused flag")
    func pauseAndList() throws {
        let school = try SyncFixture()
        let admin = JobAdmin(environment: school.environment)
        _ = try school.jobs.enqueue(NewJob(kind: "noop", queue: "bulk"), now: 1_000)
        let before = JobStore.now()
        #expect(try admin.pauseQueue("bulk"))  // on the back end's clock
        let queues = try admin.queues()
        #expect(queues.map(\.name) == ["bulk"])
        #expect(queues[0].isPaused)
        #expect((before...JobStore.now()).contains(queues[0].pausedAt ?? 0))
        #expect(queues[0].count(.available) == 1)
        #expect(queues[0].oldestAvailableRunAt == 1_000)
        #expect(try school.jobs.claim(workerID: "w", limit: 1, leaseMilliseconds: 1_000).isEmpty)
        #expect(try admin.resumeQueue("bulk"))
        #expect(try admin.queues()[0].isPaused == false)
    }

    @Test("a name that is not a queue name is bad input, and nothing is written")
    func badName() throws {
        let school = try SyncFixture()
        let admin = JobAdmin(environment: school.environment)
        let error = try #require(throws: SyncError.self) { try admin.pauseQueue("a;b") }
        #expect(error.code == .invalidInput)
        #expect(error.message.contains("'a;b' is not a queue name"))
        #expect(try admin.queues().isEmpty)
    }
}
