import Foundation
import Testing

@testable import MISLinkHTTP

@Suite struct HTTPResponseSerializerTests {
    @Test("the server sets the framing headers and drops a handler's own, and never sends Server")
    func framing() {
        let response = HTTPResponse(
            status: 200, headers: HTTPHeaders([("Content-Length", "999"), ("Server", "x/1.0"), ("X-Ok", "yes")]),
            body: Data("hello".utf8))
        let text = String(decoding: HTTPResponseSerializer.serialize(response, headOnly: false, keepAlive: true, now: 784_111_777), as: UTF8.self)
        #expect(text == "HTTP/1.1 200 OK\r\nX-Ok: yes\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello")
    }

    @Test("a CR or LF in a handler's header value cannot split the response")
    func noSplitting() {
        let response = HTTPResponse(status: 303, headers: HTTPHeaders([("Location", "/a\r\nSet-Cookie: evil=1")]))
        let text = String(decoding: HTTPResponseSerializer.serialize(response, headOnly: false, keepAlive: false), as: UTF8.self)
        #expect(text.contains("Location: /a  Set-Cookie: evil=1\r\n"))
        #expect(!text.contains("\r\nSet-Cookie"))
    }

    @Test("HEAD gets the length without the body; 204 gets neither")
    func bodyless() {
        let head = HTTPResponseSerializer.serialize(.text(200, "abc"), headOnly: true, keepAlive: true)
        #expect(String(decoding: head, as: UTF8.self).hasSuffix("Content-Length: 3\r\nConnection: keep-alive\r\n\r\n"))
        let noContent = String(decoding: HTTPResponseSerializer.serialize(HTTPResponse(status: 204), headOnly: false, keepAlive: true), as: UTF8.self)
        #expect(!noContent.contains("Content-Length"))
    }
}
