import Foundation
import MISLinkHTTP
import MISLinkQueue
import MISLinkSync

/// `/api/queues…` (depth by state, oldest available job's age, paused; pause and resume) and
/// `/api/workers` (each registered worker with its heartbeat and the jobs it holds).
extension Console {
    func queuesAPI(_ request: HTTPRequest, _ path: [String]) async -> HTTPResponse {
        let jobs = self.jobs
        let now = JobStore.now()
        switch path {
        case []:
            guard request.method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer {
                try Self.expectOnly([], in: request)
                return (200, try jobs.queues().map { QueueJSON.object($0, now: now) })
            }
        case _ where path.count == 2 && (path[1] == "pause" || path[1] == "resume"):
            guard request.method == "POST" else { return Self.notAllowed(["POST"], api: true) }
            let (queue, pause) = (path[0], path[1] == "pause")
            return await answer {
                try Self.expectOnly([], in: request)
                let changed = pause ? try jobs.pauseQueue(queue) : try jobs.resumeQueue(queue)
                return (200, ["queue": queue, "paused": pause, "changed": changed])
            }
        default:
            return Self.notFound(request)
        }
    }

    func workersAPI(_ request: HTTPRequest, _ path: [String]) async -> HTTPResponse {
        guard path.isEmpty else { return Self.notFound(request) }
        guard request.method == "GET" else { return Self.notAllowed(["GET"], api: true) }
        let jobs = self.jobs
        let now = JobStore.now()
        return await answer {
            try Self.expectOnly([], in: request)
            let (workers, held) = try jobs.workersWithHeldJobs()
            let byWorker = Dictionary(grouping: held, by: \.workerID)
            return (200, workers.map { QueueJSON.object($0, held: byWorker[$0.id] ?? [], now: now) })
        }
    }
}
