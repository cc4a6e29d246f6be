import Foundation
import MISLinkHTTPClient

import MISLinkKit

/// One data row of a bundle file, read by column name. Names match without regard to case, and a
/// field may go by several names: OneRoster 1.0 bundles (still written by some tools, and by one of
/// the public samples) say `userId`, `grade`, `birthdate` and `userSourcedId` where 1.1 says
/// `userIds`, `grades`, `birthDate` and `sourcedId`.
struct RosterRow {
    /// Where the row is, for messages: "users.csv line 5", or "GET users record 12" for REST.
    let place: String
    private let fields: [String]
    private let columns: [String: Int]

    init(file: String, line: Int, fields: [String], columns: [String: Int]) {
        place = "\(file) line \(line)"
        self.fields = fields
        self.columns = columns
    }

    /// A REST record made a row (`JSONValue.row`); `number` counts from 1 across the whole walk.
    init(request: String, number: Int, values: [String: String]) {
        let names = values.keys.sorted()
        place = "\(request) record \(number)"
        fields = names.map { values[$0]! }
        columns = Self.columns(of: names)
    }

    /// Column indexes by lower-cased name.
    static func columns(of header: [String]) -> [String: Int] {
        var columns: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            let key = name.trimmingCharacters(in: .whitespaces).lowercased()
            if columns[key] == nil { columns[key] = index }
        }
        return columns
    }

    /// The trimmed value under the first of `names` the file has, nil when absent or empty.
    func value(_ names: String...) -> String? {
        for name in names {
            guard let index = columns[name.lowercased()] else { continue }
            guard index < fields.count else { return nil }
            let text = fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }
        return nil
    }

    /// A value the row cannot do without.
    func required(_ name: String) throws -> String {
        guard let text = value(name) else { throw error(name, "is empty") }
        return text
    }

    /// A comma-separated list in one field (`orgSourcedIds`, `grades`, `agentSourcedIds`).
    func list(_ names: String...) -> [String] {
        for name in names where columns[name.lowercased()] != nil {
            return (value(name) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        return []
    }

    /// The record's `status`, active when empty.
    func status() throws -> RosterStatus {
        let text = value("status")
        guard let status = RosterStatus(text: text) else {
            throw error("status", "'\(text ?? "")' is not active or tobedeleted")
        }
        return status
    }

    func error(_ column: String, _ reason: String) -> PluginError {
        .permanent("oneroster: \(place), column \(column): \(reason); nothing was read")
    }
}
