import Foundation
import MISLinkKit

/// What the remote answered.
public struct HTTPResponse: Sendable {
    public let status: Int
    public let body: Data
    /// The URL asked for.
    public let url: URL
    let headers: [String: String]
    /// `<service>: GET /path`, for messages (query left out: it may carry secrets).
    let label: String

    public init(status: Int, headers: [String: String], body: Data, url: URL, label: String) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }) { first, _ in first }
        self.body = body
        self.url = url
        self.label = label
    }

    /// A header's value, by case-insensitive name.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as `T`. A body that is not complete JSON is retryable (a connection cut short); one that
    /// is JSON of the wrong shape is permanent, naming the field (`data[3].forename`) and what was wrong.
    public func decode<T: Decodable>(_ type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        do {
            return try decoder.decode(T.self, from: body)
        } catch let error as DecodingError {
            throw JSONShapeError.pluginError(error, label: label, bytes: body.count)
        }
    }
}

/// Decoding failures as messages an admin can act on.
enum JSONShapeError {
    static func pluginError(_ error: DecodingError, label: String, bytes: Int) -> PluginError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .retryable("\(label) sent a body that is not complete JSON (\(bytes) bytes); the read was abandoned")
        case .dataCorrupted(let context):
            return .permanent("\(label): field '\(path(context.codingPath))' is not valid: \(context.debugDescription)")
        case .keyNotFound(let key, let context):
            return .permanent("\(label): field '\(path(context.codingPath + [key]))' is missing")
        case .typeMismatch(let type, let context):
            return .permanent("\(label): field '\(path(context.codingPath))' is not \(describe(type))")
        case .valueNotFound(let type, let context):
            return .permanent("\(label): field '\(path(context.codingPath))' is null, expected \(describe(type))")
        @unknown default:
            return .permanent("\(label): the answer could not be read: \(error)")
        }
    }

    /// `data[3].forename`: array positions in brackets, keys joined by dots.
    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text.isEmpty ? "(the whole body)" : text
    }

    private static func describe(_ type: Any.Type) -> String {
        if type == String.self { return "a string" }
        if type == Int.self || type == Int64.self || type == Double.self { return "a number" }
        if type == Bool.self { return "true or false" }
        let name = String(describing: type)
        if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list" }
        if name.hasPrefix("Dictionary") { return "an object" }
        return "of the expected shape (\(name))"
    }
}
