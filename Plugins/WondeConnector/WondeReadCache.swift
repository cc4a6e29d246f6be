import Foundation
import MISLinkKit
import Synchronization

/// What the pupils' read fetched that the reads after it in the same import also need, so an import
/// walks each list once:
///
/// - the contacts that came with the pupils (`include=contacts.contact_details`): the engine plans
///   contacts only for the pupils it read, so those are the contacts it needs;
/// - the `deletions` walk, which the staff read filters for employees (for the same `changedSince`).
///
/// Each is taken once: a read with nothing kept before it (a re-match reads staff alone) walks for itself.
final class WondeReadCache: Sendable {
    private let contacts = Mutex<[Contact]?>(nil)
    private let deletions = Mutex<(since: Date?, entries: [WondeDeletion])?>(nil)

    func keep(contacts value: [Contact]) { contacts.withLock { $0 = value } }

    func takeContacts() -> [Contact]? {
        contacts.withLock { value in
            defer { value = nil }
            return value
        }
    }

    func keep(deletions entries: [WondeDeletion], since: Date?) { deletions.withLock { $0 = (since, entries) } }

    /// The deletions kept for exactly this `since`, if any.
    func takeDeletions(since: Date?) -> [WondeDeletion]? {
        deletions.withLock { value in
            defer { value = nil }
            guard let kept = value, kept.since == since else { return nil }
            return kept.entries
        }
    }
}
