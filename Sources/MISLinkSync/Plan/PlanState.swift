/// Where the plan stands. Shown as "expired" when a plan for review is past `expiresAt`.
public enum PlanState: String, Sendable, CaseIterable {
    /// Made for review (`--plan-only`), no guard tripped.
    case ready
    /// A guard tripped: for an admin to apply, in whole or but the held steps, or discard.
    case held
    case applying
    /// Applied (with its job).
    case completed
    /// A later import completed while this one was unfinished; a retry plans afresh.
    case superseded
    case discarded

    /// Waiting for an admin's decision.
    public var forReview: Bool { self == .ready || self == .held }
}
