import MISLinkKit
import MISLinkQueue

extension IntegrationStore {
    // MARK: - Recycle bin dates (recycle-purge-after)

    /// The integration's records known to be in the target's recycle bin, by target id.
    public func recycleBin(integration: String) throws -> [String: RecycleBinEntry] {
        let entries = try connection.query(
            "SELECT target_id, role, mis_id, since, origin FROM recycle_bin WHERE integration = ?", [integration]
        ) { row -> RecycleBinEntry? in
            guard let role = PersonRole(rawValue: try row.string(1)), let since = CalendarDate(iso: try row.string(3)) else {
                return nil
            }
            return RecycleBinEntry(
                targetID: try row.string(0), role: role, misID: try row.string(2), since: since,
                origin: RecycleBinEntry.Origin(rawValue: try row.string(4)) ?? .seen)
        }
        var byTarget: [String: RecycleBinEntry] = [:]
        for case let entry? in entries { byTarget[entry.targetID] = entry }
        return byTarget
    }

    /// Records that a target record is in the recycle bin. A move by MISLink dates it afresh; a
    /// sighting keeps a date already recorded (the record has sat there since then).
    public func recordInRecycleBin(integration: String, _ entry: RecycleBinEntry) throws {
        let onConflict =
            entry.origin == .moved
            ? "DO UPDATE SET role = excluded.role, mis_id = excluded.mis_id, since = excluded.since, origin = excluded.origin"
            : "DO NOTHING"
        try connection.run(
            """
            INSERT INTO recycle_bin(integration, target_id, role, mis_id, since, origin) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (integration, target_id) \(onConflict)
            """,
            [integration, entry.targetID, entry.role.rawValue, entry.misID, entry.since.description, entry.origin.rawValue])
    }

    /// Forgets a record's date: it left the bin (restored, or deleted). Answers whether there was one.
    @discardableResult
    public func forgetRecycleBinEntry(integration: String, targetID: String) throws -> Bool {
        try connection.run("DELETE FROM recycle_bin WHERE integration = ? AND target_id = ?", [integration, targetID]) == 1
    }

    /// Removes an MIS record's link when it still points at `targetID` (a purge deleted that record).
    @discardableResult
    public func unlink(integration: String, role: PersonRole, misID: String, targetID: String) throws -> Bool {
        try connection.run(
            "DELETE FROM links WHERE integration = ? AND role = ? AND mis_id = ? AND target_id = ?",
            [integration, role.rawValue, misID, targetID]) == 1
    }
}
