import Foundation
import MISLinkQueue

/// The person history (`person history`), the undo of a plan (`plan undo`) and the history's
/// retention (`history prune`, `doctor`).
extension IntegrationService {
    /// Every change MISLink made to the person with this MIS id, oldest first; an unknown integration is refused.
    public func personHistory(_ id: String, misID: String) throws(SyncError) -> [PersonChange] {
        try records(id) { try $0.personHistory(integration: id, misID: misID) }
    }

    /// Every change MISLink made to target record `targetID`, oldest first.
    public func personHistory(_ id: String, targetID: String) throws(SyncError) -> [PersonChange] {
        try records(id) { try $0.personHistory(integration: id, targetID: targetID) }
    }

    /// The `plan-undo` job that reverses plan `plan` (for one person with `misID`), for the
    /// integration whose history holds the plan; a plan the history does not know is refused.
    public func undoRequest(plan: Int64, misID: String?) throws(SyncError) -> JobRequest {
        if let misID, misID.isEmpty { throw SyncError(.invalidInput, "--mis-id needs an MIS id") }
        let database = try SyncDatabase(environment, access: .read)
        let integration: String?
        do { integration = try database.store.integrationOfPlan(plan) } catch { throw SyncError.wrap(error) }
        guard let integration else {
            throw SyncError(
                .notFound,
                "plan \(plan) changed no target record that the history holds (an unknown plan, one that changed nothing, or one past the history's retention)")
        }
        var request = JobRequest(kind: JobKinds.planUndo)
        request.integration = integration
        var payload: [String: Any] = ["plan": plan]
        if let misID { payload["misId"] = misID }
        request.payload = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) }
        return request
    }

    /// Deletes history rows older than `age` (milliseconds) in every integration, or, with nil, older
    /// than each integration's own `history-keep`; answers how many, per integration.
    public func pruneHistory(olderThan age: Int64?, now: Int64 = JobStore.now()) throws(SyncError) -> [(integration: String, pruned: Int)] {
        try write(database: { database in
            try database.store.integrations().map { integration in
                let keep = age ?? Int64(integration.settings.historyKeep) * 86_400_000
                return (integration.id, try database.store.pruneHistory(integration: integration.id, before: now - keep))
            }
        })
    }

    /// The history's rows per integration, and those past its retention (`doctor`).
    public func historyCounts(now: Int64 = JobStore.now()) throws(SyncError) -> [(integration: String, rows: Int, pastRetention: Int)] {
        try read { store in try Self.historyCounts(store, now: now) }
    }

    static func historyCounts(_ store: IntegrationStore, now: Int64) throws -> [(integration: String, rows: Int, pastRetention: Int)] {
        try store.integrations().map { integration in
            let counts = try store.historyCount(
                integration: integration.id, before: now - Int64(integration.settings.historyKeep) * 86_400_000)
            return (integration.id, counts.rows, counts.old)
        }
    }
}
