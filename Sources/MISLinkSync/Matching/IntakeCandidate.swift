import Foundation
import MISLinkKit

/// A target record that nearly matched an intake entry, and on what: what an admin needs to pick
/// the right one (or see that there is none) without opening the target.
///
/// Recorded with the entry when an import sends it to intake, at most `limit` of them, strongest
/// basis first. Only the target record's id, name and date of birth are kept: the entry already
/// holds the MIS side, and nothing here is ever logged.
public struct IntakeCandidate: Sendable, Equatable, Codable {
    /// What the MIS record and the target record have in common.
    public enum Basis: String, Sendable, Codable, CaseIterable {
        /// The same UPN, held by more than one target record.
        case upn
        /// The same NI number, held by more than one target record.
        case niNumber = "ni-number"
        /// The target record stores this MIS id, and so does another.
        case misID = "mis-id"
        /// The same forename, surname and date of birth, but not exactly one record on both sides.
        case nameAndDateOfBirth = "name-dob"
        /// The same forename and surname, another (or no) date of birth.
        case name

        /// For people: "same name and date of birth".
        public var summary: String {
            switch self {
            case .upn: "same UPN"
            case .niNumber: "same NI number"
            case .misID: "holds this MIS id"
            case .nameAndDateOfBirth: "same name and date of birth"
            case .name: "same name, other date of birth"
            }
        }
    }

    /// At most this many per entry: enough to choose from, bounded however common a name is.
    public static let limit = 5

    public var targetID: String
    public var basis: Basis
    /// The target record's name as the target holds it (preferred names when it has them).
    public var name: String
    public var dateOfBirth: CalendarDate?

    public init(targetID: String, basis: Basis, name: String, dateOfBirth: CalendarDate?) {
        self.targetID = targetID
        self.basis = basis
        self.name = name
        self.dateOfBirth = dateOfBirth
    }

    init(_ person: TargetPerson, basis: Basis) {
        let name = person.name
        self.init(
            targetID: person.targetID, basis: basis,
            name: "\(name.preferredForename ?? name.legalForename) \(name.preferredSurname ?? name.legalSurname)",
            dateOfBirth: person.dateOfBirth)
    }
}

extension IntakeCandidate {
    /// A stored list (a JSON array); nil when the text is not one.
    static func decodeList(_ text: String) -> [IntakeCandidate]? {
        try? JSONDecoder().decode([IntakeCandidate].self, from: Data(text.utf8))
    }
}
