import Foundation
import MISLinkConsole
import MISLinkHTTP
import MISLinkQueue
import MISLinkSync
import Testing

struct JobsPageTests {
    /// `count` noop jobs that fail for good, plus the one `runToEnd` adds: answers their ids.
    static func failedJobs(_ fixture: ConsoleFixture, _ count: Int) async throws -> [Int64] {
        let store = try JobStore(path: fixture.databasePath)
        var ids: [Int64] = []
        for _ in 1..<count {
            ids.append(try store.enqueue(NewJob(kind: "noop", payload: #"{"fail": "permanent"}"#, maxAttempts: 1)).id)
        }
        ids.append(try await fixture.runToEnd(kind: "noop", payload: #"{"fail": "permanent"}"#))
        for id in ids { #expect(try fixture.job(id)?.state == .failed) }
        return ids
    }

    @Test("tabs by state carry their counts; the current tab is marked")
    func tabCounts() async throws {
        let fixture = try ConsoleFixture()
        _ = try await Self.failedJobs(fixture, 2)
        let store = try JobStore(path: fixture.databasePath)
        for _ in 0..<3 { try store.enqueue(NewJob(kind: "noop")) }
        let session = try await PageSession(fixture)
        let page = await session.get("/jobs", query: ["state": ["failed"]])
        #expect(page.status == 200)
        expectCleanPage(page)
        #expect(page.text.contains(#"<a href="/jobs?state=failed" aria-current="page">failed (2)</a>"#), "\(page.text)")
        #expect(page.text.contains(#"<a href="/jobs?state=available">available (3)</a>"#))
        #expect(page.text.contains(#"<a href="/jobs">all (5)</a>"#))
        #expect(page.text.components(separatedBy: #"<input type="checkbox" name="id""#).count - 1 == 2)
        for label in ["Kind", "Queue", "Integration", "Search payload and errors"] { #expect(page.text.contains("\(label) <")) }
    }

    @Test("newest first, fifty a page, an Older link with before= to the next page")
    func pagination() async throws {
        let fixture = try ConsoleFixture()
        let store = try JobStore(path: fixture.databasePath)
        var ids: [Int64] = []
        for _ in 0..<60 { ids.append(try store.enqueue(NewJob(kind: "noop")).id) }
        let session = try await PageSession(fixture)
        let first = await session.get("/jobs")
        #expect(first.text.components(separatedBy: #"<a href="/jobs/"#).count - 1 == 50)
        #expect(first.text.contains(#"<a href="/jobs/\#(ids[59])">"#))
        #expect(!first.text.contains(#"<a href="/jobs/\#(ids[9])">"#))
        let older = #"<a href="/jobs?before=\#(ids[10])">Older jobs</a>"#
        #expect(first.text.contains(older), "\(first.text)")
        let second = await session.get("/jobs", query: ["before": ["\(ids[10])"]])
        #expect(second.text.components(separatedBy: #"<a href="/jobs/"#).count - 1 == 10)
        #expect(second.text.contains(#"<a href="/jobs/\#(ids[0])">"#))
        #expect(!second.text.contains("Older jobs"))
    }

    @Test("a job's page shows its errors and redacts secret-looking payload values")
    func jobDetail() async throws {
        let fixture = try ConsoleFixture()
        let id = try await fixture.runToEnd(kind: "noop", payload: #"{"fail": "permanent", "password": "hunter2"}"#)
        let session = try await PageSession(fixture)
        let page = await session.get("/jobs/\(id)")
        #expect(page.status == 200)
        expectCleanPage(page)
        #expect(!page.text.contains("hunter2"))
        #expect(page.text.contains("(redacted)"))
        #expect(page.text.contains("Errors by attempt"))
        #expect(page.text.contains(#"action="/jobs/\#(id)/retry""#))
        #expect(!page.text.contains(#"action="/jobs/\#(id)/cancel""#))
        #expect(await session.get("/jobs/999").status == 404)
        #expect(await session.get("/jobs/abc").status == 400)
    }

    @Test("retry from the job's page goes through the service and comes back with a notice")
    func retryAction() async throws {
        let fixture = try ConsoleFixture()
        let id = try await fixture.runToEnd(kind: "noop", payload: #"{"fail": "permanent"}"#)
        let session = try await PageSession(fixture)
        let page = try await session.postAndFollow("/jobs/\(id)/retry")
        #expect(page.text.contains("job \(id) is back on the queue"))
        #expect(try fixture.job(id)?.state == .available)
        // Again: the service refuses, and the page says why.
        let again = try await session.postAndFollow("/jobs/\(id)/retry")
        #expect(again.text.contains("role=\"alert\""))
        #expect(again.text.contains("only failed or cancelled jobs can be retried"))
    }

    @Test("a retry the integration's status refuses says which status")
    func retryRefusedByStatus() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let id = try await fixture.runToEnd(kind: JobKinds.nightlyImport, integration: "oak")
        let session = try await PageSession(fixture)
        let page = try await session.postAndFollow("/jobs/\(id)/retry")
        #expect(page.text.contains("is Error: nightly imports run only while it is On"), "\(page.text)")
        #expect(try fixture.job(id)?.state == .failed)
    }

    @Test("a page form without the CSRF token is refused and changes nothing")
    func csrfRefused() async throws {
        let fixture = try ConsoleFixture()
        let id = try await fixture.runToEnd(kind: "noop", payload: #"{"fail": "permanent"}"#)
        let session = try await PageSession(fixture)
        let response = await session.post("/jobs/\(id)/retry", csrf: false)
        #expect(response.status == 403)
        #expect(try fixture.job(id)?.state == .failed)
        let wrong = await session.post("/jobs/\(id)/retry", [("csrf", String(repeating: "0", count: 64))], csrf: false)
        #expect(wrong.status == 403)
        #expect(try fixture.job(id)?.state == .failed)
    }

    @Test("a bearer caller may read pages but not use their forms")
    func bearerCannotPost() async throws {
        let fixture = try ConsoleFixture()
        let id = try await fixture.runToEnd(kind: "noop", payload: #"{"fail": "permanent"}"#)
        let page = await fixture.api("GET", "/jobs/\(id)")
        #expect(page.status == 200)
        #expect(!page.text.contains("<form method=\"post\"") && !page.text.contains("<form class=\"inline\" method=\"post\""))
        let post = await fixture.api("POST", "/jobs/\(id)/retry")
        #expect(post.status == 403)
        #expect(try fixture.job(id)?.state == .failed)
    }

    @Test("a bulk retry of ticked jobs first shows how many, then retries them")
    func bulkSelected() async throws {
        let fixture = try ConsoleFixture()
        let ids = try await Self.failedJobs(fixture, 3)
        let session = try await PageSession(fixture)
        let fields = [("state", "failed"), ("action", "retry"), ("scope", "selected"), ("id", "\(ids[0])"), ("id", "\(ids[2])")]
        let confirm = await session.post("/jobs/bulk", fields)
        #expect(confirm.status == 200)
        expectCleanPage(confirm)
        #expect(confirm.text.contains(#"<strong class="count" id="confirm-count">2</strong> job(s) will be retried."#))
        #expect(try fixture.job(ids[0])?.state == .failed, "nothing happens before the confirmation")
        let done = try await session.postAndFollow("/jobs/bulk", fields + [("confirmed", "yes")])
        #expect(done.text.contains("retried 2 jobs"))
        #expect(try fixture.job(ids[0])?.state == .available)
        #expect(try fixture.job(ids[1])?.state == .failed)
        #expect(try fixture.job(ids[2])?.state == .available)
    }

    @Test("everything matching the filter: the confirmation counts them, and jobs added since are left alone")
    func bulkMatching() async throws {
        let fixture = try ConsoleFixture()
        let ids = try await Self.failedJobs(fixture, 3)
        let session = try await PageSession(fixture)
        let fields = [("state", "failed"), ("kind", "noop"), ("action", "retry"), ("scope", "matching")]
        let confirm = await session.post("/jobs/bulk", fields)
        #expect(confirm.text.contains(#"id="confirm-count">3</strong>"#))
        let upto = try #require(confirm.text.range(of: #"name="upto" value=""#)).upperBound
        let uptoValue = String(confirm.text[upto...].prefix { $0 != "\"" })
        #expect(uptoValue == "\(ids.max()!)")
        let later = try await Self.failedJobs(fixture, 1)
        let done = try await session.postAndFollow("/jobs/bulk", fields + [("upto", uptoValue), ("confirmed", "yes")])
        #expect(done.text.contains("retried 3 jobs"), "\(done.text)")
        for id in ids { #expect(try fixture.job(id)?.state == .available) }
        #expect(try fixture.job(later[0])?.state == .failed)
    }

    @Test("a bulk action with nothing ticked says what to do")
    func bulkNothingTicked() async throws {
        let fixture = try ConsoleFixture()
        let session = try await PageSession(fixture)
        let response = await session.post("/jobs/bulk", [("action", "retry"), ("scope", "selected")])
        #expect(response.status == 303)
        #expect(PageSession.parameter("error", of: response) == "tick at least one job, or choose every job matching this filter")
    }
}
