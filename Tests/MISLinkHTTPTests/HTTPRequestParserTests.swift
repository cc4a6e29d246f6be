import Foundation
import Testing

@testable import MISLinkHTTP

@Suite struct HTTPRequestParserTests {
    let parser = HTTPRequestParser(limits: HTTPLimits(maxHeaderBytes: 1024, maxBodyBytes: 100), clientAddress: "10.0.0.9")

    func parse(_ text: String) -> HTTPParseResult { parser.parse(Array(text.utf8)) }

    @Test("a GET's path is percent-decoded and its query split, with + as a space and repeated names kept")
    func getWithQuery() throws {
        guard case .request(let parsed, let consumed) = parse(
            "GET /api/jobs/caf%C3%A9%20x?state=failed&kind=a+b&kind=c%26d&flag HTTP/1.1\r\nHost: h\r\n\r\nrest")
        else { Issue.record("not parsed"); return }
        #expect(consumed == "GET /api/jobs/caf%C3%A9%20x?state=failed&kind=a+b&kind=c%26d&flag HTTP/1.1\r\nHost: h\r\n\r\n".utf8.count)
        #expect(parsed.request.path == "/api/jobs/café x")
        #expect(parsed.request.query == ["state": ["failed"], "kind": ["a b", "c&d"], "flag": [""]])
        #expect(parsed.request.clientAddress == "10.0.0.9")
        #expect(parsed.keepAlive)
    }

    @Test("bare LF line ends are tolerated and header values are trimmed")
    func bareLineFeeds() {
        guard case .request(let parsed, _) = parse("POST /x HTTP/1.1\nHost: h\nContent-Length: 3\nX-A:  v  \n\nabc")
        else { Issue.record("not parsed"); return }
        #expect(parsed.request.headers["x-a"] == "v")
        #expect(parsed.request.body == Data("abc".utf8))
    }

    @Test("a request is incomplete until its whole body has arrived, byte by byte")
    func incrementally() {
        let text = Array("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello".utf8)
        for end in 1..<text.count {
            guard case .incomplete = parser.parse(Array(text[0..<end])) else {
                Issue.record("\(end) bytes were not incomplete")
                return
            }
        }
        guard case .request(let parsed, _) = parser.parse(text) else { Issue.record("not parsed"); return }
        #expect(parsed.request.body == Data("hello".utf8))
    }

    @Test("HTTP/1.0 and Connection: close end the connection; Expect: 100-continue is reported")
    func connectionRules() {
        if case .request(let parsed, _) = parse("GET / HTTP/1.0\r\n\r\n") { #expect(!parsed.keepAlive) } else { Issue.record("1.0") }
        if case .request(let parsed, _) = parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Close\r\n\r\n") {
            #expect(!parsed.keepAlive)
        } else { Issue.record("close") }
        guard case .incomplete(let expects) = parse("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        else { Issue.record("continue"); return }
        #expect(expects)
    }

    @Test(
        "bad requests are refused with the right status",
        arguments: [
            RefusalCase("garbage", "\u{01}\u{02}\u{7F}garbage", 400),
            RefusalCase("two words", "GET /\r\n\r\n", 400),
            RefusalCase("lower-case version", "GET / http/1.1\r\nHost: h\r\n\r\n", 400),
            RefusalCase("HTTP/2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
            RefusalCase("HTTP/0.9-ish", "GET / HTTP/0.9\r\n\r\n", 505),
            RefusalCase("no Host in 1.1", "GET / HTTP/1.1\r\n\r\n", 400),
            RefusalCase("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            RefusalCase("header without colon", "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400),
            RefusalCase("space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400),
            RefusalCase("folded header", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n b\r\n\r\n", 400),
            RefusalCase("bare CR in a value", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n", 400),
            RefusalCase("chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 501),
            RefusalCase("body too large", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 101\r\n\r\n", 413),
            RefusalCase("negative length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400),
            RefusalCase("differing lengths", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
            RefusalCase("bad escape", "GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            RefusalCase("NUL escape", "GET /a%00 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            RefusalCase("not UTF-8", "GET /a%FF HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            RefusalCase("relative target", "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            RefusalCase("target over 8 KiB, line unfinished", "GET /" + String(repeating: "a", count: 8200), 414),
            RefusalCase("endless empty lines", String(repeating: "\r\n", count: 600), 431),
            RefusalCase("headers over the limit, unfinished", "GET / HTTP/1.1\r\nX-A: " + String(repeating: "a", count: 1100), 431),
        ])
    func refusals(_ refusal: RefusalCase) {
        guard case .refused(let status, let reason) = parse(refusal.request) else {
            Issue.record("\(refusal.name) was not refused")
            return
        }
        #expect(status == refusal.status, "\(refusal.name): \(reason)")
        #expect(!reason.isEmpty)
    }

    @Test("an absolute-form target is reduced to its path")
    func absoluteForm() {
        guard case .request(let parsed, _) = parse("GET http://example.org/a/b?x=1 HTTP/1.1\r\nHost: example.org\r\n\r\n")
        else { Issue.record("not parsed"); return }
        #expect(parsed.request.path == "/a/b")
        #expect(parsed.request.query == ["x": ["1"]])
    }
}
