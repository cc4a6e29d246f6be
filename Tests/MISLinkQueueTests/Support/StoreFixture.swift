import Foundation
import MISLinkQueue
import MISLinkTestSupport

/// A store on a fresh database file, removed afterwards.
func withStore<T>(_ body: (JobStore, String) throws -> T) throws -> T {
    try withTemporaryDirectory { dir in
        let path = dir + "/queue.sqlite"
        return try body(try JobStore(path: path), path)
    }
}

let t0: Int64 = 1_800_000_000_000
let lease: Int64 = 30_000

extension JobStore {
    func state(_ id: Int64) throws -> JobState? { try job(id: id)?.state }

    /// A job claimed by "old", rescued when its lease expired, claimed by "new"; then "old" reports
    /// a success the store must ignore. Answers the job's id.
    func staleCompletion() throws -> Int64 {
        let id = try enqueue(NewJob(kind: "noop"), now: t0).id
        _ = try claim(workerID: "old", limit: 1, leaseMilliseconds: lease, now: t0)
        try rescueExpiredLeases(now: t0 + lease + 1)
        _ = try claim(workerID: "new", limit: 1, leaseMilliseconds: lease, now: t0 + lease + 2)
        try complete([Completion(jobID: id, outcome: .succeeded(result: nil))], workerID: "old", now: t0 + lease + 3)
        return id
    }
}

