import Foundation
import MISLinkHTTP
import MISLinkHTTPClient
import MISLinkKit
import Synchronization
import Testing

/// How every answer that is not a success becomes a `PluginError` the runner knows how to treat.
@Suite struct HTTPClientFailureTests {
    static let token = "tok-9f8e7d6c5b4a"

    func client(_ stub: StubServer, timeout: TimeInterval = 30) -> HTTPClient {
        HTTPClient(
            service: "Wonde", baseURL: stub.base, headers: ["Authorization": "Bearer \(Self.token)"], secrets: [Self.token],
            timeout: timeout)
    }

    func failure(_ status: Int, headers: [(String, String)] = [], body: String = "{}") async throws -> PluginError {
        let stub = try StubServer { _ in .json(status, body, headers: headers) }
        defer { stub.stop() }
        do {
            _ = try await client(stub).send(HTTPRequest(.get, "schools/S1"), context: .silent)
        } catch let error as PluginError {
            return error
        }
        Issue.record("a \(status) did not throw")
        return .retryable("none")
    }

    @Test func refusedCredentialsArePermanentAndNameTheService() async throws {
        for status in [401, 403] {
            let error = try await failure(status)
            #expect(error.disposition == .permanent)
            #expect(error.message == "credentials refused by Wonde (\(status) on GET /v1.0/schools/S1)")
        }
    }

    @Test func retryAfterInSecondsSnoozes() async throws {
        let before = Date()
        let error = try await failure(429, headers: [("Retry-After", "120")])
        guard case .snooze(let until) = error.disposition else {
            Issue.record("429 with Retry-After gave \(error.disposition)")
            return
        }
        #expect(until.timeIntervalSince(before) >= 119)
        #expect(until.timeIntervalSince(before) < 180)
        #expect(error.message.contains("asked to wait"))
    }

    @Test func retryAfterAsAnHTTPDateSnoozesUntilThatDate() async throws {
        let error = try await failure(503, headers: [("Retry-After", "Wed, 21 Oct 2037 07:28:00 GMT")])
        #expect(error.disposition == .snooze(until: Date(timeIntervalSince1970: 2_139_722_880)))
    }

    @Test func serverErrorsAndBusyWithoutRetryAfterAreRetryable() async throws {
        for status in [500, 502, 503, 429, 408] {
            #expect(try await failure(status).disposition == .retryable, "status \(status)")
        }
    }

    @Test func otherClientErrorsArePermanentWithAScrubbedExcerpt() async throws {
        let error = try await failure(422, body: #"{"error":"bad school id","echo":"\#(Self.token)"}"#)
        #expect(error.disposition == .permanent)
        #expect(error.message.hasPrefix("Wonde: GET /v1.0/schools/S1 answered 422: "))
        #expect(error.message.contains("bad school id"))
        #expect(!error.message.contains(Self.token))
    }

    @Test func acceptedStatusesComeBackAsResponses() async throws {
        let stub = try StubServer { _ in .json(409, #"{"scimType":"uniqueness"}"#) }
        defer { stub.stop() }
        let response = try await client(stub).send(HTTPRequest(.post, "Users", accept: [409]), context: .silent)
        #expect(response.status == 409)
        #expect(String(decoding: response.body, as: UTF8.self).contains("uniqueness"))
    }

    @Test func redirectsAreNotFollowed() async throws {
        let stub = try StubServer { request in
            request.path.hasSuffix("/elsewhere") ? .json(200, "{}") : .json(302, "{}", headers: [("Location", "/v1.0/elsewhere?token=x")])
        }
        defer { stub.stop() }
        do {
            _ = try await client(stub).send(HTTPRequest(.get, "schools/S1"), context: .silent)
            Issue.record("a redirect was followed")
        } catch let error as PluginError {
            #expect(error.disposition == .permanent)
            #expect(error.message.contains("redirected to /v1.0/elsewhere;"))
        }
        #expect(stub.requests.count == 1)
    }

    @Test func aSlowServerTimesOutAsRetryable() async throws {
        let stub = try StubServer { _ in
            try? await Task.sleep(for: .seconds(3))
            return .json(200, "{}")
        }
        defer { stub.stop() }
        do {
            _ = try await client(stub, timeout: 0.3).send(HTTPRequest(.get, "schools/S1"), context: .silent)
            Issue.record("no timeout")
        } catch let error as PluginError {
            #expect(error.disposition == .retryable)
            #expect(error.message == "Wonde: GET /v1.0/schools/S1: no answer within 0.3 s")
        }
    }

    @Test func anUnreachableHostIsRetryableAndNamed() async throws {
        let stub = try StubServer { _ in .json(200, "{}") }
        let base = stub.base
        let port = stub.server.port
        stub.stop()
        let client = HTTPClient(service: "Wonde", baseURL: base)
        do {
            _ = try await client.send(HTTPRequest(.get, "schools/S1"), context: .silent)
            Issue.record("a stopped server answered")
        } catch let error as PluginError {
            #expect(error.disposition == .retryable)
            #expect(error.message.contains("127.0.0.1:\(port)"))
        }
    }

    @Test func cancellingTheTaskCancelsTheRequest() async throws {
        // The answer is held until the test ends (or two minutes pass), so only cancelling can end the request.
        let released = Mutex(false)
        let stub = try StubServer { _ in
            for _ in 0..<2400 where !released.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(50)) }
            return .json(200, "{}")
        }
        defer {
            released.withLock { $0 = true }
            stub.stop()
        }
        let client = client(stub)
        let task = Task { try await client.send(HTTPRequest(.get, "schools/S1"), context: .silent) }
        while stub.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }
}
