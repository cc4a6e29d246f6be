import MISLinkKit

/// What planning keeps of one target record besides what matching reads: its comparable fields in
/// `SentFields`' text form (decoded only for a record that changed) and its contacts. A trust's
/// 110,000 `TargetPerson`s with their field dictionaries cost over 200 MiB; this costs a fraction.
struct HeldRecord {
    /// The fields a `PersonRecord` can carry (`PersonRecord.standardFields`): the ones the engine
    /// sends and compares. A target's other fields (its own bookkeeping) are kept apart, so that a
    /// record as sent has the same text as the record wanted.
    static let recordFieldNames: Set<String> = [
        "mis_id", "legal_forename", "legal_surname", "preferred_forename", "preferred_surname", "date_of_birth", "gender",
        "email", "mobile", "address", "postcode", "start_date", "end_date", "status", "consent", "photo", "upn",
        "year_group", "reg_group", "expected_start_date", "ni_number", "title", "post",
    ]

    /// `SentFields.encode` of the record's comparable fields (`RecordProjection.comparable`) that a
    /// `PersonRecord` can carry.
    let recordText: String
    /// The same of the target's other fields, empty when it has none.
    let otherText: String
    let contacts: [Contact]

    /// `sentText` and `wantedContacts` (what was last sent for the record and the MIS's contacts of
    /// its pupil) are kept instead of equal values of the target's own: one copy of each in memory
    /// where, as for nearly every record, the two sides agree.
    init(_ person: TargetPerson, sentText: String?, wantedContacts: [Contact]?) {
        let comparable = RecordProjection.comparable(person.standardFields, registered: person.registered)
        let recordText = SentFields.encode(comparable.filter { Self.recordFieldNames.contains($0.key) })
        self.recordText = recordText == sentText ? sentText! : recordText
        otherText = SentFields.encode(comparable.filter { !Self.recordFieldNames.contains($0.key) })
        contacts = person.contacts == wantedContacts ? wantedContacts! : person.contacts
    }

    /// The comparable fields, all of them: `RecordProjection.comparable(person.standardFields, …)`.
    var comparable: [String: String] {
        SentFields.decode(recordText).merging(SentFields.decode(otherText)) { record, _ in record }
    }

    /// The person as matching needs them: identifiers, names, flags and the post (which a staff
    /// record keeps when contract sync is off), without the other fields and the contacts, which
    /// `HeldRecord` keeps.
    static func slim(_ person: TargetPerson) -> TargetPerson {
        var slim = person
        slim.fields = person.fields["post"].map { ["post": $0] } ?? [:]
        slim.contacts = []
        return slim
    }
}
