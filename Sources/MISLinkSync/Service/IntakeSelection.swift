import MISLinkKit

/// Which intake entries a decision is for: a list of ids, or every open entry (optionally of one
/// integration and/or one role).
public enum IntakeSelection: Sendable, Equatable {
    case ids([Int64])
    case open(integration: String?, role: PersonRole?)

    /// Every open entry of every integration.
    public static let allOpen = IntakeSelection.open(integration: nil, role: nil)
}
