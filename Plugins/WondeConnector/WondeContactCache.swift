import MISLinkKit
import Synchronization

/// The contacts that came with the last pupils' read (`students?include=…,contacts.contact_details`),
/// so the import's contacts read costs no second walk of the students. The engine plans contacts only
/// for the pupils it read, so those are the contacts it needs. Taken once: a read of contacts without
/// a pupils' read before it walks the students itself.
final class WondeContactCache: Sendable {
    private let contacts = Mutex<[Contact]?>(nil)

    func keep(_ value: [Contact]) { contacts.withLock { $0 = value } }

    func take() -> [Contact]? {
        contacts.withLock { value in
            defer { value = nil }
            return value
        }
    }
}
