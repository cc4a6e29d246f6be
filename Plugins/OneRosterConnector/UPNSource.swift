import Foundation

/// Where a pupil's UPN is in a OneRoster user. OneRoster has no UPN field, and where UK producers
/// put it is not documented (so it is a config key, `upn`): an entry of `userIds` of a given type
/// (`userIds:UPN`, the default), the `identifier` field, or nowhere (`none`).
enum UPNSource: Sendable, Equatable {
    case userIds(type: String)
    case identifier
    case none

    init(config text: String?) throws {
        let text = (text ?? "").trimmingCharacters(in: .whitespaces)
        switch text.lowercased() {
        case "": self = .userIds(type: "UPN")
        case "identifier": self = .identifier
        case "none": self = .none
        default:
            guard text.lowercased().hasPrefix("userids:"), text.count > 8 else {
                throw OneRosterError.config("upn", "is '\(text)': give userIds:TYPE (e.g. userIds:UPN), identifier or none")
            }
            self = .userIds(type: String(text.dropFirst(8)))
        }
    }

    func upn(of user: RosterUser) -> String? {
        switch self {
        case .userIds(let type):
            user.userIds.first { $0.type.caseInsensitiveCompare(type) == .orderedSame && !$0.identifier.isEmpty }?.identifier
        case .identifier: user.identifier
        case .none: nil
        }
    }
}
