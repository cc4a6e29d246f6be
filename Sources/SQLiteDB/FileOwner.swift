/// Which application a database file belongs to, marked in its header by `PRAGMA application_id`.
///
/// A connection opened with an owner claims an empty file for it and refuses any file that belongs to
/// someone else *before* it changes anything (no table, no migration, no switch to WAL): a plugin's
/// own file pointed at the queue, or the queue pointed at a plugin's file, is refused with the path.
public struct FileOwner: Sendable {
    /// The 32-bit number in the file header.
    public let applicationID: Int32
    /// Named in refusals ("the MISLink queue").
    public let name: String
    /// Whether an unmarked file that already has tables is one of ours from before files were marked
    /// (it is then marked); false refuses it.
    public let adoptsUnmarked: @Sendable (Connection) throws -> Bool

    public init(applicationID: Int32, name: String, adoptsUnmarked: @escaping @Sendable (Connection) throws -> Bool) {
        self.applicationID = applicationID
        self.name = name
        self.adoptsUnmarked = adoptsUnmarked
    }

    /// Four ASCII letters as an application id, the way file formats spell them ("MISL").
    public static func code(_ letters: StaticString) -> Int32 {
        precondition(letters.utf8CodeUnitCount == 4, "an application id is four ASCII letters")
        let bytes = UnsafeBufferPointer(start: letters.utf8Start, count: 4)
        return Int32(bitPattern: bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    /// Whether the file has a table named `name`: how an unmarked file from an earlier build is known.
    public static func hasTable(_ name: String, in connection: Connection) throws -> Bool {
        try connection.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [name]) == 1
    }
}
