import Foundation
import MISLinkHTTP
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import Testing

/// Issue 11: the console's plans. A held plan is counted as needing attention, shown with its
/// counts and each change before and after, and applied (whole or without the held changes) or
/// discarded by its buttons.
@Suite struct PlanPagesTests {
    /// Writes oak's export folder: `pupils` as (MIS id, surname, end date).
    private func export(_ fixture: ConsoleFixture, _ pupils: [(String, String, String)]) throws {
        let folder = fixture.root.appendingPathComponent("mis-oak")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let header = "mis_id,upn,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,gender,year_group,reg_group,email,mobile,address,postcode,start_date,end_date,status,consent"
        let rows = pupils.map { "\($0.0),,Kid,\($0.1),,,2018-03-14,F,2,2A,,,,OX1 1AA,2022-09-01,\($0.2),\($0.2.isEmpty ? "active" : "inactive")," }
        try ([header] + rows).joined(separator: "\n").write(to: folder.appendingPathComponent("students.csv"), atomically: true, encoding: .utf8)
        try (header + ",expected_start_date").write(to: folder.appendingPathComponent("preadmissions.csv"), atomically: true, encoding: .utf8)
        try "mis_id,ni_number,title,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,gender,post,email,mobile,address,postcode,start_date,end_date,status,consent"
            .write(to: folder.appendingPathComponent("staff.csv"), atomically: true, encoding: .utf8)
        try "mis_id,student_mis_id,relationship,forename,surname,email,mobile,priority,parental_responsibility"
            .write(to: folder.appendingPathComponent("contacts.csv"), atomically: true, encoding: .utf8)
    }

    /// Oak (new records created) with ten pupils imported.
    private func tenPupilsImported() async throws -> ConsoleFixture {
        let fixture = try ConsoleFixture()
        var oak = try fixture.addIntegration()
        oak.settings.newRecords = .create
        try fixture.store.save(oak)
        try export(fixture, (1...10).map { ("M\($0)", "Roe", "") })
        _ = try await fixture.runToEnd(kind: JobKinds.nightlyImport, integration: "oak")
        return fixture
    }

    @Test("a held plan needs attention, shows its changes before and after, and its buttons apply it without the held changes or discard another")
    func heldPlan() async throws {
        let fixture = try await tenPupilsImported()
        // Five leave at once (past the 10% guard) and M1's surname changes, to one with markup in it.
        try export(fixture, (1...10).map { ("M\($0)", $0 == 1 ? "<b>Roe</b>" : "Roe", $0 > 5 ? "2026-11-01" : "") })
        let held = try await fixture.runToEnd(kind: JobKinds.nightlyImport, integration: "oak")

        let session = try await PageSession(fixture)
        let overview = await session.get("/")
        #expect(overview.text.contains(#"<a href="/plans?review=1"><span class="count">1</span> plans held by a guard</a>"#))
        let list = await session.get("/plans", query: ["review": ["1"]])
        expectCleanPage(list)
        #expect(list.text.contains(#"<a href="/plans/\#(held)">Plan \#(held)</a>"#) && list.text.contains("<td>held</td>"), "\(list.text)")

        let page = await session.get("/plans/\(held)")
        expectCleanPage(page)
        #expect(page.text.contains("Held: mass-leaver guard (all.recycle): 5 of 10 current records would move to the recycle bin (50%), over the limit 10%"))
        #expect(page.text.contains("<li>legal_surname: Roe → &lt;b&gt;Roe&lt;/b&gt;</li>"), "\(page.text)")
        #expect(!page.text.contains("<b>Roe</b>"))
        #expect(page.text.contains("leaver <strong>(held)</strong>"))
        for button in ["Apply this plan", "Apply all but the held changes", "Discard"] { #expect(page.text.contains(button)) }
        let leaversOnly = await session.get("/plans/\(held)", query: ["kind": ["leaver"]])
        #expect(!leaversOnly.text.contains("legal_surname: Roe"))

        let applying = try await session.postAndFollow("/plans/\(held)/apply-except-held")
        #expect(applying.text.contains("plan \(held) without its held changes is being applied by job"), "\(applying.text)")
        _ = try await fixture.runToEnd(kind: JobKinds.noop)
        let applied = await session.get("/plans/\(held)")
        #expect(applied.text.contains("<strong>applied</strong>"), "\(applied.text)")
        #expect(!applied.text.contains("Apply this plan"))

        // The next import is held again; discarded from its page.
        let again = try await fixture.runToEnd(kind: JobKinds.nightlyImport, integration: "oak")
        let discarded = try await session.postAndFollow("/plans/\(again)/discard")
        #expect(discarded.text.contains("plan \(again) is discarded") && discarded.text.contains("<strong>discarded</strong>"))
        let refused = try await session.postAndFollow("/plans/\(again)/apply")
        #expect(refused.text.contains("only a ready or held plan can be applied"), "\(refused.text)")
        #expect(await session.get("/plans/nope").status == 404)
    }
}

extension PlanPagesTests {
    @Test("the plans API lists, shows by kind, applies and discards as the command line does, and refuses bad input by name")
    func plansAPI() async throws {
        let fixture = try await tenPupilsImported()
        try export(fixture, (1...10).map { ("M\($0)", $0 == 1 ? "Roe-Smith" : "Roe", "") })
        let plan = try await fixture.runToEnd(kind: JobKinds.nightlyImport, integration: "oak", payload: #"{"planOnly": true}"#)

        let list = await fixture.api("GET", "/api/plans", query: ["review": ["true"]])
        #expect(list.status == 200)
        #expect(list.array.map { $0["id"] as? Int64 } == [plan] && list.array.first?["state"] as? String == "ready")
        let shown = await fixture.api("GET", "/api/plans/\(plan)", query: ["kind": ["update"]])
        let changes = shown.object["changes"] as? [[String: Any]] ?? []
        #expect(changes.count == 1 && changes.first?["misId"] as? String == "M1", "\(shown.text)")
        #expect(await fixture.api("GET", "/api/plans/\(plan)", query: ["kind": ["nope"]]).status == 400)
        #expect(await fixture.api("POST", "/api/plans/\(plan)/apply", json: ["exceptHeld": "yes"]).status == 400)
        let discarded = await fixture.api("POST", "/api/plans/\(plan)/discard", json: [String: Any]())
        #expect(discarded.status == 200, "\(discarded.text)")
        let again = await fixture.api("POST", "/api/plans/\(plan)/apply", json: [String: Any]())
        #expect(again.status >= 400 && again.text.contains("only a ready or held plan can be applied"), "\(again.text)")
        #expect(await fixture.api("GET", "/api/plans/0").status == 404)
    }
}
