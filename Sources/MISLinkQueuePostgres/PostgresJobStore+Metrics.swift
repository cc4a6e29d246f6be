import MISLinkQueue
import PostgresDB

// STUB (being written): the lasting counters and hourly activity on PostgreSQL.
extension PostgresJobStore {
    public func activity(since: Int64) throws -> [ActivityBucket] { throw Self.notYet("activity") }
    public func jobMetrics() throws -> JobMetrics { throw Self.notYet("metrics") }
}
