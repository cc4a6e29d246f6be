import Foundation
import MISLinkKit

/// OneRoster's dates as bundles and servers really write them: `2019-06-22` for dates, and for
/// `dateLastModified` ISO 8601 (`2017-05-06T08:01:05.123Z`), but also `2017-05-06 08:01:05` (no zone,
/// read as UTC) or a bare date.
enum RosterDate {
    /// The calendar day at the start of `text` (a date, or a date-time whose day is taken as written).
    static func day(_ text: String) -> CalendarDate? {
        guard let date = CalendarDate(iso: text.prefix(10)) else { return nil }
        let rest = text.dropFirst(10)
        return rest.isEmpty || rest.first == "T" || rest.first == " " ? date : nil
    }

    /// An instant, or nil when `text` is not one of the forms above.
    static func instant(_ text: String) -> Date? {
        guard let day = day(text) else { return nil }
        var components = DateComponents(year: day.year, month: day.month, day: day.day)
        var rest = text.dropFirst(10)
        var offset = 0
        if !rest.isEmpty {
            rest = rest.dropFirst()
            let time = rest.prefix { $0.isNumber || $0 == ":" || $0 == "." }
            let parts = time.split(separator: ":")
            guard parts.count >= 2, let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
            components.hour = hour
            components.minute = minute
            if parts.count > 2, let seconds = Double(parts[2]) {
                components.second = Int(seconds)
                components.nanosecond = Int((seconds - Double(Int(seconds))) * 1e9)
            }
            let zone = rest.dropFirst(time.count)
            if let sign = zone.first, sign == "+" || sign == "-" {
                let digits = zone.dropFirst().filter(\.isNumber)
                guard digits.count == 4, let hh = Int(digits.prefix(2)), let mm = Int(digits.suffix(2)) else { return nil }
                offset = (sign == "+" ? 1 : -1) * (hh * 3600 + mm * 60)
            } else if !(zone.isEmpty || zone == "Z" || zone == "z") {
                return nil
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components).map { $0.addingTimeInterval(TimeInterval(-offset)) }
    }

    /// The UTC calendar day of an instant.
    static func utcDay(_ date: Date) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// How the REST filter writes an instant: `2026-11-30T01:00:00Z`.
    static func filterText(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
