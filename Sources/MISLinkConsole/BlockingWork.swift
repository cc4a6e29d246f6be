import Dispatch

/// Runs the service layer's blocking SQLite calls on a queue of their own, never on Swift's
/// cooperative pool, and awaits their answer. The queue targets the global (non-overcommit) pool,
/// so a burst of requests waits for a thread rather than starting one each.
enum BlockingWork {
    private static let queue = DispatchQueue(
        label: "mislink.console.service", attributes: .concurrent, target: .global(qos: .userInitiated))

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}
