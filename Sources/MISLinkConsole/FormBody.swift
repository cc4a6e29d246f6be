import Foundation

/// An `application/x-www-form-urlencoded` body (the login and action forms), each name with its
/// first value.
struct FormBody {
    private(set) var fields: [String: String] = [:]

    init(_ data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return }
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if fields[name] == nil { fields[name] = value }
        }
    }

    subscript(name: String) -> String? { fields[name] }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
