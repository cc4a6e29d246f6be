/// A running job as its worker holds it: what the workers view lists under each worker.
public struct HeldJob: Sendable, Equatable {
    public let id: Int64
    public let kind: String
    public let queue: String
    public let integration: String?
    public let workerID: String
    public let attempt: Int
    public let startedAt: Int64?
    public let leaseExpiresAt: Int64?
    public let cancelRequested: Bool
}
