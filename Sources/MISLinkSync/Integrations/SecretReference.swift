import Foundation

/// Where a secret lives: an environment variable or a file. The reference is stored; the value is
/// read only when a plugin needs it, and never stored, printed or logged.
public enum SecretReference: Sendable, Equatable, CustomStringConvertible {
    case environment(String)
    case file(String)

    /// Parses `env:VAR` or `file:PATH`.
    public init(parsing text: String) throws(SyncError) {
        if text.hasPrefix("env:"), text.count > 4 {
            self = .environment(String(text.dropFirst(4)))
        } else if text.hasPrefix("file:"), text.count > 5 {
            self = .file(String(text.dropFirst(5)))
        } else {
            throw SyncError(.invalidInput, "a secret must be given as env:VARIABLE or file:PATH, never as the value itself")
        }
    }

    /// The stored form: where, not what.
    public var description: String {
        switch self {
        case .environment(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        }
    }

    /// Reads the secret now. The error names where it looked, never what it found.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(SyncError) -> String {
        switch self {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw SyncError(.failed, "secret environment variable \(name) is not set")
            }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else { throw SyncError(.failed, "secret file \(path) cannot be read") }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { throw SyncError(.failed, "secret file \(path) is empty") }
            return value
        }
    }
}
