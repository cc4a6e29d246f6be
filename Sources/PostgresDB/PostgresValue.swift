import Foundation

/// A statement parameter, sent to the server in text format with the type it names.
public enum PostgresValue: Sendable, Equatable, Hashable {
    case null
    case int64(Int64)
    case double(Double)
    case bool(Bool)
    /// Sent untyped, so the server reads it as whatever the statement needs (text, jsonb, an array).
    case text(String)
    case bytea(Data)
    case timestamptz(Date)

    /// A `bigint[]` for `= ANY($1)`, written as the text form of an array.
    public static func int64Array(_ values: [Int64]) -> PostgresValue {
        .text("{" + values.map(String.init).joined(separator: ",") + "}")
    }

    /// A `text[]`, each element quoted and escaped.
    public static func textArray(_ values: [String]) -> PostgresValue {
        let elements = values.map { value in
            "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return .text("{" + elements.joined(separator: ",") + "}")
    }

    /// The parameter's type OID; 0 lets the server infer it from the statement.
    var typeOID: UInt32 {
        switch self {
        case .null, .text: 0
        case .int64: 20
        case .double: 701
        case .bool: 16
        case .bytea: 17
        case .timestamptz: 1184
        }
    }

    /// The text the server parses; nil for NULL.
    var textValue: String? {
        switch self {
        case .null: nil
        case .int64(let value): String(value)
        case .double(let value):
            value.isNaN ? "NaN" : value.isInfinite ? (value < 0 ? "-Infinity" : "Infinity") : "\(value)"
        case .bool(let value): value ? "t" : "f"
        case .text(let value): value
        case .bytea(let value): "\\x" + value.map { String(format: "%02x", $0) }.joined()
        case .timestamptz(let value): PostgresTimestamp.format(value)
        }
    }
}

/// A Swift value that binds to a `$n` parameter.
public protocol PostgresBindable: Sendable {
    var postgresValue: PostgresValue { get }
}

extension PostgresValue: PostgresBindable {
    public var postgresValue: PostgresValue { self }
}

extension Int: PostgresBindable {
    public var postgresValue: PostgresValue { .int64(Int64(self)) }
}

extension Int64: PostgresBindable {
    public var postgresValue: PostgresValue { .int64(self) }
}

extension Int32: PostgresBindable {
    public var postgresValue: PostgresValue { .int64(Int64(self)) }
}

extension Double: PostgresBindable {
    public var postgresValue: PostgresValue { .double(self) }
}

extension Bool: PostgresBindable {
    public var postgresValue: PostgresValue { .bool(self) }
}

extension String: PostgresBindable {
    public var postgresValue: PostgresValue { .text(self) }
}

extension Data: PostgresBindable {
    public var postgresValue: PostgresValue { .bytea(self) }
}

extension Date: PostgresBindable {
    public var postgresValue: PostgresValue { .timestamptz(self) }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public var postgresValue: PostgresValue {
        switch self {
        case .none: .null
        case .some(let value): value.postgresValue
        }
    }
}
