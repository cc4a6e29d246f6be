import MISLinkHTTP
import Testing

@Suite struct HTTPHeadersTests {
    @Test("header names are looked up without regard to case; set replaces every field of the name")
    func lookup() {
        var headers = HTTPHeaders([("Content-Type", "text/plain"), ("X-A", "1"), ("x-a", "2")])
        #expect(headers["content-type"] == "text/plain")
        #expect(headers.values("X-A") == ["1", "2"])
        headers.set("x-A", "3")
        #expect(headers.values("X-A") == ["3"])
    }
}
