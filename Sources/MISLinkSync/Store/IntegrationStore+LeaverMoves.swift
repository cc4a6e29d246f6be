import Foundation
import MISLinkKit
import MISLinkQueue

extension IntegrationStore {
    /// The leavers' moves to the recycle bin that still wait (their grace period, or a worker), by
    /// "role:misID": an import that finds one of them back in the MIS calls the move off. Read from
    /// the queue's own table, beside which the sync tables live, through the indexes of the waiting
    /// and the available jobs: as many rows as jobs wait, never a scan of the finished ones.
    func waitingLeaverMoves(integration: String) throws -> [String: Int64] {
        var moves: [String: Int64] = [:]
        let columns = "SELECT id, payload FROM jobs"
        let rows = try connection.query(
            """
            \(columns) WHERE state IN ('scheduled', 'retryable') AND kind = ? AND integration = ?
            UNION ALL
            \(columns) WHERE state = 'available' AND kind = ? AND integration = ?
            """, [JobKinds.leaverToRecycleBin, integration, JobKinds.leaverToRecycleBin, integration]
        ) { row in (try row.int64(0), try row.string(1)) }
        for (id, payload) in rows {
            guard let move = try? JSONDecoder().decode(LeaverPayload.self, from: Data(payload.utf8)) else { continue }
            moves[move.role.rawValue + ":" + move.misID] = id
        }
        return moves
    }
}
