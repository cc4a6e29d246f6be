import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkTestSupport
import Synchronization
import Testing

/// Jobs of at least `urgentPriority` run as high-priority tasks (on the urgent executor): the HTTP
/// client picks its urgent session by that, so the threshold must hold exactly.
@Suite struct UrgentJobTests {
    @Test("a job at priority 50 or more runs as a high-priority task; one below does not")
    func urgentByPriority() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/q.sqlite"
            let store = try JobStore(path: path)
            let seen = Seen()
            let handlers = registry { job, _ in
                seen.record(job.id, Task.currentPriority >= .high)
                return nil
            }
            let ids = try [0, 49, 50, 100].map { try store.enqueue(NewJob(kind: "noop", priority: $0)).id }
            _ = try await makeWorker(path: path, handlers: handlers).run()
            #expect(seen.urgent(ids) == [false, false, true, true])
        }
    }

    private final class Seen: Sendable {
        private let byJob = Mutex<[Int64: Bool]>([:])
        func record(_ id: Int64, _ urgent: Bool) { byJob.withLock { $0[id] = urgent } }
        func urgent(_ ids: [Int64]) -> [Bool?] { byJob.withLock { map in ids.map { map[$0] } } }
    }
}
