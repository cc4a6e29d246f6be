/// An entry of `deletions`: a top-level record Wonde no longer has, and whether it came back.
struct WondeDeletion: Decodable, Sendable {
    let type: String
    let id: String?
    let misID: String?
    let deletedAt: WondeDate?
    let restoredAt: WondeDate?

    private enum CodingKeys: String, CodingKey {
        case type, id
        case misID = "mis_id"
        case deletedAt = "deleted_at"
        case restoredAt = "restored_at"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.nonEmptyText(.type) ?? ""
        id = try c.nonEmptyText(.id)
        misID = try c.nonEmptyText(.misID)
        deletedAt = try c.decodeIfPresent(WondeDate.self, forKey: .deletedAt)
        restoredAt = try c.decodeIfPresent(WondeDate.self, forKey: .restoredAt)
    }
}
