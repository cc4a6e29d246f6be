import CSVConnector
import Foundation
import MISLinkKit
import Synchronization

/// How often each write-back event reached the connector.
final class WriteCounter: Sendable {
    let calls = Mutex<[String: Int]>([:])

    func count(_ eventID: String) -> Int { calls.withLock { $0[eventID] ?? 0 } }
    var total: Int { calls.withLock { $0.values.reduce(0, +) } }
}

/// The csv connector for reads, under its id, with a write-back that only counts its calls and
/// answers `written` every time: unlike the real one it does not deduplicate, so a handler that
/// called it twice for one event would show.
struct CountingCSVPlugin: ConnectorPlugin {
    let counter: WriteCounter
    private let inner = CSVConnectorPlugin()

    init(counter: WriteCounter) { self.counter = counter }

    var manifest: PluginManifest { inner.manifest }

    func makeConnector(config: PluginConfig) throws -> any Connector {
        CountingConnector(inner: try inner.makeConnector(config: config), counter: counter)
    }
}

struct CountingConnector: Connector {
    let inner: any Connector
    let counter: WriteCounter

    func readPupils(changedSince: Date?, context: PluginContext) async throws -> [Pupil] {
        try await inner.readPupils(changedSince: changedSince, context: context)
    }

    func readStaff(changedSince: Date?, context: PluginContext) async throws -> [StaffMember] {
        try await inner.readStaff(changedSince: changedSince, context: context)
    }

    func writeAttendance(_ mark: AttendanceMark, context: PluginContext) async throws -> WriteBackResult {
        counter.calls.withLock { $0[mark.eventID, default: 0] += 1 }
        return .written
    }
}
