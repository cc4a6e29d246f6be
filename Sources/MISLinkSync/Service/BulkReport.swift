import MISLinkQueue

/// What a bulk retry, cancel or discard did: how many jobs it acted on, and each one it left alone
/// with why (the same refusal a one-job action would give).
public struct BulkReport: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable {
        case retry, cancel, discard
    }

    public struct Refusal: Sendable, Equatable {
        public let id: Int64
        public let reason: String
    }

    /// The most refusals listed one by one; `refusedCount` counts them all, so a filter over
    /// 100,000 jobs that refuses most of them answers a bounded report.
    public static let listedRefusals = 1_000

    public let action: Action
    /// Jobs retried, cancelled or discarded.
    public var acted = 0
    /// Running jobs whose cancel was requested: their workers cancel them at the next heartbeat.
    public var requested = 0
    /// Jobs left alone, the first `listedRefusals` of them, oldest first.
    public private(set) var refused: [Refusal] = []
    public private(set) var refusedCount = 0

    public init(action: Action) { self.action = action }

    mutating func refuse(_ id: Int64, _ reason: String) {
        refusedCount += 1
        if refused.count < Self.listedRefusals { refused.append(Refusal(id: id, reason: reason)) }
    }

    /// Folds in a chunk's report (a chunk that committed).
    mutating func add(_ chunk: BulkReport) {
        acted += chunk.acted
        requested += chunk.requested
        for refusal in chunk.refused { refuse(refusal.id, refusal.reason) }
        refusedCount += chunk.refusedCount - chunk.refused.count
    }
}
