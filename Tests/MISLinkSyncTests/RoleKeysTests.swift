import CSVConnector
import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkRunner
import MISLinkTestSupport
import Testing
import WondeConnector

@testable import MISLinkSync

/// Keys both plugins of an integration take are given for one of them: `connector.KEY`, `target.KEY`.
@Suite struct RoleKeysTests {
    @Test("each plugin sees the plain keys and its own prefixed ones, over the plain")
    func views() {
        let entries = ["dir": "/exports", "token": "plain", "target.token": "the target's", "connector.url": "https://mis", "target.": "odd"]
        #expect(RoleKeys.view(entries, for: .connector) == ["dir": "/exports", "token": "plain", "url": "https://mis", "target.": "odd"])
        #expect(RoleKeys.view(entries, for: .target) == ["dir": "/exports", "token": "the target's", "target.": "odd"])
    }

    private func service(_ school: SyncFixture) throws -> IntegrationService {
        let plugins = PluginRegistry()
        try plugins.register(connector: CSVConnectorPlugin())
        try plugins.register(connector: WondeConnectorPlugin())
        try plugins.register(target: DirectoryTargetPlugin())
        try plugins.register(target: PickyTargetPlugin())
        return IntegrationService(environment: SyncEnvironment(databasePath: school.databasePath, plugins: plugins))
    }

    private func wondeToPicky(_ school: SyncFixture, secrets: [String: String]) -> IntegrationDraft {
        IntegrationDraft(
            id: "oak", connector: "wonde", target: "picky", config: ["school": "A1930499544", "db": school.libraryPath],
            secrets: secrets)
    }

    @Test("a plain key both plugins take is refused as ambiguous; prefixed, each gets its own")
    func ambiguousKeys() throws {
        let school = try SyncFixture()
        let service = try service(school)
        let refused = try #require(throws: SyncError.self) {
            try service.add(wondeToPicky(school, secrets: ["token": "env:WONDE_TOKEN"]))
        }
        #expect(refused.message.contains("'token' is a key of both the connector 'wonde' and the target 'picky'"), "\(refused.message)")
        #expect(refused.message.contains("connector.token or target.token"))
        let added = try service.add(
            wondeToPicky(school, secrets: ["connector.token": "env:WONDE_TOKEN", "target.token": "env:PICKY_TOKEN"]))
        #expect(added.secrets.count == 2)
        // The prefixed key reaches its plugin's own check under its plain name.
        let hooked = try #require(throws: SyncError.self) { try service.set("oak", [.config("target.db", "/tmp/people.txt")]) }
        #expect(hooked.message.contains("plugin 'picky' refused the configuration"))
        let wrongRole = try #require(throws: SyncError.self) { try service.set("oak", [.config("connector.db", "/tmp/x.sqlite")]) }
        #expect(wrongRole.message.contains("the connector 'wonde' takes no key 'db'"), "\(wrongRole.message)")
    }

    @Test("at run time the connector and the target are made from their own views")
    func sessionsSplitSecrets() throws {
        let school = try SyncFixture()
        var integration = Integration(id: "oak", connector: "csv", target: "directory", now: 0)
        integration.config = ["connector.dir": school.mis.path, "target.db": school.libraryPath]
        let plugins = PluginRegistry()
        try plugins.register(connector: CSVConnectorPlugin())
        try plugins.register(target: DirectoryTargetPlugin())
        let session = try PluginSession.open(
            integration, environment: SyncEnvironment(databasePath: school.databasePath, plugins: plugins), context: nil)
        #expect((session.connector as? CSVConnector)?.directory.path == school.mis.path)
    }
}
