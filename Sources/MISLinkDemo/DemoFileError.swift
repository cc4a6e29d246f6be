/// Writing the demo's files failed: what, and where.
public struct DemoFileError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
