import Foundation
import MISLinkConsole
import MISLinkHTTP
import MISLinkQueue
import MISLinkSync
import Testing

struct QueuesPageTests {
    @Test("the queues page shows depth by state and pauses and resumes a queue through the service")
    func pauseAndResume() async throws {
        let fixture = try ConsoleFixture()
        let store = try JobStore(path: fixture.databasePath)
        for _ in 0..<3 { try store.enqueue(NewJob(kind: "noop")) }
        let session = try await PageSession(fixture)
        let page = await session.get("/queues")
        #expect(page.status == 200)
        expectCleanPage(page)
        #expect(page.text.contains(#"<th scope="row">default</th>"#))
        #expect(page.text.contains(#"<a href="/jobs?state=available&amp;queue=default">3</a>"#), "\(page.text)")
        #expect(page.text.contains("no worker is registered."))

        let paused = try await session.postAndFollow("/queues/default/pause")
        #expect(paused.text.contains("queue default is paused: workers claim nothing from it"))
        #expect(paused.text.contains(#"action="/queues/default/resume""#))
        #expect(try JobAdmin(environment: fixture.environment).queues().first { $0.name == "default" }?.isPaused == true)

        let resumed = try await session.postAndFollow("/queues/default/resume")
        #expect(resumed.text.contains("queue default is resumed"))
        #expect(try JobAdmin(environment: fixture.environment).queues().first { $0.name == "default" }?.isPaused == false)
    }

    @Test("a queue with no jobs yet can be paused by name; a bad name is refused, saying why")
    func pauseByName() async throws {
        let fixture = try ConsoleFixture()
        let session = try await PageSession(fixture)
        let page = try await session.postAndFollow("/queues/pause", [("queue", "imports")])
        #expect(page.text.contains("queue imports is paused"))
        #expect(page.text.contains(#"<th scope="row">imports</th>"#))
        let bad = await session.post("/queues/pause", [("queue", "no such/queue")])
        #expect(bad.status == 303)
        #expect(PageSession.parameter("error", of: bad)?.contains("is not a queue name") == true)
    }
}
