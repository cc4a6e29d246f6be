import Foundation
import MISLinkHTTPClient
import MISLinkKit

/// The `scim` target: each person is a SCIM User whose `externalId` is their MIS id. The recycle
/// bin is `active: false` (restore sets it back); a User is deleted only by a purge of the recycle
/// bin (`delete`, kit 1.5).
///
/// One instance serves one job. It keeps what `listPeople` read (each User with its ETag, and the
/// group memberships), so an update sends only the attributes that differ, under `If-Match`, and an
/// unchanged person costs no request.
public actor SCIMTarget: Target {
    let settings: SCIMSettings
    let client: SCIMClient
    private var capabilities: SCIMServiceProviderConfig?
    /// Users as last read, by id.
    private var held: [String: SCIMUser] = [:]
    private var groupIndex: SCIMGroupIndex?

    public init(settings: SCIMSettings, client: HTTPClient) {
        self.settings = settings
        self.client = SCIMClient(http: client)
    }

    public func listPeople(context: PluginContext) async throws -> [TargetPerson] {
        let config = try await discover(context)
        var users: [SCIMUser] = []
        try await client.list(
            "Users", as: SCIMUser.self, filter: settings.usersFilter, pageSize: pageSize(config),
            sorted: config.sort?.supported == true, context: context
        ) { page in
            users += page
            context.report(.init(done: users.count, message: "read users from the SCIM server"))
        }
        held = Dictionary(users.compactMap { user in user.id.map { ($0, user) } }) { first, _ in first }
        if settings.groups { groupIndex = try await readGroups(config, context: context) }
        return users.compactMap { user in user.targetPerson(groups: user.id.map { groupIndex?.groups(of: $0) ?? [] } ?? []) }
    }

    /// Creates the User under the first free login the `user-name` template gives (`{n}` empty, then
    /// 2, 3, …), in its groups. A login already held by this very person (an earlier attempt whose
    /// answer was lost) is theirs: no second User is made.
    public func create(_ record: PersonRecord, context: PluginContext) async throws -> String {
        try await naming("creating", record) { try await createNew(record, context: context) }
    }

    private func createNew(_ record: PersonRecord, context: PluginContext) async throws -> String {
        let config = try await discover(context)
        let groups = settings.groups ? SCIMGroupKey.groups(of: record) : []
        if !groups.isEmpty { try await loadGroups(config, context: context) }
        let attempts = settings.userName.hasNumber ? UserNameTemplate.maxNumber : 1
        var tried: [String] = []
        for attempt in 1...attempts {
            try context.checkCancellation()
            let userName = settings.userName.render(record, attempt: attempt)
            guard !tried.contains(userName.lowercased()) else { continue }
            tried.append(userName.lowercased())
            let user = SCIMUser(record: record, userName: userName, organization: settings.organization)
            if let id = try await createUser(user, groups: groups, config: config, context: context) { return id }
            if let own = try await ownUser(userName: userName, record: record, context: context) {
                try await updateHeld(own, with: record, keepContactDetails: false, context: context)
                return own
            }
        }
        throw PluginError.recordRefused(clashMessage(record, tried: tried))
    }

    public func update(targetID: String, with record: PersonRecord, keepContactDetails: Bool, context: PluginContext)
        async throws
    {
        try await naming("updating", record, targetID: targetID) {
            try await updateHeld(targetID, with: record, keepContactDetails: keepContactDetails, context: context)
        }
    }

    private func updateHeld(_ targetID: String, with record: PersonRecord, keepContactDetails: Bool, context: PluginContext)
        async throws
    {
        let config = try await discover(context)
        var user = try await heldUser(targetID, context: context)
        let wanted = SCIMUser.wanted(record, organization: settings.organization)
        for attempt in 1...2 {
            let operations = SCIMUserChanges.operations(held: user, wanted: wanted, keepContactDetails: keepContactDetails)
            if operations.isEmpty { break }
            if try await patchUser(targetID, operations, version: user.meta?.version, context: context) { break }
            // 412: someone changed the User since it was read. Read it again and decide afresh, once.
            guard attempt == 1 else { throw staleTwice(targetID) }
            user = try await freshUser(targetID, context: context)
        }
        if settings.groups {
            try await loadGroups(config, context: context)
            try await moveGroups(targetID, to: SCIMGroupKey.groups(of: record), config: config, context: context)
        }
    }

    public func moveToRecycleBin(targetID: String, context: PluginContext) async throws {
        try await setActive(false, targetID, context: context)
    }

    public func restoreFromRecycleBin(targetID: String, context: PluginContext) async throws {
        try await setActive(true, targetID, context: context)
    }

    /// A purge deletes the User (`DELETE /Users/{id}`, kit 1.5).
    public nonisolated var canDelete: Bool { true }

    /// Takes the User out of MISLink's groups first (a server leaves a deleted User as a dangling
    /// member), then deletes it. A User already gone (404) counts as deleted, so a re-run is no error.
    public func delete(targetID: String, context: PluginContext) async throws {
        let config = try await discover(context)
        if settings.groups {
            try await loadGroups(config, context: context)
            try await moveGroups(targetID, to: [], config: config, context: context)
        }
        held[targetID] = nil
        try await client.delete("Users/" + SCIMClient.pathSegment(targetID), context: context)
    }

    // MARK: - Users

    /// Sets `active`, under `If-Match`; a 412 re-reads the User and tries once more.
    private func setActive(_ active: Bool, _ targetID: String, context: PluginContext) async throws {
        _ = try await discover(context)
        var user = try await heldUser(targetID, context: context)
        for attempt in 1...2 {
            if user.active == active { return }
            if try await patchUser(targetID, [.replace("active", .bool(active))], version: user.meta?.version, context: context) {
                return
            }
            guard attempt == 1 else { throw staleTwice(targetID) }
            user = try await freshUser(targetID, context: context)
        }
    }

    /// True when done; false on a 412. The cached copy is dropped either way: it is out of date.
    private func patchUser(_ id: String, _ operations: [SCIMPatch.Operation], version: String?, context: PluginContext)
        async throws -> Bool
    {
        held[id] = nil
        switch try await client.patch("Users/" + SCIMClient.pathSegment(id), operations, ifMatch: version, context: context) {
        case .done: return true
        case .stale: return false
        }
    }

    /// The User as `listPeople` read it, or as the server has it now.
    private func heldUser(_ id: String, context: PluginContext) async throws -> SCIMUser {
        if let user = held[id] { return user }
        return try await freshUser(id, context: context)
    }

    private func freshUser(_ id: String, context: PluginContext) async throws -> SCIMUser {
        guard let user = try await client.user(id: id, context: context) else {
            throw PluginError.permanent("scim: the SCIM server has no user \(id) any more (deleted there?)")
        }
        held[id] = user
        return user
    }

    /// The id of the User holding `userName` when it is this very person: the same MIS id, and staff
    /// for staff or a student for a pupil (a pre-admission who has started is the same child).
    private func ownUser(userName: String, record: PersonRecord, context: PluginContext) async throws -> String? {
        let found = try await client.users(filter: SCIMClient.equals("userName", userName), context: context)
        return found.first { $0.externalId == record.details.misID && ($0.role == .staff) == (record.role == .staff) }?.id
    }

    /// Creates the User, in one Bulk request with its group memberships when the server allows it;
    /// nil when the login is taken.
    private func createUser(_ user: SCIMUser, groups: Set<SCIMGroupKey>, config: SCIMServiceProviderConfig, context: PluginContext)
        async throws -> String?
    {
        if !groups.isEmpty, let limits = bulkLimits(config) {
            let batch = try SCIMCreateBatch(
                user: user, groups: groups.sorted(), index: groupIndex ?? SCIMGroupIndex(), organization: settings.organization)
            if try batch.fits(limits) {
                let results = try await client.bulk(batch.operations, context: context)
                let outcome = try batch.outcome(results)
                guard let id = outcome.userID else { return nil }
                for (key, groupID) in outcome.createdGroups { groupIndex?.record(group: key, id: groupID) }
                for key in groups where !outcome.failedGroups.contains(key) { groupIndex?.add(id, to: key) }
                // A membership the batch could not make is made on its own, where its failure says why.
                try await joinGroups(id, Set(outcome.failedGroups), config: config, context: context)
                return id
            }
        }
        switch try await client.create(user, context: context) {
        case .taken:
            return nil
        case .created(let created):
            guard let id = created.id else { throw PluginError.permanent("scim: the SCIM server created a user but gave no id") }
            try await joinGroups(id, groups, config: config, context: context)
            return id
        }
    }

    /// Runs `work`, adding who it was for to a failure's message (the server's own says only the path).
    private func naming<T>(_ doing: String, _ record: PersonRecord, targetID: String? = nil, _ work: () async throws -> T)
        async throws -> T
    {
        do {
            return try await work()
        } catch let error as PluginError where !error.message.hasPrefix("scim: cannot create") {
            let user = targetID.map { " (user \($0))" } ?? ""
            throw PluginError(error.disposition, "scim: \(doing) \(record.role.rawValue) \(record.details.misID)\(user): " + error.message)
        }
    }

    private func clashMessage(_ record: PersonRecord, tried: [String]) -> String {
        let who = "\(record.role.rawValue) \(record.details.misID)"
        let names = tried.prefix(3).joined(separator: ", ") + (tried.count > 3 ? ", …" : "")
        let advice =
            settings.userName.hasNumber
            ? "every login up to {n}=\(UserNameTemplate.maxNumber) is taken"
            : "the user-name template '\(settings.userName.text)' has no {n} to try another"
        return "scim: cannot create \(who): the SCIM server says the user name is taken (409 uniqueness: \(names)) and \(advice); "
            + "free the name in the identity system, or add {n} to user-name"
    }

    private func staleTwice(_ id: String) -> PluginError {
        .retryable("scim: user \(id) changed on the SCIM server twice while MISLink was updating it (412 both times); will try again")
    }

    // MARK: - Capabilities

    private func discover(_ context: PluginContext) async throws -> SCIMServiceProviderConfig {
        if let capabilities { return capabilities }
        let config = try await client.serviceProviderConfig(context: context)
        capabilities = config
        return config
    }

    func pageSize(_ config: SCIMServiceProviderConfig) -> Int {
        guard let most = config.filter?.maxResults, most > 0 else { return settings.pageSize }
        return min(settings.pageSize, most)
    }

    func bulkLimits(_ config: SCIMServiceProviderConfig) -> (maxOperations: Int, maxPayloadSize: Int)? {
        settings.bulk ? config.bulkLimits : nil
    }

    // MARK: - Groups

    private func readGroups(_ config: SCIMServiceProviderConfig, context: PluginContext) async throws -> SCIMGroupIndex {
        var groups: [SCIMGroup] = []
        try await client.list(
            "Groups", as: SCIMGroup.self, filter: SCIMClient.startsWith("externalId", SCIMGroupKey.prefix(organization: settings.organization)),
            pageSize: pageSize(config),
            sorted: config.sort?.supported == true, context: context
        ) { groups += $0 }
        return SCIMGroupIndex(groups, organization: settings.organization)
    }

    private func loadGroups(_ config: SCIMServiceProviderConfig, context: PluginContext) async throws {
        if groupIndex == nil { groupIndex = try await readGroups(config, context: context) }
    }

    /// Makes the User a member of exactly `wanted` among MISLink's groups.
    private func moveGroups(_ userID: String, to wanted: Set<SCIMGroupKey>, config: SCIMServiceProviderConfig, context: PluginContext)
        async throws
    {
        let have = groupIndex?.groups(of: userID) ?? []
        var changes: [SCIMGroupChange] = []
        for key in have.subtracting(wanted).sorted() {
            if let id = groupIndex?.ids[key] { changes.append(.remove(userID, from: key, groupID: id)) }
        }
        try await apply(changes, config: config, context: context)
        try await joinGroups(userID, wanted.subtracting(have), config: config, context: context)
    }

    /// Adds the User to each group, creating a group that does not exist yet with the User in it.
    private func joinGroups(_ userID: String, _ keys: Set<SCIMGroupKey>, config: SCIMServiceProviderConfig, context: PluginContext)
        async throws
    {
        var changes: [SCIMGroupChange] = []
        for key in keys.sorted() {
            if let id = groupIndex?.ids[key] {
                changes.append(.add(userID, to: key, groupID: id))
            } else {
                let group = try await client.createGroup(
                    SCIMGroup(
                        externalId: key.externalId(organization: settings.organization),
                        displayName: key.displayName(organization: settings.organization), members: [userID]),
                    context: context)
                if let id = group.id { groupIndex?.record(group: key, id: id) }
                groupIndex?.add(userID, to: key)
            }
        }
        try await apply(changes, config: config, context: context)
    }

    /// Membership changes: in Bulk requests within the server's limits when it has them, else one PATCH each.
    private func apply(_ changes: [SCIMGroupChange], config: SCIMServiceProviderConfig, context: PluginContext) async throws {
        guard !changes.isEmpty else { return }
        if changes.count > 1, let limits = bulkLimits(config) {
            for chunk in try SCIMBulkChunks.split(changes.map(\.bulkOperation), limits: limits) {
                try SCIMBulkChunks.check(try await client.bulk(chunk, context: context), of: chunk)
            }
        } else {
            for change in changes {
                _ = try await client.patch("Groups/" + SCIMClient.pathSegment(change.groupID), [change.operation], ifMatch: nil, context: context)
            }
        }
        for change in changes {
            switch change.kind {
            case .add: groupIndex?.add(change.userID, to: change.key)
            case .remove: groupIndex?.remove(change.userID, from: change.key)
            }
        }
    }
}
