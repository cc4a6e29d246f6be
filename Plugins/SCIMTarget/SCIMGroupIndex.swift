/// MISLink's groups on the server (found by their `externalId`) and who is in each, read from the
/// Groups themselves: scim2-server never fills `User.groups`.
struct SCIMGroupIndex: Sendable {
    private(set) var ids: [SCIMGroupKey: String] = [:]
    private var memberships: [String: Set<SCIMGroupKey>] = [:]

    init(_ groups: [SCIMGroup] = [], organization: String? = nil) {
        for group in groups {
            guard let key = SCIMGroupKey(externalId: group.externalId, organization: organization), let id = group.id else { continue }
            // Two groups with one key (made by hand): the first is MISLink's, the other is left alone.
            guard ids[key] == nil else { continue }
            ids[key] = id
            for member in group.members ?? [] {
                if let user = member.value { memberships[user, default: []].insert(key) }
            }
        }
    }

    func groups(of userID: String) -> Set<SCIMGroupKey> { memberships[userID] ?? [] }

    mutating func record(group key: SCIMGroupKey, id: String) { ids[key] = id }
    mutating func add(_ userID: String, to key: SCIMGroupKey) { memberships[userID, default: []].insert(key) }
    mutating func remove(_ userID: String, from key: SCIMGroupKey) { memberships[userID]?.remove(key) }
}
