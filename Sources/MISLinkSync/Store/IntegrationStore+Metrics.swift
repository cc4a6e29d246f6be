import MISLinkKit
import SQLiteDB

extension IntegrationStore {
    /// Open intake entries by integration and role, read from the open entries' index.
    public func openIntakeCounts() throws -> [(integration: String, role: PersonRole, count: Int)] {
        try connection.query(
            "SELECT integration, role, count(*) FROM intake INDEXED BY intake_open WHERE status = 'open' GROUP BY integration, role"
        ) { (integration: $0.string(0), role: PersonRole(rawValue: $0.string(1)) ?? .pupil, count: $0.int(2)) }
    }
}
