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
}
