/// Why a CSV file could not be read, and where: the record's starting line and the field.
public struct CSVSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A quoted field runs to the end of the file.
        case unterminatedQuote
        /// A closing quote is followed by something other than a comma or a line break.
        case textAfterClosingQuote
        /// The field's bytes are not UTF-8.
        case invalidUTF8
        /// The file could not be read this time (an I/O error).
        case unreadable(String)
        /// The file's bytes are not in the configured encoding.
        case undecodable(String)
    }

    public let kind: Kind
    /// The 1-based physical line the record starts on.
    public let line: Int
    /// The 1-based position of the field within its record.
    public let field: Int
    /// The byte offset of the record: a torn last record can be cut back to here.
    public let offset: Int

    public init(_ kind: Kind, line: Int, field: Int, offset: Int) {
        self.kind = kind
        self.line = line
        self.field = field
        self.offset = offset
    }

    /// What is wrong, without the place (callers add the file, line and column).
    public var reason: String {
        switch kind {
        case .unterminatedQuote: "quoted field is not closed before the end of the file"
        case .textAfterClosingQuote: "text follows the closing quote (a quote inside a quoted field must be doubled)"
        case .invalidUTF8: "not valid UTF-8"
        case .unreadable(let why), .undecodable(let why): why
        }
    }

    public var description: String { "line \(line), field \(field): \(reason)" }
}
