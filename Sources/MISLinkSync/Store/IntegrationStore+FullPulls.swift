import SQLiteDB

extension IntegrationStore {
    /// How many of the latest imports (up to `limit`) in a row were deltas, newest first: 0 when the
    /// last one read the whole MIS. An initial upload is always full. The history row's report says
    /// `"delta": true` for a delta (`ImportReport.delta`).
    public func deltaImportsSinceFullPull(integration: String, upTo limit: Int) throws -> Int {
        let flags = try connection.query(
            """
            SELECT coalesce(json_extract(report, '$.delta'), 0) FROM imports
            WHERE integration = ? AND kind IN ('initial-upload', 'nightly-import') ORDER BY started_at DESC, id DESC LIMIT ?
            """, [integration, limit]
        ) { $0.int(0) }
        return flags.firstIndex(of: 0) ?? flags.count
    }
}
