import MISLinkKit

/// A small RFC 4180 reader: comma-separated fields, quoted fields holding commas, doubled quotes and
/// line breaks, records ended by CRLF, LF or a lone CR, UTF-8 with an optional byte order mark.
///
/// Blank lines between records are skipped. A quote inside an unquoted field is kept as an
/// ordinary character; text after a closing quote, an unterminated quote and bytes that are not
/// UTF-8 are errors. Field counts are not checked here: that is the caller's business, since only
/// it knows the header.
///
/// The bytes come whole or in chunks (`init(chunks:)`): an export is read a megabyte at a time, so a
/// trust's file is never held whole beside the records made from it. Only the record being read
/// and what follows it in its chunk are kept.
public struct CSVReader {
    private var bytes: [UInt8]
    private var position: Int
    /// The file offset of `bytes[0]`: consumed records are dropped from the front.
    private var base = 0
    private var line = 1
    private var nextChunk: (() throws -> [UInt8]?)?

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    /// Consumed bytes are dropped once this many have piled up in front of the record being read.
    private static let compactAfter = 256 * 1024

    public init(_ data: some Collection<UInt8>) {
        bytes = Array(data)
        // Spreadsheet programs write a byte order mark; it is not part of the first header.
        position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// Reads from `nextChunk` as it goes: each call gives the next bytes, nil at the end. Its error
    /// is thrown as `CSVSyntaxError.Kind.undecodable` (a permanent `PluginError`: bytes the encoding
    /// cannot read) or `.unreadable` (anything else: the file could not be read this time).
    public init(chunks nextChunk: @escaping () throws -> [UInt8]?) throws(CSVSyntaxError) {
        bytes = []
        position = 0
        self.nextChunk = nextChunk
        while bytes.count < 3, try load() {}
        position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// Whether `index` is within the bytes, loading chunks until it is or the source ends.
    private mutating func has(_ index: Int) throws(CSVSyntaxError) -> Bool {
        while index >= bytes.count {
            guard try load() else { return false }
        }
        return true
    }

    /// Appends the next chunk; false at the end.
    private mutating func load() throws(CSVSyntaxError) -> Bool {
        guard let source = nextChunk else { return false }
        let chunk: [UInt8]?
        do {
            chunk = try source()
        } catch let error as PluginError where error.disposition == .permanent {
            throw CSVSyntaxError(.undecodable(error.message), line: line, field: 1, offset: base + position)
        } catch let error as PluginError {
            throw CSVSyntaxError(.unreadable(error.message), line: line, field: 1, offset: base + position)
        } catch {
            throw CSVSyntaxError(.unreadable(String(describing: error)), line: line, field: 1, offset: base + position)
        }
        guard let chunk else {
            nextChunk = nil
            return false
        }
        bytes += chunk
        return true
    }

    /// Every record, the header first.
    public static func records(in data: some Collection<UInt8>) throws(CSVSyntaxError) -> [CSVRecord] {
        var reader = CSVReader(data)
        var records: [CSVRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    /// The next record, or nil at the end of the data.
    public mutating func next() throws(CSVSyntaxError) -> CSVRecord? {
        if position >= Self.compactAfter {
            bytes.removeFirst(position)
            base += position
            position = 0
        }
        while try has(position), bytes[position] == Self.cr || bytes[position] == Self.lf {
            try consumeLineBreak()
        }
        guard try has(position) else { return nil }
        let start = CSVRecord(line: line, offset: base + position, fields: [])
        var fields: [String] = []
        while true {
            // A trailing comma at the very end of the data leaves one empty field to read.
            let isQuoted = try has(position) && bytes[position] == Self.quote
            let raw = try isQuoted ? quotedField(start, number: fields.count + 1) : unquotedField()
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw CSVSyntaxError(.invalidUTF8, line: start.line, field: fields.count + 1, offset: start.offset)
            }
            fields.append(text)
            guard try has(position) else { break }
            if bytes[position] == Self.comma {
                position += 1
                continue
            }
            try consumeLineBreak()
            break
        }
        return CSVRecord(line: start.line, offset: start.offset, fields: fields)
    }

    private mutating func unquotedField() throws(CSVSyntaxError) -> ArraySlice<UInt8> {
        let start = position
        while try has(position) {
            let byte = bytes[position]
            if byte == Self.comma || byte == Self.cr || byte == Self.lf { break }
            position += 1
        }
        return bytes[start..<position]
    }

    private mutating func quotedField(_ record: CSVRecord, number: Int) throws(CSVSyntaxError) -> ArraySlice<UInt8> {
        position += 1
        var field: [UInt8] = []
        while true {
            guard try has(position) else {
                throw CSVSyntaxError(.unterminatedQuote, line: record.line, field: number, offset: record.offset)
            }
            let byte = bytes[position]
            if byte == Self.quote {
                if try has(position + 1), bytes[position + 1] == Self.quote {
                    field.append(Self.quote)
                    position += 2
                    continue
                }
                position += 1
                break
            }
            // Line breaks inside quotes are kept as they are, but still count as physical lines.
            if byte == Self.lf {
                line += 1
            } else if byte == Self.cr, try !has(position + 1) || bytes[position + 1] != Self.lf {
                line += 1
            }
            field.append(byte)
            position += 1
        }
        if try has(position) {
            let byte = bytes[position]
            guard byte == Self.comma || byte == Self.cr || byte == Self.lf else {
                throw CSVSyntaxError(.textAfterClosingQuote, line: record.line, field: number, offset: record.offset)
            }
        }
        return field[...]
    }

    private mutating func consumeLineBreak() throws(CSVSyntaxError) {
        if bytes[position] == Self.cr, try has(position + 1), bytes[position + 1] == Self.lf {
            position += 2
        } else {
            position += 1
        }
        line += 1
    }
}
