import Foundation
import Testing

@testable import PostgresDB

@Suite struct PostgresTimestampTests {
    @Test(
        "the server's timestamptz text reads as the right instant",
        arguments: [
            ("1970-01-01 00:00:00+00", 0.0),
            ("2026-12-01 17:04:06.123456+00", 1_796_144_646.123456),
            ("2026-12-01 18:04:06.5+01", 1_796_144_646.5),
            ("2026-12-01 11:34:06-05:30", 1_796_144_646.0),
            ("1969-12-31 23:59:59.999999+00", -0.000001),
            ("2000-02-29 00:00:00+00", 951_782_400.0),
        ])
    func parses(text: String, seconds: Double) throws {
        let date = try #require(PostgresTimestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_000_5)
    }

    @Test("infinities and text that is no timestamp")
    func edges() {
        #expect(PostgresTimestamp.parse("infinity") == .distantFuture)
        #expect(PostgresTimestamp.parse("-infinity") == .distantPast)
        #expect(PostgresTimestamp.parse("2026-13-01 00:00:00+00") == nil)
        #expect(PostgresTimestamp.parse("yesterday") == nil)
    }

    @Test("a date written and read back is the same to the microsecond")
    func roundTrip() throws {
        for seconds in [0.0, 1_796_144_646.123456, -86_400.5, 4_102_444_800.000001] {
            let text = PostgresTimestamp.format(Date(timeIntervalSince1970: seconds))
            let back = try #require(PostgresTimestamp.parse(text), "\(text)")
            #expect(abs(back.timeIntervalSince1970 - seconds) < 0.000_001, "\(text)")
        }
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: 1_796_144_646.123456)) == "2026-12-01 17:04:06.123456+00")
    }
}
