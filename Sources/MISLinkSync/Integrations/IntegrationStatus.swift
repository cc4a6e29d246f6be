/// Where an integration is in its life (seed 000).
///
/// `add` → `pending`; a successful setup wizard (`rerun-wizard`) → `ready`; go-live's initial upload
/// → `on`; an admin toggles `on`/`off`; a job that fails for good → `error`; a successful
/// `rerun-wizard` or `rematch` from `error` → where its lifecycle stands: `on` if it has gone live,
/// `ready` if it never has.
public enum IntegrationStatus: String, Sendable, Codable, CaseIterable {
    case on, off, pending, ready, error

    /// A display name as the vendor writes it ("On", "Pending").
    public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// An admin action on an integration, each a column of the state table.
public enum IntegrationAction: String, Sendable, CaseIterable {
    case turnIntegrationOnOff = "integration on/off"
    case absenceSync = "absence sync on/off"
    case contractSync = "contract sync on/off"
    case staffSync = "staff sync on/off"
    case rerunWizard = "re-run wizard"
    case rematch = "re-match"
    case remove = "remove"
}

/// The integration state table of seed 000: which action each status allows. Every cell, as written.
public enum StateTable {
    private static let table: [IntegrationStatus: Set<IntegrationAction>] = [
        .on: Set(IntegrationAction.allCases),
        .off: Set(IntegrationAction.allCases),
        .pending: [.rerunWizard, .remove],
        .ready: [.remove],
        .error: [.absenceSync, .contractSync, .staffSync, .rerunWizard, .rematch, .remove],
    ]

    public static func allows(_ action: IntegrationAction, in status: IntegrationStatus) -> Bool {
        table[status]?.contains(action) ?? false
    }

    /// Throws the refusal, naming the status, when the action is not allowed.
    public static func check(_ action: IntegrationAction, integration: String, status: IntegrationStatus) throws(SyncError) {
        guard allows(action, in: status) else {
            throw SyncError(
                .refused,
                "integration '\(integration)' is \(status.title): \(action.rawValue) is not allowed while it is \(status.title)")
        }
    }
}
