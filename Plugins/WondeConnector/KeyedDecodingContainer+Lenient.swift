import Foundation
import MISLinkKit

/// Values Wonde writes in more than one form (`per_page` as "2" or 2, an id as a string or a number,
/// a flag as true, "1" or "Y"). Reading them leniently keeps one MIS's quirk from failing a school.
extension KeyedDecodingContainer {
    /// A string, or a number or flag written as text; nil when missing or null. An object or an
    /// array is an error (naming the field), never silently dropped.
    func text(_ key: Key) throws -> String? {
        // A string (or null, or nothing) is one lookup; only another kind of value pays for the rest.
        do {
            return try decodeIfPresent(String.self, forKey: key)
        } catch {}  // not only DecodingError: a number that is no Int throws an error of its own
        if let value = try? decode(Int.self, forKey: key) { return String(value) }
        if let value = try? decode(Double.self, forKey: key) { return String(value) }
        if let value = try? decode(Bool.self, forKey: key) { return String(value) }
        return try decode(String.self, forKey: key)  // throws the type mismatch, naming the field
    }

    /// A non-empty string after trimming, or nil.
    func nonEmptyText(_ key: Key) throws -> String? {
        guard let value = try text(key)?.trimmedOfWhitespace, !value.isEmpty else { return nil }
        return value
    }

    /// A whole number, also when written as text; nil when missing, null or not a number.
    func number(_ key: Key) throws -> Int? {
        // As a number first, the form it mostly comes in: a failed try costs a thrown error.
        do {
            return try decodeIfPresent(Int.self, forKey: key)
        } catch {}  // not only DecodingError: a number that is no Int throws an error of its own
        guard let value = try text(key) else { return nil }
        return Int(value) ?? Double(value).map { Int($0) }
    }

    /// A flag: true/false, 1/0, "yes"/"no", "Y"/"N"; nil when missing, null or none of those.
    func flag(_ key: Key) throws -> Bool? {
        do {
            return try decodeIfPresent(Bool.self, forKey: key)
        } catch {}  // not only DecodingError: a number that is no Int throws an error of its own
        guard let value = try text(key)?.lowercased() else { return nil }
        switch value {
        case "true", "1", "yes", "y", "t": return true
        case "false", "0", "no", "n", "f": return false
        default: return nil
        }
    }
}
