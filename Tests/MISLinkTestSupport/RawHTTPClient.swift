import Foundation
import Glibc

/// A blocking TCP client that writes exactly the bytes a test gives it and reads the raw answer, so that
/// tests can send what no well-behaved client would. Use it inside `onOwnThread` only: its calls block.
public final class RawHTTPClient {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// One response as read off the wire.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:port; reads and writes give up after 60 s so a broken server fails the test.
    public init(port: UInt16) throws {
        // The descriptor is stored only once connected: a class whose init throws after every
        // property is set still runs deinit, which would close it a second time (and with it
        // whatever file another test had opened under that number meanwhile).
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Failure(description: "connect: \(String(cString: strerror(code)))")
        }
        self.fd = fd
    }

    deinit { Glibc.close(fd) }

    /// Sends all the bytes; false if the server closed the connection first.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return false }
            sent += count
        }
        return true
    }

    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads one response (by its Content-Length; `headOnly` for HEAD); nil if the connection ended first.
    public func readResponse(headOnly: Bool = false) throws -> Response? {
        var headEnd: Int?
        while headEnd == nil {
            if let range = findHeadEnd() {
                headEnd = range
                break
            }
            guard try fill() else { return nil }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line: \(lines[0])")
        }
        let headers = lines.dropFirst().map { line -> (name: String, value: String) in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        buffer.removeFirst(headEnd!)
        var response = Response(status: status, headers: headers, body: [])
        let length = headOnly ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
        while buffer.count < length {
            guard try fill() else { throw Failure(description: "the body ended early") }
        }
        response.body = Array(buffer[0..<length])
        buffer.removeFirst(length)
        return response
    }

    /// True once the server has closed the connection (an end of file or a reset) and sent nothing more.
    public func readsEndOfStream() throws -> Bool {
        if !buffer.isEmpty { return false }
        return try !fill()
    }

    /// Sends a request and reads its response.
    public func exchange(_ request: String) throws -> Response {
        send(request)
        guard let response = try readResponse() else { throw Failure(description: "no response to \(request)") }
        return response
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    /// Reads more; false at the end of the stream (or a reset, which is how a closed socket may look).
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == ECONNRESET { return false }
            throw Failure(description: "read failed (errno \(errno)); a timeout means the server never answered")
        }
        if count == 0 { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }
}

/// Runs blocking socket work on a thread of its own, so that it never holds a cooperative-pool thread.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.start()
    }
}
