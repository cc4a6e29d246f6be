import MISLinkHTTPClient
/// The PATCH operations that bring a held User to what a record wants, by attribute path, touching
/// only what MISLink owns: never `userName` (a login is not renamed under a person), `active` (the
/// recycle bin's) or anything a server or admin added. Empty when the User is already right, so an
/// unchanged person costs no request.
enum SCIMUserChanges {
    static let enterprisePrefix = SCIMUser.enterpriseSchema + ":"

    static func operations(held: SCIMUser, wanted: SCIMUser, keepContactDetails: Bool) -> [SCIMPatch.Operation] {
        var operations: [SCIMPatch.Operation] = []
        func text(_ path: String, _ have: String?, _ want: String?) {
            guard have != want else { return }
            if let want { operations.append(.replace(path, .string(want))) } else { operations.append(.remove(path)) }
        }
        func list(_ path: String, _ have: [SCIMUser.MultiValue]?, _ want: [SCIMUser.MultiValue]?) {
            guard comparable(have) != comparable(want) else { return }
            if let want, !want.isEmpty {
                operations.append(.replace(path, .array(want.map(value))))
            } else {
                operations.append(.remove(path))
            }
        }
        text("externalId", held.externalId, wanted.externalId)
        text("name.givenName", held.name?.givenName, wanted.name?.givenName)
        text("name.familyName", held.name?.familyName, wanted.name?.familyName)
        text("name.honorificPrefix", held.name?.honorificPrefix, wanted.name?.honorificPrefix)
        text("displayName", held.displayName, wanted.displayName)
        text("title", held.title, wanted.title)
        text("userType", held.userType, wanted.userType)
        if !keepContactDetails {
            list("emails", held.emails, wanted.emails)
            list("phoneNumbers", held.phoneNumbers, wanted.phoneNumbers)
        }
        text(enterprisePrefix + "employeeNumber", held.enterprise?.employeeNumber, wanted.enterprise?.employeeNumber)
        text(enterprisePrefix + "department", held.enterprise?.department, wanted.enterprise?.department)
        // Only when configured: an organization an admin set is not MISLink's to remove.
        if let organization = wanted.enterprise?.organization {
            text(enterprisePrefix + "organization", held.enterprise?.organization, organization)
        }
        return operations
    }

    /// A multi-valued attribute as compared: value, type and primary, in order; nil and empty alike.
    private static func comparable(_ values: [SCIMUser.MultiValue]?) -> [String] {
        (values ?? []).map { "\($0.value ?? "")|\($0.type ?? "")|\($0.primary == true)" }
    }

    private static func value(_ entry: SCIMUser.MultiValue) -> JSONValue {
        var object: [String: JSONValue] = [:]
        if let value = entry.value { object["value"] = .string(value) }
        if let type = entry.type { object["type"] = .string(type) }
        if let primary = entry.primary { object["primary"] = .bool(primary) }
        return .object(object)
    }
}
