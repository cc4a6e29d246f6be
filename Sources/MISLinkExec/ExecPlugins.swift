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
struct ExecConnector: Connector {
    let session: ExecSession
    private var channel: ExecChannel { session.channel }

    func checkConnection(context: PluginContext) async throws {
        guard session.serves("checkConnection") else { return }
        try await channel.perform("checkConnection", params: ExecParams.None(), context: context)
    }

    func readPupils(changedSince: Date?, context: PluginContext) async throws -> [Pupil] {
        try await read("readPupils", changedSince, context) { $0.pupil }
    }

    func readStaff(changedSince: Date?, context: PluginContext) async throws -> [StaffMember] {
        try await read("readStaff", changedSince, context) { $0.staff }
    }

    func readPreAdmissions(changedSince: Date?, context: PluginContext) async throws -> [PreAdmission] {
        guard session.serves("readPreAdmissions") else { return [] }
        return try await read("readPreAdmissions", changedSince, context) { $0.preAdmission }
    }

    func readContacts(changedSince: Date?, context: PluginContext) async throws -> [Contact] {
        guard session.serves("readContacts") else { return [] }
        var contacts: [Contact] = []
        try await channel.stream(
            "readContacts", params: ExecParams.Read(changedSince: Self.stamp(changedSince)), context: context
        ) { (wire: WireContact) in contacts.append(wire.contact) }
        return contacts
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

    private func read<Record>(
        _ method: String, _ changedSince: Date?, _ context: PluginContext, _ make: (WirePerson) -> Record
    ) async throws -> [Record] {
        var records: [Record] = []
        try await channel.stream(method, params: ExecParams.Read(changedSince: Self.stamp(changedSince)), context: context) {
            (wire: WirePerson) in records.append(make(wire))
        }
        return records
    }

    static func stamp(_ date: Date?) -> String? {
        date.map { ISO8601DateFormatter().string(from: $0) }
    }
}

/// The kit's `Target`, one call per kit call; `listPeople` streams.
struct ExecTarget: Target {
    let session: ExecSession
    private var channel: ExecChannel { session.channel }

    func listPeople(context: PluginContext) async throws -> [TargetPerson] {
        var people: [TargetPerson] = []
        try await channel.stream("listPeople", params: ExecParams.None(), context: context) { (wire: WireTargetPerson) in
            people.append(wire.person)
        }
        return people
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

    func replaceContacts(of targetID: String, with contacts: [Contact], context: PluginContext) async throws {
        guard session.serves("replaceContacts") else { return }
        try await channel.perform(
            "replaceContacts", params: ExecParams.Contacts(targetId: targetID, contacts: contacts.map(WireContact.init)), context: context)
    }
}
