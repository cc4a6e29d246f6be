import Foundation
import MISLinkHTTP
import MISLinkTestSupport
import Testing

@Suite struct HTTPServerTests {
    @Test("a GET's path and query arrive decoded, with the peer's address, and the server frames the answer")
    func getWithQuery() async throws {
        try await withServer { server in
            let response = try await onOwnThread {
                try RawHTTPClient(port: server.port).exchange(
                    "GET /api/jobs/a%20b?state=failed&q=x+y%21 HTTP/1.1\r\nHost: localhost\r\n\r\n")
            }
            #expect(response.status == 200)
            let echoed = try response.echoed()
            #expect(echoed.method == "GET")
            #expect(echoed.path == "/api/jobs/a b")
            #expect(echoed.query == ["state": ["failed"], "q": ["x y!"]])
            #expect(echoed.clientAddress == "127.0.0.1")
            #expect(response.header("Content-Length") == String(response.body.count))
            #expect(response.header("Date")?.hasSuffix(" GMT") == true)
            #expect(response.header("Connection") == "keep-alive")
            #expect(response.header("Server") == nil)
        }
    }

    @Test("a POST's body reaches the handler")
    func postBody() async throws {
        try await withServer { server in
            let response = try await onOwnThread {
                try RawHTTPClient(port: server.port).exchange(
                    "POST /api/jobs HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"kind\":\"x\"}\n")
            }
            #expect(try response.echoed().body == "{\"kind\":\"x\"}\n")
        }
    }

    @Test("keep-alive: two requests on one connection, then Connection: close ends it")
    func keepAlive() async throws {
        try await withServer { server in
            let (first, second, third, ended) = try await onOwnThread {
                let client = try RawHTTPClient(port: server.port)
                let first = try client.exchange("GET /one HTTP/1.1\r\nHost: h\r\n\r\n")
                let second = try client.exchange("GET /two HTTP/1.1\r\nHost: h\r\n\r\n")
                let third = try client.exchange("GET /three HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
                return (try first.echoed().path, try second.echoed().path, third.header("Connection"), try client.readsEndOfStream())
            }
            #expect(first == "/one")
            #expect(second == "/two")
            #expect(third == "close")
            #expect(ended)
        }
    }

    @Test("two pipelined requests sent at once are both answered, in order")
    func pipelined() async throws {
        try await withServer { server in
            let paths = try await onOwnThread {
                let client = try RawHTTPClient(port: server.port)
                client.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n")
                return [try client.readResponse()?.echoed().path, try client.readResponse()?.echoed().path]
            }
            #expect(paths == ["/a", "/b"])
        }
    }

    @Test("HTTP/1.0 gets one response and the connection is closed")
    func http10() async throws {
        try await withServer { server in
            let (response, ended) = try await onOwnThread {
                let client = try RawHTTPClient(port: server.port)
                let response = try client.exchange("GET /old HTTP/1.0\r\n\r\n")
                return (response, try client.readsEndOfStream())
            }
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(ended)
        }
    }

    @Test("HEAD gets the GET's headers and no body, and the connection stays usable")
    func head() async throws {
        try await withServer { server in
            let (head, next) = try await onOwnThread {
                let client = try RawHTTPClient(port: server.port)
                client.send("HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n")
                let head = try client.readResponse(headOnly: true)
                return (head, try client.exchange("GET /after HTTP/1.1\r\nHost: h\r\n\r\n"))
            }
            #expect(head?.status == 200)
            #expect(Int(head?.header("Content-Length") ?? "") ?? 0 > 0)
            #expect(try next.echoed().path == "/after")
        }
    }

    @Test("Expect: 100-continue gets an interim answer before the body is sent")
    func expectContinue() async throws {
        try await withServer { server in
            let (interim, final) = try await onOwnThread {
                let client = try RawHTTPClient(port: server.port)
                client.send("POST /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
                let interim = try client.readResponse(headOnly: true)
                client.send("ok")
                return (interim?.status, try client.readResponse())
            }
            #expect(interim == 100)
            #expect(try final?.echoed().body == "ok")
        }
    }

    @Test("a handler still working on one connection does not hold up another")
    func handlersRunConcurrently() async throws {
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        // A long request limit: /wait must outlast whatever delays the test's own steps under load.
        try await withServer(limits: HTTPLimits(requestTimeoutMilliseconds: 120_000), handler: { request in
            // /wait answers only once the test has been served /fast on another connection.
            if request.path == "/wait" { for await _ in released { break } }
            return await echo(request)
        }) { server in
            async let waited = onOwnThread {
                try RawHTTPClient(port: server.port).exchange("GET /wait HTTP/1.1\r\nHost: h\r\n\r\n").echoed().path
            }
            let fast = try await onOwnThread {
                try RawHTTPClient(port: server.port).exchange("GET /fast HTTP/1.1\r\nHost: h\r\n\r\n").echoed().path
            }
            release.yield()
            #expect(fast == "/fast")
            #expect(try await waited == "/wait")
        }
    }

    @Test("an 8 MB answer, larger than any socket buffer, arrives whole")
    func largeAnswer() async throws {
        let body = Data((0..<(8 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try await withServer(handler: { _ in HTTPResponse(status: 200, body: body) }) { server in
            let received = try await onOwnThread {
                try RawHTTPClient(port: server.port).exchange("GET /big HTTP/1.1\r\nHost: h\r\n\r\n").body
            }
            #expect(received.count == body.count)
            #expect(Data(received) == body)
        }
    }

    @Test("a client that disconnects before a large answer does not kill the process with SIGPIPE")
    func noSigpipe() async throws {
        let big = HTTPResponse.text(200, String(repeating: "x", count: 8 << 20))
        try await withServer(handler: { request in request.path == "/big" ? big : await echo(request) }) { server in
            let path = try await onOwnThread {
                for _ in 0..<3 {
                    let client = try RawHTTPClient(port: server.port)
                    client.send("GET /big HTTP/1.1\r\nHost: h\r\n\r\n")
                    _ = client  // closed here, before the answer is read
                }
                return try RawHTTPClient(port: server.port).exchange("GET /alive HTTP/1.1\r\nHost: h\r\n\r\n").echoed().path
            }
            #expect(path == "/alive")
        }
    }

    @Test("stop() closes the listener and every open connection")
    func stop() async throws {
        let server = try HTTPServer(host: "127.0.0.1", port: 0, handler: echo)
        server.start()
        let port = server.port
        let ended = try await onOwnThread {
            let client = try RawHTTPClient(port: port)
            _ = try client.exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
            server.stop()
            server.stop()  // idempotent
            return try client.readsEndOfStream()
        }
        #expect(ended)
        #expect(throws: RawHTTPClient.Failure.self) { try RawHTTPClient(port: port) }
    }

    @Test("a host that is not an IP address is refused by name")
    func badHost() {
        #expect(throws: HTTPServerError.self) { try HTTPServer(host: "not a host", port: 0, handler: echo) }
        do {
            _ = try HTTPServer(host: "example.org", port: 0, handler: echo)
        } catch let error as HTTPServerError {
            #expect(error.description.contains("example.org"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test("a port already in use fails at init, naming the address")
    func portInUse() throws {
        let first = try HTTPServer(host: "127.0.0.1", port: 0, handler: echo)
        defer { first.stop() }
        #expect { try HTTPServer(host: "127.0.0.1", port: first.port, handler: echo) } throws: { error in
            (error as? HTTPServerError)?.description.contains("127.0.0.1:\(first.port)") == true
        }
    }
}
