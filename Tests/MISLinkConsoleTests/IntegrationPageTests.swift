import Foundation
import MISLinkConsole
import MISLinkHTTP
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import Testing

struct IntegrationPageTests {
    static let hostile = "<img src=x onerror=alert(1)>"

    @Test("an integration's page escapes MIS values and never shows a secret")
    func escapesAndHidesSecrets() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let store = try fixture.store
        var oak = try store.require("oak")
        oak.secrets["password"] = try SecretReference(parsing: "env:OAK_PASSWORD")
        oak.errorReason = "pupil \(Self.hostile) broke it"
        try store.save(oak)
        var record = ImportRecord(integration: "oak", jobID: nil, kind: JobKinds.nightlyImport, startedAt: JobStore.now() - 60_000, finishedAt: JobStore.now())
        record.added = 4
        record.report = #"{"skipped": [{"name": "\#(Self.hostile)", "reason": "no year group"}]}"#
        try store.recordImport(record)

        let session = try await PageSession(fixture)
        let page = await session.get("/integrations/oak")
        #expect(page.status == 200)
        expectCleanPage(page)
        #expect(!page.text.contains("<img"))
        #expect(page.text.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!page.text.contains("OAK_PASSWORD"))
        #expect(page.text.contains(#"<th scope="row">password</th><td>(set)</td>"#))
        #expect(page.text.contains("added 4") || page.text.contains(": 4 added</title>"), "the night's chart has its bar")
        let list = await session.get("/integrations")
        expectCleanPage(list)
        #expect(!list.text.contains("<img") && !list.text.contains("OAK_PASSWORD"))
    }

    @Test("an integration's page shows its quiet periods, the one running or next, and a next import after it")
    func quietPeriods() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let store = try fixture.store
        var oak = try store.require("oak")
        try oak.settings.set("quiet", "2040-12-25,2026-01-01..2030-12-31")
        try store.save(oak)
        let session = try await PageSession(fixture)
        let page = await session.get("/integrations/oak")
        #expect(page.status == 200)
        #expect(page.text.contains("2026-01-01..2030-12-31 (no scheduled import)"), "the period running now")
        #expect(page.text.contains("2026-01-01..2030-12-31, 2040-12-25"), "the setting, sorted")
        #expect(page.text.contains("2031-01-01"), "the next import steps over the quiet period")
    }

    @Test("a Pending integration offers only what Pending allows and names the rest as refused")
    func pendingActions() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration("elm", status: .pending)
        let session = try await PageSession(fixture)
        let page = await session.get("/integrations/elm")
        #expect(page.text.contains(#"action="/integrations/elm/rerun-wizard""#))
        #expect(page.text.contains(#"action="/integrations/elm/remove""#))
        for refused in ["on", "off", "absence-sync", "rematch", "go-live", "import"] {
            #expect(!page.text.contains(#"action="/integrations/elm/\#(refused)""#), "\(refused)")
        }
        #expect(page.text.contains("Not allowed while Pending: turning it on, turning it off"))
    }

    @Test("turning an integration off goes through the service; a refusal names the status that refuses it")
    func switchesAndRefusal() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let session = try await PageSession(fixture)
        let page = await session.get("/integrations/oak")
        #expect(page.text.contains(#"action="/integrations/oak/off""#))
        let off = try await session.postAndFollow("/integrations/oak/off")
        #expect(off.text.contains("integration oak is Off"))
        #expect(try fixture.store.require("oak").status == .off)

        let sync = try await session.postAndFollow("/integrations/oak/absence-sync", [("value", "off")])
        #expect(sync.text.contains("absence sync is off"))
        #expect(try fixture.store.require("oak").absenceSync == false)

        // The page offered "on"; meanwhile the integration became Ready, which refuses it.
        try fixture.setStatus("oak", .ready)
        let refused = await session.post("/integrations/oak/on")
        #expect(refused.status == 303)
        let shown = await session.follow(try #require(refused.headers["Location"]))
        #expect(shown.text.contains("role=\"alert\""))
        #expect(shown.text.contains("is Ready: integration on/off is not allowed while it is Ready"), "\(shown.text)")
        #expect(try fixture.store.require("oak").status == .ready)
    }

    @Test("re-run wizard and the guard's re-run enqueue their jobs through the service")
    func enqueueActions() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        try fixture.store.recordGuardTrip(integration: "oak", now: 1)
        let session = try await PageSession(fixture)
        let page = await session.get("/integrations/oak")
        #expect(page.text.contains("Held 1 import(s) so far as a plan for a decision"))
        #expect(page.text.contains(#"href="/plans?integration=oak""#))
        #expect(page.text.contains(#"name="allowMassLeavers" value="true""#))

        let wizard = try await session.postAndFollow("/integrations/oak/rerun-wizard")
        #expect(wizard.text.contains("the setup wizard&#39;s re-run enqueued as job"))
        let rerun = try await session.postAndFollow("/integrations/oak/import", [("allowMassLeavers", "true")])
        #expect(rerun.text.contains("a nightly import allowing mass leavers enqueued as job"))
        let jobs = try JobStore(path: fixture.databasePath).jobs(matching: JobFilter(integration: "oak"))
        #expect(Set(jobs.map(\.kind)) == [JobKinds.rerunWizard, JobKinds.nightlyImport])
        let nightly = try #require(jobs.first { $0.kind == JobKinds.nightlyImport })
        #expect(nightly.payload.contains("allowMassLeavers"))
    }

    @Test("remove asks first, then deletes the integration")
    func removeConfirmed() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let session = try await PageSession(fixture)
        let confirm = await session.post("/integrations/oak/remove")
        #expect(confirm.status == 200)
        expectCleanPage(confirm)
        #expect(confirm.text.contains("This cannot be undone."))
        #expect(try fixture.store.integration("oak") != nil)
        let done = try await session.postAndFollow("/integrations/oak/remove", [("confirmed", "yes")])
        #expect(done.text.contains("integration oak removed"))
        #expect(try fixture.store.integration("oak") == nil)
        #expect(await session.get("/integrations/oak").status == 404)
    }
}

extension IntegrationPageTests {
    @Test("each status shows exactly the buttons the state table allows", arguments: IntegrationStatus.allCases)
    func buttonsFollowTheStateTable(status: IntegrationStatus) async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration("oak", status: status)
        let session = try await PageSession(fixture)
        let html = await session.get("/integrations/oak").text
        let marker = #"action="/integrations/oak/"#
        let shown = Set(html.components(separatedBy: marker).dropFirst().map { String($0.prefix { $0 != "\"" }) })
        let integration = try fixture.store.require("oak")
        let expected = Set(IntegrationActions.allowed(for: integration).filter { $0 != .intakeDecisions }.map(\.rawValue))
        #expect(shown == expected, "\(status)")
    }

    @Test("go-live of a Ready integration enqueues its initial upload")
    func goLive() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration("oak", status: .ready)
        let session = try await PageSession(fixture)
        let page = try await session.postAndFollow("/integrations/oak/go-live")
        #expect(page.text.contains("the initial upload is job"))
        let jobs = try JobStore(path: fixture.databasePath).jobs(matching: JobFilter(kind: JobKinds.initialUpload))
        #expect(jobs.count == 1)
    }
}
