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
        switch person.record {
        case .pupil(var pupil):
            pupil.details = details
            return .pupil(pupil)
        case .preAdmission(var pre):
            pre.pupil.details = details
            return .preAdmission(pre)
        case .staff(var staff):
            staff.details = details
            if !contractSync { staff.post = currentPost }
            return .staff(staff)
        }
    }

    /// Fields the engine may clear in the target when the MIS no longer has them.
    static let sentFields: Set<String> = [
        "address", "postcode", "email", "mobile", "photo", "preferred_forename", "preferred_surname",
    ]

    /// What the integration sends for a record, as the snapshot kept on its link: the standard fields,
    /// without a registered person's contact details (those are theirs, not the MIS's).
    static func snapshot(_ record: PersonRecord, registered: Bool) -> [String: String] {
        var fields = record.standardFields
        if registered {
            fields["email"] = nil
            fields["mobile"] = nil
        }
        return fields
    }

    /// Fields of `held` that differ from what was last sent: edits made in the target.
    static func targetEdits(held: TargetPerson, sent: [String: String]) -> [(field: String, sent: String?, target: String?)] {
        var target = held.standardFields
        if held.registered {
            target["email"] = nil
            target["mobile"] = nil
        }
        let fields = Set(sent.keys).union(sentFields.intersection(target.keys)).subtracting(
            held.registered ? ["email", "mobile"] : [])
        return fields.sorted().compactMap { field in
            sent[field] == target[field] ? nil : (field, sent[field], target[field])
        }
    }

    /// Whether the target's record differs from the projection in any field the projection carries
    /// (contact details of a registered person excepted: they are never overwritten).
    static func differs(_ record: PersonRecord, from person: TargetPerson) -> Bool {
        var wanted = record.standardFields
        var held = person.standardFields
        if person.registered {
            for key in ["email", "mobile"] {
                wanted[key] = nil
                held[key] = nil
            }
        }
        return wanted.contains { held[$0.key] != $0.value }
            || sentFields.contains { wanted[$0] == nil && held[$0] != nil }
    }
}
