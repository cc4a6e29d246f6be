import Foundation
import MISLinkConsole
import MISLinkHTTP
import MISLinkQueue
import MISLinkSync
import Testing

struct JobsAPITests {
    /// A job run to `failed` on worker "w" straight through the queue, with `message` as its error.
    @discardableResult
    private func failedJob(
        _ fixture: ConsoleFixture, kind: String = "noop", queue: String = "default", integration: String? = nil,
        payload: String = "{}", message: String = "boom"
    ) throws -> Int64 {
        let store = try JobStore(path: fixture.databasePath)
        let id = try store.enqueue(NewJob(kind: kind, queue: queue, integration: integration, payload: payload, maxAttempts: 1)).id
        _ = try store.claim(workerID: "w", limit: 100, leaseMilliseconds: 60_000)
        try store.complete([Completion(jobID: id, outcome: .failed(message: message, retryAt: nil))], workerID: "w")
        return id
    }

    private func enqueue(_ fixture: ConsoleFixture, _ job: NewJob) throws -> Int64 {
        try JobStore(path: fixture.databasePath).enqueue(job).id
    }

    @Test("GET /api/jobs filters by queue and text and pages by before, the next page in Link and X-Next-Before")
    func listPages() async throws {
        let fixture = try ConsoleFixture()
        let ids = try (0..<5).map { try enqueue(fixture, NewJob(kind: "noop", queue: "q1", payload: #"{"n": "pupil \#($0)"}"#)) }
        try enqueue(fixture, NewJob(kind: "noop", queue: "q2", payload: #"{"n": "pupil x"}"#))
        let first = await fixture.api("GET", "/api/jobs", query: ["queue": ["q1"], "q": ["PUPIL"], "limit": ["2"]])
        #expect(first.status == 200)
        #expect(first.array.map { $0["id"] as? Int } == [ids[4], ids[3]].map(Int.init))
        #expect(first.headers["X-Next-Before"] == String(ids[3]))
        #expect(first.headers["Link"] == "</api/jobs?before=\(ids[3])&limit=2&q=PUPIL&queue=q1>; rel=\"next\"")
        let last = await fixture.api("GET", "/api/jobs", query: ["queue": ["q1"], "before": [String(ids[1])], "limit": ["2"]])
        #expect(last.array.map { $0["id"] as? Int } == [Int(ids[0])])
        #expect(last.headers["Link"] == nil && last.headers["X-Next-Before"] == nil)
        #expect(await fixture.api("GET", "/api/jobs", query: ["before": ["0"]]).status == 400)
    }

    @Test("GET /api/jobs/count answers the count and its upTo bound; unknown parameters are refused")
    func count() async throws {
        let fixture = try ConsoleFixture()
        try failedJob(fixture, message: "disk full")
        let second = try failedJob(fixture, message: "timeout")
        try enqueue(fixture, NewJob(kind: "noop"))
        let response = await fixture.api("GET", "/api/jobs/count", query: ["state": ["failed"]])
        #expect(response.status == 200)
        #expect(response.object["count"] as? Int == 2)
        let upTo = try #require(response.object["upTo"] as? Int)
        #expect(upTo > Int(second))
        let searched = await fixture.api("GET", "/api/jobs/count", query: ["state": ["failed"], "q": ["DISK"]])
        #expect(searched.object["count"] as? Int == 1)
        let paged = await fixture.api("GET", "/api/jobs/count", query: ["limit": ["5"]])
        #expect(paged.status == 400)
        #expect((paged.object["message"] as? String)?.contains("unknown parameter 'limit'") == true, "\(paged.text)")
    }

    @Test("a bulk retry by ids obeys each job's rules and says why it left one, as a single retry would")
    func bulkRetryByIDs() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let noop = try failedJob(fixture)
        let nightly = try failedJob(fixture, kind: JobKinds.nightlyImport, queue: "imports", integration: "oak")
        try fixture.setStatus("oak", .error)
        let waiting = try enqueue(fixture, NewJob(kind: "noop"))
        let response = await fixture.api("POST", "/api/jobs/retry", json: ["ids": [noop, nightly, waiting, 9999]])
        #expect(response.status == 200, "\(response.text)")
        #expect(response.object["action"] as? String == "retry")
        #expect(response.object["acted"] as? Int == 1)
        #expect(response.object["refusedCount"] as? Int == 3)
        let reasons = Dictionary(
            uniqueKeysWithValues: (response.object["refused"] as? [[String: Any]] ?? []).map { ($0["id"] as? Int ?? 0, $0["reason"] as? String ?? "") })
        #expect(reasons[Int(nightly)]?.contains("is Error") == true, "\(reasons)")
        #expect(reasons[Int(waiting)]?.contains("only failed or cancelled") == true)
        #expect(reasons[9999]?.contains("does not exist") == true)
        #expect(try fixture.job(noop)?.state == .available)
        #expect(try fixture.job(nightly)?.state == .failed)
    }

    @Test("a bulk cancel by filter cancels waiting jobs, requests running ones, and never touches a job past upTo")
    func bulkCancelByFilter() async throws {
        let fixture = try ConsoleFixture()
        let running = try enqueue(fixture, NewJob(kind: "noop", queue: "q1"))
        _ = try JobStore(path: fixture.databasePath).claim(workerID: "w", limit: 1, leaseMilliseconds: 60_000)
        let waiting = try enqueue(fixture, NewJob(kind: "noop", queue: "q1", runAt: JobStore.now() + 3_600_000))
        let queued = try enqueue(fixture, NewJob(kind: "noop", queue: "q1"))
        let count = await fixture.api("GET", "/api/jobs/count", query: ["queue": ["q1"], "state": ["available,running,scheduled"]])
        #expect(count.object["count"] as? Int == 3)
        let upTo = try #require(count.object["upTo"] as? Int)
        let later = try enqueue(fixture, NewJob(kind: "noop", queue: "q1"))
        let response = await fixture.api(
            "POST", "/api/jobs/cancel", json: ["filter": ["queue": "q1", "state": ["available", "running", "scheduled"]], "upTo": upTo])
        #expect(response.status == 200, "\(response.text)")
        #expect(response.object["acted"] as? Int == 2)
        #expect(response.object["requested"] as? Int == 1)
        #expect(try [running, waiting, queued, later].map { try fixture.job($0)?.state } == [.running, .cancelled, .cancelled, .available])
        #expect(try fixture.job(running)?.cancelRequested == true)
    }

    @Test("discard deletes failed and cancelled jobs, one or by filter; a pending one is refused")
    func discard() async throws {
        let fixture = try ConsoleFixture()
        let one = try failedJob(fixture)
        let response = await fixture.api("POST", "/api/jobs/\(one)/discard")
        #expect(response.status == 200)
        #expect(response.object["discarded"] as? Bool == true)
        #expect(try fixture.job(one) == nil)
        #expect(await fixture.api("POST", "/api/jobs/\(one)/discard").status == 404)

        let failed = try (0..<3).map { _ in try failedJob(fixture, message: "broken export") }
        let pending = try enqueue(fixture, NewJob(kind: "noop", payload: #"{"note": "broken"}"#))
        let bulk = await fixture.api("POST", "/api/jobs/discard", json: ["filter": ["q": "broken"], "upTo": Int(pending)])
        #expect(bulk.object["acted"] as? Int == 3, "\(bulk.text)")
        #expect(bulk.object["refusedCount"] as? Int == 1)
        #expect(try failed.allSatisfy { try fixture.job($0) == nil })
        #expect(try fixture.job(pending)?.state == .available)
        let refused = await fixture.api("POST", "/api/jobs/\(pending)/discard")
        #expect(refused.status == 409)
        #expect((refused.object["message"] as? String)?.contains("is available") == true)
    }

    @Test(
        "bad bulk bodies are 400 with what is wrong",
        arguments: [
            ("", "the body must be"), (#"{"ids": []}"#, "non-empty array"), (#"{"ids": [1], "upTo": 3}"#, "goes with \"filter\""),
            (#"{"filter": {"state": "failed"}}"#, "needs \"upTo\""), (#"{"filter": {"stat": "failed"}, "upTo": 1}"#, "unknown filter parameter 'stat'"),
            (#"{"ids": [true]}"#, "whole positive job ids"), (#"{"ids": [1.5]}"#, "whole positive job ids"),
            (#"{"ids": [1], "colour": 1}"#, "unknown key 'colour'"), (#"{"filter": {"state": "lost"}, "upTo": 1}"#, "unknown state 'lost'"),
            (#"{"ids": [1], "filter": {}}"#, "the body must be"),
        ])
    func badBulkBodies(body: String, message: String) async throws {
        let fixture = try ConsoleFixture()
        // An empty body is the first form of retry: check it on cancel, which has no such form.
        let response = await fixture.send(
            "POST", "/api/jobs/cancel", headers: [("Authorization", "Bearer \(ConsoleFixture.token)")], body: Data(body.utf8))
        #expect(response.status == 400)
        #expect((response.object["message"] as? String)?.contains(message) == true, "\(response.text)")
    }

    @Test("a signed-in browser's bulk action needs its CSRF token")
    func bulkNeedsCSRF() async throws {
        let fixture = try ConsoleFixture()
        let id = try failedJob(fixture)
        let cookie = try await fixture.signIn()
        let body = try JSONSerialization.data(withJSONObject: ["ids": [id]])
        let refused = await fixture.send("POST", "/api/jobs/discard", headers: [("Cookie", cookie)], body: body)
        #expect(refused.status == 403)
        #expect(try fixture.job(id) != nil)
        let csrf = try await fixture.csrfToken(cookie: cookie)
        let allowed = await fixture.send("POST", "/api/jobs/discard", headers: [("Cookie", cookie), ("X-CSRF-Token", csrf)], body: body)
        #expect(allowed.status == 200)
        #expect(try fixture.job(id) == nil)
    }

    @Test("a job's errors show each attempt's worker, start and duration")
    func attemptHistory() async throws {
        let fixture = try ConsoleFixture()
        let id = try failedJob(fixture)
        let show = await fixture.api("GET", "/api/jobs/\(id)")
        let error = try #require((show.object["errors"] as? [[String: Any]])?.first)
        #expect(error["worker"] as? String == "w")
        #expect(error["startedAt"] is String)
        #expect(error["durationMs"] is Int)
    }

    @Test("GET /api/queues shows depth, oldest age and pause; pause and resume answer whether they changed anything")
    func queues() async throws {
        let fixture = try ConsoleFixture()
        try failedJob(fixture, queue: "q2")
        try enqueue(fixture, NewJob(kind: "noop", queue: "q1"))
        let pause = await fixture.api("POST", "/api/queues/q1/pause")
        #expect(pause.status == 200)
        #expect(pause.object["changed"] as? Bool == true)
        #expect(await fixture.api("POST", "/api/queues/q1/pause").object["changed"] as? Bool == false)
        let list = await fixture.api("GET", "/api/queues")
        let byName = Dictionary(uniqueKeysWithValues: list.array.map { ($0["name"] as? String ?? "", $0) })
        #expect(byName["q1"]?["paused"] as? Bool == true)
        #expect((byName["q1"]?["depth"] as? [String: Int])?["available"] == 1)
        #expect(byName["q1"]?["oldestAvailableAgeMs"] is Int)
        #expect((byName["q2"]?["depth"] as? [String: Int])?["failed"] == 1)
        #expect(await fixture.api("POST", "/api/queues/q1/resume").object["paused"] as? Bool == false)
        #expect(await fixture.api("POST", "/api/queues/bad%20name/pause").status == 400)
        #expect(await fixture.api("GET", "/api/queues/q1/pause").status == 405)
    }

    @Test("GET /api/workers lists each worker with its heartbeat and the jobs it holds")
    func workers() async throws {
        let fixture = try ConsoleFixture()
        let store = try JobStore(path: fixture.databasePath)
        let now = JobStore.now()
        try store.registerWorker(
            WorkerRecord(id: "w9", host: "h", pid: 42, processStart: nil, queues: ["q1"], concurrency: 2, startedAt: now, heartbeatAt: now,
                         leaseMilliseconds: 60_000))
        let id = try enqueue(fixture, NewJob(kind: "noop", queue: "q1"))
        _ = try store.claim(workerID: "w9", limit: 1, queues: ["q1"], leaseMilliseconds: 60_000)
        let response = await fixture.api("GET", "/api/workers")
        #expect(response.status == 200)
        let worker = try #require(response.array.first)
        #expect(worker["id"] as? String == "w9")
        #expect(worker["status"] as? String == "alive")
        #expect(worker["heartbeatAgeMs"] is Int)
        #expect((worker["held"] as? [[String: Any]])?.map { $0["id"] as? Int } == [Int(id)])
    }
}
