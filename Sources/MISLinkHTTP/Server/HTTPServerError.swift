import Glibc

/// Why the server could not start: what failed, on which address, and the system's reason.
public struct HTTPServerError: Error, CustomStringConvertible, Equatable {
    public struct Code: Hashable, Sendable {
        let name: String
        public static let invalidAddress = Code(name: "invalidAddress")
        public static let invalidLimits = Code(name: "invalidLimits")
        public static let socketFailed = Code(name: "socketFailed")
    }

    public var code: Code
    public var message: String

    public var description: String { message }

    static func system(_ what: String, _ address: String, errno: Int32 = Glibc.errno) -> HTTPServerError {
        HTTPServerError(code: .socketFailed, message: "\(what) \(address) failed: \(String(cString: strerror(errno)))")
    }
}
