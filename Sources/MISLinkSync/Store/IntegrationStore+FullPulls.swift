import MISLinkQueue
import Foundation

extension IntegrationStore {
    /// How many of the latest imports (up to `limit`) in a row were deltas, newest first: 0 when the
    /// last one read the whole MIS. An initial upload is always full. The history row's report says
    /// `"delta": true` for a delta (`ImportReport.delta`).
    public func deltaImportsSinceFullPull(integration: String, upTo limit: Int) throws -> Int {
        // The flag is read from the report here rather than by a JSON function, which each back end spells its own way.
        let flags = try connection.query(
            """
            SELECT report FROM imports
            WHERE integration = ? AND kind IN ('initial-upload', 'nightly-import') ORDER BY started_at DESC, id DESC LIMIT ?
            """, [integration, limit]
        ) { row in
            (try? JSONDecoder().decode(DeltaFlag.self, from: Data(try row.string(0).utf8)))?.delta == true ? 1 : 0
        }
        return flags.firstIndex(of: 0) ?? flags.count
    }
}

/// The one field of a stored import report that says whether it was a delta.
private struct DeltaFlag: Decodable {
    let delta: Bool?
}
