import Dispatch

/// Runs the service layer's blocking SQLite calls on a queue of their own, never on Swift's
/// cooperative pool, and awaits their answer.
enum BlockingWork {
    private static let queue = DispatchQueue(label: "mislink.console.service", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}
