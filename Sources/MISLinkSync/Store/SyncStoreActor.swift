import MISLinkKit
import SQLiteDB

/// A sync job's own connection to the store, used only on a serial DispatchQueue: opening the file
/// and every read and write there run off Swift's cooperative pool (a busy timeout can block for
/// seconds, and a worker runs several jobs at once). Every sync handler goes through one of these.
actor SyncStoreActor {
    private let executor = DispatchQueueExecutor(label: "mislink.sync.store")
    private let path: String
    private let configuration: ConnectionConfiguration
    /// Opened on first use, on the queue.
    private var store: IntegrationStore?

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(path: String, configuration: ConnectionConfiguration) {
        self.path = path
        self.configuration = configuration
    }

    /// Runs `body` with the store, on the store's queue.
    func run<T: Sendable>(_ body: @Sendable (IntegrationStore) throws -> T) throws -> T {
        let store = try self.store ?? IntegrationStore(location: path, configuration: configuration)
        self.store = store
        return try body(store)
    }
}
