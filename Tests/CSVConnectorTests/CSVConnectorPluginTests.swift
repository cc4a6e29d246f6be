import CSVConnector
import MISLinkKit
import Testing

struct CSVConnectorPluginTests {
    @Test("declares itself as the csv connector with a required dir and an optional mapping")
    func manifest() {
        let manifest = CSVConnectorPlugin().manifest
        #expect(manifest.id == "csv")
        #expect(manifest.role == .connector)
        #expect(manifest.kitVersion == .current)
        #expect(manifest.configKeys.map(\.name) == ["dir", "mapping"])
        #expect(manifest.configKeys.map(\.required) == [true, false])
        #expect(manifest.configKeys.allSatisfy { !$0.secret })
    }

    @Test("refuses a configuration without dir")
    func requiresDir() {
        #expect(throws: PluginError.permanent("csv: configuration key 'dir' is not set")) {
            try CSVConnectorPlugin().makeConnector(config: PluginConfig())
        }
    }
}
