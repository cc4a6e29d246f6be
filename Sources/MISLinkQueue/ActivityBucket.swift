/// The jobs of one kind that ended in one clock hour: the console's activity chart is drawn from
/// these, never from a scan of the jobs.
public struct ActivityBucket: Sendable, Equatable {
    /// The hour's start, in milliseconds since 1970 (a multiple of 3,600,000).
    public let hourStart: Int64
    public let kind: String
    public let succeeded: Int
    public let failed: Int

    public init(hourStart: Int64, kind: String, succeeded: Int, failed: Int) {
        self.hourStart = hourStart
        self.kind = kind
        self.succeeded = succeeded
        self.failed = failed
    }
}
