import Foundation

/// What a plugin throws when a call fails: how the runner should treat it, and a message that says
/// what failed and where. Never put a secret (password, token) in `message`.
///
/// Any other error a plugin throws is treated as `.retryable`.
public struct PluginError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Disposition: Sendable, Equatable {
        /// Worth trying again after a backoff (network down, remote busy, timeout).
        case retryable
        /// Trying again will not help (bad credentials, malformed data): the job fails now.
        case permanent
        /// Not an error: try again at this time without spending an attempt (remote asks to wait).
        case snooze(until: Date)
    }

    public let disposition: Disposition
    public let message: String

    public init(_ disposition: Disposition, _ message: String) {
        self.disposition = disposition
        self.message = message
    }

    public static func retryable(_ message: String) -> PluginError { PluginError(.retryable, message) }
    public static func permanent(_ message: String) -> PluginError { PluginError(.permanent, message) }
    public static func snooze(until date: Date, _ message: String) -> PluginError {
        PluginError(.snooze(until: date), message)
    }

    public var description: String { message }
}
