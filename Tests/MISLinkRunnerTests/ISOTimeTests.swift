import Foundation
import MISLinkRunner
import Testing

@Suite struct ISOTimeTests {
    @Test("ISO-8601 times agree with Foundation's formatter, before and after 1970, and read back", arguments: [
        Int64(0), 1, 999, 1_000, 1_764_590_400_123, 951_782_400_000, 4_102_444_799_999, -1, -1_001, -86_400_000,
    ])
    func agreesWithFoundation(_ milliseconds: Int64) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let expected = formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
        #expect(DurationText.isoString(milliseconds: milliseconds) == expected)
        #expect(DurationText.isoTime(DurationText.isoString(milliseconds: milliseconds)) == milliseconds)
    }

    @Test("ISO-8601 times written out")
    func writtenOut() {
        #expect(DurationText.isoString(milliseconds: 1_764_590_400_123) == "2025-12-01T12:00:00.123Z")
        #expect(DurationText.isoString(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(DurationText.isoString(milliseconds: -1_001) == "1969-12-31T23:59:58.999Z")
    }
}
