import CSVConnector
import DirectoryTarget
import Foundation
import MISLinkConsole
import MISLinkHTTP
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import Synchronization
import Testing

/// A queue database in a temporary folder, the real service layer over it, and a console in front
/// with a known token and a clock the test moves.
final class ConsoleFixture: Sendable {
    static let token = String(repeating: "ab12", count: 16)

    let root: URL
    let databasePath: String
    let environment: SyncEnvironment
    let console: Console
    let clock = TestClock()

    init(maxFailedSignIns: Int = 5, secureCookies: Bool = false, trustedProxies: Set<String> = [], handlers: HandlerRegistry? = nil) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("mislink-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        databasePath = root.appendingPathComponent("queue.sqlite").path
        let plugins = PluginRegistry()
        try plugins.register(connector: CSVConnectorPlugin())
        try plugins.register(target: DirectoryTargetPlugin())
        environment = SyncEnvironment(databasePath: databasePath, plugins: plugins, environment: [:])
        try JobAdmin(environment: environment).prepareQueue()
        let clock = self.clock
        console = Console(
            environment: environment, handlers: handlers, token: Self.token,
            configuration: {
                var configuration = ConsoleConfiguration(maxFailedSignIns: maxFailedSignIns, secureCookies: secureCookies, clock: { clock.now })
                configuration.trustedProxies = trustedProxies
                return configuration
            }())
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func advance(milliseconds: Int64) { clock.advance(milliseconds) }

    var store: IntegrationStore { get throws { try IntegrationStore(path: databasePath) } }

    /// Integration `id` (csv → directory) with the given status; its export folder does not exist,
    /// so an import of it fails.
    @discardableResult
    func addIntegration(_ id: String = "oak", status: IntegrationStatus = .on) throws -> Integration {
        var integration = Integration(id: id, connector: "csv", target: "directory", now: JobStore.now())
        integration.config = ["dir": root.appendingPathComponent("mis-\(id)").path, "db": root.appendingPathComponent("lib.sqlite").path]
        integration.status = status
        try store.add(integration)
        return integration
    }

    func setStatus(_ id: String, _ status: IntegrationStatus) throws {
        let store = try self.store
        var integration = try store.require(id)
        integration.status = status
        try store.save(integration)
    }

    /// Enqueues a job straight into the queue (no rule) and runs the queue dry with the real handlers.
    func runToEnd(kind: String, integration: String? = nil, payload: String = "{}") async throws -> Int64 {
        let policy = environment.policies.policy(for: kind)!
        let id = try JobStore(path: databasePath).enqueue(
            NewJob(kind: kind, queue: policy.queue, integration: integration, payload: payload, maxAttempts: 1)).id
        var configuration = WorkerConfiguration(databasePath: databasePath)
        configuration.drain = true
        _ = try await Worker(
            configuration: configuration, handlers: SyncHandlers.registry(environment: environment), policies: environment.policies
        ).run()
        return id
    }

    func job(_ id: Int64) throws -> Job? { try JobStore(path: databasePath).job(id: id) }

    // MARK: - Requests

    func send(
        _ method: String, _ path: String, query: [String: [String]] = [:], headers: [(String, String)] = [],
        body: Data = Data(), from address: String = "127.0.0.1"
    ) async -> HTTPResponse {
        await console.handle(
            HTTPRequest(method: method, path: path, query: query, headers: HTTPHeaders(headers), body: body, clientAddress: address))
    }

    /// With the bearer token.
    func api(_ method: String, _ path: String, query: [String: [String]] = [:], json: Any? = nil) async -> HTTPResponse {
        var headers = [("Authorization", "Bearer \(Self.token)")]
        var body = Data()
        if let json {
            headers.append(("Content-Type", "application/json"))
            body = try! JSONSerialization.data(withJSONObject: json)
        }
        return await send(method, path, query: query, headers: headers, body: body)
    }

    /// Signs in through the form; answers the session cookie.
    func signIn() async throws -> String {
        let response = await send(
            "POST", "/login", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Data("token=\(Self.token)".utf8))
        #expect(response.status == 303)
        let cookie = try #require(response.headers["Set-Cookie"])
        return String(try #require(cookie.split(separator: ";").first))
    }

    /// The CSRF token the signed-in page carries in its logout form.
    func csrfToken(cookie: String) async throws -> String {
        let page = await send("GET", "/", headers: [("Cookie", cookie)])
        let html = String(decoding: page.body, as: UTF8.self)
        let marker = #"name="csrf" value=""#
        let start = try #require(html.range(of: marker)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }
}

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }

    var json: Any? { try? JSONSerialization.jsonObject(with: body) }

    var object: [String: Any] { (json as? [String: Any]) ?? [:] }

    var array: [[String: Any]] { (json as? [[String: Any]]) ?? [] }
}

/// Time as the test sets it, so that windows and lifetimes pass without waiting.
final class TestClock: Sendable {
    private let milliseconds = Mutex<Int64>(1_800_000_000_000)

    var now: Int64 { milliseconds.withLock { $0 } }

    func advance(_ step: Int64) { milliseconds.withLock { $0 += step } }
}
