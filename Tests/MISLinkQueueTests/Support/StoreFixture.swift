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
}
