import Testing

/// A bad request and the status it must get, shown in test output by name rather than by its (long) bytes.
struct RefusalCase: Sendable, CustomTestStringConvertible {
    var name: String
    var request: String
    var status: Int

    init(_ name: String, _ request: String, _ status: Int) {
        self.name = name
        self.request = request
        self.status = status
    }

    var testDescription: String { "\(name) → \(status)" }
}
