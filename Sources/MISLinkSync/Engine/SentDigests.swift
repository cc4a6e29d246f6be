import MISLinkKit

/// What was last sent per linked record ("role:misID"), as digests of `SentFields`' text form, with
/// a way to read the texts themselves back from the store. Planning compares digests for every
/// record and reads texts only for the few records whose plan needs them (a changed record's
/// update and target-side edits), after the MIS read, so a trust's texts are never all in memory.
struct SentDigests {
    var digests: [String: TextDigest]
    /// The texts of `keys` as the store holds them now (keys without one are left out).
    let loadTexts: @Sendable ([String]) async throws -> [String: String]

    init(digests: [String: TextDigest], loadTexts: @escaping @Sendable ([String]) async throws -> [String: String]) {
        self.digests = digests
        self.loadTexts = loadTexts
    }

    /// The texts of `expected`'s keys, each checked against the digest planning used: a text that
    /// changed or went since (another writer between the two reads) makes the plan retry rather
    /// than mix two states.
    func texts(matching expected: [String: TextDigest]) async throws -> [String: String] {
        guard !expected.isEmpty else { return [:] }
        let texts = try await loadTexts(Array(expected.keys))
        for (key, digest) in expected where texts[key].map(TextDigest.init) != digest {
            throw PluginError.retryable(
                "what was last sent for \(key) changed while the import was planning; it will be planned again")
        }
        return texts
    }
}
