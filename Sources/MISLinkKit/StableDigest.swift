import Foundation

/// A digest that is the same in every process and on every run (Swift's `Hasher` is seeded per
/// process): two FNV-1a lanes of 64 bits over bytes, and the length. For fingerprints of content that
/// are compared across runs (`Connector.fingerprint`, kit 1.5); not for secrets, nor against someone
/// who crafts collisions.
public struct StableDigest: Sendable {
    private var first: UInt64 = 0xcbf2_9ce4_8422_2325
    private var second: UInt64 = 0x84222325_cbf29ce4
    private var count: UInt64 = 0

    public init() {}

    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { raw in
            for byte in raw.bindMemory(to: UInt8.self) {
                first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
                second = (second ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01b3
            }
        }
        count &+= UInt64(data.count)
    }

    /// The text's UTF-8 and a separator, so that ("ab", "c") and ("a", "bc") differ.
    public mutating func update(_ text: String) {
        update(Data(text.utf8))
        update(Data([0]))
    }

    public var hex: String { String(format: "%016llx%016llx-%llx", first, second, count) }
}
