/// A kind, queue and state whose kept count disagrees with the jobs table: what `mislink doctor`
/// reports before `JobStore.recountStates()` repairs it.
public struct JobCountDrift: Sendable, Equatable {
    public let kind: String
    public let queue: String
    public let state: JobState
    /// What the state counter says.
    public let counted: Int
    /// What the jobs table holds.
    public let actual: Int

    public init(kind: String, queue: String, state: JobState, counted: Int, actual: Int) {
        self.kind = kind
        self.queue = queue
        self.state = state
        self.counted = counted
        self.actual = actual
    }
}
