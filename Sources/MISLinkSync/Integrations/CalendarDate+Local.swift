import Foundation
import MISLinkKit

extension CalendarDate {
    /// The calendar date at `date` in `zone`: the school's "today", and the day a time falls on.
    public static func local(_ date: Date, in zone: TimeZone) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        // The Gregorian calendar's components always make a valid date: the force is safe.
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
