import MISLinkKit

/// A test target that wraps another and changes only some calls: the rest pass straight through.
protocol ForwardingTarget: Target {
    var inner: any Target { get }
}

extension ForwardingTarget {
    func listPeople(context: PluginContext) async throws -> [TargetPerson] { try await inner.listPeople(context: context) }

    func create(_ record: PersonRecord, context: PluginContext) async throws -> String {
        try await inner.create(record, context: context)
    }

    func update(targetID: String, with record: PersonRecord, keepContactDetails: Bool, context: PluginContext) async throws {
        try await inner.update(targetID: targetID, with: record, keepContactDetails: keepContactDetails, context: context)
    }

    func moveToRecycleBin(targetID: String, context: PluginContext) async throws {
        try await inner.moveToRecycleBin(targetID: targetID, context: context)
    }

    func restoreFromRecycleBin(targetID: String, context: PluginContext) async throws {
        try await inner.restoreFromRecycleBin(targetID: targetID, context: context)
    }
}
