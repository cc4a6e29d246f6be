/// One page of a job list, newest first.
public struct JobPage: Sendable, Equatable {
    public let jobs: [Job]
    /// The `before` of the next page; nil when this page is the last. A search page may hold fewer
    /// jobs than its limit (even none) and still have a next page: it ran out of its window.
    public let nextBefore: Int64?

    public init(jobs: [Job], nextBefore: Int64?) {
        self.jobs = jobs
        self.nextBefore = nextBefore
    }
}
