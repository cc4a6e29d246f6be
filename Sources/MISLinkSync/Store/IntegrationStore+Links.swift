import MISLinkKit
import SQLiteDB

extension IntegrationStore {
    private static func link(from row: Row) -> Link {
        Link(
            integration: row.string(0), role: PersonRole(rawValue: row.string(1)) ?? .pupil, misID: row.string(2),
            targetID: row.string(3), origin: Link.Origin(rawValue: row.string(4)) ?? .integration, rule: row.string(5),
            createdAt: row.int64(6))
    }

    public func links(integration: String) throws -> [Link] {
        try connection.query(
            """
            SELECT integration, role, mis_id, target_id, origin, rule, created_at FROM links
            WHERE integration = ? ORDER BY role, mis_id
            """, [integration], Self.link)
    }

    /// Adds or replaces the link of an MIS record.
    public func link(_ link: Link) throws {
        try connection.run(
            """
            INSERT OR REPLACE INTO links(integration, role, mis_id, target_id, origin, rule, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                link.integration, link.role.rawValue, link.misID, link.targetID, link.origin.rawValue, link.rule,
                link.createdAt,
            ])
    }

    /// Removes every link the integration itself made; manual links stay. Answers how many went.
    public func removeIntegrationLinks(integration: String) throws -> Int {
        try connection.run("DELETE FROM links WHERE integration = ? AND origin = 'integration'", [integration])
    }

    // MARK: - Exclusions

    public func exclusions(integration: String) throws -> [(misID: String, createdAt: Int64)] {
        try connection.query(
            "SELECT mis_id, created_at FROM exclusions WHERE integration = ? ORDER BY mis_id", [integration]
        ) { ($0.string(0), $0.int64(1)) }
    }

    public func exclude(integration: String, misID: String, now: Int64) throws {
        try connection.run(
            "INSERT OR IGNORE INTO exclusions(integration, mis_id, created_at) VALUES (?, ?, ?)", [integration, misID, now])
    }

    /// Answers whether there was an exclusion to remove.
    public func removeExclusion(integration: String, misID: String) throws -> Bool {
        try connection.run("DELETE FROM exclusions WHERE integration = ? AND mis_id = ?", [integration, misID]) == 1
    }

    // MARK: - Write-backs

    /// The recorded result of an event already written back, if it was.
    public func writeBack(integration: String, eventID: String) throws -> String? {
        try connection.scalarString(
            "SELECT result FROM writebacks WHERE integration = ? AND event_id = ?", [integration, eventID])
    }

    public func recordWriteBack(integration: String, eventID: String, jobID: Int64, result: String, now: Int64) throws {
        try connection.run(
            """
            INSERT OR IGNORE INTO writebacks(integration, event_id, job_id, result, written_at) VALUES (?, ?, ?, ?, ?)
            """, [integration, eventID, jobID, result, now])
    }
}
