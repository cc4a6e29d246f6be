import MISLinkHTTPClient
/// One membership change: a User added to or removed from one of MISLink's groups. Sent as a PATCH
/// with a path (`members`, `members[value eq "…"]`), so changes never overwrite each other and need
/// no `If-Match`.
struct SCIMGroupChange: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case add, remove
    }

    let kind: Kind
    let userID: String
    let key: SCIMGroupKey
    let groupID: String

    static func add(_ userID: String, to key: SCIMGroupKey, groupID: String) -> SCIMGroupChange {
        SCIMGroupChange(kind: .add, userID: userID, key: key, groupID: groupID)
    }

    static func remove(_ userID: String, from key: SCIMGroupKey, groupID: String) -> SCIMGroupChange {
        SCIMGroupChange(kind: .remove, userID: userID, key: key, groupID: groupID)
    }

    var operation: SCIMPatch.Operation {
        switch kind {
        case .add: .add("members", .array([.object(["value": .string(userID)])]))
        case .remove: .remove("members[value eq \"\(userID)\"]")
        }
    }

    var bulkOperation: SCIMBulk.Operation {
        SCIMBulk.Operation(
            method: "PATCH", path: "/Groups/" + groupID, bulkId: nil, version: nil,
            data: try? JSONValue(encoding: SCIMPatch([operation])))
    }
}
