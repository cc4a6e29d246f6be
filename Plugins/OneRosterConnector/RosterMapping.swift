import Foundation

import MISLinkKit

/// Turns a `Roster` into MISLink's records, the same way for both bindings.
///
/// - `users` with role `student` become pupils, those with a role in `staffRoles` (by default
///   `teacher`) staff, `parent`/`guardian`/`relative` users linked as agents become contacts;
///   other roles are left out.
/// - `sourcedId` is the MIS id; `givenName`/`familyName` the legal names; `email`; `sms` the mobile.
/// - `demographics` give the date of birth (`birthDate`) and gender (`sex`).
/// - The registration group is the title of the pupil's active homeroom class (`classType`
///   `homeroom`, through an active enrollment; the primary one first when there are several).
/// - The year group comes from the first of `grades`, through `GradeMap`.
/// - `status` `tobedeleted` makes a leaver: status inactive, with the day it was marked as its end date.
///   A tobedeleted row with no role (delta files may give the id alone) is read as pupil and as staff.
struct RosterMapping: Sendable {
    var school: String?
    var grades: GradeMap = .numbered
    var upn: UPNSource = .userIds(type: "UPN")
    var staffRoles: Set<String> = ["teacher"]

    static let contactRoles: Set<String> = ["parent", "guardian", "relative"]

    /// Pupils; grades the map does not know are warned about once each (they reach the import report).
    func pupils(_ roster: Roster, context: PluginContext = .silent) throws -> [Pupil] {
        let homerooms = homeroomTitles(roster)
        let students = try people(roster, roles: ["student"])
        let pupils = students.map { user in
            Pupil(
                details: details(user, roster), upn: upn.upn(of: user), yearGroup: grades.yearGroup(user.grades),
                regGroup: homerooms[user.sourcedId])
        }
        let unknown = Set(students.compactMap(\.grades.first).filter { !grades.knows($0) })
        if !unknown.isEmpty {
            context.log(
                .warning,
                "oneroster: grade \(unknown.sorted().joined(separator: ", ")) is not in grade-map; passed on as the year group (set grade-map to map it)")
        }
        return pupils
    }

    func staff(_ roster: Roster, context: PluginContext = .silent) throws -> [StaffMember] {
        let others = Set(roster.users.map(\.role)).subtracting(staffRoles).subtracting(["student"]).subtracting(Self.contactRoles)
            .filter { !$0.isEmpty }
        if !others.isEmpty {
            context.log(.info, "oneroster: users with role \(others.sorted().joined(separator: ", ")) are not read (staff-roles is \(staffRoles.sorted().joined(separator: ",")))")
        }
        return try people(roster, roles: staffRoles).map { StaffMember(details: details($0, roster)) }
    }

    /// Each pupil's contacts: the agents a pupil lists, then users that list the pupil as theirs.
    func contacts(_ roster: Roster) throws -> [Contact] {
        let agents = Dictionary(roster.users.filter { Self.contactRoles.contains($0.role) }.map { ($0.sourcedId, $0) }) { a, _ in a }
        var contacts: [Contact] = []
        for pupil in try people(roster, roles: ["student"]) where pupil.status == .active {
            var ids = pupil.agentSourcedIds
            ids += agents.values.filter { $0.agentSourcedIds.contains(pupil.sourcedId) }.map(\.sourcedId).sorted()
            var seen: Set<String> = []
            for id in ids where seen.insert(id).inserted {
                guard let agent = agents[id], agent.status == .active else { continue }
                contacts.append(
                    Contact(
                        misID: agent.sourcedId, studentMisID: pupil.sourcedId, relationship: agent.role,
                        forename: agent.givenName, surname: agent.familyName, email: agent.email, mobile: agent.sms ?? agent.phone,
                        priority: contacts.count(where: { $0.studentMisID == pupil.sourcedId }) + 1))
            }
        }
        return contacts
    }

    /// The users of `roles` in the configured school (every school when none is configured).
    private func people(_ roster: Roster, roles: Set<String>) throws -> [RosterUser] {
        let school = try schoolID(roster)
        return roster.users.filter { user in
            // A tobedeleted row in a delta may carry its id alone: with no role or org to go by, it
            // is offered as either kind, and the engine acts on the one it has linked.
            let bare = user.status == .toBeDeleted && user.role.isEmpty
            return (bare || roles.contains(user.role))
                && (school.map { user.orgSourcedIds.contains($0) || (bare && user.orgSourcedIds.isEmpty) } ?? true)
        }
    }

    /// The configured school's org sourcedId: `school` names it by sourcedId or by identifier (a
    /// DfE number, say). Unknown, it is an error listing the schools there are.
    func schoolID(_ roster: Roster) throws -> String? {
        guard let school else { return nil }
        guard !roster.orgs.isEmpty else { return school }
        if let org = roster.orgs.first(where: { $0.sourcedId == school }) ?? roster.orgs.first(where: { $0.identifier == school }) {
            return org.sourcedId
        }
        let known = roster.orgs.map { "\($0.sourcedId) (\($0.name))" }.joined(separator: ", ")
        throw OneRosterError.config("school", "is '\(school)', which is no org's sourcedId or identifier (orgs: \(known))")
    }

    private func details(_ user: RosterUser, _ roster: Roster) -> PersonDetails {
        let demographics = roster.demographics[user.sourcedId]
        let leaving = user.status == .toBeDeleted
        return PersonDetails(
            misID: user.sourcedId, name: PersonName(legalForename: user.givenName, legalSurname: user.familyName),
            dateOfBirth: demographics?.birthDate, gender: demographics?.sex, email: user.email, mobile: user.sms,
            endDate: leaving ? user.dateLastModified.map(RosterDate.utcDay) : nil, status: leaving ? .inactive : .active)
    }

    /// Each student's homeroom title, by the student's sourcedId.
    private func homeroomTitles(_ roster: Roster) -> [String: String] {
        var chosen: [String: RosterEnrollment] = [:]
        for enrollment in roster.enrollments where enrollment.status == .active && enrollment.role == "student" {
            guard let room = roster.classes[enrollment.classSourcedId], room.isHomeroom, room.status == .active else { continue }
            if let held = chosen[enrollment.userSourcedId], !Self.prefers(enrollment, over: held) { continue }
            chosen[enrollment.userSourcedId] = enrollment
        }
        return chosen.compactMapValues { enrollment in
            roster.classes[enrollment.classSourcedId].flatMap { $0.title.isEmpty ? $0.classCode : $0.title }
        }
    }

    /// The primary enrollment first, then the lowest sourcedId, so that the choice never depends on row order.
    private static func prefers(_ a: RosterEnrollment, over b: RosterEnrollment) -> Bool {
        a.primary != b.primary ? a.primary : a.sourcedId < b.sourcedId
    }
}
