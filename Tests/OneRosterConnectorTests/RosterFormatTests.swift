import Foundation
import MISLinkHTTPClient
import MISLinkKit
import Testing

@testable import OneRosterConnector

/// The small formats under both bindings: bundle CSV, REST records made rows, OneRoster's dates.
struct RosterFormatTests {
    @Test func bundleCSVReadsQuotesLineBreaksABOMAndSkipsBlankLines() throws {
        let text = "\u{FEFF}sourcedId,title\r\n\"a,1\",\"say \"\"hi\"\"\"\r\n\r\nb,\"two\nlines\"\nc,\n"
        let records = try BundleCSV.records(text, file: "classes.csv")
        #expect(records.map(\.fields) == [["sourcedId", "title"], ["a,1", "say \"hi\""], ["b", "two\nlines"], ["c", ""]])
        #expect(records.map(\.line) == [1, 2, 4, 6])
    }

    @Test func bundleCSVRefusesTextAfterAClosingQuote() {
        #expect(throws: PluginError.self) { try BundleCSV.records("a,b\n\"x\"y,z\n", file: "users.csv") }
    }

    @Test func aRESTRecordBecomesTheBundleRow() throws {
        let json = #"""
            {"sourcedId": "u1", "status": "active", "enabledUser": true, "primary": false, "count": 3, "ratio": 1.5, "middleName": null,
             "orgs": [{"href": "/orgs/2", "sourcedId": "2", "type": "org"}, {"sourcedId": "3"}],
             "class": {"href": "/classes/c1", "sourcedId": "c1", "type": "class"},
             "userIds": [{"type": "UPN", "identifier": "A801200005001"}, {"type": "FED", "identifier": "18125"}],
             "grades": ["01", "02"], "agents": [], "metadata": {"colour": "blue"}}
            """#
        let fields = try JSONDecoder().decode([String: JSONValue].self, from: Data(json.utf8))
        #expect(JSONValue.row(fields) == [
            "sourcedId": "u1", "status": "active", "enabledUser": "true", "primary": "false", "count": "3", "ratio": "1.5",
            "orgSourcedIds": "2,3", "classSourcedId": "c1", "userIds": "{UPN:A801200005001},{FED:18125}", "grades": "01,02",
            "agents": "",
        ])
    }

    @Test(arguments: [
        ("2017-05-06T08:01:05Z", 1_494_057_665.0), ("2017-05-06T08:01:05.500Z", 1_494_057_665.5),
        ("2017-05-06 08:01:05", 1_494_057_665.0), ("2017-05-06T09:01:05+01:00", 1_494_057_665.0), ("2017-05-06", 1_494_028_800.0),
    ])
    func dateLastModifiedIsReadInEveryFormRealFilesUse(text: String, seconds: Double) throws {
        let date = try #require(RosterDate.instant(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.001)
    }

    @Test func aDateThatIsNoDateIsNil() {
        #expect(RosterDate.instant("06/05/2017") == nil)
        #expect(RosterDate.day("2017-02-30") == nil)
        #expect(RosterDate.day("2017-05-06x") == nil)
        #expect(RosterDate.filterText(Date(timeIntervalSince1970: 1_494_057_665)) == "2017-05-06T08:01:05Z")
    }

    @Test func gradesMapByPresetAndOverride() throws {
        #expect(GradeMap.numbered.yearGroup(["KG"]) == "R")
        #expect(GradeMap.numbered.yearGroup(["1"]) == "1")
        #expect(GradeMap.numbered.yearGroup(["UG"]) == "UG")
        #expect(GradeMap.numbered.yearGroup([]) == nil)
        #expect(GradeMap.usAge.yearGroup(["12"]) == "13")
        let custom = try GradeMap(config: "us-age, ps = N1")
        #expect(custom.yearGroup(["PS"]) == "N1")
        #expect(custom.yearGroup(["KG"]) == "1")
    }
}
