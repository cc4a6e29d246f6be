import MISLinkKit

/// A pupil's contacts packed into one text, in order: what planning holds for every pupil of a
/// full pass (the MIS's and the target's), compared whole and unpacked only for a pupil whose
/// contacts changed. A trust's 170,000 `Contact` values cost about three times as much. Equal
/// packings mean equal contacts, field by field, `nil` told apart from empty.
struct PackedContacts: Equatable, Sendable {
    let text: String

    static let none = PackedContacts(text: "")

    private init(text: String) { self.text = text }

    // Fields end with `fieldEnd`, contacts with `contactEnd`; an absent value is `absent` alone;
    // the four marks and the escape are escaped inside values.
    private static let fieldEnd: UInt8 = 0x1F
    private static let contactEnd: UInt8 = 0x1E
    private static let absent: UInt8 = 0x1A
    private static let escape: UInt8 = 0x5C  // "\"

    init(_ contacts: [Contact]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(contacts.count * 96)
        for contact in contacts { Self.pack(contact, into: &bytes) }
        text = String(decoding: bytes, as: UTF8.self)
    }

    /// The order a pupil's contacts are kept in: first to call first, then by MIS id.
    static func firstToCall(_ a: Contact, _ b: Contact) -> Bool {
        (a.priority ?? Int.max, a.misID) < (b.priority ?? Int.max, b.misID)
    }

    /// Packs contacts one at a time as a connector gives them, so that a pupil's list is never held
    /// whole as well as packed; `packed()` puts them first to call first (unpacking only a list
    /// that came out of that order).
    struct Builder {
        private var bytes: [UInt8] = []
        /// The last contact's place in the order (its priority, its MIS id).
        private var last: (priority: Int, misID: String)?
        private var inOrder = true

        mutating func append(_ contact: Contact) {
            let place = (contact.priority ?? Int.max, contact.misID)
            if let last, place < last { inOrder = false }
            last = place
            PackedContacts.pack(contact, into: &bytes)
        }

        func packed() -> PackedContacts {
            let packed = PackedContacts(text: String(decoding: bytes, as: UTF8.self))
            return inOrder ? packed : PackedContacts(packed.contacts.sorted(by: PackedContacts.firstToCall))
        }
    }

    private static func pack(_ contact: Contact, into bytes: inout [UInt8]) {
            for value in [
                contact.misID, contact.studentMisID, contact.relationship, contact.forename, contact.surname, contact.email,
                contact.mobile, contact.priority.map(String.init), contact.parentalResponsibility.map { $0 ? "1" : "0" },
            ] {
                if let value {
                    for byte in value.utf8 {
                        if byte == Self.fieldEnd || byte == Self.contactEnd || byte == Self.absent || byte == Self.escape {
                            bytes.append(Self.escape)
                        }
                        bytes.append(byte)
                    }
                } else {
                    bytes.append(Self.absent)
                }
                bytes.append(Self.fieldEnd)
            }
            bytes.append(Self.contactEnd)
    }

    /// The contacts, as packed.
    var contacts: [Contact] {
        var contacts: [Contact] = []
        var fields: [String?] = []
        var value: [UInt8] = []
        var isAbsent = false
        var escaping = false
        for byte in text.utf8 {
            if escaping {
                value.append(byte)
                escaping = false
            } else if byte == Self.escape {
                escaping = true
            } else if byte == Self.absent {
                isAbsent = true
            } else if byte == Self.fieldEnd {
                fields.append(isAbsent ? nil : String(decoding: value, as: UTF8.self))
                value.removeAll(keepingCapacity: true)
                isAbsent = false
            } else if byte == Self.contactEnd {
                if fields.count == 9 {
                    contacts.append(
                        Contact(
                            misID: fields[0] ?? "", studentMisID: fields[1] ?? "", relationship: fields[2],
                            forename: fields[3] ?? "", surname: fields[4] ?? "", email: fields[5], mobile: fields[6],
                            priority: fields[7].flatMap { Int($0) }, parentalResponsibility: fields[8].map { $0 == "1" }))
                }
                fields.removeAll(keepingCapacity: true)
            } else {
                value.append(byte)
            }
        }
        return contacts
    }
}
