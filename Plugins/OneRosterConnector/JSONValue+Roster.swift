import Foundation
import MISLinkHTTPClient

/// A REST answer's records turned into the bundle's rows (`RosterRow`), so both bindings are read by
/// the same code and come out the same.
extension JSONValue {
    /// A scalar as the bundle would write it; nil for null, lists and objects.
    var text: String? {
        switch self {
        case .string(let text): text
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null, .array, .object: nil
        }
    }

    /// A GUID reference's id (`{"href", "sourcedId", "type"}`), or a plain id.
    var sourcedId: String? {
        if case .object(let fields) = self { return fields["sourcedId"]?.text }
        return text
    }

    /// One record as a bundle row: scalars as they are; a reference `school` as `schoolSourcedId`; a
    /// list of references `orgs` as `orgSourcedIds` (comma-separated); `userIds` as `{type:identifier}`
    /// entries; a list of strings (`grades`) comma-separated. Other objects are left out.
    static func row(_ fields: [String: JSONValue]) -> [String: String] {
        var row: [String: String] = [:]
        for (key, value) in fields {
            switch value {
            case .object:
                if let id = value.sourcedId { row[key + "SourcedId"] = id }
            case .array(let items) where key == "userIds":
                row[key] = items.compactMap { item -> String? in
                    guard case .object(let entry) = item, let id = entry["identifier"]?.text else { return nil }
                    return "{\(entry["type"]?.text ?? ""):\(id)}"
                }.joined(separator: ",")
            case .array(let items):
                if items.contains(where: { if case .object = $0 { true } else { false } }) {
                    row[String(key.dropLast(key.hasSuffix("s") ? 1 : 0)) + "SourcedIds"] = items.compactMap(\.sourcedId).joined(separator: ",")
                } else {
                    row[key] = items.compactMap(\.text).joined(separator: ",")
                }
            default:
                if let text = value.text { row[key] = text }
            }
        }
        return row
    }
}
