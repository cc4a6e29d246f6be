import MISLinkKit

/// What planning keeps of one target record besides what matching reads: a digest of its
/// comparable fields in `SentFields`' text form, the text itself only where it differs from what
/// was last sent (else the store's copy of the sent text is read back when needed), and its
/// contacts, packed. A trust's 110,000 `TargetPerson`s with their field dictionaries cost over 200 MiB;
/// this costs a fraction.
struct HeldRecord {
    /// The fields a `PersonRecord` can carry (`PersonRecord.standardFields`): the ones the engine
    /// sends and compares. A target's other fields (its own bookkeeping) are kept apart, so that a
    /// record as sent has the same text as the record wanted.
    static let recordFieldNames: Set<String> = [
        "mis_id", "legal_forename", "legal_surname", "preferred_forename", "preferred_surname", "date_of_birth", "gender",
        "email", "mobile", "address", "postcode", "start_date", "end_date", "status", "consent", "photo", "upn",
        "year_group", "reg_group", "expected_start_date", "ni_number", "title", "post",
    ]

    /// The digest of `SentFields.encode` of the record's comparable fields
    /// (`RecordProjection.comparable`) that a `PersonRecord` can carry.
    let recordDigest: TextDigest
    /// Where that text is: kept here, or the same as what was last sent for a key ("role:misID").
    enum RecordText {
        case own(String)
        case sent(key: String)
    }

    private let text: RecordText
    /// The same of the target's other fields, empty when it has none.
    let otherText: String
    let contacts: PackedContacts

    /// `sent` and `wantedContacts` (the digest of what was last sent for `key` and the MIS's
    /// contacts of its pupil) are kept instead of equal values of the target's own: where, as for
    /// nearly every record, the two sides agree, the record's text is not kept and its contacts are
    /// one copy.
    init(_ person: TargetPerson, key: String, sent: TextDigest?, wantedContacts: PackedContacts?) {
        let comparable = RecordProjection.comparable(person.standardFields, registered: person.registered)
        let recordText = SentFields.encode(comparable.filter { Self.recordFieldNames.contains($0.key) })
        recordDigest = TextDigest(recordText)
        text = recordDigest == sent ? .sent(key: key) : .own(recordText)
        otherText = SentFields.encode(comparable.filter { !Self.recordFieldNames.contains($0.key) })
        let contacts = PackedContacts(person.contacts)
        self.contacts = contacts == wantedContacts ? wantedContacts! : contacts
    }

    /// The key whose sent text this record's text is, when it was not kept.
    var sentKey: String? {
        if case .sent(let key) = text { return key }
        return nil
    }

    /// The record's text, from `sentTexts` (read back by key) when it was not kept here; nil if it
    /// is not there.
    func recordText(sentTexts: [String: String]) -> String? {
        switch text {
        case .own(let text): text
        case .sent(let key): sentTexts[key]
        }
    }

    /// The comparable fields, all of them: `RecordProjection.comparable(person.standardFields, …)`.
    /// `sentTexts` must hold `sentKey`'s text, if it has one.
    func comparable(sentTexts: [String: String]) -> [String: String] {
        SentFields.decode(recordText(sentTexts: sentTexts) ?? "").merging(SentFields.decode(otherText)) { record, _ in record }
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
