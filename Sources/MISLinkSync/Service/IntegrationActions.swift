/// An action an admin can take on an integration, as the console offers it (one button each) and
/// the API names it (`POST /api/integrations/ID/<rawValue>`).
public enum AdminAction: String, Sendable, CaseIterable {
    case turnOn = "on"
    case turnOff = "off"
    case goLive = "go-live"
    case absenceSync = "absence-sync"
    case contractSync = "contract-sync"
    case staffSync = "staff-sync"
    /// Enqueue a nightly import now (optionally allowing mass leavers).
    case importNow = "import"
    case rerunWizard = "rerun-wizard"
    case rematch = "rematch"
    /// Match, transfer or exclude intake entries.
    case intakeDecisions = "intake"
    case remove = "remove"
}

/// Which admin actions each integration status allows: seed 000's state table for its columns,
/// plus the rules the service adds (go-live needs Ready, a nightly import On, intake decisions
/// follow the re-match column: matching by hand is allowed where re-matching is). The one place
/// the console asks which buttons to show, and where go-live and the nightly import's status rules
/// live (`IntegrationService.goLive` and `EnqueueRules` ask here, with their own messages).
public enum IntegrationActions {
    /// Whether `status` allows `action`.
    public static func allows(_ action: AdminAction, in status: IntegrationStatus) -> Bool {
        switch action {
        case .turnOn, .turnOff: StateTable.allows(.turnIntegrationOnOff, in: status)
        case .absenceSync: StateTable.allows(.absenceSync, in: status)
        case .contractSync: StateTable.allows(.contractSync, in: status)
        case .staffSync: StateTable.allows(.staffSync, in: status)
        case .rerunWizard: StateTable.allows(.rerunWizard, in: status)
        case .rematch, .intakeDecisions: StateTable.allows(.rematch, in: status)
        case .remove: StateTable.allows(.remove, in: status)
        case .goLive: status == .ready
        case .importNow: status == .on
        }
    }

    /// The actions worth a button for this integration now: those its status allows, without the
    /// switch to the status it is already in (no "on" while On).
    public static func allowed(for integration: Integration) -> [AdminAction] {
        AdminAction.allCases.filter { action in
            guard allows(action, in: integration.status) else { return false }
            switch action {
            case .turnOn: return integration.status != .on
            case .turnOff: return integration.status != .off
            default: return true
            }
        }
    }

    /// Throws the refusal naming the status when it does not allow the action.
    static func check(_ action: AdminAction, integration: String, status: IntegrationStatus) throws(SyncError) {
        guard !allows(action, in: status) else { return }
        throw SyncError(
            .refused, "integration '\(integration)' is \(status.title): \(action.title) is not allowed while it is \(status.title)")
    }
}

extension AdminAction {
    /// For people: "intake decisions".
    public var title: String {
        switch self {
        case .turnOn: "turning it on"
        case .turnOff: "turning it off"
        case .goLive: "go-live"
        case .absenceSync: "absence sync on/off"
        case .contractSync: "contract sync on/off"
        case .staffSync: "staff sync on/off"
        case .importNow: "a nightly import"
        case .rerunWizard: "re-run wizard"
        case .rematch: "re-match"
        case .intakeDecisions: "intake decisions"
        case .remove: "remove"
        }
    }
}
