import Foundation
import MISLinkKit

/// Reads pupils, staff and contacts from a OneRoster 1.1 source (a CSV bundle or the REST binding).
/// OneRoster carries no attendance, so write-back is not offered.
public struct OneRosterConnector: Connector {
    let source: any RosterSource
    let mapping: RosterMapping
    private let cache = RosterCache()

    init(source: any RosterSource, mapping: RosterMapping) {
        self.source = source
        self.mapping = mapping
    }

    public func checkConnection(context: PluginContext) async throws {
        try await source.check(context: context)
    }

    public func readPupils(changedSince: Date?, context: PluginContext) async throws -> [Pupil] {
        try mapping.pupils(try await roster(changedSince, context), context: context)
    }

    public func readStaff(changedSince: Date?, context: PluginContext) async throws -> [StaffMember] {
        try mapping.staff(try await roster(changedSince, context), context: context)
    }

    /// Contacts are read whole (the engine replaces a pupil's contacts as a set).
    public func readContacts(changedSince: Date?, context: PluginContext) async throws -> [Contact] {
        try mapping.contacts(try await roster(nil, context))
    }

    private func roster(_ changedSince: Date?, _ context: PluginContext) async throws -> Roster {
        try await cache.roster(changedSince: changedSince) { try await source.read(changedSince: changedSince, context: context) }
    }
}
