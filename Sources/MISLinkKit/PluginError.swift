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
    /// The target refuses this one record (kit 1.3): a create it will not take, such as a login
    /// another user holds. The import sends the person to intake with `message` as the reason and
    /// goes on with the rest; anywhere else it is a permanent failure.
    public let refusesRecord: Bool

    public init(_ disposition: Disposition, _ message: String) {
        self.disposition = disposition
        self.message = message
        refusesRecord = false
    }

    private init(refusing message: String) {
        disposition = .permanent
        self.message = message
        refusesRecord = true
    }

    /// A target's refusal of one record (kit 1.3); see `refusesRecord`.
    public static func recordRefused(_ message: String) -> PluginError { PluginError(refusing: message) }

    public static func retryable(_ message: String) -> PluginError { PluginError(.retryable, message) }
    public static func permanent(_ message: String) -> PluginError { PluginError(.permanent, message) }
    public static func snooze(until date: Date, _ message: String) -> PluginError {
        PluginError(.snooze(until: date), message)
    }

    public var description: String { message }
}
