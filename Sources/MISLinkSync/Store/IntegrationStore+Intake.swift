import MISLinkQueue
import MISLinkKit
import SQLiteDB

extension IntegrationStore {
    private static let intakeColumns =
        "id, integration, role, mis_id, name, record, reason, status, target_id, created_at, resolved_at, candidates"

    private static func intake(from row: any PortableRow) throws -> IntakeEntry {
        IntakeEntry(
            id: try row.int64(0), integration: try row.string(1), role: PersonRole(rawValue: try row.string(2)) ?? .pupil,
            misID: try row.string(3), name: try row.string(4), record: try row.string(5), reason: try row.string(6),
            status: IntakeEntry.Status(rawValue: try row.string(7)) ?? .open, targetID: try row.optionalString(8),
            createdAt: try row.int64(9), resolvedAt: try row.optionalInt64(10),
            candidates: try row.optionalString(11).flatMap(IntakeCandidate.decodeList))
    }

    /// Intake entries, by id; nil integration (or role) lists every integration's (role's).
    public func intake(integration: String?, role: PersonRole? = nil, includeResolved: Bool = false) throws -> [IntakeEntry] {
        let (filter, arguments) = Self.intakeFilter(integration: integration, role: role, includeResolved: includeResolved)
        return try connection.query("SELECT \(Self.intakeColumns) FROM intake" + filter + " ORDER BY id", arguments, Self.intake)
    }

    /// How many entries `intake(…)` would list, without reading them.
    public func intakeCount(integration: String?, role: PersonRole? = nil, includeResolved: Bool = false) throws -> Int {
        let (filter, arguments) = Self.intakeFilter(integration: integration, role: role, includeResolved: includeResolved)
        return Int(try connection.scalarInt("SELECT count(*) FROM intake" + filter, arguments) ?? 0)
    }

    private static func intakeFilter(integration: String?, role: PersonRole?, includeResolved: Bool)
        -> (String, [any SQLBindable])
    {
        var sql = " WHERE 1 = 1"
        var arguments: [any SQLBindable] = []
        if let integration {
            sql += " AND integration = ?"
            arguments.append(integration)
        }
        if let role {
            sql += " AND role = ?"
            arguments.append(role.rawValue)
        }
        if !includeResolved { sql += " AND status = 'open'" }
        return (sql, arguments)
    }

    public func intakeEntry(_ id: Int64) throws -> IntakeEntry {
        guard let entry = try connection.queryFirst("SELECT \(Self.intakeColumns) FROM intake WHERE id = ?", [id], Self.intake)
        else { throw SyncError(.notFound, "there is no intake entry \(id) (see 'mislink intake list')") }
        return entry
    }

    /// Puts a record in intake, or refreshes the open entry it already has. `candidates`: the near
    /// matches as JSON (see `IntakeCandidate`), nil when not worked out. Answers whether it opened one.
    @discardableResult
    public func sendToIntake(
        integration: String, role: PersonRole, misID: String, name: String, record: String, reason: String,
        candidates: String? = nil, now: Int64
    ) throws -> Bool {
        let updated = try connection.run(
            """
            UPDATE intake SET name = ?, record = ?, reason = ?, candidates = ?
            WHERE integration = ? AND role = ? AND mis_id = ? AND status = 'open'
            """, [name, record, reason, candidates, integration, role.rawValue, misID])
        if updated == 0 {
            try connection.run(
                """
                INSERT INTO intake(integration, role, mis_id, name, record, reason, status, created_at, candidates)
                VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)
                """, [integration, role.rawValue, misID, name, record, reason, now, candidates])
        }
        return updated == 0
    }

    /// Closes an open entry as matched, transferred or excluded; one decided meanwhile is a conflict.
    public func resolveIntake(_ id: Int64, as status: IntakeEntry.Status, targetID: String?, now: Int64) throws {
        let entry = try intakeEntry(id)
        guard entry.status == .open else { throw IntakeDesk.alreadyDecided(entry) }
        try connection.run(
            "UPDATE intake SET status = ?, target_id = ?, resolved_at = ? WHERE id = ?",
            [status.rawValue, targetID, now, id])
    }

    /// The MIS record linked to a target record, if any (by the `links_by_target` index).
    func misIDLinked(to targetID: String, integration: String) throws -> String? {
        try connection.scalarString(
            "SELECT mis_id FROM links WHERE integration = ? AND target_id = ? LIMIT 1", [integration, targetID])
    }

    /// Closes open entries of records that are now linked (an import matched them after all).
    public func closeIntake(integration: String, role: PersonRole, misID: String, targetID: String, now: Int64) throws {
        try connection.run(
            """
            UPDATE intake SET status = 'matched', target_id = ?, resolved_at = ?
            WHERE integration = ? AND role = ? AND mis_id = ? AND status = 'open'
            """, [targetID, now, integration, role.rawValue, misID])
    }

    // MARK: - Import history

    public func recordImport(_ record: ImportRecord) throws {
        try connection.run(
            """
            INSERT INTO imports(integration, job_id, kind, started_at, finished_at, added, updated, matched, to_intake,
                leavers, skipped, warnings, report)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                record.integration, record.jobID, record.kind, record.startedAt, record.finishedAt, record.added,
                record.updated, record.matched, record.toIntake, record.leavers, record.skipped, record.warnings,
                record.report,
            ])
    }

    /// When the last import that read the whole MIS (an initial upload or a nightly import) started.
    public func lastImportStart(integration: String) throws -> Int64? {
        try connection.scalarInt(
            "SELECT max(started_at) FROM imports WHERE integration = ? AND kind IN ('initial-upload', 'nightly-import')",
            [integration])
    }

    /// Newest first.
    public func imports(integration: String, limit: Int = 50) throws -> [ImportRecord] {
        try connection.query(
            """
            SELECT id, integration, job_id, kind, started_at, finished_at, added, updated, matched, to_intake, leavers,
                skipped, warnings, report
            FROM imports WHERE integration = ? ORDER BY id DESC LIMIT ?
            """, [integration, limit]
        ) { row in
            var record = ImportRecord(
                integration: try row.string(1), jobID: try row.optionalInt64(2), kind: try row.string(3), startedAt: try row.int64(4),
                finishedAt: try row.int64(5))
            record.id = try row.int64(0)
            record.added = try row.int(6)
            record.updated = try row.int(7)
            record.matched = try row.int(8)
            record.toIntake = try row.int(9)
            record.leavers = try row.int(10)
            record.skipped = try row.int(11)
            record.warnings = try row.int(12)
            record.report = try row.string(13)
            return record
        }
    }
}
