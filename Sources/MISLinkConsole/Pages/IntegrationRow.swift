import Foundation
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

    /// Failed jobs are counted up to this; more shows as "1000+".
    static let failedCountLimit = 1_000

    static func load(_ integration: Integration, figures: IntegrationFigures, jobs: JobAdmin) throws(SyncError) -> IntegrationRow {
        let failed = try jobs.jobs(
            matching: JobFilter(states: [.failed], integration: integration.id, limit: failedCountLimit + 1)).count
        return IntegrationRow(
            integration: integration, lastImport: figures.lastImportSuccess(of: integration.id), failedJobs: failed,
            openIntake: figures.openIntake(of: integration.id), guardTrips: figures.guardTrips(of: integration.id))
    }

    var zone: TimeZone { TimeText.zone(integration.settings.timeZone) }

    var failedText: String { failedJobs > Self.failedCountLimit ? "\(Self.failedCountLimit)+" : "\(failedJobs)" }

    /// The next nightly import: only an integration that is On runs one.
    func nextImport(now: Int64) -> String {
        guard integration.status == .on else { return "none while \(integration.status.title)" }
        return TimeText.local(Self.nextRun(at: integration.settings.nightlyAt, zone: zone, now: now), zone: zone)
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
