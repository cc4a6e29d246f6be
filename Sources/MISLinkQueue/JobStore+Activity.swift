extension JobStore {
    /// The hourly buckets from `since` (milliseconds) on, oldest first.
    /// PLACEHOLDER until the hourly buckets land (branch `counts`): answers none.
    public func activity(since: Int64) throws -> [ActivityBucket] { [] }
}
