/// A 128-bit digest of a text, for telling within one process whether two texts are equal without
/// keeping either: an import holds one per linked record of what was last sent, not the text
/// (110,000 texts of a trust cost over 30 MiB). Keyed by the process's random hashing seed, so
/// equal texts give equal digests here and no input can be made to collide on purpose; never
/// stored, and never compared across processes.
struct TextDigest: Hashable, Sendable {
    private let high: Int
    private let low: Int

    init(_ text: String) {
        var first = Hasher()
        first.combine(0x5E47 as UInt16)
        first.combine(text)
        var second = Hasher()
        second.combine(0xD16E as UInt16)
        second.combine(text)
        high = first.finalize()
        low = second.finalize()
    }
}
