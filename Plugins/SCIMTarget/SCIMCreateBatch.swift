import MISLinkHTTPClient
import MISLinkKit

/// A new User and its group memberships as one Bulk request: the User's `bulkId` stands for its id
/// until the server has made it, so one round trip does what would otherwise take one per group.
struct SCIMCreateBatch: Sendable {
    static let userBulkID = "user"

    let operations: [SCIMBulk.Operation]
    /// The group each operation after the first stands for.
    private let groups: [SCIMGroupKey]

    struct Outcome: Sendable {
        /// nil when the login is taken (409).
        var userID: String?
        var createdGroups: [(SCIMGroupKey, String)] = []
        var failedGroups: [SCIMGroupKey] = []
    }

    init(user: SCIMUser, groups: [SCIMGroupKey], index: SCIMGroupIndex, organization: String?) throws {
        let reference = "bulkId:" + Self.userBulkID
        var operations = [SCIMBulk.Operation(method: "POST", path: "/Users", bulkId: Self.userBulkID, data: try JSONValue(encoding: user))]
        for (number, key) in groups.enumerated() {
            if let id = index.ids[key] {
                operations.append(SCIMGroupChange.add(reference, to: key, groupID: id).bulkOperation)
            } else {
                let group = SCIMGroup(
                    externalId: key.externalId(organization: organization), displayName: key.displayName(organization: organization),
                    members: [reference])
                operations.append(
                    SCIMBulk.Operation(method: "POST", path: "/Groups", bulkId: "group\(number + 1)", data: try JSONValue(encoding: group)))
            }
        }
        self.operations = operations
        self.groups = groups
    }

    func fits(_ limits: (maxOperations: Int, maxPayloadSize: Int)) throws -> Bool {
        try SCIMBulkChunks.fits(operations, limits: limits)
    }

    /// What the server did. A failure of the User other than a taken login throws.
    func outcome(_ results: [SCIMBulk.Result]) throws -> Outcome {
        // Matched by bulkId, and the rest by position: servers answer in the order asked.
        guard let first = results.first(where: { $0.bulkId == Self.userBulkID }) ?? results.first, results.count == operations.count
        else {
            throw PluginError.retryable(
                "scim: a Bulk request of \(operations.count) operations was answered for \(results.count); will try again")
        }
        if first.status == 409 && (first.response?.scimType ?? "uniqueness") == "uniqueness" { return Outcome(userID: nil) }
        guard (200..<300).contains(first.status) else { throw SCIMBulkChunks.failure(first, operations[0]) }
        guard let id = first.resourceID else {
            throw PluginError.permanent("scim: the SCIM server created a user in a Bulk request but gave no location")
        }
        var outcome = Outcome(userID: id)
        for (index, key) in groups.enumerated() {
            let result = results[index + 1]
            if !(200..<300).contains(result.status) {
                outcome.failedGroups.append(key)
            } else if operations[index + 1].method == "POST", let groupID = result.resourceID {
                outcome.createdGroups.append((key, groupID))
            }
        }
        return outcome
    }
}
