import Foundation
import MISLinkConsole
import MISLinkHTTP
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import Testing

struct OverviewPageTests {
    @Test("the overview counts what needs attention, each count linking to its list")
    func attentionCounts() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration("oak")
        try fixture.addIntegration("elm", status: .pending)
        try fixture.addIntegration("ash")
        // A nightly import that fails for good (no export folder): a failed job and oak in Error.
        _ = try await fixture.runToEnd(kind: JobKinds.nightlyImport, integration: "oak")
        let store = try fixture.store
        try store.sendToIntake(integration: "ash", role: .pupil, misID: "M1", name: "Ada", record: "{}", reason: "no match", now: 1)
        try store.sendToIntake(integration: "ash", role: .staff, misID: "S1", name: "Bo", record: "{}", reason: "no match", now: 1)
        try store.recordGuardTrip(integration: "ash", now: 1)
        // ash imported an hour ago: not stale. oak (Error) never has: stale.
        let now = JobStore.now()
        try store.recordImport(ImportRecord(integration: "ash", jobID: nil, kind: JobKinds.nightlyImport, startedAt: now - 3_700_000, finishedAt: now - 3_600_000))
        try JobStore(path: fixture.databasePath).enqueue(
            NewJob(kind: JobKinds.writeBack, queue: "write-back", integration: "ash", runAt: now - 125_000))

        let session = try await PageSession(fixture)
        let page = await session.get("/")
        #expect(page.status == 200)
        expectCleanPage(page)
        let html = page.text
        #expect(html.contains(#"<a href="/jobs?state=failed"><span class="count">1</span> failed jobs</a>"#), "\(html)")
        #expect(html.contains(#"<a href="/intake"><span class="count">2</span> intake entries waiting</a>"#))
        #expect(html.contains(#"<a href="/integrations?status=error,pending"><span class="count">2</span> integrations in Error or Pending</a>"#))
        #expect(html.contains(#"<a href="/integrations?attention=guard"><span class="count">1</span> imports held by a guard, all time</a>"#))
        #expect(html.contains(#"<a href="/plans?review=1"><span class="count">0</span> plans held by a guard</a>"#))
        #expect(html.contains(#"<a href="/integrations?attention=stale"><span class="count">1</span> integrations with no successful import in 26 h</a>"#))
        #expect(html.contains(#"<span class="count">2m"#), "the write-back has waited a little over two minutes")
        #expect(html.contains(#"aria-current="page">Overview</a>"#))
        #expect(html.contains("Times are in the school&#39;s time zone, Europe/London."))

        // The links answer the lists they promise.
        let inError = await session.get("/integrations", query: ["status": ["error,pending"]])
        #expect(inError.text.contains(#"href="/integrations/oak""#) && inError.text.contains(#"href="/integrations/elm""#))
        #expect(!inError.text.contains(#"href="/integrations/ash""#))
        let stale = await session.get("/integrations", query: ["attention": ["stale"]])
        #expect(stale.text.contains(#"href="/integrations/oak""#) && !stale.text.contains(#"href="/integrations/ash""#))
        let guarded = await session.get("/integrations", query: ["attention": ["guard"]])
        #expect(guarded.text.contains(#"href="/integrations/ash""#) && !guarded.text.contains(#"href="/integrations/oak""#))
    }

    @Test("with no activity yet the chart says so in words")
    func emptyActivity() async throws {
        let fixture = try ConsoleFixture()
        let page = await fixture.api("GET", "/")
        #expect(page.status == 200)
        #expect(page.text.contains("No jobs finished in this time."))
        #expect(page.text.contains("Times are in UTC (no integration names a time zone)."))
        #expect(page.text.contains(#"<span class="count">none waiting</span>"#))
    }

    @Test("an unknown filter value is refused by name, escaped")
    func badFilter() async throws {
        let fixture = try ConsoleFixture()
        let response = await fixture.api("GET", "/integrations", query: ["status": ["<b>"]])
        #expect(response.status == 400)
        #expect(response.text.contains("unknown integration status &#39;&lt;b&gt;&#39;"))
    }
}
