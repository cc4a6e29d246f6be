import Foundation

/// Writes CSV lines the way the connector reads them (RFC 4180): a field holding a comma, a quote or
/// a line break is put in quotes with its quotes doubled, and each line ends with CRLF. Shared by
/// `writeback.csv` and the demo school's export files, so both quote alike.
public enum CSVLine {
    /// One line of `fields`, with its CRLF.
    public static func text(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// One field, quoted when it needs to be.
    public static func field(_ value: String) -> String {
        let needsQuotes =
            // `isNewline`, not a comparison with "\n": a CRLF is one Character.
            value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
            // Leading or trailing spaces are quoted too, so that a reader that trims unquoted fields keeps them.
            || value.first == " " || value.last == " "
        return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
}
