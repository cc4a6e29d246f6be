import Foundation

/// A CSV file being written: a header and rows, quoted by RFC 4180 (a field holding a comma, a
/// quote or a line break is put in quotes, with its quotes doubled) and ended with CRLF.
struct CSVDocument {
    let header: [String]
    private(set) var rows: [[String?]] = []

    init(header: [String]) {
        self.header = header
    }

    /// Appends a row; nil is written as an empty field. A row must be as wide as the header.
    mutating func append(_ row: [String?]) {
        precondition(row.count == header.count, "a row has \(row.count) fields but the header has \(header.count)")
        rows.append(row)
    }

    var text: String {
        var text = ""
        for row in [header.map { Optional($0) }] + rows {
            text += row.map { Self.field($0 ?? "") }.joined(separator: ",")
            text += "\r\n"
        }
        return text
    }

    static func field(_ value: String) -> String {
        // Leading or trailing spaces are quoted too, so that a reader that trims unquoted fields keeps them.
        let needsQuotes =
            value.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
            || value.first == " " || value.last == " "
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
