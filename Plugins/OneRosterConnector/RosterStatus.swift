import Foundation

/// A record's `status`. OneRoster 1.1 knows `active` and `tobedeleted`; 1.0 also wrote `inactive`,
/// read here as `tobedeleted`. Bulk files often leave it empty, which means active.
enum RosterStatus: String, Sendable, Equatable {
    case active
    case toBeDeleted = "tobedeleted"

    /// Nil for a value that is neither.
    init?(text: String?) {
        switch text?.lowercased() {
        case nil, "", "active": self = .active
        case "tobedeleted", "inactive": self = .toBeDeleted
        default: return nil
        }
    }
}
