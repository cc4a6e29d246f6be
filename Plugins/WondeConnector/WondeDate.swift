import Foundation
import MISLinkKit

/// A date as Wonde writes it: a PHP DateTime dump `{"date": "2010-02-11 00:00:00.000000",
/// "timezone_type": 3, "timezone": "Europe/London"}`, or a plain `"2010-02-11"` (some endpoints and
/// transcriptions of the docs use that form). Both are read.
struct WondeDate: Decodable, Sendable, Equatable {
    /// What was written before any time part: `YYYY-MM-DD`.
    let day: String
    /// The time part (`HH:MM:SS`), if any.
    let time: String?
    /// The zone the value is written in; timestamps are UTC, education dates Europe/London.
    let timezone: String?

    private enum CodingKeys: String, CodingKey { case date, timezone }

    init(from decoder: any Decoder) throws {
        let text: String
        // The object first: it is the form Wonde writes, and a failed try costs a thrown error.
        if let object = try? decoder.container(keyedBy: CodingKeys.self) {
            text = try object.decode(String.self, forKey: .date)
            timezone = try object.decodeIfPresent(String.self, forKey: .timezone)
        } else {
            text = try decoder.singleValueContainer().decode(String.self)
            timezone = nil
        }
        let trimmed = text.trimmedOfWhitespace
        guard trimmed.count >= 10, CalendarDate(iso: trimmed.prefix(10)) != nil else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a date (YYYY-MM-DD…)"))
        }
        day = String(trimmed.prefix(10))
        let rest = trimmed.dropFirst(10).drop { $0 == " " || $0 == "T" }
        time = rest.isEmpty ? nil : String(rest.prefix(8))
    }

    /// The calendar date as written (a date of birth in Europe/London stays that day).
    var calendarDate: CalendarDate? { CalendarDate(iso: day) }

    /// `updated_after` as the PHP client sends it: `Y-m-d H:i:s`, in UTC.
    static func queryText(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return String(format: "%04d", c.year ?? 0) + "-" + two(c.month) + "-" + two(c.day) + " " + two(c.hour) + ":"
            + two(c.minute) + ":" + two(c.second)
    }
}
