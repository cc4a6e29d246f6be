import MISLinkQueue
import MISLinkKit
import SQLiteDB

extension IntegrationStore {
    /// Open intake entries by integration and role, read from the open entries' index.
    public func openIntakeCounts() throws -> [(integration: String, role: PersonRole, count: Int)] {
        try connection.query(
            "SELECT integration, role, count(*) FROM intake WHERE status = 'open' GROUP BY integration, role"
        ) { try (integration: $0.string(0), role: PersonRole(rawValue: $0.string(1)) ?? .pupil, count: $0.int(2)) }
    }
}

/// What an integration's import history adds up to, for `/metrics`.
public struct ImportFigures: Sendable, Equatable {
    public let integration: String
    /// When its last successful initial upload or nightly import finished (ms since 1970), if any.
    public let lastSuccessAt: Int64?
    public let added: Int
    public let updated: Int
    public let leavers: Int
    public let toIntake: Int
}

extension IntegrationStore {
    /// Sums over the import history (one row per import that succeeded: small, and kept when jobs are
    /// pruned), per integration, read along its index.
    public func importFigures() throws -> [ImportFigures] {
        try connection.query(
            """
            SELECT integration, max(CASE WHEN kind IN ('initial-upload', 'nightly-import') THEN finished_at END),
                sum(added), sum(updated), sum(leavers), sum(to_intake)
            FROM imports GROUP BY integration
            """
        ) {
            try ImportFigures(
                integration: $0.string(0), lastSuccessAt: $0.optionalInt64(1), added: $0.int(2), updated: $0.int(3),
                leavers: $0.int(4), toIntake: $0.int(5))
        }
    }
}

extension IntegrationStore {
    /// Counts one stop of the mass-leaver guard (inside the failing job's transaction).
    public func recordGuardTrip(integration: String, now: Int64) throws {
        try connection.run(
            """
            INSERT INTO guard_trips(integration, trips, last_at) VALUES (?, 1, ?)
            ON CONFLICT(integration) DO UPDATE SET trips = guard_trips.trips + 1, last_at = excluded.last_at
            """, [integration, now])
    }

    /// The guard's stops so far, per integration.
    public func guardTrips() throws -> [(integration: String, trips: Int)] {
        try connection.query("SELECT integration, trips FROM guard_trips ORDER BY integration") {
            try (integration: $0.string(0), trips: $0.int(1))
        }
    }
}
