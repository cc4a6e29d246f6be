import CSVConnector
import Foundation
import MISLinkKit
import Synchronization

/// What `changedSince` each pupil read asked for.
final class ChangedSinceLog: Sendable {
    let values = Mutex<[Date?]>([])
}

/// The csv connector, recording the `changedSince` it is asked for.
struct RecordingCSVPlugin: ConnectorPlugin {
    let log: ChangedSinceLog
    private let inner = CSVConnectorPlugin()

    init(log: ChangedSinceLog) { self.log = log }

    var manifest: PluginManifest { inner.manifest }

    func makeConnector(config: PluginConfig) throws -> any Connector {
        RecordingConnector(inner: try inner.makeConnector(config: config), log: log)
    }
}

struct RecordingConnector: Connector {
    let inner: any Connector
    let log: ChangedSinceLog

    func readPupils(changedSince: Date?, context: PluginContext) async throws -> [Pupil] {
        log.values.withLock { $0.append(changedSince) }
        return try await inner.readPupils(changedSince: changedSince, context: context)
    }

    func readStaff(changedSince: Date?, context: PluginContext) async throws -> [StaffMember] {
        try await inner.readStaff(changedSince: changedSince, context: context)
    }

    func readContacts(changedSince: Date?, context: PluginContext) async throws -> [Contact] {
        try await inner.readContacts(changedSince: changedSince, context: context)
    }

    func fingerprint(context: PluginContext) async throws -> String? { try await inner.fingerprint(context: context) }
}
