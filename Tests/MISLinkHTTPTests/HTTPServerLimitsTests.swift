import Foundation
import MISLinkHTTP
import Synchronization
import MISLinkTestSupport
import Testing

/// The refusals and the hostile clients of issue 7: each gets an error or is dropped, and the server
/// keeps serving others.
@Suite struct HTTPServerLimitsTests {
    @Test(
        "each refusal comes over the socket with its status and the connection is then closed",
        arguments: [
            RefusalCase("a malformed request line", "GET /\r\n\r\n", 400),
            RefusalCase("a malformed header", "GET / HTTP/1.1\r\nHost: h\r\nBad Header\r\n\r\n", 400),
            RefusalCase("HTTP/3.0", "GET / HTTP/3.0\r\nHost: h\r\n\r\n", 505),
            RefusalCase(
                "a chunked body", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501),
            RefusalCase("a 9000-byte target", "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: h\r\n\r\n", 414),
            RefusalCase(
                "a 20 kB header", "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "b", count: 20_000) + "\r\n\r\n",
                431),
        ])
    func refusal(_ refused: RefusalCase) async throws {
        let request = refused.request, status = refused.status
        try await withServer { server in
            let (response, ended) = try await onOwnThread {
                let client = try RawHTTPClient(port: server.port)
                client.send(request)
                return (try client.readResponse(), try client.readsEndOfStream())
            }
            #expect(response?.status == status)
            #expect(response?.header("Connection") == "close")
            #expect(ended)
        }
    }

    @Test("a body over maxBodyBytes is answered 413 from the headers alone, without waiting for it")
    func bodyTooLarge() async throws {
        try await withServer(limits: HTTPLimits(maxBodyBytes: 1000)) { server in
            // The body is never sent: an answer proves the server did not wait to read it.
            let status = try await statusAfterSending(
                Array("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 10000000\r\n\r\n".utf8), to: server)
            #expect(status == 413)
        }
    }

    @Test("a 1 MB header gets 431")
    func megabyteHeader() async throws {
        try await withServer { server in
            // The server may answer and stop reading before all of it is sent: that is fine.
            let status = try await statusAfterSending(
                Array(("GET / HTTP/1.1\r\nHost: h\r\nX-Huge: " + String(repeating: "h", count: 1 << 20) + "\r\n\r\n").utf8),
                to: server)
            #expect(status == 431)
        }
    }

    @Test("garbage bytes get 400")
    func garbage() async throws {
        try await withServer { server in
            // A TLS record's first bytes, then noise: what a misconfigured client or a scanner sends.
            let status = try await statusAfterSending([0x16, 0x03, 0x01] + (0..<2000).map { _ in UInt8.random(in: 0...255) }, to: server)
            #expect(status == 400)
        }
    }

    @Test("a slowloris is answered 408 at the request timeout while another client is served meanwhile")
    func slowloris() async throws {
        let limits = HTTPLimits(requestTimeoutMilliseconds: 4_000)
        try await withServer(limits: limits) { server in
            // Both clients run on threads of their own, started from one: neither waits on the
            // cooperative pool, which other suites may keep busy.
            let (path, slowStillOpen, slowStatus) = try await onOwnThread {
                let slowCutOff = Atomic<Bool>(false)
                let slowStatus = Atomic<Int>(0)
                let slowStarted = DispatchSemaphore(value: 0)
                let slowDone = DispatchSemaphore(value: 0)
                Thread {
                    defer { slowDone.signal() }
                    guard let client = try? RawHTTPClient(port: server.port) else {
                        slowStarted.signal()
                        return
                    }
                    var started = false
                    // A byte a second, for longer than the timeout; the server cuts it off first.
                    for byte in "GET /slow HTTP/1.1\r\nHost: h\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaa".utf8 {
                        guard client.send([byte]) else { break }
                        if !started {
                            started = true
                            slowStarted.signal()
                        }
                        var pending = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
                        // Waits a second for the next byte, or less if the server has answered.
                        if poll(&pending, 1, 1_000) > 0 { break }
                    }
                    let status = (try? client.readResponse())??.status ?? -1
                    slowCutOff.store(true, ordering: .sequentiallyConsistent)
                    slowStatus.store(status, ordering: .sequentiallyConsistent)
                }.start()
                slowStarted.wait()
                let path = try RawHTTPClient(port: server.port).exchange("GET /fast HTTP/1.1\r\nHost: h\r\n\r\n").echoed().path
                let stillOpen = !slowCutOff.load(ordering: .sequentiallyConsistent)
                slowDone.wait()
                return (path, stillOpen, slowStatus.load(ordering: .sequentiallyConsistent))
            }
            #expect(path == "/fast")
            #expect(slowStillOpen, "the fast client should be served while the slow one is still connected")
            #expect(slowStatus == 408)
        }
    }

    @Test("an idle keep-alive connection is closed after the idle timeout")
    func idleTimeout() async throws {
        try await withServer(limits: HTTPLimits(idleTimeoutMilliseconds: 300)) { server in
            let ended = try await onOwnThread {
                let client = try RawHTTPClient(port: server.port)
                _ = try client.exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                return try client.readsEndOfStream()
            }
            #expect(ended)
        }
    }

    @Test("a handler that never returns gets 503 at the request timeout")
    func stuckHandler() async throws {
        let limits = HTTPLimits(requestTimeoutMilliseconds: 300)
        try await withServer(limits: limits, handler: { _ in
            // Until the server gives up on it (which cancels this task).
            while !Task.isCancelled { await Task.yield(); try? await Task.sleep(for: .milliseconds(20)) }
            return .text(200, "too late")
        }) { server in
            let status = try await onOwnThread {
                try RawHTTPClient(port: server.port).exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status
            }
            #expect(status == 503)
        }
    }

    @Test("past maxConnections a new connection is answered 503 and closed, and the others keep working")
    func tooManyConnections() async throws {
        // A long idle limit: under load the second connection may wait a while for its first request.
        try await withServer(limits: HTTPLimits(idleTimeoutMilliseconds: 60_000, maxConnections: 2)) { server in
            let (refused, ended, stillServed) = try await onOwnThread {
                let first = try RawHTTPClient(port: server.port)
                let second = try RawHTTPClient(port: server.port)
                // Answered requests prove both are accepted and counted before the third arrives.
                _ = try first.exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                _ = try second.exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                let third = try RawHTTPClient(port: server.port)
                let refused = try third.readResponse()?.status
                let ended = try third.readsEndOfStream()
                return (refused, ended, try first.exchange("GET /again HTTP/1.1\r\nHost: h\r\n\r\n").echoed().path)
            }
            #expect(refused == 503)
            #expect(ended)
            #expect(stillServed == "/again")
        }
    }

    @Test("500 connections at once: each is answered or refused, and afterwards a normal request succeeds")
    func fiveHundredConnections() async throws {
        let limits = HTTPLimits(maxConnections: 200)
        try await withServer(limits: limits) { server in
            let (answered, refused, path) = try await onOwnThread {
                let clients = try (0..<500).map { _ in try RawHTTPClient(port: server.port) }
                for client in clients { client.send("GET /many HTTP/1.1\r\nHost: h\r\n\r\n") }
                var answered = 0, refused = 0
                for client in clients {
                    switch try client.readResponse()?.status {
                    case 200: answered += 1
                    case 503: refused += 1
                    default: break
                    }
                }
                // The server learns of the closes as it reads them: retry until a slot is free.
                var path: String?
                let deadline = Date().addingTimeInterval(60)
                _ = consume clients
                while path == nil, Date() < deadline {
                    let response = try RawHTTPClient(port: server.port).exchange("GET /after HTTP/1.1\r\nHost: h\r\n\r\n")
                    if response.status == 200 { path = try response.echoed().path }
                }
                return (answered, refused, path)
            }
            #expect(answered + refused == 500)
            #expect(answered >= 1 && answered <= 200)
            #expect(path == "/after")
        }
    }

    /// Sends the bytes on a new connection and reads the status of the first answer.
    private func statusAfterSending(_ bytes: [UInt8], to server: HTTPServer) async throws -> Int? {
        try await onOwnThread {
            let client = try RawHTTPClient(port: server.port)
            client.send(bytes)
            return try client.readResponse()?.status
        }
    }
}
