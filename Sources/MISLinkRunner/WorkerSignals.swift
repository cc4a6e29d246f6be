import Dispatch
import MISLinkKit
import Synchronization

/// How a handler's run ended, before the loop turns it into a queue outcome.
enum RunResult: Sendable {
    case success(JobResult)
    /// How to treat it, the handler's code for it (if any), and the message.
    case failure(PluginError.Disposition, String?, String)
    case cancelled
}

/// A run that finished, posted by its task to the loop.
struct FinishedRun: Sendable {
    let jobID: Int64
    /// Tells this run from a later run of the same job (after a timeout, say).
    let token: UInt64
    let result: RunResult
    /// How long the handler ran.
    let runNanoseconds: UInt64
}

/// Whether, and how urgently, the worker has been asked to stop.
public enum StopRequest: Sendable, Equatable {
    case none
    /// Stop claiming; let running jobs finish within the grace period.
    case graceful
    /// Hand running jobs back now.
    case immediate
}

/// The only state the worker loop shares with job tasks and signal handlers; everything else
/// belongs to the loop's thread.
final class WorkerSignals: Sendable {
    private let finished = Mutex<[FinishedRun]>([])
    private let progress = Mutex<[Int64: String]>([:])
    private let stop = Mutex<StopRequest>(.none)
    /// Rung on every event the loop must see; the loop sleeps on it between turns.
    let bell = DispatchSemaphore(value: 0)

    func post(_ run: FinishedRun) {
        finished.withLock { $0.append(run) }
        bell.signal()
    }

    func takeFinished() -> [FinishedRun] {
        finished.withLock { runs in
            defer { runs.removeAll(keepingCapacity: true) }
            return runs
        }
    }

    func postProgress(jobID: Int64, text: String) { progress.withLock { $0[jobID] = text } }

    func takeProgress() -> [Int64: String] {
        progress.withLock { entries in
            defer { entries.removeAll() }
            return entries
        }
    }

    func requestStop(_ request: StopRequest) {
        stop.withLock { current in
            if request == .immediate || current == .none { current = request }
        }
        bell.signal()
    }

    var stopRequest: StopRequest { stop.withLock { $0 } }
}
