import Foundation
import MISLinkKit

/// The `directory` target: a people directory kept in its own SQLite file. Every call checks for
/// cancellation, then goes to the shared `DirectoryStore`.
public struct DirectoryTarget: Target {
    public let store: DirectoryStore

    public init(store: DirectoryStore) {
        self.store = store
    }

    public func listPeople(context: PluginContext) async throws -> [TargetPerson] {
        try context.checkCancellation()
        let people = try await store.listPeople()
        context.report(.init(done: people.count, total: people.count, message: "listed people"))
        return people
    }

    public func create(_ record: PersonRecord, context: PluginContext) async throws -> String {
        try context.checkCancellation()
        return try await store.create(record)
    }

    public func update(targetID: String, with record: PersonRecord, keepContactDetails: Bool, context: PluginContext)
        async throws
    {
        try context.checkCancellation()
        try await store.update(targetID: targetID, with: record, keepContactDetails: keepContactDetails)
    }

    public func moveToRecycleBin(targetID: String, context: PluginContext) async throws {
        try context.checkCancellation()
        try await store.moveToRecycleBin(targetID: targetID)
    }

    public func restoreFromRecycleBin(targetID: String, context: PluginContext) async throws {
        try context.checkCancellation()
        try await store.restoreFromRecycleBin(targetID: targetID)
    }

    public func replaceContacts(of targetID: String, with contacts: [Contact], context: PluginContext) async throws {
        try context.checkCancellation()
        try await store.replaceContacts(of: targetID, with: contacts)
    }
}
