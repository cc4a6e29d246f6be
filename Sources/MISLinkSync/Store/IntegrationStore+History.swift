import Foundation
import MISLinkKit
import MISLinkQueue

extension IntegrationStore {
    // MARK: - Person history (person_changes)

    private static let changeColumns = "id, integration, job_id, plan_id, at, role, mis_id, target_id, kind, before, after, detail"

    private static func change(from row: any PortableRow) throws -> PersonChange {
        var change = PersonChange(
            integration: try row.string(1), jobID: try row.optionalInt64(2), planID: try row.optionalInt64(3), at: try row.int64(4),
            role: PersonRole(rawValue: try row.string(5)) ?? .pupil, misID: try row.string(6), targetID: try row.optionalString(7),
            kind: PersonChange.Kind(rawValue: try row.string(8)) ?? .update, before: try row.optionalString(9),
            after: try row.optionalString(10), detail: try row.optionalString(11))
        change.id = try row.int64(0)
        return change
    }

    /// Adds one row, inside the caller's transaction (the change's own).
    public func recordChange(_ change: PersonChange) throws {
        try connection.run(
            """
            INSERT INTO person_changes(integration, job_id, plan_id, at, role, mis_id, target_id, kind, before, after, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                change.integration, change.jobID, change.planID, change.at, change.role.rawValue, change.misID, change.targetID,
                change.kind.rawValue, change.before, change.after, change.detail,
            ])
    }

    /// Every change to the person with this MIS id, oldest first.
    public func personHistory(integration: String, misID: String) throws -> [PersonChange] {
        try connection.query(
            "SELECT \(Self.changeColumns) FROM person_changes WHERE integration = ? AND mis_id = ? ORDER BY id",
            [integration, misID], Self.change)
    }

    /// Every change to the target record `targetID`, oldest first, with those of the MIS records it
    /// belongs to that carry no target id (an intake entry before its match).
    public func personHistory(integration: String, targetID: String) throws -> [PersonChange] {
        var misIDs = Set(
            try connection.query(
                "SELECT DISTINCT mis_id FROM person_changes WHERE integration = ? AND target_id = ?", [integration, targetID]
            ) { try $0.string(0) })
        if let linked = try misIDLinked(to: targetID, integration: integration) { misIDs.insert(linked) }
        var rows = try connection.query(
            "SELECT \(Self.changeColumns) FROM person_changes WHERE integration = ? AND target_id = ? ORDER BY id",
            [integration, targetID], Self.change)
        for misID in misIDs {
            rows += try personHistory(integration: integration, misID: misID).filter { $0.targetID == nil }
        }
        return rows.sorted { $0.id < $1.id }
    }

    /// The changes to target records that belong to plan `planID` (what an undo reverses), oldest first.
    func planChanges(planID: Int64) throws -> [PersonChange] {
        try connection.query(
            """
            SELECT \(Self.changeColumns) FROM person_changes
            WHERE plan_id = ? AND kind IN ('create', 'update', 'contacts', 'recycle') ORDER BY id
            """, [planID], Self.change)
    }

    /// The integration whose history holds plan `planID`, nil when none does.
    public func integrationOfPlan(_ planID: Int64) throws -> String? {
        try connection.scalarString("SELECT integration FROM person_changes WHERE plan_id = ? ORDER BY id LIMIT 1", [planID])
    }

    /// Changes to target records of the person after change `id` (a later MISLink change).
    func laterChanges(integration: String, role: PersonRole, misID: String, after id: Int64) throws -> [PersonChange] {
        try connection.query(
            """
            SELECT \(Self.changeColumns) FROM person_changes
            WHERE integration = ? AND mis_id = ? AND id > ? AND role = ?
                AND kind IN ('create', 'update', 'contacts', 'recycle', 'restore', 'undo')
            ORDER BY id
            """, [integration, misID, id, role.rawValue], Self.change)
    }

    /// Deletes rows older than `cutoff` (milliseconds), of one integration or of all; answers how many.
    func pruneHistory(integration: String?, before cutoff: Int64) throws -> Int {
        if let integration {
            return try connection.run("DELETE FROM person_changes WHERE integration = ? AND at < ?", [integration, cutoff])
        }
        return try connection.run("DELETE FROM person_changes WHERE at < ?", [cutoff])
    }

    /// The history's rows, of one integration, and of those the rows older than `cutoff`.
    func historyCount(integration: String, before cutoff: Int64) throws -> (rows: Int, old: Int) {
        let rows = try connection.scalarInt("SELECT count(*) FROM person_changes WHERE integration = ?", [integration]) ?? 0
        let old = try connection.scalarInt(
            "SELECT count(*) FROM person_changes WHERE integration = ? AND at < ?", [integration, cutoff]) ?? 0
        return (Int(rows), Int(old))
    }
}
