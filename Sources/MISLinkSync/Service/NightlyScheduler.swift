import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkQueuePostgres
import SQLiteDB

/// Enqueues each On integration's nightly import once per local day, at or after its time in its
/// time zone (a worker that was down at 02:00 catches up when it starts). Off, Pending, Ready and
/// Error integrations get none, and none is scheduled on a day of the integration's quiet periods. On either back end, with schedulers on many hosts: the day's row
/// in `nightly_runs` commits with the job, and a second scheduler's insert of it finds it there
/// and rolls its own job back, so each day's import is enqueued once.
public struct NightlyScheduler: Sendable {
    public let environment: SyncEnvironment

    public init(environment: SyncEnvironment) { self.environment = environment }

    /// Enqueues what is due at `now`; answers (integration, job id) for each. Each integration's
    /// job goes through the enqueue rules in the transaction that writes it, as any enqueue does.
    public func tick(now: Date = Date()) throws -> [(integration: String, jobID: Int64)] {
        let connection = try QueueDatabase(environment.databasePath).openTransactionHandle(sqliteConfiguration: environment.connection)
        let sql = connection.portableSQL
        let store = try IntegrationStore(sql: sql)
        let policy = environment.policies.policy(for: JobKinds.nightlyImport) ?? JobKinds.defaultPolicies[JobKinds.nightlyImport]!
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        var enqueued: [(String, Int64)] = []
        for integration in try store.integrations() where integration.status == .on {
            guard let (day, due) = Self.localDate(now: now, at: integration.settings.nightlyAt, timeZone: integration.settings.timeZone),
                due, !integration.settings.isQuiet(on: day)
            else { continue }
            let localDate = day.description
            let id: Int64?
            do {
                id = try sql.transaction { () throws -> Int64? in
                    guard try !store.hasNightlyRun(integration: integration.id, localDate: localDate) else { return nil }
                    // Turned off (or removed) since the list was read: nothing is due.
                    guard try store.integration(integration.id)?.status == .on else { return nil }
                    let job = JobFactory.newJob(
                        kind: JobKinds.nightlyImport, integration: integration.id, payload: JobFactory.emptyPayload, policy: policy)
                    try EnqueueRules.check(kind: job.kind, integration: job.integration, store: store)
                    let result = try connection.enqueue(job, now: nowMs)
                    guard try store.recordNightlyRun(integration: integration.id, localDate: localDate, jobID: result.id) else {
                        throw AlreadyScheduled()
                    }
                    return result.id
                }
            } catch is AlreadyScheduled {
                id = nil  // another scheduler enqueued it; this one's job was rolled back
            }
            if let id { enqueued.append((integration.id, id)) }
        }
        return enqueued
    }

    /// Thrown to roll back a job another scheduler already enqueued for the day.
    private struct AlreadyScheduled: Error {}

    /// Ticks every `interval` until cancelled (beside a worker), logging what it enqueued.
    public func run(every interval: Duration = .seconds(30), log: @Sendable (LogLevel, String) -> Void) async {
        while !Task.isCancelled {
            do {
                for (integration, job) in try tick() {
                    log(.info, "nightly import of \(integration) enqueued as job \(job)")
                }
            } catch {
                log(.error, "nightly scheduler: \(error)")
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// The local date at `now` in the zone, and whether the local time has reached `at` (HH:MM).
    static func localDate(now: Date, at time: String, timeZone: String) -> (CalendarDate, Bool)? {
        guard let zone = TimeZone(identifier: timeZone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: now)
        let hm = time.split(separator: ":").compactMap { Int($0) }
        guard hm.count == 2, let date = CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!) else { return nil }
        let reached = (parts.hour!, parts.minute!) >= (hm[0], hm[1])
        return (date, reached)
    }
}
