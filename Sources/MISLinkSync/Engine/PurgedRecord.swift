import MISLinkKit

/// One record an import deleted from the target's recycle bin (`recycle-purge-after`), as its
/// report lists it: who, by id only (names are personal data and stay out of reports and logs).
public struct PurgedRecord: Sendable, Codable, Equatable {
    public let role: PersonRole
    public let misID: String
    public let targetID: String
    /// Days it had sat in the recycle bin.
    public let days: Int
}
