/// What a guard watches: one entity's one kind of change (`pupils.recycle`, `staff.update`), or
/// every person's (`all.recycle`, the mass-leaver guard).
public struct GuardRule: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public enum Entity: String, Sendable, Codable, CaseIterable {
        /// Pupils and pre-admissions.
        case pupils, staff
        /// A pupil's guardian contacts, replaced as a set: one change per pupil.
        case contacts
        /// Pupils, pre-admissions and staff together.
        case all
    }

    public enum Change: String, Sendable, Codable, CaseIterable {
        /// A leaver's move to the recycle bin.
        case recycle
        case update, create
        /// A purge from the recycle bin (`recycle-purge-after`).
        case delete
    }

    public let entity: Entity
    public let change: Change

    public init(_ entity: Entity, _ change: Change) {
        self.entity = entity
        self.change = change
    }

    /// `pupils.recycle`.
    public init?(name: String) {
        let parts = name.split(separator: ".")
        guard parts.count == 2, let entity = Entity(rawValue: String(parts[0])), let change = Change(rawValue: String(parts[1])),
            !(entity == .contacts && (change == .recycle || change == .delete))
        else { return nil }
        self.init(entity, change)
    }

    public var description: String { entity.rawValue + "." + change.rawValue }

    /// The mass-leaver guard: every leaver, against every current record.
    public static let massLeavers = GuardRule(.all, .recycle)

    /// Every rule an admin may set.
    public static let all: [GuardRule] = Entity.allCases.flatMap { entity in
        Change.allCases.compactMap { change in GuardRule(name: entity.rawValue + "." + change.rawValue) }
    }

    public static func < (lhs: GuardRule, rhs: GuardRule) -> Bool { lhs.description < rhs.description }
}
