import Foundation

/// What the connector reads of a OneRoster source, bundle or REST, before it becomes MISLink's
/// records: the one shape both bindings produce, so that they map people the same way.
struct Roster: Sendable {
    var users: [RosterUser] = []
    /// Classes by sourcedId.
    var classes: [String: RosterClass] = [:]
    var enrollments: [RosterEnrollment] = []
    /// Demographics by the user's sourcedId.
    var demographics: [String: RosterDemographics] = [:]
    var orgs: [RosterOrg] = []
    /// The users are a delta (a bundle whose manifest says `file.users,delta`, or a filtered REST
    /// read): everyone else is unchanged, not gone.
    var usersAreDelta = false
}
