/// How an MIS record relates to the target's records.
public enum MatchDecision: Sendable, Equatable {
    /// Linked to this target record, by `rule` (`link`, `upn`, `ni-number`, `mis-id`, `name-dob`).
    case matched(targetID: String, rule: String, isNew: Bool)
    /// Nobody in the target fits.
    case noMatch
    /// More than one record fits the weak rule, or one does but two MIS records share its key; the
    /// candidates' target ids.
    case ambiguous([String])

    public var reason: String {
        switch self {
        case .matched(let id, let rule, _): "matched \(id) by \(rule)"
        case .noMatch: "no record in the target matches"
        // One candidate is ambiguous too, when another MIS record shares its name and date of birth.
        case .ambiguous(let ids):
            "\(Plural.count(ids.count, "record")) in the target \(ids.count == 1 ? "matches" : "match") by name and date of birth (\(ids.joined(separator: ", "))): matching needs an admin"
        }
    }
}
