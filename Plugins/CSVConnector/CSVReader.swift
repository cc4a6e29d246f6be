/// A small RFC 4180 reader: comma-separated fields, quoted fields holding commas, doubled quotes and
/// line breaks, records ended by CRLF, LF or a lone CR, UTF-8 with an optional byte order mark.
///
/// Blank lines between records are skipped. A quote inside an unquoted field is kept as an
/// ordinary character; text after a closing quote, an unterminated quote and bytes that are not
/// UTF-8 are errors. Field counts are not checked here: that is the caller's business, since only
/// it knows the header.
public struct CSVReader {
    private let bytes: [UInt8]
    private var position: Int
    private var line = 1

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    public init(_ data: some Collection<UInt8>) {
        bytes = Array(data)
        // Spreadsheet programs write a byte order mark; it is not part of the first header.
        position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
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
        while position < bytes.count, bytes[position] == Self.cr || bytes[position] == Self.lf {
            consumeLineBreak()
        }
        guard position < bytes.count else { return nil }
        let start = CSVRecord(line: line, offset: position, fields: [])
        var fields: [String] = []
        while true {
            // A trailing comma at the very end of the data leaves one empty field to read.
            let isQuoted = position < bytes.count && bytes[position] == Self.quote
            let raw = try isQuoted ? quotedField(start, number: fields.count + 1) : unquotedField()
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw CSVSyntaxError(.invalidUTF8, line: start.line, field: fields.count + 1, offset: start.offset)
            }
            fields.append(text)
            guard position < bytes.count else { break }
            if bytes[position] == Self.comma {
                position += 1
                continue
            }
            consumeLineBreak()
            break
        }
        return CSVRecord(line: start.line, offset: start.offset, fields: fields)
    }

    private mutating func unquotedField() -> ArraySlice<UInt8> {
        let start = position
        while position < bytes.count {
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
            guard position < bytes.count else {
                throw CSVSyntaxError(.unterminatedQuote, line: record.line, field: number, offset: record.offset)
            }
            let byte = bytes[position]
            if byte == Self.quote {
                if position + 1 < bytes.count, bytes[position + 1] == Self.quote {
                    field.append(Self.quote)
                    position += 2
                    continue
                }
                position += 1
                break
            }
            // Line breaks inside quotes are kept as they are, but still count as physical lines.
            if byte == Self.lf || (byte == Self.cr && (position + 1 == bytes.count || bytes[position + 1] != Self.lf)) {
                line += 1
            }
            field.append(byte)
            position += 1
        }
        if position < bytes.count {
            let byte = bytes[position]
            guard byte == Self.comma || byte == Self.cr || byte == Self.lf else {
                throw CSVSyntaxError(.textAfterClosingQuote, line: record.line, field: number, offset: record.offset)
            }
        }
        return field[...]
    }

    private mutating func consumeLineBreak() {
        if bytes[position] == Self.cr, position + 1 < bytes.count, bytes[position + 1] == Self.lf {
            position += 2
        } else {
            position += 1
        }
        line += 1
    }
}
