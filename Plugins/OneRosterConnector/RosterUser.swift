import Foundation

/// A OneRoster `user`, from a bundle's users.csv or the REST binding's `/users`.
struct RosterUser: Sendable, Equatable {
    /// One entry of `userIds`: another system's id for the person (`{type, identifier}`).
    struct OtherID: Sendable, Equatable {
        let type: String
        let identifier: String
    }

    var sourcedId: String
    var status: RosterStatus
    var dateLastModified: Date?
    /// Lower-cased: student, teacher, parent, guardian, relative, aide, administrator.
    var role: String
    var givenName: String
    var familyName: String
    var middleName: String?
    var identifier: String?
    var userIds: [OtherID]
    var email: String?
    var sms: String?
    var phone: String?
    var orgSourcedIds: [String]
    var agentSourcedIds: [String]
    var grades: [String]
}

extension RosterUser {
    /// A users.csv row. `userIds` is written `{type:identifier}` (a list, comma-separated); 1.0's
    /// `userId` holds one plain id, kept with an empty type.
    init(row: RosterRow) throws {
        let parsed = try row.status()
        self.status = parsed
        sourcedId = try row.required("sourcedId")
        dateLastModified = row.value("dateLastModified").flatMap(RosterDate.instant)
        role = (row.value("role") ?? "").lowercased()
        // A tobedeleted row in a delta file may carry nothing but its id.
        givenName = row.value("givenName") ?? ""
        familyName = row.value("familyName") ?? ""
        if parsed == .active {
            guard !role.isEmpty else { throw row.error("role", "is empty") }
            guard !givenName.isEmpty else { throw row.error("givenName", "is empty") }
            guard !familyName.isEmpty else { throw row.error("familyName", "is empty") }
        }
        middleName = row.value("middleName")
        identifier = row.value("identifier")
        userIds = row.list("userIds", "userId").map(Self.otherID)
        email = row.value("email")
        sms = row.value("sms")
        phone = row.value("phone")
        orgSourcedIds = row.list("orgSourcedIds")
        agentSourcedIds = row.list("agentSourcedIds", "agents")
        grades = row.list("grades", "grade")
    }

    /// A row whose sourcedId no earlier row had (`places`: where each was seen): two rows for one
    /// person would make matching ambiguous, so the source is broken.
    init(row: RosterRow, unique places: inout [String: String]) throws {
        try self.init(row: row)
        if let earlier = places.updateValue(row.place, forKey: sourcedId) {
            throw row.error("sourcedId", "'\(sourcedId)' is also at \(earlier)")
        }
    }

    /// `{UPN:A123…}` → type UPN; a bare `18125` → no type.
    static func otherID(_ text: String) -> OtherID {
        var inner = Substring(text)
        if inner.hasPrefix("{") && inner.hasSuffix("}") { inner = inner.dropFirst().dropLast() }
        guard let colon = inner.firstIndex(of: ":") else { return OtherID(type: "", identifier: String(inner)) }
        return OtherID(
            type: inner[..<colon].trimmingCharacters(in: .whitespaces),
            identifier: inner[inner.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }
}
