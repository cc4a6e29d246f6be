import Foundation
import MISLinkKit

/// The REST binding (placeholder until the HTTP layer lands).
struct RESTReader: RosterSource {
    let settings: RESTSettings

    init(settings: RESTSettings) throws { self.settings = settings }

    func check(context: PluginContext) async throws {
        throw PluginError.permanent("oneroster: the REST binding is not built yet")
    }

    func read(changedSince: Date?, context: PluginContext) async throws -> Roster {
        throw PluginError.permanent("oneroster: the REST binding is not built yet")
    }
}
