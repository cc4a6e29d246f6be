import Foundation
import MISLinkKit

/// Which MIS grouping a SCIM Group stands for: a registration group ("5A") or a year group ("5").
/// Its `externalId` (`mislink:reg:5A`, `mislink:year:5`; `mislink:Oak:reg:5A` with an organization)
/// is how MISLink finds its own groups again, so an admin may rename a group's `displayName` without
/// MISLink making a second one.
struct SCIMGroupKey: Sendable, Hashable, Comparable {
    enum Kind: String, Sendable, Comparable {
        case registration = "reg"
        case year

        static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Where MISLink's group ids start, for one school.
    static func prefix(organization: String?) -> String { "mislink:" + (organization.map { $0 + ":" } ?? "") }

    let kind: Kind
    let name: String

    init(_ kind: Kind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    init?(externalId: String?, organization: String?) {
        let prefix = Self.prefix(organization: organization)
        guard let externalId, externalId.hasPrefix(prefix) else { return nil }
        let rest = externalId.dropFirst(prefix.count)
        guard let colon = rest.firstIndex(of: ":"), let kind = Kind(rawValue: String(rest[..<colon])) else { return nil }
        let name = String(rest[rest.index(after: colon)...])
        guard !name.isEmpty else { return nil }
        self.init(kind, name)
    }

    func externalId(organization: String?) -> String { Self.prefix(organization: organization) + kind.rawValue + ":" + name }

    /// `5A` and `Year 5`; `Oak 5A` and `Oak Year 5` with an organization.
    func displayName(organization: String?) -> String {
        let own =
            switch kind {
            case .registration: name
            case .year: "Year " + name
            }
        return organization.map { $0 + " " + own } ?? own
    }

    /// The groups a pupil belongs in: their registration group and their year group.
    static func groups(of record: PersonRecord) -> Set<SCIMGroupKey> {
        let pupil: Pupil
        switch record {
        case .pupil(let value): pupil = value
        case .preAdmission(let value): pupil = value.pupil
        case .staff: return []
        }
        var keys: Set<SCIMGroupKey> = []
        if let reg = pupil.regGroup?.trimmingCharacters(in: .whitespaces), !reg.isEmpty { keys.insert(.init(.registration, reg)) }
        if let year = pupil.yearGroup?.trimmingCharacters(in: .whitespaces), !year.isEmpty { keys.insert(.init(.year, year)) }
        return keys
    }

    static func < (lhs: SCIMGroupKey, rhs: SCIMGroupKey) -> Bool { (lhs.kind, lhs.name) < (rhs.kind, rhs.name) }
}
