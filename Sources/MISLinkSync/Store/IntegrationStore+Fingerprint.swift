import MISLinkKit
import MISLinkQueue

extension IntegrationStore {
    /// What planning reads of the integration's own records, as a digest that any change to them
    /// changes: its row (config, settings, switches, status), its exclusions, its links (their
    /// number and newest), and the newest import and person-history row, which every other change
    /// to the links, what was sent and the recycle bin comes with.
    func bookkeepingFingerprint(integration id: String) throws -> String {
        var digest = StableDigest()
        let row = try connection.queryFirst(
            "SELECT connector, target, status, config, secrets, settings, absence_sync, contract_sync, staff_sync, updated_at FROM integrations WHERE id = ?",
            [id]
        ) { row in
            try [row.string(0), row.string(1), row.string(2), row.string(3), row.string(4), row.string(5)].joined(separator: "|")
                + "|\(try row.int64(6))\(try row.int64(7))\(try row.int64(8))|\(try row.int64(9))"
        }
        digest.update(row ?? "none")
        for misID in try connection.query("SELECT mis_id FROM exclusions WHERE integration = ? ORDER BY mis_id", [id], { try $0.string(0) }) {
            digest.update(misID)
        }
        for sql in [
            "SELECT count(*) FROM links WHERE integration = ?", "SELECT coalesce(max(created_at), 0) FROM links WHERE integration = ?",
            "SELECT coalesce(max(id), 0) FROM imports WHERE integration = ?",
            "SELECT coalesce(max(id), 0) FROM person_changes WHERE integration = ?",
            "SELECT count(*) FROM recycle_bin WHERE integration = ?",
        ] {
            digest.update(String(try connection.scalarInt(sql, [id]) ?? 0))
        }
        return digest.hex
    }
}
