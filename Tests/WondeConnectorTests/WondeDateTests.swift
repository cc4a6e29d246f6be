import Foundation
import MISLinkKit
import Testing

@testable import WondeConnector

struct WondeDateTests {
    private func decode(_ json: String) throws -> WondeDate {
        try JSONDecoder().decode(WondeDate.self, from: Data(json.utf8))
    }

    @Test("a PHP DateTime object and a plain date both read as the date written")
    func bothForms() throws {
        let object = try decode(#"{"date":"2010-02-11 00:00:00.000000","timezone_type":3,"timezone":"Europe/London"}"#)
        #expect(object.calendarDate == CalendarDate(year: 2010, month: 2, day: 11))
        #expect(object.timezone == "Europe/London")
        #expect(object.time == "00:00:00")
        let plain = try decode(#""2010-02-11""#)
        #expect(plain.calendarDate == CalendarDate(year: 2010, month: 2, day: 11))
        #expect(plain.time == nil)
        #expect(try decode(#""2024-09-01T06:00:00Z""#).calendarDate == CalendarDate(year: 2024, month: 9, day: 1))
    }

    @Test(
        "something that is not a date fails, naming the value",
        arguments: [#""11/02/2010""#, #"{"date":"soon"}"#, #""2010-02-30""#])
    func notADate(json: String) {
        #expect(throws: DecodingError.self) { try decode(json) }
    }

    @Test("updated_after is written as the PHP client sends it: Y-m-d H:i:s in UTC")
    func queryText() {
        #expect(WondeDate.queryText(Date(timeIntervalSince1970: 1_764_600_000)) == "2025-12-01 14:40:00")
    }
}
