/// A sync operation that could not be done, with a message that says what and why.
public struct SyncError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: Sendable, Equatable {
        /// Bad input from the user: exit 2.
        case invalidInput
        /// The integration's status does not allow the action: exit 2.
        case refused
        /// No such integration, intake entry, person: exit 1.
        case notFound
        /// The job's state does not allow the action (a retry of a running job, a cancel of a finished
        /// one, a retry whose unique key another pending job holds): exit 1.
        case conflict
        /// The operation failed: exit 1.
        case failed
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
