import MISLinkKit

/// What of an MIS record an integration shares (seed rules): lawful basis, names, field selection.
struct RecordProjection {
    let settings: IntegrationSettings
    let contractSync: Bool

    /// Why the record must not leave the MIS, or nil when it may.
    func withheldReason(_ person: MISPerson) -> String? {
        if settings.lawfulBasis == .consent && person.details.consent != true {
            return "no consent flag (lawful basis: consent)"
        }
        return nil
    }

    /// The record as the target should hold it: unselected fields removed, names as chosen. For staff
    /// with contract sync off the post stays as the target has it (`currentPost`).
    func project(_ person: MISPerson, currentPost: String? = nil) -> PersonRecord {
        var details = person.details
        let fields = settings.fields
        if settings.names == .legal {
            details.name.preferredForename = nil
            details.name.preferredSurname = nil
        }
        if !fields.contains(.address) {
            details.address = nil
            details.postcode = nil
        }
        if !fields.contains(.phones) { details.mobile = nil }
        if !fields.contains(.email) { details.email = nil }
        if !fields.contains(.photo) { details.photo = nil }
        if !contractSync, case .staff(var staff) = person.record {
            staff.post = currentPost
            return PersonRecord.staff(staff).replacingDetails(details)
        }
        return person.record.replacingDetails(details)
    }

    /// Fields the engine may clear in the target when the MIS no longer has them.
    static let sentFields: Set<String> = [
        "address", "postcode", "email", "mobile", "photo", "preferred_forename", "preferred_surname",
    ]

    /// A record's fields as the engine compares them: a registered person's contact details are
    /// theirs, not the MIS's, so they are left out on both sides.
    static func comparable(_ fields: [String: String], registered: Bool) -> [String: String] {
        guard registered else { return fields }
        var fields = fields
        fields["email"] = nil
        fields["mobile"] = nil
        return fields
    }

    /// Fields the target (`held`, comparable) holds differently from what was last sent: edits
    /// made in the target.
    /// A value one of `ours` (what unfinished imports may have written) holds is not an edit either.
    static func targetEdits(held: [String: String], registered: Bool, sent: [String: String], ours: [[String: String]] = [])
        -> [(field: String, sent: String?, target: String?)]
    {
        let fields = Set(sent.keys).union(sentFields.intersection(held.keys)).subtracting(
            registered ? ["email", "mobile"] : [])
        return fields.sorted().compactMap { field in
            guard sent[field] != held[field], !ours.contains(where: { $0[field] == held[field] }) else { return nil }
            return (field, sent[field], held[field])
        }
    }

    /// Whether the target's fields differ from the wanted ones (both comparable): a field the
    /// projection carries has another value, or one the engine sends is there but no longer wanted.
    /// Checked for every linked person of every import, so it stops at the first difference.
    static func differs(wanted: [String: String], held: [String: String]) -> Bool {
        wanted.contains { held[$0.key] != $0.value } || sentFields.contains { wanted[$0] == nil && held[$0] != nil }
    }

    /// The fields that differ, as `differs` judges them.
    static func changedFields(wanted: [String: String], held: [String: String]) -> Set<String> {
        var changed = Set(wanted.compactMap { held[$0.key] != $0.value ? $0.key : nil })
        for field in sentFields where wanted[field] == nil && held[field] != nil { changed.insert(field) }
        return changed
    }
}
