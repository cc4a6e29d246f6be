import Foundation
import CSVConnector
import MISLinkKit
import Testing

struct CSVConnectorPluginTests {
    @Test("declares itself as the csv connector with a required dir, and optional mapping, optional-files, date-format and encoding")
    func manifest() {
        let manifest = CSVConnectorPlugin().manifest
        #expect(manifest.id == "csv")
        #expect(manifest.role == .connector)
        #expect(manifest.kitVersion == .current)
        #expect(manifest.configKeys.map(\.name) == ["dir", "mapping", "optional-files", "date-format", "encoding"])
        #expect(manifest.configKeys.map(\.required) == [true, false, false, false, false])
        #expect(manifest.configKeys.allSatisfy { !$0.secret })
    }

    @Test("refuses a configuration without dir")
    func requiresDir() {
        #expect(throws: PluginError.permanent("csv: configuration key 'dir' is not set")) {
            try CSVConnectorPlugin().makeConnector(config: PluginConfig())
        }
    }

    @Test("reads optional-files as a comma-separated list of export files")
    func optionalFiles() throws {
        let config = PluginConfig(values: ["dir": "/srv/mis", "optional-files": " preadmissions.csv, Contacts.csv ,"])
        let connector = try #require(try CSVConnectorPlugin().makeConnector(config: config) as? CSVConnector)
        #expect(connector.optionalFiles == [.preAdmissions, .contacts])
        let plain = try #require(try CSVConnectorPlugin().makeConnector(config: PluginConfig(values: ["dir": "/srv"])) as? CSVConnector)
        #expect(plain.optionalFiles.isEmpty)
    }

    @Test("refuses an optional-files name that is not an export file, naming it")
    func optionalFilesTypo() throws {
        let config = PluginConfig(values: ["dir": "/srv/mis", "optional-files": "preadmission.csv"])
        let error = try #require(throws: PluginError.self) { try CSVConnectorPlugin().makeConnector(config: config) }
        #expect(error.message.contains("'preadmission.csv'"))
        #expect(error.message.contains("known: students.csv"))
    }

    @Test("the add/set hook refuses the same typo before any job runs, and passes a good list")
    func validateHook() throws {
        let bad = PluginConfig(values: ["dir": "/srv/mis", "optional-files": "preadmission.csv"])
        #expect(throws: PluginError.self) { try CSVConnectorPlugin().validate(config: bad) }
        try CSVConnectorPlugin().validate(config: PluginConfig(values: ["dir": "/srv/mis", "optional-files": "contacts.csv"]))
    }

    @Test("the add/set hook refuses a mapping file that is missing or names an unknown column, and passes a good one")
    func validateMapping() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("mapping.json").path
            func config() -> PluginConfig { PluginConfig(values: ["dir": dir.path, "mapping": path]) }
            let missing = try #require(throws: PluginError.self) { try CSVConnectorPlugin().validate(config: config()) }
            #expect(missing.message.contains(path))
            try write(#"{"students.csv": {"admission_no": "Adno"}}"#, to: "mapping.json", in: dir)
            let unknown = try #require(throws: PluginError.self) { try CSVConnectorPlugin().validate(config: config()) }
            #expect(unknown.message.contains("no column 'admission_no'"))
            try write(#"{"students.csv": {"mis_id": "Adno"}}"#, to: "mapping.json", in: dir)
            try CSVConnectorPlugin().validate(config: config())
        }
    }
}
