import MISLinkKit

/// The MIS records one pass read. Those the plan works on are kept whole, with their place in the
/// MIS's order; of those settled as they arrived (linked and unchanged: `ImportEngine.isSettled`)
/// only what the rest of the pass reads is kept: their names for the weak rule, their keys, and
/// their year-group warnings in order. A trust's nightly import keeps a few records whole, not
/// 110,000.
struct MISReadout {
    private(set) var people: [MISPerson] = []
    /// Each kept record's place in the MIS's order.
    private(set) var ordinals: [Int] = []
    private(set) var settledNames: [MISName] = []
    private(set) var settledKeys: [(role: PersonRole, misID: String)] = []
    private(set) var settledWarnings: [(ordinal: Int, text: String)] = []

    /// Every record read.
    var count: Int { people.count + settledKeys.count }

    mutating func keep(_ person: MISPerson) {
        ordinals.append(count)
        people.append(person)
    }

    mutating func settle(_ person: MISPerson, warning: String?) {
        if let warning { settledWarnings.append((count, warning)) }
        settledKeys.append((person.role, person.misID))
        settledNames.append(MISName(person))
    }

    /// Drops the held target records of settled people where no kept record is linked to them.
    /// The rest of what was held for a settled record (its sent text, its contacts, and its target
    /// record when no other link points there) went as it settled (`ImportEngine.plan`); this is
    /// for a target record two links point to, which had to wait for the whole read.
    func dropSettled(held: inout [String: HeldRecord], matcher: Matcher) {
        var keptTargets: Set<String> = []
        for person in people {
            if let targetID = matcher.linkedTarget(role: person.role, misID: person.misID) { keptTargets.insert(targetID) }
        }
        for (role, misID) in settledKeys {
            if let targetID = matcher.linkedTarget(role: role, misID: misID), !keptTargets.contains(targetID) {
                held[targetID] = nil
            }
        }
    }
}
