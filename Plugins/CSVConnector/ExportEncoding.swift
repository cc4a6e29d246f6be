import Foundation
import MISLinkKit

/// The text encoding of an export (config `encoding`): UTF-8 by default, or Windows-1252, which
/// MIS tools on Windows often write. Read into UTF-8 before parsing, so the reader knows one.
public enum ExportEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"

    public init(config text: String?) throws {
        switch text?.lowercased().trimmingCharacters(in: .whitespaces) {
        case nil, "", "utf-8", "utf8": self = .utf8
        case "windows-1252", "cp1252": self = .windows1252
        case let other?:
            throw PluginError.permanent("csv: encoding '\(other)' is not supported (use utf-8 or windows-1252)")
        }
    }

    /// A chunk of the file as UTF-8 bytes. Windows-1252 is one byte a character, so a file can be
    /// converted a chunk at a time wherever it is cut.
    func utf8(_ chunk: [UInt8], file: String) throws -> [UInt8] {
        switch self {
        case .utf8:
            return chunk
        case .windows1252:
            guard let text = String(bytes: chunk, encoding: .windowsCP1252) else {
                throw PluginError.permanent("\(file): not readable as windows-1252")
            }
            return Array(text.utf8)
        }
    }
}
