import Foundation
import Testing

@testable import WondeConnector

/// Values Wonde writes in more than one form read the same whichever form comes, including the
/// forms the fast paths do not try first.
struct WondeLenientValueTests {
    private struct Probe: Decodable {
        let text: String?
        let number: Int?
        let flag: Bool?
        private enum CodingKeys: String, CodingKey { case value }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            text = try c.nonEmptyText(.value)
            number = try c.number(.value)
            flag = try c.flag(.value)
        }
    }

    private func probe(_ value: String) throws -> Probe {
        try JSONDecoder().decode(Probe.self, from: Data(#"{"value":\#(value)}"#.utf8))
    }

    @Test("text, numbers and flags are read from strings, numbers and booleans alike; null and missing are nil")
    func forms() throws {
        #expect(try probe(#"" Smith ""#).text == "Smith")
        #expect(try probe(#""   ""#).text == nil)
        #expect(try probe("42").text == "42")
        #expect(try probe("42").number == 42)
        #expect(try probe(#""7""#).number == 7)
        #expect(try probe("2.5").number == 2)
        #expect(try probe("2.5").text == "2.5")
        #expect(try probe(#""x""#).number == nil)
        #expect(try probe("true").flag == true)
        #expect(try probe("true").text == "true")
        #expect(try probe(#""Y""#).flag == true)
        #expect(try probe("0").flag == false)
        #expect(try probe(#""no""#).flag == false)
        #expect(try probe(#""maybe""#).flag == nil)
        let null = try probe("null")
        #expect(null.text == nil && null.number == nil && null.flag == nil)
        let missing = try JSONDecoder().decode(Probe.self, from: Data("{}".utf8))
        #expect(missing.text == nil && missing.number == nil && missing.flag == nil)
    }

    @Test("an object or an array where a value belongs is an error naming the field")
    func wrongShape() {
        for value in [#"{"a":1}"#, "[1]"] {
            #expect {
                try probe(value)
            } throws: { error in
                guard case DecodingError.typeMismatch(_, let context) = error else { return false }
                return context.codingPath.map(\.stringValue) == ["value"]
            }
        }
    }
}
