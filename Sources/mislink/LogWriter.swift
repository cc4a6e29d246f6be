import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// How log lines look: `text` for people, `logfmt` and `json` for log shippers.
enum LogFormat: String, CaseIterable, Sendable {
    case text, logfmt, json
}

/// Writes a worker's or server's log lines on stderr, one line each, with a UTC timestamp.
struct LogWriter: Sendable {
    var format: LogFormat = .text
    /// Lines below this level are dropped (`--quiet`: warnings and errors only).
    var minimum: LogLevel = .debug

    static let standard = LogWriter()

    /// The writer a command's `--log-format` and `--quiet` ask for.
    static func from(_ arguments: Arguments) throws(CLIError) -> LogWriter {
        var writer = LogWriter()
        if let name = arguments.value("log-format") {
            guard let format = LogFormat(rawValue: name) else {
                throw CLIError.usage("--log-format must be one of \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")), not '\(name)'")
            }
            writer.format = format
        }
        if arguments.flag("quiet") { writer.minimum = .warning }
        return writer
    }

    static let spec = Arguments.Spec.option("log-format", "FORMAT", "text (default), logfmt or json")

    func write(_ level: LogLevel, _ message: String) {
        guard level >= minimum else { return }
        FileHandle.standardError.write(Data((line(level, message, at: JobStore.now()) + "\n").utf8))
    }

    /// One line, never more: a message's own line breaks are folded.
    func line(_ level: LogLevel, _ message: String, at milliseconds: Int64) -> String {
        let time = DurationText.isoString(milliseconds: milliseconds)
        let text = OneLine.text(message)
        switch format {
        case .text:
            return "\(time) \(level.rawValue.uppercased()) \(text)"
        case .logfmt:
            return "ts=\(time) level=\(level.rawValue) msg=\(Self.logfmtQuoted(text))"
        case .json:
            let object: [String: String] = ["ts": time, "level": level.rawValue, "msg": text]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    static func logfmtQuoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
