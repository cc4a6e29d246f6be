import Foundation
import MISLinkKit
import MISLinkRunner
import Testing

private struct FakeConnectorPlugin: ConnectorPlugin {
    let manifest: PluginManifest
    struct Nothing: Connector {
        func readPupils(changedSince: Date?, context: PluginContext) async throws -> [Pupil] { [] }
        func readStaff(changedSince: Date?, context: PluginContext) async throws -> [StaffMember] { [] }
    }
    func makeConnector(config: PluginConfig) throws -> any Connector { Nothing() }
}

@Suite struct PluginRegistryTests {
    private func plugin(_ version: KitVersion, role: PluginRole = .connector) -> FakeConnectorPlugin {
        FakeConnectorPlugin(
            manifest: PluginManifest(id: "fake", role: role, version: "0.1", kitVersion: version, summary: "a fake", configKeys: []))
    }

    @Test("a plugin built for this kit or an older minor version is taken")
    func compatible() throws {
        let registry = PluginRegistry(kitVersion: KitVersion(major: 1, minor: 2))
        try registry.register(connector: plugin(KitVersion(major: 1, minor: 1)))
        #expect(registry.connector("fake") != nil)
        #expect(registry.manifests.map(\.id) == ["fake"])
    }

    @Test("a plugin built for another major version is refused with a clear message")
    func otherMajor() throws {
        let registry = PluginRegistry(kitVersion: KitVersion(major: 1, minor: 0))
        let error = try #require(throws: PluginRegistrationError.self) {
            try registry.register(connector: plugin(KitVersion(major: 2, minor: 0)))
        }
        #expect(error.description == "plugin 'fake' refused: built for plugin kit 2.0, but this MISLink provides kit 1.0 (major versions differ)")
        #expect(registry.connector("fake") == nil)
    }

    @Test("a plugin built for a newer minor version is refused")
    func newerMinor() throws {
        let registry = PluginRegistry(kitVersion: KitVersion(major: 1, minor: 0))
        #expect(throws: PluginRegistrationError.self) { try registry.register(connector: plugin(KitVersion(major: 1, minor: 3))) }
    }

    @Test("a manifest whose role does not match is refused")
    func wrongRole() throws {
        let registry = PluginRegistry()
        #expect(throws: PluginRegistrationError.self) { try registry.register(connector: plugin(.current, role: .target)) }
    }
}
