import MISLinkKit
import MISLinkRunner

/// What must hold before a sync job may be enqueued: the integration exists and its status allows
/// the kind (the state table for re-run wizard and re-match; On for the nightly import; absence sync
/// on for write-back). Refused before anything is written.
public enum EnqueueRules {
    public static let syncKinds: Set<String> = [
        JobKinds.initialUpload, JobKinds.nightlyImport, JobKinds.rematch, JobKinds.rerunWizard, JobKinds.writeBack,
        JobKinds.leaverToRecycleBin,
    ]

    public static func check(kind: String, integration id: String?, store: IntegrationStore) throws {
        guard syncKinds.contains(kind) else { return }
        guard let id else { throw SyncError(.invalidInput, "a \(kind) job needs --integration ID") }
        let integration = try store.require(id)
        let status = integration.status
        switch kind {
        case JobKinds.rerunWizard: try StateTable.check(.rerunWizard, integration: id, status: status)
        case JobKinds.rematch: try StateTable.check(.rematch, integration: id, status: status)
        case JobKinds.nightlyImport:
            guard status == .on else {
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

    /// The unique key a write-back gets when none is given: one job per event, however often it is sent.
    public static func defaultUniqueKey(kind: String, integration: String?, payload: JSONPayload) -> String? {
        guard kind == JobKinds.writeBack, let integration, let event = payload.string("eventId") else { return nil }
        return "write-back:\(integration):\(event)"
    }
}
