/// A guard a plan tripped: which, how many changes of how many current records, and its limit.
public struct PlanHold: Sendable, Codable, Equatable {
    public let rule: String
    public let changes: Int
    public let current: Int
    public let limit: String
    /// What an admin reads: "guard pupils.recycle: 400 of 1,000 current records would move to the
    /// recycle bin (40%), over the limit 10%".
    public let message: String

    init(rule: GuardRule, changes: Int, current: Int, limit: GuardLimit) {
        self.rule = rule.description
        self.changes = changes
        self.current = current
        self.limit = limit.text
        message = Self.message(rule: rule.description, changes: changes, current: current, limit: limit.text)
    }

    private static func message(rule: String, changes: Int, current: Int, limit: String) -> String {
        let verb: String
        switch GuardRule(name: rule)?.change {
        case .recycle?: verb = "would move to the recycle bin"
        case .create?: verb = "would be created"
        case .delete?: verb = "would be deleted from the recycle bin"
        default: verb = "would be updated"
        }
        let share = current > 0 ? " (" + GuardLimit.percent(Double(changes) / Double(current)) + ")" : ""
        let guardName = rule == GuardRule.massLeavers.description ? "mass-leaver guard (\(rule))" : "guard \(rule)"
        return "\(guardName): \(changes) of \(Plural.count(current, "current record")) \(verb)\(share), over the limit \(limit)"
    }
}
