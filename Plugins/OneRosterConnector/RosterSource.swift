import Foundation
import MISLinkKit

/// Where a roster is read from: a CSV bundle or the REST binding.
protocol RosterSource: Sendable {
    /// Checks that the source can be reached (and, for REST, that the credentials work).
    func check(context: PluginContext) async throws
    /// The whole roster, or for a delta the users changed since `changedSince` with everything
    /// needed to map them. Fails as a whole: never a partial roster.
    func read(changedSince: Date?, context: PluginContext) async throws -> Roster
}

extension BundleReader: RosterSource {
    func check(context: PluginContext) async throws {
        _ = try BundleManifest(directory: directory)
    }

    /// A bundle is what it is: bulk files are full snapshots, delta files the changes, whatever
    /// `changedSince` says (the engine handles both).
    func read(changedSince: Date?, context: PluginContext) async throws -> Roster {
        try read(context: context)
    }
}
