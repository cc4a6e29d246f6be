import Foundation

/// Every error is one line on stderr: SQL text kept in an error (SQLite's own, indented over many
/// lines) is collapsed so that a log reader or a script sees the whole message on one line.
public enum OneLine {
    public static func text(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}
