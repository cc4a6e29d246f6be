import Foundation
import MISLinkHTTP
import MISLinkHTTPClient
import MISLinkKit
import Testing

/// What goes out, what is logged, and how bodies are read.
@Suite struct HTTPClientRequestTests {
    static let token = "tok-1a2b3c4d5e6f"

    @Test func relativeTargetsLandUnderTheBaseWithTheirQueryEncoded() async throws {
        let stub = try StubServer { _ in .json(200, #"{"ok":true}"#) }
        defer { stub.stop() }
        let client = HTTPClient(service: "Wonde", baseURL: URL(string: "http://127.0.0.1:\(stub.server.port)/v1.0")!,
            headers: ["Authorization": "Bearer \(Self.token)"])
        _ = try await client.send(
            HTTPRequest(.get, "schools/S1/students", query: [("include", "education_details,contacts"), ("updated_after", "2026-11-30 01:00:00")]),
            context: .silent)
        let seen = try #require(stub.requests.first)
        #expect(seen.path == "/v1.0/schools/S1/students")
        #expect(seen.query["include"] == ["education_details,contacts"])
        #expect(seen.query["updated_after"] == ["2026-11-30 01:00:00"])
        #expect(seen.headers["authorization"] == "Bearer \(Self.token)")
        #expect(seen.headers["accept"] == "application/json")
    }

    @Test func jsonAndFormBodiesCarryTheirContentTypes() async throws {
        let stub = try StubServer { _ in .json(200, "{}") }
        defer { stub.stop() }
        let client = HTTPClient(service: "SCIM", baseURL: stub.base)
        _ = try await client.send(try .json(.post, "Users", ["userName": "a.b"], contentType: "application/scim+json"), context: .silent)
        _ = try await client.send(.form("token", [("grant_type", "client_credentials"), ("scope", "a b&c")]), context: .silent)
        let seen = stub.requests
        #expect(seen[0].headers["content-type"] == "application/scim+json")
        #expect(seen[0].body == #"{"userName":"a.b"}"#)
        #expect(seen[1].headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(seen[1].body == "grant_type=client_credentials&scope=a%20b%26c")
    }

    @Test func theLogLineNeverCarriesCredentials() async throws {
        let stub = try StubServer { _ in .json(500, #"{"message":"failed for \#(Self.token)"}"#) }
        defer { stub.stop() }
        let lines = LogLines()
        let context = PluginContext(log: { _, line in lines.add(line) })
        let client = HTTPClient(
            service: "OneRoster", baseURL: stub.base, headers: ["Authorization": "Bearer \(Self.token)"], secrets: [Self.token])
        let error = await #expect(throws: PluginError.self) {
            _ = try await client.send(
                HTTPRequest(.get, "users", query: [("access_token", "q-secret-1"), ("limit", "100"), ("x", Self.token)]), context: context)
        }
        let logged = lines.all.joined(separator: "\n")
        #expect(logged.contains("OneRoster: GET /v1.0/users?access_token=(redacted)&limit=100&x=(secret) → 500 in "))
        for secret in [Self.token, "q-secret-1", "Bearer"] {
            #expect(!logged.contains(secret))
            #expect(!(error?.message.contains(secret) ?? true))
        }
    }

    @Test func aLinkToAnotherHostIsRefusedBeforeAnythingIsSent() async throws {
        let stub = try StubServer { _ in .json(200, "{}") }
        defer { stub.stop() }
        let client = HTTPClient(service: "Wonde", baseURL: stub.base, headers: ["Authorization": "Bearer \(Self.token)"])
        for link in ["http://127.0.0.2:\(stub.server.port)/v1.0/x", "https://127.0.0.1:\(stub.server.port)/v1.0/x", "http://127.0.0.1:1/v1.0/x"] {
            await #expect(throws: PluginError.self) { _ = try await client.send(HTTPRequest(.get, link), context: .silent) }
        }
        #expect(stub.requests.isEmpty)
        _ = try await client.send(HTTPRequest(.get, "http://127.0.0.1:\(stub.server.port)/v1.0/x?page=2"), context: .silent)
        #expect(stub.requests.map(\.path) == ["/v1.0/x"])
    }

    struct Person: Decodable { var forename: String }
    struct People: Decodable { var data: [Person] }

    @Test func aTruncatedBodyIsRetryableAndAWrongShapeNamesTheField() async throws {
        let stub = try StubServer { request in
            request.path.hasSuffix("cut") ? .json(200, #"{"data":[{"forename":"Ann"},{"fore"#) : .json(200, #"{"data":[{"forename":"Ann"},{"forename":7}]}"#)
        }
        defer { stub.stop() }
        let client = HTTPClient(service: "Wonde", baseURL: stub.base)
        let cut = await #expect(throws: PluginError.self) { _ = try await client.get("cut", as: People.self, context: .silent) }
        #expect(cut?.disposition == .retryable)
        #expect(cut?.message.hasPrefix("Wonde: GET /v1.0/cut sent a body that is not complete JSON") == true)
        let wrong = await #expect(throws: PluginError.self) { _ = try await client.get("shape", as: People.self, context: .silent) }
        #expect(wrong?.disposition == .permanent)
        #expect(wrong?.message == "Wonde: GET /v1.0/shape: field 'data[1].forename' is not a string")
    }

    @Test func retryAfterReadsAllThreeDateForms() {
        let expected = Date(timeIntervalSince1970: 784_111_777)
        #expect(RetryAfter.date(from: "Sun, 06 Nov 1994 08:49:37 GMT") == expected)
        #expect(RetryAfter.date(from: "Sunday, 06-Nov-94 08:49:37 GMT") == expected)
        #expect(RetryAfter.date(from: "Sun Nov  6 08:49:37 1994") == expected)
        let now = Date(timeIntervalSince1970: 1_000)
        #expect(RetryAfter.date(from: " 30 ", now: now) == Date(timeIntervalSince1970: 1_030))
        for garbage in ["", "soon", "-5", "1.5", "Sun, 36 Nov 1994 08:49:37 GMT", "Sun, 06 Nox 1994 08:49:37 GMT"] {
            #expect(RetryAfter.date(from: garbage, now: now) == nil, "\(garbage)")
        }
    }

    @Test func basicAuthorizationIsBase64OfUserAndPassword() {
        #expect(HTTPClient.basicAuthorization(user: "Aladdin", password: "open sesame") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    }
}
