import MISLinkKit

/// What the weak rule needs of an MIS record it will not match itself: the names and date of birth
/// that count towards "exactly one record on both sides". The engine keeps only this of a record
/// that is linked and unchanged.
public struct MISName: Sendable, Equatable {
    public var role: PersonRole
    public var name: PersonName
    public var dateOfBirth: CalendarDate?

    public init(role: PersonRole, name: PersonName, dateOfBirth: CalendarDate?) {
        self.role = role
        self.name = name
        self.dateOfBirth = dateOfBirth
    }

    public init(_ person: MISPerson) {
        self.init(role: person.role, name: person.details.name, dateOfBirth: person.details.dateOfBirth)
    }
}
