import MISLinkKit

/// A linked target record in the target's recycle bin, and since when (the school's local date):
/// what `recycle-purge-after` measures. Kept in `recycle_bin`.
public struct RecycleBinEntry: Sendable, Equatable {
    public enum Origin: String, Sendable {
        /// MISLink moved it there (a leaver's move completed that day).
        case moved
        /// An import first found it there (moved by someone else, or before dates were kept).
        case seen
    }

    public let targetID: String
    public let role: PersonRole
    public let misID: String
    public let since: CalendarDate
    public let origin: Origin
}
