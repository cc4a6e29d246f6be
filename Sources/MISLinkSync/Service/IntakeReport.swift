/// What a batch of intake decisions did: each entry is either done (with the status it ended in and
/// its target record) or refused (with the reason), never both, never left out.
public struct IntakeReport: Sendable, Equatable {
    public struct Done: Sendable, Equatable {
        public let entry: Int64
        public let status: IntakeEntry.Status
        /// The target record it is now linked to (nil when excluded).
        public let targetID: String?
    }

    public struct Refusal: Sendable, Equatable {
        public let entry: Int64
        /// Why, as the service's error codes: `refused` (the integration's status, named in the
        /// reason), `conflict` (already decided, target record taken), `notFound`, `invalidInput`
        /// (no single candidate, role mismatch), `failed` (the target's plugin failed).
        public let code: SyncError.Code
        public let reason: String
    }

    public internal(set) var done: [Done] = []
    public internal(set) var refused: [Refusal] = []

    public init() {}

    /// Every entry was decided.
    public var isComplete: Bool { refused.isEmpty }

    mutating func record(_ entry: Int64, _ status: IntakeEntry.Status, targetID: String?) {
        done.append(Done(entry: entry, status: status, targetID: targetID))
    }

    mutating func refuse(_ entry: Int64, _ error: SyncError) {
        refused.append(Refusal(entry: entry, code: error.code, reason: error.message))
    }

    /// Entries in id order, as the caller listed them.
    mutating func sort() {
        done.sort { $0.entry < $1.entry }
        refused.sort { $0.entry < $1.entry }
    }
}
