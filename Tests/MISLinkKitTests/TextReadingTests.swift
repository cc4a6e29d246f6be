import Foundation
import MISLinkKit
import Testing

/// The byte-wise readers that every imported record goes through: they must say exactly what the
/// slower Foundation and Character-wise versions said.
@Suite struct TextReadingTests {
    @Test func isoDatesAreReadByteByByte() {
        #expect(CalendarDate(iso: "2010-02-11") == CalendarDate(year: 2010, month: 2, day: 11))
        #expect(CalendarDate(iso: "2024-02-29") == CalendarDate(year: 2024, month: 2, day: 29))
        #expect(CalendarDate(iso: "2010-02-11 00:00:00".prefix(10)) == CalendarDate(year: 2010, month: 2, day: 11))
        for bad in [
            "", "2010-2-11", "2010/02/11", "2010-02-1x", "20100-02-11", "2010-02-111", "2023-02-29", "2010-13-01",
            "0000-01-01", "٢٠١٠-٠٢-١١", "2010-02-11 ", "+010-02-11",
        ] {
            #expect(CalendarDate(iso: bad) == nil, "\(bad)")
        }
    }

    @Test func trimmingMatchesFoundation() {
        for text in ["Amelia", " Amelia", "Amelia ", "\tA b\t", "", " ", "  ", "\u{00A0}Zoë\u{00A0}", "Zoë", "é", "a\n", "\u{3000}x"] {
            #expect(text.trimmedOfWhitespace == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
        }
        #expect("  Oak Primary ".dropFirst().trimmedOfWhitespace == "Oak Primary")
    }
}
