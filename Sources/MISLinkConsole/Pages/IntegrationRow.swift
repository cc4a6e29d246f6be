import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync

/// One integration with the figures its list row and its page show: last and next import in its
/// own time zone, failed jobs, open intake, guard trips.
struct IntegrationRow {
    let integration: Integration
    let lastImport: Int64?
    let failedJobs: Int
    let openIntake: Int
    let guardTrips: Int

    static func load(_ integration: Integration, figures: IntegrationFigures, jobs: JobAdmin) throws(SyncError) -> IntegrationRow {
        let failed = try jobs.count(matching: JobFilter(states: [.failed], integration: integration.id)).count
        return IntegrationRow(
            integration: integration, lastImport: figures.lastImportSuccess(of: integration.id), failedJobs: failed,
            openIntake: figures.openIntake(of: integration.id), guardTrips: figures.guardTrips(of: integration.id))
    }

    var zone: TimeZone { TimeText.zone(integration.settings.timeZone) }

    /// The next nightly import: only an integration that is On runs one, and none on a quiet day.
    func nextImport(now: Int64) -> String {
        guard integration.status == .on else { return "none while \(integration.status.title)" }
        return TimeText.local(nextScheduledRun(now: now), zone: zone)
    }

    /// The next time the nightly import is due, stepping over quiet periods.
    func nextScheduledRun(now: Int64) -> Int64? {
        let periods = integration.settings.quietPeriods
        var after = now
        for _ in 0...periods.count {
            guard let next = Self.nextRun(at: integration.settings.nightlyAt, zone: zone, now: after) else { return nil }
            guard let quiet = periods.first(where: { $0.contains(Self.day(of: next, zone: zone)) }) else { return next }
            after = Self.endOfDay(quiet.last, zone: zone) ?? next
        }
        return nil
    }

    /// The quiet period running now, or the next one, in the integration's zone.
    func nextQuietPeriod(now: Int64) -> QuietPeriod? {
        QuietPeriod.runningOrNext(among: integration.settings.quietPeriods, on: Self.day(of: now, zone: zone))
    }

    /// The calendar date at `time` (milliseconds) in `zone`.
    static func day(of time: Int64, zone: TimeZone) -> CalendarDate {
        CalendarDate.local(Date(timeIntervalSince1970: Double(time) / 1000), in: zone)
    }

    /// The last minute of `date` in `zone`, in milliseconds.
    private static func endOfDay(_ date: CalendarDate, zone: TimeZone) -> Int64? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let end = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 23, minute: 59))
        return end.map { Int64($0.timeIntervalSince1970 * 1000) }
    }

    /// The next time the clock in `zone` shows `at` (HH:MM) after `now`.
    static func nextRun(at: String, zone: TimeZone, now: Int64) -> Int64? {
        let parts = at.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = Date(timeIntervalSince1970: Double(now) / 1000)
        guard let next = calendar.nextDate(
            after: date, matching: DateComponents(hour: parts[0], minute: parts[1]), matchingPolicy: .nextTime)
        else { return nil }
        return Int64(next.timeIntervalSince1970 * 1000)
    }
}
