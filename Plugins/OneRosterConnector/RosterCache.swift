import Foundation
import MISLinkKit

/// One read of the roster per job: the engine asks for pupils, staff and contacts in turn, and each
/// comes from the same users, classes and enrollments. A connector lives for one job, so the cache does too.
actor RosterCache {
    private var held: (changedSince: Date?, roster: Roster)?

    func roster(changedSince: Date?, read: () async throws -> Roster) async throws -> Roster {
        if let held, held.changedSince == changedSince { return held.roster }
        let roster = try await read()
        held = (changedSince, roster)
        return roster
    }
}
