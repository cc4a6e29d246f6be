import Foundation
import MISLinkHTTP
import MISLinkTestSupport

/// What the echo handler saw, sent back as JSON so tests can check the parse.
struct EchoedRequest: Codable, Equatable {
    var method: String
    var path: String
    var query: [String: [String]]
    var body: String
    var clientAddress: String
    var host: String?
}

/// Answers with the request it was given, as JSON.
@Sendable func echo(_ request: HTTPRequest) async -> HTTPResponse {
    let echoed = EchoedRequest(
        method: request.method, path: request.path, query: request.query,
        body: String(decoding: request.body, as: UTF8.self), clientAddress: request.clientAddress,
        host: request.headers["Host"])
    return .json(200, (try? JSONEncoder().encode(echoed)) ?? Data())
}

/// Runs `body` against a started server on a free loopback port, and stops it afterwards.
func withServer<T>(
    limits: HTTPLimits = HTTPLimits(), handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse = echo,
    _ body: (HTTPServer) async throws -> T
) async throws -> T {
    let server = try HTTPServer(host: "127.0.0.1", port: 0, limits: limits, handler: handler)
    server.start()
    defer { server.stop() }
    return try await body(server)
}

extension RawHTTPClient.Response {
    func echoed() throws -> EchoedRequest { try JSONDecoder().decode(EchoedRequest.self, from: Data(body)) }
}
