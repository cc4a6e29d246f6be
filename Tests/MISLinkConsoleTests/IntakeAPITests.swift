import DirectoryTarget
import Foundation
import MISLinkConsole
import MISLinkHTTP
import MISLinkKit
import MISLinkSync
import SQLiteDB
import Testing

struct IntakeAPITests {
    static let hostile = "<img src=x onerror=alert(1)>"

    /// Puts a pupil in intake for integration `oak`; `candidates` as stored JSON (nil: not recorded).
    @discardableResult
    static func seed(_ fixture: ConsoleFixture, misID: String, forename: String = "Amy", surname: String = "Lee",
                     candidates: String? = "[]") throws -> Int64 {
        struct Stored: Encodable { let pupil: Pupil }
        let pupil = Pupil(details: PersonDetails(
            misID: misID, name: PersonName(legalForename: forename, legalSurname: surname), dateOfBirth: CalendarDate(iso: "2018-01-01")))
        let record = String(decoding: try JSONEncoder().encode(Stored(pupil: pupil)), as: UTF8.self)
        let store = try fixture.store
        try store.sendToIntake(
            integration: "oak", role: .pupil, misID: misID, name: "\(forename) \(surname)", record: record,
            reason: "no record in the target matches", candidates: candidates, now: 0)
        return try #require(try store.intake(integration: "oak").first { $0.misID == misID }).id
    }

    static func library(_ fixture: ConsoleFixture) -> DirectoryStore {
        DirectoryStore(path: fixture.root.appendingPathComponent("lib.sqlite").path)
    }

    @Test("GET /api/intake lists entries with their candidates, hostile names escaped; GET /api/intake/ID shows one")
    func listAndShow() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let candidate = IntakeCandidate(targetID: "P1", basis: .name, name: Self.hostile, dateOfBirth: CalendarDate(iso: "2017-12-12"))
        let json = String(decoding: try JSONEncoder().encode([candidate]), as: UTF8.self)
        let id = try Self.seed(fixture, misID: "M1", forename: Self.hostile, candidates: json)
        let list = await fixture.api("GET", "/api/intake", query: ["integration": ["oak"], "role": ["pupil"]])
        #expect(list.status == 200)
        #expect(!list.text.contains("<img") && list.text.contains("\\u003cimg"))
        let candidates = try #require(list.array.first?["candidates"] as? [[String: Any]])
        #expect(candidates.first?["basis"] as? String == "name" && candidates.first?["name"] as? String == Self.hostile)
        let shown = await fixture.api("GET", "/api/intake/\(id)")
        #expect(shown.status == 200 && shown.object["misId"] as? String == "M1")
        #expect(await fixture.api("GET", "/api/intake/9999").status == 404)
        #expect(await fixture.api("GET", "/api/intake", query: ["role": ["teacher"]]).status == 400)
        #expect(await fixture.api("GET", "/api/intake", query: ["integration": ["nope"]]).status == 404)
    }

    @Test("an entry made before candidates were recorded shows them worked out from the target")
    func candidatesOnDemand() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let target = try await Self.library(fixture).addManual(.pupil(Pupil(details: PersonDetails(
            misID: "", name: PersonName(legalForename: "Amy", legalSurname: "Lee"), dateOfBirth: CalendarDate(iso: "2016-06-06")))))
        let id = try Self.seed(fixture, misID: "M1", candidates: nil)
        #expect(await fixture.api("GET", "/api/intake").array.first?["candidates"] is NSNull)
        let shown = await fixture.api("GET", "/api/intake/\(id)")
        let candidates = try #require(shown.object["candidates"] as? [[String: Any]])
        #expect(candidates.map { $0["targetId"] as? String } == [target])
        #expect(candidates.first?["on"] as? String == "same name, other date of birth")
    }

    @Test("POST /api/intake/ID/match, /transfer and /exclude decide one entry; one already decided is 409, none 404")
    func singleDecisions() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let target = try await Self.library(fixture).addManual(.pupil(Pupil(details: PersonDetails(misID: "", name: PersonName(legalForename: "A", legalSurname: "Lee")))))
        let m1 = try Self.seed(fixture, misID: "M1")
        let m2 = try Self.seed(fixture, misID: "M2", forename: "Ben")
        let m3 = try Self.seed(fixture, misID: "M3", forename: "Cat")
        let matched = await fixture.api("POST", "/api/intake/\(m1)/match", json: ["targetID": target])
        #expect(matched.status == 200, "\(matched.text)")
        #expect(matched.object["status"] as? String == "matched" && matched.object["targetId"] as? String == target)
        let transferred = await fixture.api("POST", "/api/intake/\(m2)/transfer")
        #expect(transferred.status == 200, "\(transferred.text)")
        let created = try #require(transferred.object["targetId"] as? String)
        #expect(try await Self.library(fixture).person(created)?.misID == "M2")
        #expect(await fixture.api("POST", "/api/intake/\(m3)/exclude").object["status"] as? String == "excluded")
        let again = await fixture.api("POST", "/api/intake/\(m3)/transfer")
        #expect(again.status == 409 && again.object["error"] as? String == "conflict")
        #expect((again.object["message"] as? String)?.contains("already excluded") == true)
        #expect(await fixture.api("POST", "/api/intake/9999/exclude").status == 404)
        #expect(await fixture.api("POST", "/api/intake/\(m1)/match", json: ["targetID": 5]).status == 400)
        #expect(await fixture.api("GET", "/api/intake/\(m1)/match").status == 405)
        let links = try fixture.store.links(integration: "oak")
        #expect(links.map(\.misID) == ["M1", "M2"] && links.allSatisfy { $0.origin == .manual })
        #expect(try fixture.store.exclusions(integration: "oak").map(\.misID) == ["M3"])
    }

    @Test("intake decisions are refused with 409 naming the status where re-match is not allowed",
          arguments: IntegrationStatus.allCases)
    func refusedByStatus(status: IntegrationStatus) async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration(status: status)
        let id = try Self.seed(fixture, misID: "M1")
        let response = await fixture.api("POST", "/api/intake/\(id)/exclude")
        if StateTable.allows(.rematch, in: status) {
            #expect(response.status == 200, "\(response.text)")
        } else {
            #expect(response.status == 409)
            #expect(response.object["error"] as? String == "refused")
            #expect((response.object["message"] as? String)?.contains(status.title) == true)
            #expect(try fixture.store.intake(integration: "oak").count == 1)
        }
    }

    @Test("POST /api/intake/transfer|exclude|match take ids or all (of an integration, a role) and answer done and refused")
    func bulk() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let ids = try (1...4).map { try Self.seed(fixture, misID: "M\($0)", forename: "Kid\($0)") }
        let excluded = await fixture.api("POST", "/api/intake/exclude", json: ["ids": [ids[0], ids[1], 9999]])
        #expect(excluded.status == 200)
        #expect((excluded.object["done"] as? [[String: Any]])?.map { $0["id"] as? Int64 } == [ids[0], ids[1]])
        let refused = try #require(excluded.object["refused"] as? [[String: Any]])
        #expect(refused.first?["id"] as? Int64 == 9999 && refused.first?["error"] as? String == "not-found")
        let matched = await fixture.api("POST", "/api/intake/match", json: ["all": true, "integration": "oak", "role": "pupil"])
        #expect((matched.object["refused"] as? [[String: Any]])?.count == 2)
        #expect(((matched.object["refused"] as? [[String: Any]])?.first?["reason"] as? String)?.contains("no candidate") == true)
        let transferred = await fixture.api("POST", "/api/intake/transfer", json: ["all": true])
        #expect((transferred.object["done"] as? [[String: Any]])?.count == 2)
        #expect(try fixture.store.intake(integration: "oak").isEmpty)
        for body in [
            ["ids": [1], "all": true], ["ids": []], ["ids": ["1"]], ["ids": [true]], ["all": false], ["all": 1],
            ["all": true, "role": "teacher"], ["all": true, "colour": "blue"], [:],
        ] as [[String: Any]] {
            let response = await fixture.api("POST", "/api/intake/transfer", json: body)
            #expect(response.status == 400, "\(body)")
            #expect(response.object["error"] as? String == "invalid-input")
        }
    }

    @Test("a signed-in POST without the CSRF token is 403 and decides nothing; with it, it decides")
    func csrf() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let id = try Self.seed(fixture, misID: "M1")
        let cookie = try await fixture.signIn()
        let refused = await fixture.send("POST", "/api/intake/\(id)/exclude", headers: [("Cookie", cookie)])
        #expect(refused.status == 403)
        #expect(try fixture.store.intake(integration: "oak").count == 1)
        let csrf = try await fixture.csrfToken(cookie: cookie)
        let done = await fixture.send("POST", "/api/intake/\(id)/exclude", headers: [("Cookie", cookie), ("X-CSRF-Token", csrf)])
        #expect(done.status == 200, "\(done.text)")
        #expect(try fixture.store.intake(integration: "oak").isEmpty)
    }
}
