import Foundation
import MISLinkKit

/// Dates, in an integration's own time zone, when its scheduled imports do not run: the summer
/// holidays, rollover week. An import enqueued on demand still runs. One date or a range of dates,
/// both ends included.
public struct QuietPeriod: Sendable, Codable, Equatable, CustomStringConvertible {
    public let first: CalendarDate
    public let last: CalendarDate

    public init?(first: CalendarDate, last: CalendarDate) {
        guard first <= last else { return nil }
        self.first = first
        self.last = last
    }

    public func contains(_ date: CalendarDate) -> Bool { first <= date && date <= last }

    /// `2027-07-22..2027-09-01`, or `2027-12-25` for one day: what `quiet=` takes.
    public var description: String { first == last ? first.description : "\(first)..\(last)" }

    /// Reads `quiet=`'s list: dates and ranges (`FIRST..LAST`) separated by commas, sorted by their
    /// first day. Nil for a list that is not one; the caller names the setting.
    public static func list(_ text: String) -> [QuietPeriod]? {
        var periods: [QuietPeriod] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = item.trimmingCharacters(in: .whitespaces).components(separatedBy: "..")
            guard (1...2).contains(ends.count), let first = CalendarDate(iso: ends[0]),
                let last = CalendarDate(iso: ends[ends.count - 1]), let period = QuietPeriod(first: first, last: last)
            else { return nil }
            periods.append(period)
        }
        return periods.sorted { $0.first < $1.first }
    }

    /// The period that holds `date`, else the next to start after it, among `periods`.
    public static func runningOrNext(among periods: [QuietPeriod], on date: CalendarDate) -> QuietPeriod? {
        periods.filter { $0.last >= date }.min { $0.first < $1.first }
    }
}
