import CSVConnector
import Foundation
import MISLinkKit
import Testing

struct ExportFormatTests {
    @Test("a date format reads its own dates and refuses others and days that do not exist", arguments: [
        ("dd/MM/yyyy", "01/09/2015", "2015-09-01"), ("d/M/yyyy", "1/9/2015", "2015-09-01"), ("d/M/yyyy", "01/09/2015", "2015-09-01"),
        ("yyyy-MM-dd", "2015-09-01", "2015-09-01"), ("MM-dd-yyyy", "09-01-2015", "2015-09-01"), ("dd.MM.yyyy", "29.02.2016", "2016-02-29"),
        ("dd/MM/yyyy", "31/02/2015", nil), ("dd/MM/yyyy", "2015-09-01", nil), ("dd/MM/yyyy", "01/09/15", nil),
        ("dd/MM/yyyy", "01/09/2015 00:00", nil), ("dd/MM/yyyy", "", nil),
    ] as [(String, String, String?)])
    func reads(pattern: String, text: String, expected: String?) throws {
        #expect(try DateFormat(pattern).date(text)?.description == expected)
    }

    @Test("a date format without each of dd, MM and yyyy once, or with another letter, is refused", arguments: [
        "dd/MM", "dd/MM/yy", "dd/MM/yyyy/dd", "dd/MMM/yyyy", "dd/MM/yyyy HH:mm",
    ])
    func refusedPattern(pattern: String) {
        #expect(throws: PluginError.self) { try DateFormat(pattern) }
    }

    @Test("an export with UK dates in windows-1252 is read with date-format and encoding; the add/set hook checks both")
    func ukExport() async throws {
        try await withTemporaryDirectory { dir in
            // "Zoë" and "Siân" in windows-1252: ë is 0xEB, â is 0xE2.
            var bytes = Array("mis_id,legal_forename,legal_surname,date_of_birth\nA1,Zo".utf8)
            bytes += [0xEB] + Array(",Smith,01/09/2015\nA2,Si".utf8) + [0xE2] + Array("n,Jones,31/12/2014\n".utf8)
            try Data(bytes).write(to: dir.appendingPathComponent("students.csv"))
            let config = PluginConfig(values: ["dir": dir.path, "date-format": "dd/MM/yyyy", "encoding": "windows-1252"])
            try CSVConnectorPlugin().validate(config: config)
            let pupils = try await CSVConnectorPlugin().makeConnector(config: config).readPupils(changedSince: nil, context: .silent)
            #expect(pupils.map(\.details.name.legalForename) == ["Zoë", "Siân"])
            #expect(pupils.map(\.details.dateOfBirth?.description) == ["2015-09-01", "2014-12-31"])

            let iso = PluginConfig(values: ["dir": dir.path, "encoding": "cp1252"])
            let error = try await #require(throws: PluginError.self) {
                try await CSVConnectorPlugin().makeConnector(config: iso).readPupils(changedSince: nil, context: .silent)
            }
            #expect(error.message.contains("'01/09/2015' is not a date (YYYY-MM-DD)"))

            for (key, value) in [("date-format", "dd/MM/yy"), ("encoding", "latin-9")] {
                let bad = PluginConfig(values: ["dir": dir.path, key: value])
                let refused = try #require(throws: PluginError.self) { try CSVConnectorPlugin().validate(config: bad) }
                #expect(refused.message.contains(value))
            }
        }
    }
}
