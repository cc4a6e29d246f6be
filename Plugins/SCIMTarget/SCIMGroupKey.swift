import Foundation
import MISLinkKit

/// Which MIS grouping a SCIM Group stands for: a registration group ("5A") or a year group ("5").
/// Its `externalId` (`mislink:reg:5A`, `mislink:year:5`) is how MISLink finds its own groups again,
/// so an admin may rename a group's `displayName` without MISLink making a second one.
struct SCIMGroupKey: Sendable, Hashable, Comparable {
    enum Kind: String, Sendable, Comparable {
        case registration = "reg"
        case year

        static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    static let prefix = "mislink:"

    let kind: Kind
    let name: String

    init(_ kind: Kind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    init?(externalId: String?) {
        guard let externalId, externalId.hasPrefix(Self.prefix) else { return nil }
        let rest = externalId.dropFirst(Self.prefix.count)
        guard let colon = rest.firstIndex(of: ":"), let kind = Kind(rawValue: String(rest[..<colon])) else { return nil }
        let name = String(rest[rest.index(after: colon)...])
        guard !name.isEmpty else { return nil }
        self.init(kind, name)
    }

    var externalId: String { Self.prefix + kind.rawValue + ":" + name }

    var displayName: String {
        switch kind {
        case .registration: name
        case .year: "Year " + name
        }
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
