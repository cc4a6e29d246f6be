import Foundation
import MISLinkConsole
import MISLinkHTTP
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import MISLinkTestSupport
import Testing

struct IntegrationsAPITests {
    /// Each column of the seed's table, as the API is asked.
    static let requests: [(column: String, path: String, body: [String: String]?)] = [
        ("on/off", "on", nil), ("on/off", "off", nil),
        ("absence", "sync", ["switch": "absence", "on": "false"]), ("contract", "sync", ["switch": "contract", "on": "false"]),
        ("staff", "sync", ["switch": "staff", "on": "true"]), ("wizard", "rerun-wizard", nil), ("rematch", "rematch", nil),
    ]

    @Test("every action is allowed or refused with 409 exactly as the seed's state table says, naming the status",
          arguments: IntegrationStatus.allCases)
    func stateTable(status: IntegrationStatus) async throws {
        for request in Self.requests {
            let fixture = try ConsoleFixture()
            try fixture.addIntegration(status: status)
            // The switch's "on" as JSON's true or false.
            let body = request.body.map { ["switch": $0["switch"]!, "on": $0["on"] == "true"] as [String: Any] }
            let response = await fixture.api("POST", "/api/integrations/oak/\(request.path)", json: body)
            if SeedStateTable.allows(status.rawValue, request.column) {
                #expect([200, 201].contains(response.status), "\(request.path) \(status): \(response.text)")
            } else {
                #expect(response.status == 409, "\(request.path) \(status)")
                #expect(response.object["error"] as? String == "refused")
                #expect((response.object["message"] as? String)?.contains(status.title) == true)
                #expect(try JobStore(path: fixture.databasePath).jobs(matching: JobFilter()).isEmpty)
            }
        }
    }

    @Test("on, off and the sync switches change the integration and answer it with the actions it now allows")
    func switches() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration(status: .on)
        let off = await fixture.api("POST", "/api/integrations/oak/off")
        #expect(off.object["status"] as? String == "off")
        #expect((off.object["actions"] as? [String])?.contains("on") == true)
        #expect((off.object["actions"] as? [String])?.contains("off") == false)
        let sync = await fixture.api("POST", "/api/integrations/oak/sync", json: ["switch": "contract", "on": false])
        #expect(sync.status == 200 && sync.object["contractSync"] as? Bool == false)
        #expect(try fixture.store.require("oak").contractSync == false)
        for body in [["switch": "lunch", "on": true], ["switch": "staff", "on": "yes"], ["switch": "staff"], ["on": true, "colour": 1]] as [[String: Any]] {
            #expect(await fixture.api("POST", "/api/integrations/oak/sync", json: body).status == 400, "\(body)")
        }
        #expect(await fixture.api("POST", "/api/integrations/nope/on").status == 404)
        #expect(await fixture.api("GET", "/api/integrations/oak/on").status == 405)
    }

    @Test("go-live enqueues the initial upload of a Ready integration; any other status is refused naming it")
    func goLive() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration(status: .ready)
        let first = await fixture.api("POST", "/api/integrations/oak/go-live")
        #expect(first.status == 201)
        let id = try #require(first.object["id"] as? Int)
        #expect(try fixture.job(Int64(id))?.kind == JobKinds.initialUpload)
        try fixture.setStatus("oak", .on)
        let refused = await fixture.api("POST", "/api/integrations/oak/go-live")
        #expect(refused.status == 409 && (refused.object["message"] as? String)?.contains("On") == true)
    }

    @Test("import enqueues a nightly import as `enqueue nightly-import` does, allowing mass leavers when asked; Off refuses")
    func importNow() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration(status: .on)
        let first = await fixture.api("POST", "/api/integrations/oak/import", json: ["allowMassLeavers": true])
        #expect(first.status == 201, "\(first.text)")
        let id = try #require(first.object["id"] as? Int)
        let job = try #require(try fixture.job(Int64(id)))
        #expect(job.kind == JobKinds.nightlyImport && job.payload.contains("\"allowMassLeavers\""))
        let again = await fixture.api("POST", "/api/integrations/oak/import")
        #expect(again.status == 200 && again.object["inserted"] as? Bool == false)
        #expect(await fixture.api("POST", "/api/integrations/oak/import", json: ["allowMassLeavers": "yes"]).status == 400)
        let other = try ConsoleFixture()
        try other.addIntegration(status: .off)
        let refused = await other.api("POST", "/api/integrations/oak/import")
        #expect(refused.status == 409 && (refused.object["message"] as? String)?.contains("Off") == true)
    }

    @Test("links and the changes report, as the command line's --json")
    func linksAndChanges() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        try fixture.store.link(Link(integration: "oak", role: .pupil, misID: "M1", targetID: "P1", origin: .manual, rule: "manual", createdAt: 0))
        let links = await fixture.api("GET", "/api/integrations/oak/links")
        #expect(links.status == 200 && links.array.first?["targetId"] as? String == "P1")
        let changes = await fixture.api("GET", "/api/integrations/oak/changes")
        #expect(changes.status == 200, "\(changes.text)")
        #expect(changes.array.isEmpty)
        #expect(await fixture.api("GET", "/api/integrations/nope/links").status == 404)
    }

    @Test("no answer shows a secret: neither its value nor where it lives")
    func secrets() async throws {
        let fixture = try ConsoleFixture()
        var integration = Integration(id: "oak", connector: "csv", target: "directory", now: 0)
        integration.config = ["dir": fixture.root.path + "/mis", "db": fixture.root.path + "/lib.sqlite"]
        integration.secrets = ["mapping": try SecretReference(parsing: "env:MIS_TOKEN_VERY_SECRET")]
        integration.status = .on
        try fixture.store.add(integration)
        for (method, path) in [("GET", "/api/integrations/oak"), ("GET", "/api/integrations"), ("POST", "/api/integrations/oak/off"),
                               ("POST", "/api/integrations/oak/on"), ("GET", "/api/integrations/oak/links")] {
            let response = await fixture.api(method, path)
            #expect(!response.text.contains("MIS_TOKEN_VERY_SECRET"), "\(path)")
        }
        #expect(await fixture.api("GET", "/api/integrations/oak").object["secrets"] as? [String: String] == ["mapping": "(set)"])
    }
}
