/// A queue operation that could not be done, with a message that says what and why.
public struct QueueError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: Sendable, Equatable {
        case notFound
        case invalidState
        case invalidInput
        case uniqueConflict
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
