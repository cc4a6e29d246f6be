import MISLinkQueue
import Foundation
import MISLinkKit
import SQLiteDB

extension IntegrationStore {
    private static func link(from row: any PortableRow) throws -> Link { try link(from: row, decodingSent: true) }

    private static func link(from row: any PortableRow, decodingSent: Bool) throws -> Link {
        Link(
            integration: try row.string(0), role: PersonRole(rawValue: try row.string(1)) ?? .pupil, misID: try row.string(2),
            targetID: try row.string(3), origin: Link.Origin(rawValue: try row.string(4)) ?? .integration, rule: try row.string(5),
            createdAt: try row.int64(6),
            sent: decodingSent ? try row.optionalString(7).map(SentFields.decode) : nil)
    }

    public func links(integration: String) throws -> [Link] {
        try connection.query(
            """
            SELECT integration, role, mis_id, target_id, origin, rule, created_at, sent FROM links
            WHERE integration = ? ORDER BY role, mis_id
            """, [integration], Self.link)
    }

    /// The links without what was sent, and digests of what was sent per "role:misID" in its stored
    /// text form (`SentFields`): what an import plans with. A trust's 110,000 decoded dictionaries
    /// cost over 100 MiB, and its texts over 30; the engine reads back (`sentTexts`) and decodes a
    /// text only for a record that changed.
    func linksForPlanning(integration: String) throws -> (links: [Link], sentDigests: [String: TextDigest]) {
        var digests: [String: TextDigest] = [:]
        let links = try connection.query(
            """
            SELECT integration, role, mis_id, target_id, origin, rule, created_at, sent FROM links
            WHERE integration = ? ORDER BY role, mis_id
            """, [integration]
        ) { row in
            let link = try Self.link(from: row, decodingSent: false)
            if let text = try row.optionalString(7) { digests[link.role.rawValue + ":" + link.misID] = TextDigest(text) }
            return link
        }
        return (links, digests)
    }

    /// What was last sent for each of `keys` ("role:misID"), in its stored text form; keys with
    /// nothing sent are left out.
    public func sentTexts(integration: String, keys: [String]) throws -> [String: String] {
        var texts: [String: String] = [:]
        // Many keys: one pass over the integration's links beats a look-up each.
        if keys.count > 256 {
            let wanted = Set(keys)
            _ = try connection.query(
                "SELECT role, mis_id, sent FROM links WHERE integration = ? AND sent IS NOT NULL", [integration]
            ) { row in
                let key = try (row.string(0) + ":" + row.string(1))
                if wanted.contains(key) { texts[key] = try row.string(2) }
            }
            return texts
        }
        for key in keys {
            guard let colon = key.firstIndex(of: ":") else { continue }
            let role = String(key[..<colon])
            let misID = String(key[key.index(after: colon)...])
            if let text = try connection.scalarString(
                "SELECT sent FROM links WHERE integration = ? AND role = ? AND mis_id = ?", [integration, role, misID])
            {
                texts[key] = text
            }
        }
        return texts
    }

    /// The target id an MIS record is linked to, if it is.
    /// The link to target record `targetID`, with what was sent, if there is one.
    func link(integration: String, targetID: String) throws -> Link? {
        try connection.queryFirst(
            """
            SELECT integration, role, mis_id, target_id, origin, rule, created_at, sent FROM links
            WHERE integration = ? AND target_id = ? LIMIT 1
            """, [integration, targetID], Self.link)
    }

    public func linkedTargetID(integration: String, role: PersonRole, misID: String) throws -> String? {
        try connection.scalarString(
            "SELECT target_id FROM links WHERE integration = ? AND role = ? AND mis_id = ?", [integration, role.rawValue, misID])
    }

    /// Adds or replaces the link of an MIS record.
    public func link(_ link: Link) throws {
        try connection.run(
            """
            INSERT INTO links(integration, role, mis_id, target_id, origin, rule, created_at, sent)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (integration, role, mis_id) DO UPDATE SET
                target_id = excluded.target_id, origin = excluded.origin, rule = excluded.rule,
                created_at = excluded.created_at, sent = excluded.sent
            """,
            [
                link.integration, link.role.rawValue, link.misID, link.targetID, link.origin.rawValue, link.rule,
                link.createdAt, link.sent.map(SentFields.encode),
            ])
    }

    /// Records what was just sent for a linked record.
    public func recordSent(integration: String, role: PersonRole, misID: String, fields: [String: String]) throws {
        try connection.run(
            "UPDATE links SET sent = ? WHERE integration = ? AND role = ? AND mis_id = ?",
            [SentFields.encode(fields), integration, role.rawValue, misID])
    }

    // MARK: - Target-side edits

    public func recordTargetChange(integration: String, _ change: TargetChange, jobID: Int64?, now: Int64) throws {
        try connection.run(
            """
            INSERT INTO target_changes(integration, role, mis_id, target_id, field, sent_value, target_value, seen_at, job_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                integration, change.role.rawValue, change.misID, change.targetID, change.field, change.sentValue,
                change.targetValue, now, jobID,
            ])
    }

    /// Edits imports found and overwrote, newest first.
    public func overwrittenTargetChanges(integration: String, limit: Int = 1_000) throws -> [TargetChange] {
        try connection.query(
            """
            SELECT role, mis_id, target_id, field, sent_value, target_value, seen_at FROM target_changes
            WHERE integration = ? ORDER BY id DESC LIMIT ?
            """, [integration, limit]
        ) { row in
            TargetChange(
                role: PersonRole(rawValue: try row.string(0)) ?? .pupil, misID: try row.string(1), targetID: try row.string(2),
                field: try row.string(3), sentValue: try row.optionalString(4), targetValue: try row.optionalString(5),
                status: .overwritten, seenAt: try row.int64(6))
        }
    }

    /// Removes every link the integration itself made; manual links stay. Answers how many went.
    public func removeIntegrationLinks(integration: String) throws -> Int {
        try connection.run("DELETE FROM links WHERE integration = ? AND origin = 'integration'", [integration])
    }

    // MARK: - Exclusions

    public func exclusions(integration: String) throws -> [(misID: String, createdAt: Int64)] {
        try connection.query(
            "SELECT mis_id, created_at FROM exclusions WHERE integration = ? ORDER BY mis_id", [integration]
        ) { try ($0.string(0), $0.int64(1)) }
    }

    public func exclude(integration: String, misID: String, now: Int64) throws {
        try connection.run(
            "INSERT INTO exclusions(integration, mis_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [integration, misID, now])
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
            INSERT INTO writebacks(integration, event_id, job_id, result, written_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """, [integration, eventID, jobID, result, now])
    }
}
