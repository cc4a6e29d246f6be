import Foundation
import MISLinkConsole
import MISLinkHTTP
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import Testing

struct APITests {
    @Test("POST /api/jobs enqueues one job with the CLI's answer; its unique key answers the pending job")
    func enqueueOne() async throws {
        let fixture = try ConsoleFixture()
        let first = await fixture.api("POST", "/api/jobs", json: ["kind": "noop", "uniqueKey": "k1", "priority": 5])
        #expect(first.status == 201)
        let id = try #require(first.object["id"] as? Int)
        #expect(first.object["inserted"] as? Bool == true)
        #expect(first.object["state"] as? String == "available")
        let again = await fixture.api("POST", "/api/jobs", json: ["kind": "noop", "uniqueKey": "k1"])
        #expect(again.status == 200)
        #expect(again.object["id"] as? Int == id)
        #expect(again.object["inserted"] as? Bool == false)
        #expect(try fixture.job(Int64(id))?.priority == 5)
    }

    @Test("POST /api/jobs with a batch writes all or, on one bad job, nothing, naming which")
    func enqueueBatch() async throws {
        let fixture = try ConsoleFixture()
        let good = await fixture.api("POST", "/api/jobs", json: ["jobs": [["kind": "noop"], ["kind": "noop", "uniqueKey": "u"], ["kind": "noop", "uniqueKey": "u"]]])
        #expect(good.status == 201)
        #expect(good.object["enqueued"] as? Int == 2)
        #expect(good.object["existing"] as? Int == 1)
        #expect((good.object["ids"] as? [Int])?.count == 3)

        let bad = await fixture.api("POST", "/api/jobs", json: ["jobs": [["kind": "noop"], ["kind": "noop", "priority": 5000]]])
        #expect(bad.status == 400)
        #expect(bad.object["error"] as? String == "invalid-input")
        #expect((bad.object["message"] as? String)?.hasPrefix("job 2: priority") == true)
        #expect(try JobStore(path: fixture.databasePath).jobs(matching: JobFilter()).count == 2)
    }

    @Test(
        "bad enqueue bodies are 400 with a message that says what is wrong",
        arguments: [
            ("not json", "must be a JSON object"), (#"{"kind": "nope"}"#, "unknown job kind 'nope'"),
            (#"{"kind": "noop", "colour": 1}"#, "unknown key 'colour'"), (#"{"jobs": []}"#, "non-empty array"),
            (#"{"jobs": [{"kind": "noop"}], "x": 1}"#, "unknown key 'x'"), (#"{"jobs": [3]}"#, "job 1: not a JSON object"),
            (#"{"kind": "noop", "payload": {"apiToken": "x"}}"#, "looks like a secret"),
        ])
    func enqueueBadInput(body: String, message: String) async throws {
        let fixture = try ConsoleFixture()
        let response = await fixture.send(
            "POST", "/api/jobs", headers: [("Authorization", "Bearer \(ConsoleFixture.token)")], body: Data(body.utf8))
        #expect(response.status == 400)
        #expect(response.object["error"] as? String == "invalid-input")
        #expect((response.object["message"] as? String)?.contains(message) == true, "\(response.text)")
    }

    @Test("the handlers the console is given check enqueued payloads")
    func givenHandlersValidate() async throws {
        let handlers = HandlerRegistry()
        handlers.register("noop", RefusingHandler())
        let fixture = try ConsoleFixture(handlers: handlers)
        let response = await fixture.api("POST", "/api/jobs", json: ["kind": "noop"])
        #expect(response.status == 400)
        #expect((response.object["message"] as? String)?.contains("refused by the test's handler") == true, "\(response.text)")
    }

    @Test("a sync job for an integration whose status refuses it is 409, naming the status")
    func enqueueRefusedByStatus() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration(status: .pending)
        let response = await fixture.api("POST", "/api/jobs", json: ["kind": JobKinds.nightlyImport, "integration": "oak"])
        #expect(response.status == 409)
        #expect(response.object["error"] as? String == "refused")
        #expect((response.object["message"] as? String)?.contains("Pending") == true, "\(response.text)")
    }

    @Test("GET /api/jobs lists in the CLI's shape with filters; GET /api/jobs/ID shows one")
    func listAndShow() async throws {
        let fixture = try ConsoleFixture()
        _ = await fixture.api("POST", "/api/jobs", json: ["kind": "noop"])
        let failed = try await fixture.runToEnd(kind: "noop", payload: #"{"fail": "permanent"}"#)
        let all = await fixture.api("GET", "/api/jobs")
        #expect(all.status == 200)
        #expect(all.array.count == 2)
        let onlyFailed = await fixture.api("GET", "/api/jobs", query: ["state": ["failed"], "kind": ["noop"], "limit": ["10"]])
        #expect(onlyFailed.array.map { $0["id"] as? Int } == [Int(failed)])
        let twoStates = await fixture.api("GET", "/api/jobs", query: ["state": ["failed", "available,succeeded"]])
        #expect(twoStates.array.count == 2)
        let job = onlyFailed.array[0]
        for key in ["id", "kind", "queue", "state", "attempt", "maxAttempts", "runAt", "payload", "errors", "lastError"] {
            #expect(job[key] != nil, "\(key)")
        }
        let show = await fixture.api("GET", "/api/jobs/\(failed)")
        #expect(show.status == 200)
        #expect(show.object["state"] as? String == "failed")
        #expect((show.object["errors"] as? [[String: Any]])?.count == 1)
        #expect((show.object["payload"] as? [String: Any])?["fail"] as? String == "permanent")
    }

    @Test(
        "bad list parameters and ids are 400; a missing job or path is 404",
        arguments: [
            ("/api/jobs", ["state": ["lost"]], 400, "unknown state 'lost'"), ("/api/jobs", ["limit": ["0"]], 400, "limit must be"),
            ("/api/jobs", ["integraton": ["x"]], 400, "unknown parameter 'integraton'"), ("/api/jobs/abc", [:], 400, "'abc' is not a job id"),
            ("/api/jobs/999", [:], 404, "job 999 does not exist"), ("/api/nothing", [:], 404, "no API at /api/nothing"),
            ("/api/integrations/ghost", [:], 404, "ghost"), ("/api/intake", ["all": ["maybe"]], 400, "all must be true or false"),
        ] as [(String, [String: [String]], Int, String)])
    func badParameters(path: String, query: [String: [String]], status: Int, message: String) async throws {
        let fixture = try ConsoleFixture()
        let response = await fixture.api("GET", path, query: query)
        #expect(response.status == status)
        #expect((response.object["message"] as? String)?.contains(message) == true, "\(response.text)")
    }

    @Test("a stored payload's secret-looking values are redacted")
    func payloadRedacted() async throws {
        let fixture = try ConsoleFixture()
        // Written past the enqueue rule, as an older build or a hand edit might have.
        let id = try JobStore(path: fixture.databasePath).enqueue(
            NewJob(kind: "noop", payload: #"{"note": "n", "nested": {"password": "hunter2"}}"#)).id
        let show = await fixture.api("GET", "/api/jobs/\(id)")
        #expect(!show.text.contains("hunter2"))
        #expect(show.text.contains("(redacted)"))
    }

    @Test("retry puts a failed job back; retrying it again is 409 naming its state")
    func retryOne() async throws {
        let fixture = try ConsoleFixture()
        let id = try await fixture.runToEnd(kind: "noop", payload: #"{"fail": "permanent"}"#)
        let retry = await fixture.api("POST", "/api/jobs/\(id)/retry")
        #expect(retry.status == 200)
        #expect(retry.object["state"] as? String == "available")
        #expect(try fixture.job(id)?.state == .available)
        let again = await fixture.api("POST", "/api/jobs/\(id)/retry")
        #expect(again.status == 409)
        #expect(again.object["error"] as? String == "conflict")
        #expect((again.object["message"] as? String)?.contains("is available") == true)
    }

    @Test("retry of a nightly import while its integration is in Error is 409, naming the status, and leaves it failed")
    func retryRefusedByStatus() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let id = try await fixture.runToEnd(kind: JobKinds.nightlyImport, integration: "oak")
        #expect(try fixture.job(id)?.state == .failed)
        try fixture.setStatus("oak", .error)
        let response = await fixture.api("POST", "/api/jobs/\(id)/retry")
        #expect(response.status == 409)
        #expect(response.object["error"] as? String == "refused")
        #expect((response.object["message"] as? String)?.contains("Error") == true, "\(response.text)")
        #expect(try fixture.job(id)?.state == .failed)
    }

    @Test("POST /api/jobs/retry retries every failed job its rule allows, narrowed by kind or integration")
    func retryAll() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let nightly = try await fixture.runToEnd(kind: JobKinds.nightlyImport, integration: "oak")
        try fixture.setStatus("oak", .error)
        let noop = try await fixture.runToEnd(kind: "noop", payload: #"{"fail": "permanent"}"#)

        let narrowed = await fixture.api("POST", "/api/jobs/retry", query: ["kind": [JobKinds.nightlyImport]])
        #expect(narrowed.status == 200)
        #expect((narrowed.object["retried"] as? [Int]) == [])
        let refused = try #require((narrowed.object["refused"] as? [[String: Any]])?.first)
        #expect(refused["id"] as? Int == Int(nightly))
        #expect((refused["reason"] as? String)?.contains("Error") == true)
        #expect(try fixture.job(noop)?.state == .failed)

        let all = await fixture.api("POST", "/api/jobs/retry")
        #expect((all.object["retried"] as? [Int]) == [Int(noop)])
        #expect(try fixture.job(noop)?.state == .available)
        #expect(await fixture.api("POST", "/api/jobs/retry", query: ["state": ["x"]]).status == 400)
    }

    @Test("cancel stops a waiting job; cancelling a finished one is 409")
    func cancel() async throws {
        let fixture = try ConsoleFixture()
        let created = await fixture.api("POST", "/api/jobs", json: ["kind": "noop", "in": "1h"])
        let id = try #require(created.object["id"] as? Int)
        let response = await fixture.api("POST", "/api/jobs/\(id)/cancel")
        #expect(response.status == 200)
        #expect(response.object["state"] as? String == "cancelled")
        #expect(try fixture.job(Int64(id))?.state == .cancelled)
        let again = await fixture.api("POST", "/api/jobs/\(id)/cancel")
        #expect(again.status == 409)
        #expect(await fixture.api("POST", "/api/jobs/12345/cancel").status == 404)
    }

    @Test("integrations list and show, with secrets as (set) only")
    func integrations() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let store = try fixture.store
        var oak = try store.require("oak")
        oak.secrets["password"] = try SecretReference(parsing: "env:OAK_PASSWORD")
        try store.save(oak)
        try fixture.addIntegration("elm", status: .pending)

        let list = await fixture.api("GET", "/api/integrations")
        #expect(list.status == 200)
        #expect(Set(list.array.compactMap { $0["id"] as? String }) == ["oak", "elm"])
        let show = await fixture.api("GET", "/api/integrations/oak")
        #expect(show.object["status"] as? String == "on")
        #expect((show.object["secrets"] as? [String: String]) == ["password": "(set)"])
        #expect(!show.text.contains("OAK_PASSWORD"))
    }

    @Test("an integration's imports, newest first, with their reports")
    func imports() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        var record = ImportRecord(integration: "oak", jobID: nil, kind: JobKinds.nightlyImport, startedAt: 1_000, finishedAt: 2_000)
        record.added = 3
        record.report = #"{"warnings": ["w"]}"#
        try fixture.store.recordImport(record)
        let response = await fixture.api("GET", "/api/integrations/oak/imports", query: ["limit": ["5"]])
        #expect(response.status == 200)
        #expect(response.array.count == 1)
        #expect(response.array[0]["added"] as? Int == 3)
        #expect((response.array[0]["report"] as? [String: Any])?["warnings"] as? [String] == ["w"])
        #expect(await fixture.api("GET", "/api/integrations/ghost/imports").status == 404)
    }

    @Test("intake lists entries; a hostile name is JSON-escaped so it cannot close a script block")
    func intake() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        try fixture.addIntegration("elm")
        let hostile = "<img src=x onerror=alert(1)>"
        try fixture.store.sendToIntake(
            integration: "oak", role: .pupil, misID: "M1", name: hostile, record: "{}", reason: "no match", now: 1)
        try fixture.store.sendToIntake(
            integration: "elm", role: .staff, misID: "S1", name: "Ada", record: "{}", reason: "no match", now: 1)
        let all = await fixture.api("GET", "/api/intake")
        #expect(all.array.count == 2)
        let oak = await fixture.api("GET", "/api/intake", query: ["integration": ["oak"]])
        #expect(oak.array.map { $0["name"] as? String } == [hostile])
        #expect(!oak.text.contains("<img"))
        #expect(oak.text.contains("\\u003cimg"))
        #expect(await fixture.api("GET", "/api/intake", query: ["integration": ["ghost"]]).status == 404)
    }
}

/// A handler whose `validate` refuses every payload.
private struct RefusingHandler: JobHandler {
    func validate(_ payload: JSONPayload) throws(PayloadError) { throw PayloadError("refused by the test's handler") }

    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult { .none }
}
