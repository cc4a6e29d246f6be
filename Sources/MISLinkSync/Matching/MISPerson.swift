import MISLinkKit

/// One MIS record as the sync engine handles it: whatever its role, with the keys matching needs.
public struct MISPerson: Sendable, Equatable {
    public var record: PersonRecord

    public init(_ record: PersonRecord) { self.record = record }

    public var role: PersonRole { record.role }
    public var details: PersonDetails { record.details }
    public var misID: String { details.misID }
    /// "role:misID": the record's key in what was sent and in a plan.
    var key: String { role.rawValue + ":" + misID }

    public var upn: String? {
        switch record {
        case .pupil(let pupil): pupil.upn
        case .preAdmission(let pre): pre.pupil.upn
        case .staff: nil
        }
    }

    public var niNumber: String? {
        if case .staff(let staff) = record { return staff.niNumber }
        return nil
    }

    public var displayName: String {
        let name = details.name
        return "\(name.preferredForename ?? name.legalForename) \(name.preferredSurname ?? name.legalSurname)"
    }

    /// A leaver: an end date on or before `today`, or not active in the MIS.
    public func isLeaver(today: CalendarDate) -> Bool {
        if details.status == .inactive { return true }
        if let end = details.endDate, end <= today { return true }
        return false
    }
}
