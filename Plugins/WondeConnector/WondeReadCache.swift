import Foundation
import MISLinkKit
import Synchronization

/// What the pupils' read fetched that the reads after it in the same import also need, so an import
/// walks each list once:
///
/// - the contacts that came with the pupils (`include=contacts.contact_details`), when the pupils
///   are read first: the contacts of the pupils read are the contacts an import needs (and when the
///   contacts are read first, as the engine does, the pupils' read leaves them out);
/// - the `deletions` walk, which the staff read filters for employees (for the same `changedSince`).
///
/// Each is taken once: a read with nothing kept before it (a re-match reads staff alone) walks for itself.
final class WondeReadCache: Sendable {
    private let contacts = Mutex<[Contact]?>(nil)
    private let contactsRead = Mutex(false)
    private let deletions = Mutex<(since: Date?, entries: [WondeDeletion])?>(nil)

    func keep(contacts value: [Contact]) { contacts.withLock { $0 = value } }

    func takeContacts() -> [Contact]? {
        contacts.withLock { value in
            defer { value = nil }
            return value
        }
    }

    /// The contacts were read on their own (the engine reads them before the pupils): a pupils'
    /// read after that need not fetch them again.
    func markContactsRead() { contactsRead.withLock { $0 = true } }

    var contactsWereRead: Bool { contactsRead.withLock { $0 } }

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
