import Dispatch
import Foundation
import PostgresDB
import Synchronization
import MISLinkQueue

/// PostgreSQL's wake-ups for a worker loop: a thread of its own waits on a LISTEN connection
/// (`PostgresWakeUps`) and rings the loop's bell when a NOTIFY (or a reconnect, after which
/// anything may have been missed) says work may have arrived. The loop also polls every
/// `pollIntervalMilliseconds`, so a lost notification costs at most that long. In poll-only mode
/// (`mislink_wakeups=poll`) no connection is opened: the loop just polls.
public final class PostgresQueueWakeUps: QueueWakeUps, @unchecked Sendable {
    // The mutable state is the two atomics; the rest is set once before the thread starts.
    public let pollIntervalMilliseconds: Int64
    private let url: PostgresURL
    private let mode: PostgresWakeUps.Mode
    private let heard = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)
    private var lastPoll: UInt64 = 0
    /// The LISTEN connection `start` made, handed to the thread as it starts.
    private var firstSource: PostgresWakeUps?
    private let log: @Sendable (String) -> Void

    public init(options: PostgresQueueOptions, log: @escaping @Sendable (String) -> Void = { _ in }) {
        url = options.connectionURL
        mode = options.wakeUps
        pollIntervalMilliseconds = options.pollMilliseconds
        self.log = log
    }

    public func start(bell: DispatchSemaphore) throws {
        // The worker's first exchange follows: the first fallback poll is one interval after it.
        lastPoll = DispatchTime.now().uptimeNanoseconds
        guard mode == .listen else { return }
        // Connect (and LISTEN) before the first claim, so nothing committed after it goes unheard.
        firstSource = try PostgresWakeUps(url: url.connectionString, mode: .listen)
        let thread = Thread { [self] in listen(bell: bell) }
        thread.name = "mislink-wakeups"
        thread.start()
    }

    private func listen(bell: DispatchSemaphore) {
        var source = firstSource
        firstSource = nil
        while !stopped.load(ordering: .relaxed) {
            do {
                if source == nil {
                    source = try PostgresWakeUps(url: url.connectionString, mode: .listen)
                    heard.store(true, ordering: .relaxed)  // missed while down: look everywhere
                    bell.signal()
                }
                switch try source!.wait(timeout: 0.25) {
                case .timedOut: continue
                case .queues, .catchUp:
                    heard.store(true, ordering: .relaxed)
                    bell.signal()
                }
            } catch {
                // The loop's polls carry on meanwhile; try again shortly.
                log("wake-ups: the LISTEN connection failed (\(url.scrub(String(describing: error)))); polling until it is back")
                source = nil
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }

    public func takeChanged() throws -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        if heard.exchange(false, ordering: .relaxed) {
            lastPoll = now
            return true
        }
        guard now - lastPoll >= UInt64(pollIntervalMilliseconds) * 1_000_000 else { return false }
        lastPoll = now
        return true
    }

    public func stop() { stopped.store(true, ordering: .relaxed) }
}
