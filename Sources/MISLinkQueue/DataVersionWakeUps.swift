import Dispatch

/// SQLite's wake-ups: `data_version` changes when another connection commits to the file.
public final class DataVersionWakeUps: QueueWakeUps {
    private let store: JobStore
    private var lastVersion: Int64 = 0
    public let pollIntervalMilliseconds: Int64

    public init(store: JobStore, pollIntervalMilliseconds: Int64) {
        self.store = store
        self.pollIntervalMilliseconds = pollIntervalMilliseconds
    }

    public func start(bell: DispatchSemaphore) throws {
        lastVersion = try store.dataVersion()
    }

    public func takeChanged() throws -> Bool {
        let version = try store.dataVersion()
        defer { lastVersion = version }
        return version != lastVersion
    }

    public func stop() {}
}
