import MISLinkKit

/// A link between an MIS record and a target record.
public struct Link: Sendable, Equatable {
    public enum Origin: String, Sendable, Codable {
        /// Made by the integration's matching; removed by a re-run of the wizard.
        case integration
        /// Made by an admin; never removed by the integration.
        case manual
    }

    public var integration: String
    public var role: PersonRole
    public var misID: String
    public var targetID: String
    public var origin: Origin
    /// How it was made: `created`, `mis-id`, `upn`, `ni-number`, `name-dob`, `manual`.
    public var rule: String
    public var createdAt: Int64
    /// What the integration last sent for the record, by standard field name; nil before the first send.
    public var sent: [String: String]?

    public init(
        integration: String, role: PersonRole, misID: String, targetID: String, origin: Origin, rule: String,
        createdAt: Int64, sent: [String: String]? = nil
    ) {
        self.integration = integration
        self.role = role
        self.misID = misID
        self.targetID = targetID
        self.origin = origin
        self.rule = rule
        self.createdAt = createdAt
        self.sent = sent
    }
}

/// An edit made in the target that the MIS does not have: a field whose target value differs from
/// what the integration last sent.
public struct TargetChange: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// In the target now; the next import will overwrite it (the sync is one way).
        case pending
        /// An import found it and overwrote it with the MIS's value.
        case overwritten
    }

    public var role: PersonRole
    public var misID: String
    public var targetID: String
    public var field: String
    public var sentValue: String?
    public var targetValue: String?
    public var status: Status
    /// When an import saw it (overwritten ones).
    public var seenAt: Int64?

    public init(
        role: PersonRole, misID: String, targetID: String, field: String, sentValue: String?, targetValue: String?,
        status: Status, seenAt: Int64? = nil
    ) {
        self.role = role
        self.misID = misID
        self.targetID = targetID
        self.field = field
        self.sentValue = sentValue
        self.targetValue = targetValue
        self.status = status
        self.seenAt = seenAt
    }
}

/// An MIS record that matched nobody, or more than one, waiting for an admin.
public struct IntakeEntry: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        case open, matched, transferred, excluded
    }

    public var id: Int64
    public var integration: String
    public var role: PersonRole
    public var misID: String
    public var name: String
    /// The MIS record as JSON, so that a transfer can create it as it was.
    public var record: String
    public var reason: String
    public var status: Status
    public var targetID: String?
    public var createdAt: Int64
    public var resolvedAt: Int64?
    /// The target records that nearly matched, strongest first; nil for an entry made before they
    /// were recorded (`IntakeService.entry` works them out then).
    public var candidates: [IntakeCandidate]? = nil
}

/// One import's figures, as `imports list` shows them.
public struct ImportRecord: Sendable, Equatable {
    public var id: Int64 = 0
    public var integration: String
    public var jobID: Int64?
    public var kind: String
    public var startedAt: Int64
    public var finishedAt: Int64
    public var added = 0
    public var updated = 0
    public var matched = 0
    public var toIntake = 0
    public var leavers = 0
    public var skipped = 0
    public var warnings = 0
    /// The full report as JSON (reasons for skips, warnings).
    public var report: String = "{}"

    public init(integration: String, jobID: Int64?, kind: String, startedAt: Int64, finishedAt: Int64) {
        self.integration = integration
        self.jobID = jobID
        self.kind = kind
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// What removing an integration deleted.
public struct RemovalCounts: Sendable, Equatable {
    public var links = 0
    public var intake = 0
    public var exclusions = 0
    public var imports = 0
    public var writeBacks = 0
}
