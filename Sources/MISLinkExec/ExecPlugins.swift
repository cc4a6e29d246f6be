import Foundation
import MISLinkKit

/// Keeps a job's plugin process for as long as the job holds its connector or target, and stops it
/// when they are let go.
final class ExecSession: Sendable {
    let channel: ExecChannel

    init(_ channel: ExecChannel) { self.channel = channel }

    deinit { channel.shutdown() }

    func serves(_ method: String) -> Bool { channel.exec.methods.contains(method) }
}

/// A connector plugin whose work is done by a process (see the README's "Plugins in any language").
public struct ExecConnectorPlugin: ConnectorPlugin {
    public let exec: ExecManifest

    public init(_ exec: ExecManifest) { self.exec = exec }

    public var manifest: PluginManifest { exec.manifest }

    public func makeConnector(config: PluginConfig) throws -> any Connector {
        ExecConnector(session: ExecSession(ExecChannel(exec, config: config)))
    }
}

/// A target plugin whose work is done by a process.
public struct ExecTargetPlugin: TargetPlugin {
    public let exec: ExecManifest

    public init(_ exec: ExecManifest) { self.exec = exec }

    public var manifest: PluginManifest { exec.manifest }

    public func makeTarget(config: PluginConfig) throws -> any Target {
        ExecTarget(session: ExecSession(ExecChannel(exec, config: config)))
    }
}

/// The kit's `Connector`, one call per kit call; reads stream.
struct ExecConnector: StreamingConnector {
    let session: ExecSession
    private var channel: ExecChannel { session.channel }

    func checkConnection(context: PluginContext) async throws {
        guard session.serves("checkConnection") else { return }
        try await channel.perform("checkConnection", params: ExecParams.None(), context: context)
    }

    // Kit 1.2's reads: the records go to the engine a batch at a time as the plugin writes them, so a
    // trust's records are never held whole here (nor a plugin faster than the engine buffered whole).

    func readPupils(changedSince: Date?, context: PluginContext, each: (_ batch: [Pupil]) throws -> Void) async throws {
        try await read("readPupils", changedSince, context, each: each) { (wire: WirePerson) in wire.pupil }
    }

    func readStaff(changedSince: Date?, context: PluginContext, each: (_ batch: [StaffMember]) throws -> Void) async throws {
        try await read("readStaff", changedSince, context, each: each) { (wire: WirePerson) in wire.staff }
    }

    func readPreAdmissions(
        changedSince: Date?, context: PluginContext, each: (_ batch: [PreAdmission]) throws -> Void
    ) async throws {
        guard session.serves("readPreAdmissions") else { return }
        try await read("readPreAdmissions", changedSince, context, each: each) { (wire: WirePerson) in wire.preAdmission }
    }

    func readContacts(changedSince: Date?, context: PluginContext, each: (_ batch: [Contact]) throws -> Void) async throws {
        guard session.serves("readContacts") else { return }
        try await read("readContacts", changedSince, context, each: each) { (wire: WireContact) in wire.contact }
    }

    func writeAttendance(_ mark: AttendanceMark, context: PluginContext) async throws -> WriteBackResult {
        guard session.serves("writeAttendance") else {
            throw PluginError.permanent("plugin '\(channel.id)' does not write attendance back (its manifest lists no writeAttendance)")
        }
        let answer = try await channel.request("writeAttendance", params: ExecParams.Mark(mark: WireMark(mark)), context: context, as: String.self)
        guard let result = WriteBackResult(rawValue: answer) else {
            throw PluginError.permanent(
                "plugin '\(channel.id)': writeAttendance answered '\(answer)'; expected \"written\" or \"already-written\"")
        }
        return result
    }

    private func read<Wire: Decodable & Sendable, Record>(
        _ method: String, _ changedSince: Date?, _ context: PluginContext, each: ([Record]) throws -> Void,
        _ make: (Wire) -> Record
    ) async throws {
        try await channel.stream(method, params: ExecParams.Read(changedSince: Self.stamp(changedSince)), context: context, batch: each, make)
    }

    static func stamp(_ date: Date?) -> String? {
        date.map { ISO8601DateFormatter().string(from: $0) }
    }
}

/// The kit's `Target`, one call per kit call; `listPeople` streams.
struct ExecTarget: Target {
    let session: ExecSession
    private var channel: ExecChannel { session.channel }

    func listPeople(context: PluginContext, each: (_ batch: [TargetPerson]) throws -> Void) async throws {
        try await channel.stream("listPeople", params: ExecParams.None(), context: context, batch: each) {
            (wire: WireTargetPerson) in wire.person
        }
    }

    func listPeople(context: PluginContext) async throws -> [TargetPerson] {
        try await RecordBatches.collect { try await listPeople(context: context, each: $0) }
    }

    func create(_ record: PersonRecord, context: PluginContext) async throws -> String {
        try await channel.request(
            "create", params: ExecParams.Create(record: WirePerson(record)), context: context, as: ExecResults.Created.self
        ).targetId
    }

    func update(targetID: String, with record: PersonRecord, keepContactDetails: Bool, context: PluginContext) async throws {
        try await channel.perform(
            "update", params: ExecParams.Update(targetId: targetID, record: WirePerson(record), keepContactDetails: keepContactDetails),
            context: context)
    }

    func moveToRecycleBin(targetID: String, context: PluginContext) async throws {
        try await channel.perform("moveToRecycleBin", params: ExecParams.TargetID(targetId: targetID), context: context)
    }

    func restoreFromRecycleBin(targetID: String, context: PluginContext) async throws {
        try await channel.perform("restoreFromRecycleBin", params: ExecParams.TargetID(targetId: targetID), context: context)
    }

    /// Protocol 1.1's `delete`, when the manifest lists it (kit 1.5).
    var canDelete: Bool { session.serves("delete") }

    func delete(targetID: String, context: PluginContext) async throws {
        guard canDelete else {
            throw PluginError.permanent("plugin '\(channel.id)' cannot delete records (its manifest lists no delete)")
        }
        try await channel.perform("delete", params: ExecParams.TargetID(targetId: targetID), context: context)
    }

    func replaceContacts(of targetID: String, with contacts: [Contact], context: PluginContext) async throws {
        guard session.serves("replaceContacts") else { return }
        try await channel.perform(
            "replaceContacts", params: ExecParams.Contacts(targetId: targetID, contacts: contacts.map(WireContact.init)), context: context)
    }
}
