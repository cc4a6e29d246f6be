import Foundation

/// A job payload: JSON text that must hold an object. Checked at enqueue, read by handlers.
public struct JSONPayload: @unchecked Sendable {
    // `[String: Any]` from JSONSerialization is immutable once built and only read: safe to share.
    public let object: [String: Any]
    public let text: String

    /// Parses `text`; the error says what was wrong.
    public init(text: String) throws(PayloadError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = trimmed.data(using: .utf8),
            let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else {
            throw PayloadError("payload is not valid JSON: \(Self.snippet(trimmed))")
        }
        guard let object = parsed as? [String: Any] else {
            throw PayloadError("payload must be a JSON object ({…}), not \(Self.snippet(trimmed))")
        }
        self.object = object
        self.text = trimmed
    }

    /// Refuses a payload with a key that looks like a credential. Checked at enqueue, not on every run:
    /// a stored payload has passed it already.
    public func checkNoSecrets() throws(PayloadError) {
        if let key = Self.secretLookingKey(in: object) {
            throw PayloadError(
                "payload key '\(key)' looks like a secret; secrets belong in the integration's configuration, never in a job payload")
        }
    }

    /// Key names that hold credentials. Payloads are printed by `jobs show`, so none may carry one.
    static let secretKeyFragments = ["password", "passwd", "secret", "token", "apikey", "api_key", "credential"]

    /// Whether a key's name says it holds a credential; the console redacts such values on display.
    public static func isSecretLookingKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return secretKeyFragments.contains(where: { lowered.contains($0) })
    }

    static func secretLookingKey(in value: Any) -> String? {
        if let object = value as? [String: Any] {
            for (key, nested) in object {
                if isSecretLookingKey(key) { return key }
                if let found = secretLookingKey(in: nested) { return found }
            }
        } else if let array = value as? [Any] {
            for element in array { if let found = secretLookingKey(in: element) { return found } }
        }
        return nil
    }

    /// A short, safe excerpt of bad input for an error message.
    static func snippet(_ text: String) -> String {
        let short = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return short.isEmpty ? "(empty)" : "'\(short)'"
    }

    /// JSONSerialization gives booleans as NSNumber on Linux; tell them apart from numbers.
    public static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return value is Bool }
        return String(cString: number.objCType) == "c"
    }

    public func string(_ key: String) -> String? { object[key] as? String }

    /// A whole number, or nil when absent; throws when present but not a whole number.
    public func integer(_ key: String) throws(PayloadError) -> Int? {
        guard let value = object[key] else { return nil }
        guard !Self.isBoolean(value), let number = value as? NSNumber,
            number.doubleValue == number.doubleValue.rounded()
        else { throw PayloadError("payload key '\(key)' must be a whole number") }
        return number.intValue
    }
}

/// A payload that cannot be accepted, and why.
public struct PayloadError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
