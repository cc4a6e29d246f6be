/// One CSV record: its fields and where it starts in the file.
public struct CSVRecord: Sendable, Equatable {
    /// The 1-based physical line the record starts on (a quoted field may carry it over several lines).
    public let line: Int
    /// The byte offset the record starts at: where a torn last record is cut back to.
    public let offset: Int
    public let fields: [String]

    public init(line: Int, offset: Int, fields: [String]) {
        self.line = line
        self.offset = offset
        self.fields = fields
    }
}
