import MISLinkKit

/// Where the texts behind planning's digests of what was sent are read back from (the store).
/// Planning compares digests for every record and reads texts only for the few records whose plan
/// needs them (a changed record's update and target-side edits), after the MIS read, so a trust's
/// texts are never all in memory.
struct SentTextSource {
    /// The texts of `keys` ("role:misID") as the store holds them now (keys without one are left out).
    let load: @Sendable ([String]) async throws -> [String: String]

    /// The texts of `expected`'s keys, each checked against the digest planning used: a text that
    /// changed or went since (another writer between the two reads) makes the plan retry rather
    /// than mix two states.
    func texts(matching expected: [String: TextDigest]) async throws -> [String: String] {
        guard !expected.isEmpty else { return [:] }
        let texts = try await load(Array(expected.keys))
        for (key, digest) in expected where texts[key].map(TextDigest.init) != digest {
            throw PluginError.retryable(
                "what was last sent for \(key) changed while the import was planning; it will be planned again")
        }
        return texts
    }
}
