import MISLinkKit
import MISLinkRunner

/// What must hold before a sync job may be enqueued or retried: the integration exists and its
/// status allows the kind (the state table for re-run wizard and re-match; On for the nightly
/// import; Ready, On or Off for the initial upload; absence sync on for write-back). Checked by the
/// service inside the transaction that writes the job, so a status change cannot slip in between.
public enum EnqueueRules {
    public static let syncKinds: Set<String> = [
        JobKinds.initialUpload, JobKinds.nightlyImport, JobKinds.rematch, JobKinds.rerunWizard, JobKinds.writeBack,
        JobKinds.leaverToRecycleBin, JobKinds.planUndo,
    ]

    package static func check(kind: String, integration id: String?, store: IntegrationStore) throws {
        guard syncKinds.contains(kind) else { return }
        guard let id else { throw SyncError(.invalidInput, "a \(kind) job needs --integration ID") }
        let integration = try store.require(id)
        let status = integration.status
        switch kind {
        case JobKinds.rerunWizard: try StateTable.check(.rerunWizard, integration: id, status: status)
        case JobKinds.rematch: try StateTable.check(.rematch, integration: id, status: status)
        case JobKinds.nightlyImport:
            guard IntegrationActions.allows(.importNow, in: status) else {
                throw SyncError(
                    .refused,
                    "integration '\(id)' is \(status.title): nightly imports run only while it is On" + (status == .off ? " (it is paused)" : ""))
            }
        case JobKinds.initialUpload:
            guard [.ready, .on, .off].contains(status) else {
                throw SyncError(.refused, "integration '\(id)' is \(status.title): the initial upload needs it Ready (run the setup wizard first)")
            }
        case JobKinds.writeBack:
            guard integration.absenceSync else {
                throw SyncError(.refused, "absence sync is off for integration '\(id)': nothing is written back")
            }
            guard status == .on || status == .error else {
                throw SyncError(.refused, "integration '\(id)' is \(status.title): write-back runs while it is On")
            }
        default:
            break
        }
    }

    /// The unique key a sync job gets when none is given. One pending initial upload and one pending
    /// nightly import per integration (a second enqueue, go-live then `enqueue initial-upload`, or the
    /// schedule beside an on-demand run, returns the pending job); one write-back per event.
    static func defaultUniqueKey(kind: String, integration: String?, payload: JSONPayload) -> String? {
        guard let integration else { return nil }
        // A plan for review, and the apply of one, stand beside the integration's ordinary run.
        if payload.object["planOnly"] as? Bool == true { return "plan:\(kind):\(integration)" }
        if let plan = try? payload.integer("applyPlan") { return "plan-apply:\(plan)" }
        switch kind {
        case JobKinds.initialUpload, JobKinds.nightlyImport: return "\(kind):\(integration)"
        case JobKinds.writeBack: return payload.string("eventId").map { "write-back:\(integration):\($0)" }
        default: return nil
        }
    }

    /// Kinds whose unique key is the rule itself: a caller may not give another and get a duplicate.
    static func requiresDefaultKey(_ kind: String) -> Bool {
        kind == JobKinds.initialUpload || kind == JobKinds.nightlyImport
    }
}
