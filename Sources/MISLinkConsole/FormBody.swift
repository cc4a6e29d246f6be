import Foundation

/// An `application/x-www-form-urlencoded` body (the login and action forms): each name with its
/// first value, and every value for fields that repeat (a list's checkboxes).
struct FormBody: Sendable {
    private(set) var all: [String: [String]] = [:]

    init(_ data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return }
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            all[Self.decode(parts[0]), default: []].append(parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    subscript(name: String) -> String? { all[name]?.first }

    func values(_ name: String) -> [String] { all[name] ?? [] }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
