import MISLinkKit

/// Matches MIS records to target records, in the order the seeds give:
/// 1. the existing link;
/// 2. a strong identifier: UPN (check letter valid) for pupils, NI number (HMRC format) for staff;
/// 3. the MIS id stored on the target record;
/// 4. legal or preferred forename + surname + date of birth, case- and accent-insensitive, only
///    when exactly one record fits.
/// A target record already linked to another MIS record is never taken again.
public struct Matcher {
    /// The target's records, once; every index below holds positions in it, not copies (a trust's
    /// 110,000 records copied into four indexes cost 100 MiB).
    private let targetPeople: [TargetPerson]
    private var byTargetID: [String: Int32] = [:]
    private var byUPN: [String: Positions] = [:]
    private var byNI: [String: Positions] = [:]
    private var byMisID: [PersonRole: [String: Positions]] = [:]
    /// Built on first need: a nightly import where everyone is linked never pays for name keys.
    private var byNameKey: [PersonRole: [String: Positions]]?
    /// Names without the date of birth, for intake candidates only: built when the first record goes to intake.
    private var byNameOnly: [PersonRole: [String: Positions]]?
    private var misPeople: [MISPerson] = []
    /// The names of the run's other MIS records, which the engine no longer holds whole.
    private var otherNames: [MISName] = []
    /// role/misID → target id, for links that exist or were made in this run.
    private var links: [PersonRole: [String: String]] = [:]
    /// Target ids already linked (to anyone), per role.
    private var taken: Set<String> = []
    /// How many MIS records of this run carry each weak key: a key two records share matches neither.
    private var misKeyCounts: [PersonRole: [String: Int]] = [:]

    public init(targetPeople: [TargetPerson], links existing: [Link]) {
        self.targetPeople = targetPeople
        for (index, person) in targetPeople.enumerated() {
            let position = Int32(index)
            byTargetID[person.targetID] = position
            if let upn = person.upn.map(UPN.normalise), UPN.isValid(upn) { byUPN[upn, default: .none].append(position) }
            if let ni = person.niNumber.map(NINumber.normalise), NINumber.isValid(ni) {
                byNI[ni, default: .none].append(position)
            }
            if let misID = person.misID, !misID.isEmpty {
                byMisID[person.role, default: [:]][misID, default: .none].append(position)
            }
        }
        for link in existing {
            links[link.role, default: [:]][link.misID] = link.targetID
            taken.insert(link.targetID)
        }
    }

    /// The records at `positions`, in the order they were listed.
    private func people(_ positions: Positions?) -> [TargetPerson] {
        positions?.all.map { targetPeople[Int($0)] } ?? []
    }

    public func targetPerson(_ id: String) -> TargetPerson? { byTargetID[id].map { targetPeople[Int($0)] } }

    /// Tells the matcher every MIS record of the run, so that the weak rule can refuse a name and date
    /// of birth that two MIS records share: "exactly one" must hold on both sides.
    /// `otherNames`: the run's records the caller keeps only the names of (see `MISName`).
    public mutating func prepare(misPeople: [MISPerson], otherNames: [MISName] = []) {
        self.misPeople = misPeople
        self.otherNames = otherNames
        byNameKey = nil
    }

    /// Builds the name-key indexes of both sides the first time the weak rule is needed.
    private mutating func buildNameKeys() -> [PersonRole: [String: Positions]] {
        if let byNameKey { return byNameKey }
        var index: [PersonRole: [String: Positions]] = [:]
        for (position, person) in targetPeople.enumerated() {
            for key in NameKey.keys(for: person.name, dateOfBirth: person.dateOfBirth) {
                index[person.role, default: [:]][key, default: .none].append(Int32(position))
            }
        }
        misKeyCounts = [:]
        func count(_ role: PersonRole, _ name: PersonName, _ dateOfBirth: CalendarDate?) {
            for key in Set(NameKey.keys(for: name, dateOfBirth: dateOfBirth)) {
                misKeyCounts[role, default: [:]][key, default: 0] += 1
            }
        }
        for person in misPeople { count(person.role, person.details.name, person.details.dateOfBirth) }
        for other in otherNames { count(other.role, other.name, other.dateOfBirth) }
        byNameKey = index
        return index
    }

    /// The existing link of an MIS record, if any.
    public func linkedTarget(role: PersonRole, misID: String) -> String? { links[role]?[misID] }

    /// Decides, and remembers a new match so that no other record takes the same target record.
    public mutating func match(_ person: MISPerson) -> MatchDecision {
        if let linked = links[person.role]?[person.misID] {
            return .matched(targetID: linked, rule: "link", isNew: false)
        }
        func free(_ candidates: Positions?) -> [TargetPerson] {
            people(candidates).filter { $0.role == person.role && !taken.contains($0.targetID) }
        }
        var strong: [(String, [TargetPerson])] = []
        if let upn = person.upn.map(UPN.normalise), UPN.isValid(upn) { strong.append(("upn", free(byUPN[upn]))) }
        if let ni = person.niNumber.map(NINumber.normalise), NINumber.isValid(ni) { strong.append(("ni-number", free(byNI[ni]))) }
        strong.append(("mis-id", free(byMisID[person.role]?[person.misID])))
        for (rule, candidates) in strong where candidates.count == 1 {
            return remember(person, candidates[0].targetID, rule: rule)
        }
        var weak: [String: TargetPerson] = [:]
        var sharedInMIS = false
        let byNameKey = buildNameKeys()
        for key in NameKey.keys(for: person.details.name, dateOfBirth: person.details.dateOfBirth) {
            for candidate in free(byNameKey[person.role]?[key]) { weak[candidate.targetID] = candidate }
            if (misKeyCounts[person.role]?[key] ?? 0) > 1 { sharedInMIS = true }
        }
        if sharedInMIS && !weak.isEmpty { return .ambiguous(weak.keys.sorted()) }
        switch weak.count {
        case 0: return .noMatch
        case 1: return remember(person, weak.first!.key, rule: "name-dob")
        default: return .ambiguous(weak.keys.sorted())
        }
    }

    /// Matches by NI number alone (re-match staff): never by name.
    public mutating func matchStrongOnly(_ person: MISPerson) -> MatchDecision {
        guard let ni = person.niNumber.map(NINumber.normalise), NINumber.isValid(ni) else { return .noMatch }
        let candidates = people(byNI[ni]).filter { $0.role == person.role && !taken.contains($0.targetID) }
        guard candidates.count == 1 else { return candidates.isEmpty ? .noMatch : .ambiguous(candidates.map(\.targetID)) }
        return remember(person, candidates[0].targetID, rule: "ni-number")
    }

    /// The target records that nearly match a record matching could not link (an intake entry's
    /// candidates): those sharing its UPN, NI number or MIS id, then its names and date of birth, then
    /// its names alone. Only free records of its role, each once under its strongest basis, at most `limit`.
    public mutating func candidates(for person: MISPerson, limit: Int = IntakeCandidate.limit) -> [IntakeCandidate] {
        var found: [IntakeCandidate] = []
        var seen: Set<String> = []
        func add(_ positions: Positions?, _ basis: IntakeCandidate.Basis) {
            for candidate in people(positions).sorted(by: { $0.targetID < $1.targetID })
            where found.count < limit && candidate.role == person.role && !taken.contains(candidate.targetID)
                && seen.insert(candidate.targetID).inserted
            {
                found.append(IntakeCandidate(candidate, basis: basis))
            }
        }
        if let upn = person.upn.map(UPN.normalise), UPN.isValid(upn) { add(byUPN[upn], .upn) }
        if let ni = person.niNumber.map(NINumber.normalise), NINumber.isValid(ni) { add(byNI[ni], .niNumber) }
        add(byMisID[person.role]?[person.misID], .misID)
        let byNameKey = buildNameKeys()
        for key in NameKey.keys(for: person.details.name, dateOfBirth: person.details.dateOfBirth) {
            add(byNameKey[person.role]?[key], .nameAndDateOfBirth)
        }
        let byNameOnly = buildNameOnlyKeys()
        for key in Self.nameOnlyKeys(person.details.name) { add(byNameOnly[person.role]?[key], .name) }
        return found
    }

    private mutating func buildNameOnlyKeys() -> [PersonRole: [String: Positions]] {
        if let byNameOnly { return byNameOnly }
        var index: [PersonRole: [String: Positions]] = [:]
        for (position, person) in targetPeople.enumerated() {
            for key in Self.nameOnlyKeys(person.name) {
                index[person.role, default: [:]][key, default: .none].append(Int32(position))
            }
        }
        byNameOnly = index
        return index
    }

    /// Legal and preferred `forename|surname`, normalised as the weak rule does.
    private static func nameOnlyKeys(_ name: PersonName) -> [String] {
        let legal = NameKey.normalise(name.legalForename) + "|" + NameKey.normalise(name.legalSurname)
        let preferred =
            NameKey.normalise(name.preferredForename ?? name.legalForename) + "|"
            + NameKey.normalise(name.preferredSurname ?? name.legalSurname)
        // A missing name part would pair everyone who lacks it.
        return (preferred == legal ? [legal] : [legal, preferred]).filter { !$0.hasPrefix("|") && !$0.hasSuffix("|") }
    }

    /// Records a link made outside matching (a record just created in the target).
    public mutating func remember(created person: MISPerson, targetID: String) {
        _ = remember(person, targetID, rule: "created")
    }

    private mutating func remember(_ person: MISPerson, _ targetID: String, rule: String) -> MatchDecision {
        links[person.role, default: [:]][person.misID] = targetID
        taken.insert(targetID)
        return .matched(targetID: targetID, rule: rule, isNew: true)
    }
}
