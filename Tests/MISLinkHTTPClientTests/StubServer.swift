import Foundation
import MISLinkHTTP
import Synchronization

/// What the stub server saw of one request.
struct SeenRequest: Sendable {
    var method: String
    var path: String
    var query: [String: [String]]
    var headers: [String: String]
    var body: String
}

/// A loopback server (MISLink's own) whose answers the test writes: `answer` maps each request to a
/// response, and every request is recorded.
final class StubServer: Sendable {
    let server: HTTPServer

    init(_ answer: @escaping @Sendable (MISLinkHTTP.HTTPRequest) async -> MISLinkHTTP.HTTPResponse) throws {
        let recorder = Recorder()
        // Handlers may hold an answer for minutes (a test of cancelling), so the server waits as long.
        server = try HTTPServer(host: "127.0.0.1", port: 0, limits: HTTPLimits(requestTimeoutMilliseconds: 180_000)) { request in
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.lowercased()] = field.value }
            recorder.add(
                SeenRequest(
                    method: request.method, path: request.path, query: request.query, headers: headers,
                    body: String(decoding: request.body, as: UTF8.self)))
            return await answer(request)
        }
        self.recorder = recorder
        server.start()
    }

    private let recorder: Recorder

    var requests: [SeenRequest] { recorder.all }
    var base: URL { URL(string: "http://127.0.0.1:\(server.port)/v1.0/")! }

    func stop() { server.stop() }

    deinit { server.stop() }
}

private final class Recorder: Sendable {
    private let list = Mutex<[SeenRequest]>([])
    func add(_ request: SeenRequest) { list.withLock { $0.append(request) } }
    var all: [SeenRequest] { list.withLock { $0 } }
}

/// Log lines a plugin context was given.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func add(_ line: String) { lines.withLock { $0.append(line) } }
}

extension MISLinkHTTP.HTTPResponse {
    static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> MISLinkHTTP.HTTPResponse {
        var response = MISLinkHTTP.HTTPResponse.json(status, Data(text.utf8))
        for (name, value) in headers { response.headers.set(name, value) }
        return response
    }
}
