import MISLinkQueue
import SQLiteDB

extension IntegrationStore {
    /// Whether the nightly import of `localDate` (YYYY-MM-DD where the school is) was enqueued.
    func hasNightlyRun(integration: String, localDate: String) throws -> Bool {
        try connection.scalarInt(
            "SELECT 1 FROM nightly_runs WHERE integration = ? AND local_date = ?", [integration, localDate]) != nil
    }

    /// Records that the nightly import of `localDate` was enqueued as `jobID`: once a local day.
    func recordNightlyRun(integration: String, localDate: String, jobID: Int64) throws {
        try connection.run(
            "INSERT INTO nightly_runs(integration, local_date, job_id) VALUES (?, ?, ?)", [integration, localDate, jobID])
    }
}
