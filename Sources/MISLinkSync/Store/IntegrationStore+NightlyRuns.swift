import MISLinkQueue
import SQLiteDB

extension IntegrationStore {
    /// Whether the nightly import of `localDate` (YYYY-MM-DD where the school is) was enqueued.
    func hasNightlyRun(integration: String, localDate: String) throws -> Bool {
        try connection.scalarInt(
            "SELECT 1 FROM nightly_runs WHERE integration = ? AND local_date = ?", [integration, localDate]) != nil
    }

    /// Records that the nightly import of `localDate` was enqueued as `jobID`: once a local day.
    /// Answers false if it was recorded already: another process (a worker on another host) got
    /// there first, and its transaction committed while this one waited.
    func recordNightlyRun(integration: String, localDate: String, jobID: Int64) throws -> Bool {
        try connection.run(
            "INSERT INTO nightly_runs(integration, local_date, job_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [integration, localDate, jobID]) == 1
    }
}
