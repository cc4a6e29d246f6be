import Foundation
import MISLinkQueue
import MISLinkTestSupport
import Synchronization

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

/// Values appended from any thread (a hook, a handler), read by the test.
final class Recorded<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}
