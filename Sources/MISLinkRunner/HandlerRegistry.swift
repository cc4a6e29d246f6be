import Synchronization

/// Job handlers by kind. Registering a kind twice is a programming error.
public final class HandlerRegistry: Sendable {
    private let handlers = Mutex<[String: any JobHandler]>([:])

    public init() {}

    public func register(_ kind: String, _ handler: any JobHandler) {
        handlers.withLock { handlers in
            precondition(handlers[kind] == nil, "a handler for job kind '\(kind)' is already registered")
            handlers[kind] = handler
        }
    }

    public func handler(for kind: String) -> (any JobHandler)? { handlers.withLock { $0[kind] } }

    public var kinds: [String] { handlers.withLock { $0.keys.sorted() } }
}
