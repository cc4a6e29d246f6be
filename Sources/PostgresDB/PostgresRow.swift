import Foundation

/// One row, copied out of libpq's result in text format, with typed access by position or name.
///
/// A typed getter throws a `.decoding` error naming the column when the value is NULL or not of the
/// type; the `optional…` forms answer nil for NULL. Errors never quote the value.
public struct PostgresRow: Sendable {
    public let columns: PostgresColumns
    let cells: [String?]

    init(columns: PostgresColumns, cells: [String?]) {
        self.columns = columns
        self.cells = cells
    }

    public func isNull(_ column: some PostgresColumnReference) throws -> Bool {
        try cells[position(column)] == nil
    }

    public func optionalString(_ column: some PostgresColumnReference) throws -> String? {
        try cells[position(column)]
    }

    public func string(_ column: some PostgresColumnReference) throws -> String {
        try required(column, "text") { $0 }
    }

    public func optionalInt64(_ column: some PostgresColumnReference) throws -> Int64? {
        try optional(column, "bigint") { Int64($0) }
    }

    public func int64(_ column: some PostgresColumnReference) throws -> Int64 {
        try required(column, "bigint") { Int64($0) }
    }

    public func optionalDouble(_ column: some PostgresColumnReference) throws -> Double? {
        try optional(column, "double precision", Self.double)
    }

    public func double(_ column: some PostgresColumnReference) throws -> Double {
        try required(column, "double precision", Self.double)
    }

    public func optionalBool(_ column: some PostgresColumnReference) throws -> Bool? {
        try optional(column, "boolean", Self.bool)
    }

    public func bool(_ column: some PostgresColumnReference) throws -> Bool {
        try required(column, "boolean", Self.bool)
    }

    public func optionalData(_ column: some PostgresColumnReference) throws -> Data? {
        try optional(column, "bytea", Self.bytea)
    }

    public func data(_ column: some PostgresColumnReference) throws -> Data {
        try required(column, "bytea", Self.bytea)
    }

    public func optionalDate(_ column: some PostgresColumnReference) throws -> Date? {
        try optional(column, "timestamptz", PostgresTimestamp.parse)
    }

    public func date(_ column: some PostgresColumnReference) throws -> Date {
        try required(column, "timestamptz", PostgresTimestamp.parse)
    }

    // MARK: - Decoding

    private func position(_ column: some PostgresColumnReference) throws -> Int {
        guard let index = column.index(in: columns) else {
            throw PostgresError(kind: .decoding, message: "no column \(column) in a row of \(columns.names)")
        }
        return index
    }

    private func optional<T>(_ column: some PostgresColumnReference, _ type: String, _ decode: (String) -> T?) throws -> T? {
        let index = try position(column)
        guard let text = cells[index] else { return nil }
        guard let value = decode(text) else {
            throw PostgresError(kind: .decoding, message: "column \(columns.names[index]) is not a \(type)")
        }
        return value
    }

    private func required<T>(_ column: some PostgresColumnReference, _ type: String, _ decode: (String) -> T?) throws -> T {
        guard let value = try optional(column, type, decode) else {
            throw PostgresError(kind: .decoding, message: "column \(columns.names[try position(column)]) is NULL, expected a \(type)")
        }
        return value
    }

    private static func double(_ text: String) -> Double? {
        switch text {
        case "NaN": .nan
        case "Infinity": .infinity
        case "-Infinity": -.infinity
        default: Double(text)
        }
    }

    private static func bool(_ text: String) -> Bool? {
        switch text {
        case "t": true
        case "f": false
        default: nil
        }
    }

    /// The hex format (`\x…`), which the connection asks for.
    private static func bytea(_ text: String) -> Data? {
        guard text.hasPrefix("\\x") else { return nil }
        let hex = Array(text.utf8.dropFirst(2))
        guard hex.count % 2 == 0 else { return nil }
        var bytes = Data(capacity: hex.count / 2)
        var index = 0
        while index < hex.count {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
