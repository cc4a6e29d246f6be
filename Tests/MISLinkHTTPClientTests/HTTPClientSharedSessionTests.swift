import Foundation
import MISLinkHTTP
import MISLinkKit
import Testing

@testable import MISLinkHTTPClient

/// Clients share one URLSession per timeout (a job's plugin no longer makes and tears down its own),
/// so nothing of one client may reach another's requests over the shared, kept-alive connections.
@Suite struct HTTPClientSharedSessionTests {
    @Test func clientsWithOneTimeoutShareOneSession() {
        let base = URL(string: "http://127.0.0.1:9/")!
        let a = HTTPClient(service: "A", baseURL: base, timeout: 17)
        let b = HTTPClient(service: "B", baseURL: base, headers: ["Authorization": "Bearer b"], timeout: 17)
        let c = HTTPClient(service: "C", baseURL: base, timeout: 18)
        #expect(a.transport === b.transport)
        #expect(a.transport !== c.transport)
    }

    @Test func anUrgentTaskHasASessionOfItsOwn() async {
        let client = HTTPClient(service: "A", baseURL: URL(string: "http://127.0.0.1:9/")!, timeout: 19)
        let ordinary = await Task(priority: .medium) { client.transportForThisTask }.value
        let urgent = await Task(priority: .high) { client.transportForThisTask }.value
        #expect(ordinary === client.transport)
        #expect(urgent !== client.transport)
        #expect(urgent === URLSessionTransport.shared(timeout: 19, urgent: true))
    }

    @Test func eachRequestCarriesOnlyItsOwnClientsCredentialsAndNoCookies() async throws {
        let stub = try StubServer { _ in .json(200, "{}", headers: [("Set-Cookie", "session=abc123; Path=/")]) }
        defer { stub.stop() }
        let schoolA = HTTPClient(service: "Wonde", baseURL: stub.base, headers: ["Authorization": "Bearer token-of-school-a"])
        let schoolB = HTTPClient(service: "Wonde", baseURL: stub.base, headers: ["Authorization": "Bearer token-of-school-b"])
        let plain = HTTPClient(service: "Wonde", baseURL: stub.base)
        for _ in 0..<3 {
            _ = try await schoolA.send(HTTPRequest(.get, "a"), context: .silent)
            _ = try await schoolB.send(HTTPRequest(.get, "b"), context: .silent)
            _ = try await plain.send(HTTPRequest(.get, "plain"), context: .silent)
        }
        let seen = stub.requests
        #expect(seen.count == 9)
        for request in seen {
            switch request.path {
            case "/v1.0/a": #expect(request.headers["authorization"] == "Bearer token-of-school-a")
            case "/v1.0/b": #expect(request.headers["authorization"] == "Bearer token-of-school-b")
            default: #expect(request.headers["authorization"] == nil)
            }
            #expect(request.headers["cookie"] == nil)
        }
    }
}
