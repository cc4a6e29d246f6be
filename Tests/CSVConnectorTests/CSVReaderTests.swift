import CSVConnector
import Foundation
import Testing

struct CSVReaderTests {
    private func records(_ text: String) throws -> [CSVRecord] {
        try CSVReader.records(in: Array(text.utf8))
    }

    @Test("reads quoted fields holding commas, doubled quotes and line breaks")
    func quotedFields() throws {
        let records = try records("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"one\r\ntwo\"\r\nlast,,\r\n")
        #expect(records.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "one\r\ntwo"], ["last", "", ""]])
    }

    @Test("numbers each record by the physical line it starts on")
    func lineNumbers() throws {
        let records = try records("h1,h2\n\"a\nb\nc\",d\n\ne,f\n")
        #expect(records.map(\.line) == [1, 2, 6])
    }

    @Test("accepts LF, CRLF and a last line without a line break alike")
    func lineEndings() throws {
        let expected = [["h1", "h2"], ["1", "2"]]
        #expect(try records("h1,h2\n1,2\n").map(\.fields) == expected)
        #expect(try records("h1,h2\r\n1,2\r\n").map(\.fields) == expected)
        #expect(try records("h1,h2\r\n1,2").map(\.fields) == expected)
    }

    @Test("reads a trailing comma at the very end as one more empty field")
    func trailingComma() throws {
        #expect(try records("a,").map(\.fields) == [["a", ""]])
    }

    @Test("skips a byte order mark before the first header")
    func byteOrderMark() throws {
        let records = try CSVReader.records(in: [0xEF, 0xBB, 0xBF] + Array("mis_id,x\n1,2\n".utf8))
        #expect(records.first?.fields == ["mis_id", "x"])
    }

    @Test("keeps a quote inside an unquoted field as it is")
    func bareQuote() throws {
        #expect(try records("5\" screen,b\n").map(\.fields) == [["5\" screen", "b"]])
    }

    @Test("reports an unterminated quote at the line and field where its record starts")
    func unterminatedQuote() throws {
        let error = try #require(throws: CSVSyntaxError.self) { try records("a,b\n1,\"open\n2,3\n") }
        #expect(error.kind == .unterminatedQuote)
        #expect(error.line == 2)
        #expect(error.field == 2)
        #expect(error.offset == 4)
    }

    @Test("reports text after a closing quote")
    func textAfterQuote() throws {
        let error = try #require(throws: CSVSyntaxError.self) { try records("a,b\n\"x\"y,2\n") }
        #expect(error.kind == .textAfterClosingQuote)
        #expect(error.line == 2)
        #expect(error.field == 1)
    }

    @Test("reports bytes that are not UTF-8 with their field")
    func invalidUTF8() throws {
        let bytes = Array("a,b\n1,".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        let error = try #require(throws: CSVSyntaxError.self) { try CSVReader.records(in: bytes) }
        #expect(error.kind == .invalidUTF8)
        #expect(error.line == 2)
        #expect(error.field == 2)
    }

    @Test("reads the published OneRoster sample users.csv")
    func oneRosterUsers() throws {
        // The sample lives in the shared data folder beside the package; a checkout without it skips.
        guard let url = sharedDataFile("oneroster/mockroster/users.csv") else { return }
        let records = try CSVReader.records(in: try Data(contentsOf: url))
        let header = try #require(records.first)
        #expect(header.fields.count == 18)
        #expect(header.fields.first == "sourcedId")
        #expect(header.fields.contains("givenName"))
        #expect(records.count == 181)
        #expect(records.allSatisfy { $0.fields.count == 18 })
        // Quoted fields lose their quotes; `""` is an empty field.
        let first = records[1].fields
        #expect(first[0] == "18125")
        #expect(first[7] == "{FED:18125}")
        #expect(first[13] == "")
    }
}
