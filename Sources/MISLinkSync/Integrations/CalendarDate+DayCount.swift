import Foundation
import MISLinkKit

extension CalendarDate {
    /// Whole days from `earlier` to this date (negative when `earlier` is later), counted on the
    /// Gregorian calendar in UTC so that no zone's clock change makes a day 23 or 25 hours.
    func days(since earlier: CalendarDate) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        func noon(_ date: CalendarDate) -> Date? {
            calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 12))
        }
        guard let from = noon(earlier), let to = noon(self) else { return 0 }
        return calendar.dateComponents([.day], from: from, to: to).day ?? 0
    }
}
