import Foundation
import MISLinkConsole
import MISLinkHTTP
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import Testing

struct IntakePageTests {
    static let hostile = "<img src=x onerror=alert(1)>"

    static func seed(_ fixture: ConsoleFixture, status: IntegrationStatus = .on) throws {
        try fixture.addIntegration("oak", status: status)
        let store = try fixture.store
        try store.sendToIntake(integration: "oak", role: .pupil, misID: "M1", name: hostile, record: "{}", reason: "no match for \(hostile)", now: 1)
        try store.sendToIntake(integration: "oak", role: .pupil, misID: "M2", name: "Ada", record: "{}", reason: "no match", now: 1)
        try store.sendToIntake(integration: "oak", role: .staff, misID: "S1", name: "Bo", record: "{}", reason: "no match", now: 1)
    }

    @Test("intake shows a hostile pupil's name as text, with labelled filters and forms")
    func escapes() async throws {
        let fixture = try ConsoleFixture()
        try Self.seed(fixture)
        let session = try await PageSession(fixture)
        let page = await session.get("/intake")
        #expect(page.status == 200)
        expectCleanPage(page)
        #expect(!page.text.contains("<img"))
        #expect(page.text.contains("<td>&lt;img src=x onerror=alert(1)&gt;</td>"))
        #expect(page.text.contains("3 open entries match this filter."))
        #expect(page.text.contains(#"<label for="f-role">"#))
        let staff = await session.get("/intake", query: ["role": ["staff"]])
        #expect(staff.text.contains("1 open entry matches this filter."))
    }

    @Test("exclude one entry from its row, through the service")
    func excludeOne() async throws {
        let fixture = try ConsoleFixture()
        try Self.seed(fixture)
        let entry = try #require(try fixture.store.intake(integration: "oak").first { $0.misID == "M2" })
        let session = try await PageSession(fixture)
        let page = try await session.postAndFollow("/intake/\(entry.id)/exclude")
        #expect(page.text.contains("entry \(entry.id) is excluded"))
        #expect(try fixture.store.intakeEntry(entry.id).status == .excluded)
        #expect(page.text.contains("2 open entries match this filter."))
    }

    @Test("a bulk exclude of one role shows its count first, then excludes just those")
    func bulkByRole() async throws {
        let fixture = try ConsoleFixture()
        try Self.seed(fixture)
        let session = try await PageSession(fixture)
        let fields = [("integration", "oak"), ("role", "pupil"), ("action", "exclude")]
        let confirm = await session.post("/intake/bulk", fields)
        #expect(confirm.status == 200)
        expectCleanPage(confirm)
        #expect(confirm.text.contains(#"id="confirm-count">2</strong>"#))
        #expect(try fixture.store.intake(integration: "oak").count == 3, "nothing before the confirmation")
        let done = try await session.postAndFollow("/intake/bulk", fields + [("confirmed", "yes")])
        #expect(done.text.contains("excluded 2 entries"), "\(done.text)")
        let open = try fixture.store.intake(integration: "oak")
        #expect(open.map(\.misID) == ["S1"])
    }

    @Test("a decision the integration's status refuses says which status")
    func refusedByStatus() async throws {
        let fixture = try ConsoleFixture()
        try Self.seed(fixture, status: .pending)
        let entry = try #require(try fixture.store.intake(integration: "oak").first)
        let session = try await PageSession(fixture)
        let page = try await session.postAndFollow("/intake/\(entry.id)/exclude")
        #expect(page.text.contains("is Pending: intake decisions is not allowed while it is Pending"), "\(page.text)")
        #expect(try fixture.store.intakeEntry(entry.id).status == .open)
    }
}

extension IntakePageTests {
    @Test("intake is paged fifty at a time, keeping the filter in the page links")
    func paging() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let store = try fixture.store
        for index in 1...55 {
            try store.sendToIntake(integration: "oak", role: .pupil, misID: "M\(index)", name: "Pupil \(index)", record: "{}", reason: "no match", now: 1)
        }
        let session = try await PageSession(fixture)
        let first = await session.get("/intake", query: ["integration": ["oak"]])
        #expect(first.text.contains("55 open entries match this filter."))
        #expect(first.text.components(separatedBy: "<td>Pupil ").count - 1 == 50)
        #expect(first.text.contains(#"<a href="/intake?integration=oak&amp;page=2">Next page</a>"#))
        let second = await session.get("/intake", query: ["integration": ["oak"], "page": ["2"]])
        #expect(second.text.components(separatedBy: "<td>Pupil ").count - 1 == 5)
        #expect(second.text.contains("Previous page") && !second.text.contains("Next page"))
        #expect(await session.get("/intake", query: ["page": ["0"]]).status == 400)
    }
}
