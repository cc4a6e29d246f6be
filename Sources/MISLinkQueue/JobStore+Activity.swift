import SQLiteDB

extension JobStore {
    /// How long hourly activity buckets are kept: the console charts 30 days, with room to spare.
    public static let activityRetention: Int64 = 35 * 24 * 3_600_000

    /// The hourly buckets of the hour that holds `since` (milliseconds) and every later one, oldest
    /// first, then by kind. A bucket is there only if a job of its kind ended in that hour.
    public func activity(since: Int64) throws -> [ActivityBucket] {
        try connection.query(
            "SELECT hour_start, kind, succeeded, failed FROM job_activity WHERE hour_start >= ? ORDER BY hour_start, kind",
            [JobTally.hourStart(of: since)]
        ) { ActivityBucket(hourStart: $0.int64(0), kind: $0.string(1), succeeded: $0.int(2), failed: $0.int(3)) }
    }

    /// Adds to one hour and kind's bucket, in the caller's transaction. The first bucket this store
    /// writes in a new hour also trims the buckets older than the retention: once an hour, one range
    /// delete on the primary key.
    func recordActivity(_ bucket: JobTally.Activity) throws {
        try connection.run(
            """
            INSERT INTO job_activity(hour_start, kind, succeeded, failed) VALUES (?, ?, ?, ?)
            ON CONFLICT(hour_start, kind) DO UPDATE SET succeeded = succeeded + excluded.succeeded,
                failed = failed + excluded.failed
            """, [bucket.hourStart, bucket.kind, bucket.succeeded, bucket.failed])
        if bucket.hourStart > activityTrimmedHour {
            activityTrimmedHour = bucket.hourStart
            try trimActivity(now: bucket.hourStart)
        }
    }

    /// Deletes the buckets older than the retention, as of `now`.
    func trimActivity(now: Int64) throws {
        try connection.run(
            "DELETE FROM job_activity WHERE hour_start < ?", [JobTally.hourStart(of: now) - Self.activityRetention])
    }
}
