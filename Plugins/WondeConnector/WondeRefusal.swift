import Foundation

/// A 422's body in a line: Laravel-style `{"error": …, "error_messages": {field: [text]}}` when it is
/// that shape, else a short excerpt. The body never holds the token (it is not echoed).
enum WondeRefusal {
    static func summary(_ body: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            if let messages = object["error_messages"] as? [String: Any] ?? object["errors"] as? [String: Any] {
                let parts = messages.keys.sorted().map { key -> String in
                    let texts = (messages[key] as? [Any])?.map { "\($0)" } ?? ["\(messages[key] ?? "")"]
                    return "\(key): \(texts.joined(separator: "; "))"
                }
                if !parts.isEmpty { return parts.joined(separator: ", ") }
            }
            if let error = object["error"] ?? object["message"] { return "\(error)" }
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return text.isEmpty ? "(no details)" : text
    }
}
