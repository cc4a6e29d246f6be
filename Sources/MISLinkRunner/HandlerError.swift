import MISLinkKit

/// A handler's failure with a name of its own, so that its final-failure hook can tell kinds of
/// failure apart by type (`FailureCause.error(code:)`), never by the wording of a message.
public struct HandlerError: Error, Sendable, Equatable, CustomStringConvertible {
    public let disposition: PluginError.Disposition
    /// The handler's name for this failure ("refused", "mass-leaver-guard", …).
    public let code: String
    public let message: String

    public init(_ disposition: PluginError.Disposition, code: String, _ message: String) {
        self.disposition = disposition
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
