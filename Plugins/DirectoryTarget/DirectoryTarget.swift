import Foundation
import MISLinkKit

/// The `directory` target: a people directory kept in its own SQLite file. Every call checks for
/// cancellation, then goes to the shared `DirectoryStore`.
public struct DirectoryTarget: Target {
    public let store: DirectoryStore
    /// Rows per page of a streaming listing.
    public var pageSize = 1000

    public init(store: DirectoryStore) {
        self.store = store
    }

    public func listPeople(context: PluginContext) async throws -> [TargetPerson] {
        try context.checkCancellation()
        let people = try await store.listPeople()
        context.report(.init(done: people.count, total: people.count, message: "listed people"))
        return people
    }

    /// Everyone, a page of `pageSize` rows at a time (kit 1.2).
    public func listPeople(context: PluginContext, each: (_ batch: [TargetPerson]) throws -> Void) async throws {
        var after: Int64 = 0
        var count = 0
        while true {
            try context.checkCancellation()
            let (page, last) = try await store.listPeople(after: after, limit: pageSize)
            guard let last else { break }
            try each(page)
            count += page.count
            after = last
        }
        context.report(.init(done: count, total: count, message: "listed people"))
    }

    /// The file's count of changes (kit 1.5): any write, or a user's edit, changes it.
    public func fingerprint(context: PluginContext) async throws -> String? {
        try context.checkCancellation()
        return try await store.fingerprint()
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

    /// The directory deletes for good (kit 1.5).
    public var canDelete: Bool { true }

    /// Deletes the person and their contacts; someone already gone is no error (kit 1.5).
    public func delete(targetID: String, context: PluginContext) async throws {
        try context.checkCancellation()
        try await store.delete(targetID: targetID)
    }

    public func replaceContacts(of targetID: String, with contacts: [Contact], context: PluginContext) async throws {
        try context.checkCancellation()
        try await store.replaceContacts(of: targetID, with: contacts)
    }
}
