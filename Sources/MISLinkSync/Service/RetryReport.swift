/// What `retry --all-failed` did.
public struct RetryReport: Sendable, Equatable {
    public struct Refusal: Sendable, Equatable {
        public let id: Int64
        public let kind: String
        public let reason: String
    }

    public var retried: [Int64] = []
    /// Jobs left failed, each with why.
    public var refused: [Refusal] = []
}
