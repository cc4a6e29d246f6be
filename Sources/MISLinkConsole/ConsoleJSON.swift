import Foundation

/// JSON bodies of the API: sorted keys, so that answers are stable; `<`, `>` and `&` escaped as
/// `\u003c`…, so that a value that reaches a page inside a script block cannot close it.
enum ConsoleJSON {
    static func data(_ value: Any) -> Data {
        guard JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]),
            let text = String(data: data, encoding: .utf8)
        else { return Data(#"{"error":"failed","message":"the answer could not be written as JSON"}"#.utf8) }
        let escaped = HTMLEscape.replacing(text) { scalar in
            switch scalar {
            case "<": "\\u003c"
            case ">": "\\u003e"
            case "&": "\\u0026"
            default: nil
            }
        }
        return Data(escaped.utf8)
    }
}
